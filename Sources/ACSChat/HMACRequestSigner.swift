import Crypto
import Foundation

/// Signs identity requests with an ACS access key, as the service's `HMAC-SHA256` scheme expects.
///
/// The string to sign is `VERB\nPATH_AND_QUERY\nDATE;HOST;CONTENT_HASH`, where the path and query are exactly as
/// sent (percent-encoded) and the host is `host[:port]` of the endpoint. The key never leaves this value: its
/// `description` is redacted.
/// See https://learn.microsoft.com/azure/communication-services/tutorials/hmac-header-tutorial
public struct HMACRequestSigner: Sendable {
    /// The headers to add to a signed request.
    public struct SignedHeaders: Sendable, Hashable {
        /// `x-ms-date`
        public var date: String
        /// `x-ms-content-sha256`
        public var contentHash: String
        /// `Authorization`
        public var authorization: String
    }

    private let key: SymmetricKey

    /// - Throws: `ChatServiceError` `.invalidArgument` when `accessKey` is not base64 (the key is not echoed).
    public init(accessKey: String) throws {
        guard let bytes = Data(base64Encoded: accessKey), !bytes.isEmpty else {
            throw ChatServiceError.invalidArgument("connection string", "the access key is not valid base64")
        }
        key = SymmetricKey(data: bytes)
    }

    /// Signs one request.
    /// - Parameters:
    ///   - method: the HTTP method, any case.
    ///   - pathAndQuery: the request target exactly as sent (percent-encoded),
    ///     e.g. `/identities/8%3Aacs%3Ar_u/:issueAccessToken?api-version=2023-10-01`.
    ///   - host: `host[:port]`, as in the `Host` header.
    ///   - date: the `x-ms-date` value (RFC 1123, see `ChatDateFormat.httpDate`).
    ///   - body: the body bytes exactly as sent; empty for none.
    public func sign(
        method: String,
        pathAndQuery: String,
        host: String,
        date: String,
        body: some Sequence<UInt8>
    ) -> SignedHeaders {
        let contentHash = Data(SHA256.hash(data: Array(body))).base64EncodedString()
        let stringToSign = "\(method.uppercased())\n\(pathAndQuery)\n\(date);\(host);\(contentHash)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)
        let signature = Data(mac).base64EncodedString()
        return SignedHeaders(
            date: date,
            contentHash: contentHash,
            authorization: "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=\(signature)"
        )
    }
}

extension HMACRequestSigner: CustomStringConvertible {
    public var description: String { "HMACRequestSigner(key: <redacted>)" }
}
