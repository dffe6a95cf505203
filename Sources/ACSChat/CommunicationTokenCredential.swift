import Foundation

/// Supplies the user access token (a JWT) that chat requests carry as `Authorization: Bearer …`.
///
/// A static credential returns its token until the token's `exp` passes, then throws a `.credential` error. A
/// refreshing credential calls `refresher` when fewer than 2 minutes remain (10 minutes with
/// `refreshProactively`), and `ChatClient` asks it to re-mint once when the service answers 401.
/// Only `exp` is read from the token; the signature and other claims are the service's business.
/// Isolation: an actor, so one credential can serve many concurrent requests; concurrent refreshes may overlap
/// and the last one wins.
public actor CommunicationTokenCredential {
    private struct CachedToken {
        var token: String
        var expiresOn: Date
    }

    private var cached: CachedToken?
    private let refresher: (@Sendable () async throws -> String)?
    private let refreshProactively: Bool

    /// A credential for one token that is never refreshed.
    /// - Throws: `ChatServiceError` with code `.credential` when `token` is not a JWT or has no numeric `exp`.
    public init(token: String) throws {
        cached = CachedToken(token: token, expiresOn: try Self.expiry(of: token))
        refresher = nil
        refreshProactively = false
    }

    /// A credential that mints tokens with `refresher`.
    ///
    /// - Parameters:
    ///   - initialToken: used until it nears expiry; ignored when it is not a JWT with a numeric `exp`.
    ///   - refreshProactively: refresh 10 minutes before expiry instead of 2.
    ///   - refresher: returns a fresh token, e.g. via `CommunicationIdentityClient.getToken(for:)`.
    public init(
        initialToken: String? = nil,
        refreshProactively: Bool = false,
        refresher: @escaping @Sendable () async throws -> String
    ) {
        cached = initialToken.flatMap { token in
            (try? Self.expiry(of: token)).map { CachedToken(token: token, expiresOn: $0) }
        }
        self.refresher = refresher
        self.refreshProactively = refreshProactively
    }

    /// A token that is valid now, refreshed first when needed.
    /// - Throws: `ChatServiceError` `.credential` when a static token has expired, or a refresh fails or yields an
    ///   unusable or already expired token. `CancellationError` when cancelled.
    public func token() async throws -> String {
        let margin: TimeInterval = refreshProactively ? 600 : 120
        let now = Date()
        if let cached {
            if refresher == nil {
                guard cached.expiresOn > now else {
                    throw ChatServiceError.credential(
                        "the static access token expired at \(ChatDateFormat.format(cached.expiresOn)); "
                            + "create a new credential or give it a refresher"
                    )
                }
                return cached.token
            }
            if cached.expiresOn.timeIntervalSince(now) > margin { return cached.token }
        }
        return try await refresh()
    }

    /// Re-mints the token after the service rejected it; false when there is no refresher to ask.
    public func refreshAfterUnauthorized() async throws -> Bool {
        guard refresher != nil else { return false }
        _ = try await refresh()
        return true
    }

    private func refresh() async throws -> String {
        guard let refresher else { throw ChatServiceError.credential("the credential has no token") }
        let token: String
        do {
            token = try await refresher()
        } catch let error as CancellationError {
            throw error
        } catch let error as ChatServiceError {
            throw error
        } catch {
            throw ChatServiceError.credential("the token refresher failed", underlying: error)
        }
        let expiresOn = try Self.expiry(of: token)
        guard expiresOn > Date() else {
            throw ChatServiceError.credential("the token refresher returned a token that has already expired")
        }
        cached = CachedToken(token: token, expiresOn: expiresOn)
        return token
    }

    /// The raw id of the user a token was issued to, from its `skypeid` claim (`acs:…` becomes `8:acs:…`); nil when
    /// the token is not a JWT or has no such claim. Nothing is verified: this is for labelling, not for trust.
    public static func subject(ofToken token: String) -> String? {
        guard let payload = try? payload(of: token),
            let claims = try? JSONDecoder().decode(JWTSubjectClaim.self, from: payload),
            let skypeID = claims.skypeid, !skypeID.isEmpty
        else { return nil }
        return skypeID.hasPrefix("8:") ? skypeID : "8:" + skypeID
    }

    /// Reads the `exp` claim (integer or fractional epoch seconds) from a JWT payload in base64url or base64.
    static func expiry(of token: String) throws -> Date {
        let payload = try payload(of: token)
        let claims: JWTExpiryClaim
        do {
            claims = try JSONDecoder().decode(JWTExpiryClaim.self, from: payload)
        } catch let error as JWTExpiryClaim.Problem {
            throw ChatServiceError.credential("the access token's \(error.rawValue)")
        } catch {
            throw ChatServiceError.credential("the access token's payload is not a JSON object")
        }
        return Date(timeIntervalSince1970: claims.exp)
    }
}

extension CommunicationTokenCredential {
    /// The decoded payload segment of a JWT, accepting base64url and standard base64, padded or not.
    fileprivate static func payload(of token: String) throws -> Data {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[1].isEmpty else {
            throw ChatServiceError.credential("the access token is not a JWT (expected header.payload.signature)")
        }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 = base64.trimmingCharacters(in: CharacterSet(charactersIn: "="))
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let payload = Data(base64Encoded: base64) else {
            throw ChatServiceError.credential("the access token's payload is not base64")
        }
        return payload
    }
}

private struct JWTSubjectClaim: Decodable {
    var skypeid: String?
}

/// The one claim the client needs for expiry.
private struct JWTExpiryClaim: Decodable {
    enum Problem: String, Error {
        case missing = "payload has no exp claim"
        case notNumber = "exp claim is not a number"
    }
    enum CodingKeys: String, CodingKey { case exp }
    var exp: Double

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.exp), try !container.decodeNil(forKey: .exp) else { throw Problem.missing }
        // `true` must not pass as 1: only real JSON numbers count.
        if (try? container.decode(Bool.self, forKey: .exp)) != nil { throw Problem.notNumber }
        guard let value = try? container.decode(Double.self, forKey: .exp), value.isFinite else {
            throw Problem.notNumber
        }
        exp = value
    }
}
