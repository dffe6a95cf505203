/// Checks link and image URLs the way a browser's URL parser would read them, and keeps only absolute
/// `http`, `https` and `mailto` URLs (images: `https` only).
///
/// The value comes from libxml2, so numeric character references are already decoded; HTML5-only named ones
/// (`&colon;`, `&Tab;`) are not, and their `&` keeps them from forming a scheme. Leading and trailing C0 controls
/// and spaces are stripped and every tab, LF and CR deleted (browsers do the same before parsing), then any other
/// control character rejects the URL. Relative and protocol-relative URLs are rejected: chat links are absolute.
/// The result is normalised (scheme in lower case, spaces as `%20`), and normalising it again changes nothing.
enum URLRule {
    static let maximumLength = 8192

    static func link(_ value: String) -> String? { normalize(value, schemes: ["http", "https", "mailto"]) }

    static func image(_ value: String) -> String? { normalize(value, schemes: ["https"]) }

    static func normalize(_ value: String, schemes: Set<String>) -> String? {
        var scalars = Array(value.unicodeScalars)
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard !scalars.isEmpty, scalars.count <= maximumLength else { return nil }
        guard !scalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) }) else {
            return nil
        }
        guard let colon = scalars.firstIndex(of: ":"), colon > 0, scalars[0].isASCIILetter else { return nil }
        var scheme = ""
        for scalar in scalars[..<colon] {
            guard
                scalar.isASCIILetter || ("0"..."9").contains(scalar) || scalar == "+" || scalar == "." || scalar == "-"
            else { return nil }
            scheme.unicodeScalars.append(scalar)
        }
        scheme = scheme.lowercased()
        guard schemes.contains(scheme) else { return nil }
        let rest = scalars[(colon + 1)...]
        if scheme == "mailto" {
            guard !rest.isEmpty else { return nil }
        } else {
            // `//host…`: the authority (after any user info) must name a host.
            guard rest.starts(with: "//".unicodeScalars) else { return nil }
            let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != "\\" }
            let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? []
            let host = hostAndPort.prefix { $0 != ":" }
            guard !host.isEmpty else { return nil }
        }
        var result = scheme + ":"
        for scalar in rest {
            if scalar == " " {
                result += "%20"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
