import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The HTTP machinery behind `ChatClient` and `CommunicationIdentityClient`: one AsyncHTTPClient with a keep-alive
/// pool, authorization, retries and error mapping.
///
/// Ownership: a transport made by `init(endpoint:authorization:apiVersion:options:)` owns its `HTTPClient`;
/// `shutdown()` must run once before the last reference goes away (AsyncHTTPClient traps in debug builds otherwise).
/// A transport made by `sharingConnections(with:authorization:)` borrows another's pool and never closes it.
/// Thread clients share their chat client's transport.
final class ServiceTransport: Sendable {
    enum Authorization: Sendable {
        case bearer(CommunicationTokenCredential)
        case hmac(HMACRequestSigner)
    }

    let endpoint: ServiceEndpoint
    let apiVersion: String
    let options: ChatClientOptions
    private let authorization: Authorization
    private let httpClient: HTTPClient
    private let ownsHTTPClient: Bool

    init(endpoint url: URL, authorization: Authorization, apiVersion: String, options: ChatClientOptions) throws {
        endpoint = try ServiceEndpoint(url: url)
        self.apiVersion = apiVersion
        self.options = options
        self.authorization = authorization
        var tls = TLSConfiguration.makeClientConfiguration()
        if let pem = options.trustedRootCertificatesPEM {
            do {
                let certificates = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
                guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch {
                throw ChatServiceError.invalidArgument(
                    "client setup",
                    "trustedRootCertificatesPEM holds no PEM certificate"
                )
            }
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,  // never carry a token to wherever a redirect points
            timeout: .init(connect: TimeAmount(options.connectTimeout), read: TimeAmount(options.timeout)),
            decompression: .disabled
        )
        configuration.httpVersion = .http1Only
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, options.maxConnectionsPerHost)
        // Connection failures surface at once, so that our retry policy (not the pool's) decides about them.
        configuration.connectionPool.retryConnectionEstablishment = false
        httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        ownsHTTPClient = true
    }

    private init(borrowing other: ServiceTransport, authorization: Authorization) {
        endpoint = other.endpoint
        apiVersion = other.apiVersion
        options = other.options
        self.authorization = authorization
        httpClient = other.httpClient
        ownsHTTPClient = false
    }

    /// A transport to the same endpoint with other credentials, over `other`'s connection pool (one TLS context
    /// and one set of keep-alive connections for many identities).
    static func sharingConnections(with other: ServiceTransport, authorization: Authorization) -> ServiceTransport {
        ServiceTransport(borrowing: other, authorization: authorization)
    }

    func shutdown() async throws {
        guard ownsHTTPClient else { return }
        try await httpClient.shutdown()
    }

    // MARK: Sending

