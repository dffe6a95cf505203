import Foundation

/// A validated endpoint: `origin` ("https://host:port"), `pathPrefix` ("" or "/prefix") and `hostHeader`
/// ("host:port" as given, which HMAC signs).
struct ServiceEndpoint: Sendable, Hashable {
    var origin: String
    var pathPrefix: String
    var hostHeader: String

    init(url: URL) throws {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            var host = components.percentEncodedHost, !host.isEmpty
        else {
            throw ChatServiceError.invalidArgument("client setup", "the endpoint must be an http(s) URL with a host")
        }
        guard components.user == nil, components.password == nil else {
            throw ChatServiceError.invalidArgument("client setup", "the endpoint must not contain user information")
        }
        if host.contains(":"), !host.hasPrefix("[") { host = "[\(host)]" }
        let authority = components.port.map { "\(host):\($0)" } ?? host
        origin = "\(scheme)://\(authority)"
        hostHeader = authority
        var prefix = components.percentEncodedPath
        while prefix.hasSuffix("/") { prefix.removeLast() }
        pathPrefix = prefix
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (path segments and query values).
func percentEncode(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            result.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = Array("0123456789ABCDEF".utf8)
            result += "%"
            result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
            result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
        }
    }
    return result
}
