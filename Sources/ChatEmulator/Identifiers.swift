/// Makers of ids in the real service's formats.
enum Identifiers {
    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lower-case.
    static func uuid(using generator: inout some RandomNumberGenerator) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(
            separator: "-"
        )
    }

    /// An ACS user id: `8:acs:<resource>_<uuid>`.
    static func user(resourceID: String, using generator: inout some RandomNumberGenerator) -> String {
        "8:acs:\(resourceID)_\(uuid(using: &generator))"
    }

    /// A thread id: `19:<44 url-safe characters>@thread.v2`.
    static func thread(using generator: inout some RandomNumberGenerator) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let body = String((0..<44).map { _ in alphabet[Int.random(in: 0..<64, using: &generator)] })
        return "19:\(body)@thread.v2"
    }

    /// Whether `rawID` is a well-formed ACS user id (`8:acs:` then url-safe characters with one `_`).
    static func isWellFormedACSUser(_ rawID: String) -> Bool {
        guard rawID.hasPrefix("8:acs:") else { return false }
        let rest = rawID.utf8.dropFirst(6)
        guard !rest.isEmpty, rest.count <= 200 else { return false }
        return rest.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