    /// Sends `request`, retrying per `options.retryPolicy`, and returns a response with an expected status.
    func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        let policy = options.retryPolicy
        let target = try resolve(request.target, operation: request.operation)
        let clientRequestID = UUID().uuidString.lowercased()
        var attempt = 0
        var remintedToken = false
        while true {
            attempt += 1
            try Task.checkCancellation()
            let response: ServiceResponse
            do {
                response = try await sendOnce(request, target: target, clientRequestID: clientRequestID)
            } catch let error as TransportFailure {
                let retryable = error.stage == .beforeSending || (error.stage == .ambiguous && request.isIdempotent)
                guard retryable, attempt < policy.maxAttempts else { throw error.serviceError(request.operation) }
                try await policy.sleep(policy.backoff(beforeRetry: attempt))
                continue
            }
            if request.expectedStatus.contains(response.status) { return response }

            if response.status == 401, !remintedToken, case .bearer(let credential) = authorization,
                try await remint(credential, operation: request.operation)
            {
                remintedToken = true
                attempt -= 1  // a re-mint is not a retry of a failing service
                continue
            }
            let retryAfter = Self.retryAfter(in: response.headers)
            let error = ChatServiceError.fromResponse(
                status: response.status,
                body: response.body,
                operation: request.operation,
                retryAfter: retryAfter
            )
            let retryable: Bool =
                switch response.status {
                case 429, 503: true
                case 408, 500, 502, 504: request.isIdempotent
                default: false
                }
            guard retryable, attempt < policy.maxAttempts else { throw error }
            if let retryAfter, retryAfter > policy.maxRetryAfter { throw error }
            try await policy.sleep(retryAfter ?? policy.backoff(beforeRetry: attempt))
        }
    }

    private func remint(_ credential: CommunicationTokenCredential, operation: String) async throws -> Bool {
        do {
            return try await credential.refreshAfterUnauthorized()
        } catch var error as ChatServiceError {
            error.operation = operation
            throw error
        }
    }

    /// Sends and decodes a JSON response body.
    func send<Wire: WireDecodable>(_ request: ServiceRequest, decoding: Wire.Type) async throws -> Wire {
        let response = try await send(request)
        return try Self.decode(Wire.self, from: response.body, operation: request.operation)
    }

    /// Decodes a response body; any failure is a `.malformedResponse` error that says what and where.
    static func decode<Wire: WireDecodable>(_ type: Wire.Type, from body: [UInt8], operation: String) throws -> Wire {
        do {
            return try Wire(jsonBytes: body)
        } catch {
            throw ChatServiceError.malformed(operation, "unexpected response body: \(error.message)", underlying: error)
        }
    }

    /// Encodes a request body: sorted keys, so bodies are deterministic; nil fields are left out.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw ChatServiceError.invalidArgument("request encoding", "the request body cannot be encoded as JSON")
        }
    }

    private func sendOnce(
        _ request: ServiceRequest,
        target: ResolvedTarget,
        clientRequestID: String
    ) async throws -> ServiceResponse {
        var httpRequest = HTTPClientRequest(url: endpoint.origin + target.pathAndQuery)
        httpRequest.method = request.method
        httpRequest.headers.add(name: "Host", value: endpoint.hostHeader)
        httpRequest.headers.add(name: "User-Agent", value: options.userAgent)
        httpRequest.headers.add(name: "Accept", value: "application/json")
        httpRequest.headers.add(name: "x-ms-client-request-id", value: clientRequestID)
        for (name, value) in request.headers { httpRequest.headers.add(name: name, value: value) }
        let body = request.body ?? []
        if request.body != nil || request.method == .POST {
            httpRequest.headers.add(name: "Content-Type", value: request.contentType)
            httpRequest.body = .bytes(ByteBuffer(bytes: body))
        }
        switch authorization {
        case .bearer(let credential):
            let token: String
            do {
                token = try await credential.token()
            } catch var error as ChatServiceError {
                error.operation = request.operation  // name the call that could not be authorized
                throw error
            }
            httpRequest.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .hmac(let signer):
            let signed = signer.sign(
                method: request.method.rawValue,
                pathAndQuery: target.pathAndQuery,
                host: endpoint.hostHeader,
                date: ChatDateFormat.httpDate(Date()),
                body: body
            )
            httpRequest.headers.add(name: "x-ms-date", value: signed.date)
            httpRequest.headers.add(name: "x-ms-content-sha256", value: signed.contentHash)
            httpRequest.headers.add(name: "x-ms-return-client-request-id", value: "true")
            httpRequest.headers.add(name: "Authorization", value: signed.authorization)
        }
        do {
            let response = try await httpClient.execute(httpRequest, timeout: TimeAmount(options.timeout))
            let bytes = try await response.body.collect(upTo: options.maxResponseBytes)
            return ServiceResponse(
                status: Int(response.status.code),
                headers: response.headers,
                body: Array(buffer: bytes)
            )
        } catch is NIOTooManyBytesError {
            throw ChatServiceError.malformed(
                request.operation,
                "the response is larger than maxResponseBytes (\(options.maxResponseBytes))"
            )
        } catch let error as CancellationError {
            throw error
        } catch let error as HTTPClientError where error == .cancelled {
            throw CancellationError()
        } catch {
            throw TransportFailure(stage: TransportFailure.stage(of: error), underlying: error)
        }
    }

    // MARK: Targets

    struct ResolvedTarget {
        var pathAndQuery: String
    }

    private func resolve(_ target: RequestTarget, operation: String) throws -> ResolvedTarget {
        let versionItem = "api-version=" + percentEncode(apiVersion)
        switch target {
        case .path(let path, let query):
            let items = query.map { "\(percentEncode($0.name))=\(percentEncode($0.value))" } + [versionItem]
            return ResolvedTarget(pathAndQuery: endpoint.pathPrefix + path + "?" + items.joined(separator: "&"))
        case .nextLink(let link):
            // The link's path and query go to our own endpoint: credentials never follow a link to another host.
            guard let components = URLComponents(string: link), !components.percentEncodedPath.isEmpty else {
                throw ChatServiceError.malformed(operation, "the service sent a nextLink that is not a URL")
            }
            var path = components.percentEncodedPath
            if !path.hasPrefix("/") { path = endpoint.pathPrefix + "/" + path }
            let items = (components.percentEncodedQuery ?? "").split(separator: "&").filter {
                !$0.lowercased().hasPrefix("api-version=") && !$0.isEmpty
            }
            return ResolvedTarget(
                pathAndQuery: path + "?" + (items.map(String.init) + [versionItem]).joined(separator: "&")
            )
        }
    }

    // MARK: Retry-After

    /// Reads `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (seconds or an HTTP date).
    static func retryAfter(in headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        for name in ["retry-after-ms", "x-ms-retry-after-ms"] {
            if let value = headers.first(name: name),
                let milliseconds = Double(value.trimmingCharacters(in: .whitespaces)),
                milliseconds.isFinite, milliseconds >= 0
            {
                return .milliseconds(Int64(milliseconds.rounded(.up)))
            }
        }
        guard let value = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        if let date = ChatDateFormat.parseHTTPDate(value) {
            let seconds = max(0, date.timeIntervalSince(now))
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        return nil
    }
}
