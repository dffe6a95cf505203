public import Foundation
import NIOHTTP1

/// Creates ACS users and issues their access tokens, authenticated with the resource's access key (HMAC-SHA256).
///
/// Ownership: like `ChatClient`, it owns a connection pool; call `shutdown()` once when done. Unlike Microsoft's SDK
/// it keeps the connection string's scheme, so `endpoint=http://127.0.0.1:8080/` talks plain HTTP (tests).
/// See https://learn.microsoft.com/rest/api/communication/identity/communication-identity
public struct CommunicationIdentityClient: Sendable {
    let transport: ServiceTransport
    /// The resource endpoint from the connection string (trailing `/` removed); chat clients use the same one.
    public let endpoint: URL

    /// - Parameter connectionString: `endpoint=https://<resource>.communication.azure.com/;accesskey=<base64>`; keys
    ///   are case-insensitive and each pair is split at its first `=`.
    /// - Throws: `ChatServiceError` `.invalidArgument` naming what is wrong; the access key is never echoed.
    public init(connectionString: String, options: ChatClientOptions = ChatClientOptions()) throws {
        let parsed = try ConnectionString(connectionString)
        endpoint = parsed.endpoint
        transport = try ServiceTransport(
            endpoint: parsed.endpoint,
            authorization: .hmac(try HMACRequestSigner(accessKey: parsed.accessKey)),
            apiVersion: options.identityAPIVersion,
            options: options
        )
    }

    /// Closes the connection pool.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// Creates a user without a token.
    public func createUser() async throws -> CommunicationIdentifier {
        let request = ServiceRequest(
            method: .POST,
            operation: "POST /identities",
            target: .path("/identities"),
            expectedStatus: [201],
            isIdempotent: false
        )
        return try await transport.perform(request, decoding: WireCreateIdentityResponse.self) {
            (wire) throws(WireMappingError) in .communicationUser(id: wire.identity.id)
        }
    }

    /// Creates a user and a token for it.
    /// - Parameter expiresIn: token lifetime, whole minutes in 60...1440 (the service's default is 24 hours).
    public func createUserAndToken(
        scopes: [String] = ["chat"],
        expiresIn: Duration? = nil
    ) async throws -> (user: CommunicationIdentifier, token: AccessToken) {
        let operation = "POST /identities"
        let body = WireCreateIdentityRequest(
            createTokenWithScopes: scopes,
            expiresInMinutes: try expiresIn.map { try Self.minutes($0, operation: operation) }
        )
        let request = ServiceRequest(
            method: .POST,
            operation: operation,
            target: .path("/identities"),
            body: try ServiceTransport.encode(body),
            expectedStatus: [201],
            isIdempotent: false
        )
        return try await transport.perform(request, decoding: WireCreateIdentityResponse.self) {
            (wire) throws(WireMappingError) -> (user: CommunicationIdentifier, token: AccessToken) in
            guard let token = wire.accessToken else {
                throw WireMappingError(message: "missing field accessToken")
            }
            return (
                .communicationUser(id: wire.identity.id),
                AccessToken(token: token.token, expiresOn: token.expiresOn.date)
            )
        }
    }

    /// Issues a new token for `user`.
    public func getToken(
        for user: CommunicationIdentifier,
        scopes: [String] = ["chat"],
        expiresIn: Duration? = nil
    ) async throws -> AccessToken {
        let operation = "POST /identities/{id}/:issueAccessToken"
        let body = WireIssueAccessTokenRequest(
            scopes: scopes,
            expiresInMinutes: try expiresIn.map { try Self.minutes($0, operation: operation) }
        )
        let request = ServiceRequest(
            method: .POST,
            operation: operation,
            target: .path("/identities/\(percentEncode(user.rawID))/:issueAccessToken"),
            body: try ServiceTransport.encode(body),
            expectedStatus: [200],
            isIdempotent: true  // a second token is harmless
        )
        return try await transport.perform(request, decoding: WireAccessToken.self) {
            (wire) throws(WireMappingError) in AccessToken(token: wire.token, expiresOn: wire.expiresOn.date)
        }
    }

    /// Revokes every token issued to `user`.
    public func revokeTokens(for user: CommunicationIdentifier) async throws {
        try await transport.perform(
            ServiceRequest(
                method: .POST,
                operation: "POST /identities/{id}/:revokeAccessTokens",
                target: .path("/identities/\(percentEncode(user.rawID))/:revokeAccessTokens"),
                expectedStatus: [204],
                isIdempotent: true
            )
        )
    }

    /// Deletes `user` and revokes its tokens.
    public func deleteUser(_ user: CommunicationIdentifier) async throws {
        try await transport.perform(
            ServiceRequest(
                method: .DELETE,
                operation: "DELETE /identities/{id}",
                target: .path("/identities/\(percentEncode(user.rawID))"),
                expectedStatus: [204],
                isIdempotent: true
            )
        )
    }

    private static func minutes(_ duration: Duration, operation: String) throws -> Int {
        let minutes = Int((Double(duration.components.seconds) / 60).rounded())
        guard minutes >= 1 else {
            throw ChatServiceError.invalidArgument(operation, "expiresIn must be at least one minute")
        }
        return minutes
    }
}

/// A user access token and when it expires. `description` hides the token.
public struct AccessToken: Sendable, Hashable, CustomStringConvertible {
    public var token: String
    public var expiresOn: Date

    public init(token: String, expiresOn: Date) {
        self.token = token
        self.expiresOn = expiresOn
    }

    public var description: String { "AccessToken(expiresOn: \(ChatDateFormat.format(expiresOn)), token: <redacted>)" }
}

/// `endpoint=…;accesskey=…`, parsed like Microsoft's SDKs do.
struct ConnectionString: Sendable {
    var endpoint: URL
    var accessKey: String

    init(_ text: String) throws {
        var values: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw ChatServiceError.invalidArgument(
                    "connection string",
                    "the connection string has a part without '=' (expected endpoint=…;accesskey=…)"
                )
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            values[key] = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        }
        guard var endpointText = values["endpoint"], !endpointText.isEmpty else {
            throw ChatServiceError.invalidArgument("connection string", "the connection string has no endpoint")
        }
        guard let accessKey = values["accesskey"], !accessKey.isEmpty else {
            throw ChatServiceError.invalidArgument("connection string", "the connection string has no accesskey")
        }
        while endpointText.hasSuffix("/") { endpointText.removeLast() }
        if !endpointText.contains("://") { endpointText = "https://" + endpointText }
        guard let endpoint = URL(string: endpointText), let scheme = endpoint.scheme?.lowercased(),
            scheme == "https" || scheme == "http", endpoint.host != nil
        else {
            throw ChatServiceError.invalidArgument(
                "connection string",
                "the connection string's endpoint is not an http(s) URL"
            )
        }
        self.endpoint = endpoint
        self.accessKey = accessKey
    }
}
