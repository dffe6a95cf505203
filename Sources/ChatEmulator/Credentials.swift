import Crypto
import Foundation

/// Mints and checks the emulator's credentials: user tokens (JWT, HMAC-SHA256 with the access key) and
/// HMAC-signed identity requests (contract §9).
struct Credentials: Sendable {
    private let key: SymmetricKey

    /// Fails unless `accessKey` is standard base64 of at least 16 bytes.
    init(accessKey: String) throws {
        guard let data = Data(base64Encoded: accessKey), data.count >= 16 else {
            throw EmulatorError(
                code: .invalidConfiguration,
                message: "the access key must be standard base64 of at least 16 bytes"
            )
        }
        key = SymmetricKey(data: data)
    }

    static func generateAccessKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
    }

    // MARK: Tokens

    struct TokenClaims: Decodable {
        var skypeid: String
        var exp: Int64
        var gen: UInt32
    }

    /// A JWT whose payload segment has no `-` or `_`, because the Python SDK decodes it with standard base64.
    func mintToken(
        rawID: String,
        resourceID: String,
        scopes: [String],
        issuedAt: Int64,
        expiresAt: Int64,
        generation: UInt32
    ) -> String {
        let header = Self.base64URL(Data(#"{"alg":"HS256","kid":"1","typ":"JWT"}"#.utf8))
        let skypeID = rawID.hasPrefix("8:") ? String(rawID.dropFirst(2)) : rawID
        var nonce = 0
        var payload: String
        repeat {
            var json = JSONWriter()
            json.beginObject()
            json.field("skypeid", skypeID)
            json.key("scp")
            json.integer(1792)
            json.field("csi", String(issuedAt))
            json.key("exp")
            json.integer(expiresAt)
            json.field("acsScope", scopes.joined(separator: ","))
            json.field("resourceId", resourceID)
            json.key("iat")
            json.integer(issuedAt)
            json.key("gen")
            json.integer(Int64(generation))
            if nonce > 0 {
                json.key("nonce")
                json.integer(Int64(nonce))
            }
            json.endObject()
            payload = Self.base64URL(Data(json.bytes))
            nonce += 1
        } while payload.contains("-") || payload.contains("_")
        let signingInput = header + "." + payload
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return signingInput + "." + Self.base64URL(Data(signature))
    }

    /// The claims of `token` when its signature is ours; expiry and revocation are the caller's to check.
    func verifiedClaims(of token: String) -> TokenClaims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count < 8192 else { return nil }
        let signingInput = String(parts[0]) + "." + String(parts[1])
        guard let signature = Self.decodeBase64URL(parts[2]),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(signingInput.utf8), using: key),
            let payload = Self.decodeBase64URL(parts[1])
        else { return nil }
        return try? JSONDecoder().decode(TokenClaims.self, from: payload)
    }

    // MARK: Identity request signatures

    enum SignatureCheck: Equatable {
        case valid
        case invalid(String)
    }

    /// Checks an identity request's `Authorization: HMAC-SHA256 SignedHeaders=…&Signature=…`.
    ///
    /// The host may be signed with or without a trailing `/` (the Python SDK signs what it was given), and
    /// `x-ms-date` must be within 15 minutes of `nowMs`.
    func checkSignature(
        method: String,
        pathAndQuery: String,
        host: String,
        headers: (String) -> String?,
        body: [UInt8],
        nowMs: Int64
    ) -> SignatureCheck {
        guard let authorization = headers("authorization"), authorization.hasPrefix("HMAC-SHA256 ") else {
            return .invalid("missing HMAC-SHA256 authorization")
        }
        var signedHeaders: [String] = []
        var signature: String?
        for item in authorization.dropFirst("HMAC-SHA256 ".count).split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            switch pair[0].trimmingCharacters(in: .whitespaces) {
            case "SignedHeaders": signedHeaders = pair[1].split(separator: ";").map { $0.lowercased() }
            case "Signature": signature = String(pair[1])
            default: break
            }
        }
        guard let signature, let signatureBytes = Data(base64Encoded: signature), !signedHeaders.isEmpty else {
            return .invalid("malformed HMAC-SHA256 authorization")
        }
        guard let date = headers("x-ms-date") ?? headers("date"), let dateMs = Timestamp.parseRFC1123(date) else {
            return .invalid("missing or malformed x-ms-date")
        }
        guard abs(dateMs - nowMs) <= 15 * 60 * 1000 else { return .invalid("x-ms-date is more than 15 minutes off") }
        let bodyHash = Data(SHA256.hash(data: body)).base64EncodedString()
        if let claimedHash = headers("x-ms-content-sha256"), claimedHash != bodyHash {
            return .invalid("x-ms-content-sha256 does not match the body")
        }
        for candidateHost in [host, host + "/"] {
            var values: [String] = []
            for name in signedHeaders {
                if name == "host" {
                    values.append(candidateHost)
                } else if let value = headers(name) {
                    values.append(value)
                } else {
                    return .invalid("a signed header is missing")
                }
            }
            let stringToSign = method.uppercased() + "\n" + pathAndQuery + "\n" + values.joined(separator: ";")
            if HMAC<SHA256>.isValidAuthenticationCode(
                signatureBytes,
                authenticating: Data(stringToSign.utf8),
                using: key
            ) {
                return .valid
            }
        }
        return .invalid("signature mismatch")
    }

    // MARK: base64url

    static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func decodeBase64URL(_ text: Substring) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }
}
