import HTMLSanitizer

/// An independent, strict reader of the sanitizer's output grammar: escaped text, allowlisted start and end tags
/// with double-quoted, validated attributes, properly nested. It shares no code with the sanitizer, so a bug there
/// cannot hide itself here. Returns the problems found (empty when the output is inside the allowlist).
enum OutputGrammar {
    static let voidElements: Set<String> = ["br", "hr", "img"]
    static let elements: Set<String> = [
        "p", "div", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "table",
        "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "b", "strong", "i", "em", "u", "s", "del", "ins",
        "sub", "sup", "small", "mark", "abbr", "cite", "q", "kbd", "samp", "var", "span", "code", "a", "br", "img",
    ]

    static func violations(in html: String) -> [String] {
        var problems: [String] = []
        var open: [String] = []
        let bytes = Array(html.utf8)
        var index = 0
        func fail(_ message: String) { problems.append("\(message) at byte \(index)") }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: ">"), UInt8(ascii: "\""):
                if bytes[index] == UInt8(ascii: ">") { fail("raw '>' in text") }
                index += 1
            case UInt8(ascii: "&"):
                guard let length = entityLength(bytes, index) else {
                    fail("raw '&' in text")
                    return problems
                }
                index += length
            case UInt8(ascii: "<"):
                guard let tag = readTag(bytes, &index) else {
                    fail("malformed tag")
                    return problems
                }
                if tag.isEnd {
                    guard open.last == tag.name else {
                        fail("end tag </\(tag.name)> does not match \(open.last ?? "nothing")")
                        return problems
                    }
                    open.removeLast()
                    continue
                }
                guard elements.contains(tag.name) else {
                    fail("element <\(tag.name)> is not allowlisted")
                    continue
                }
                problems += tag.attributes.compactMap { check(element: tag.name, $0.0, $0.1) }
                if !voidElements.contains(tag.name) { open.append(tag.name) }
            default:
                index += 1
            }
        }
        if !open.isEmpty { problems.append("unclosed elements \(open)") }
        return problems
    }

    private static func entityLength(_ bytes: [UInt8], _ index: Int) -> Int? {
        for entity in ["&amp;", "&lt;", "&gt;", "&quot;"] where bytes[index...].starts(with: entity.utf8) {
            return entity.utf8.count
        }
        return nil
    }

    private struct Tag {
        var name = ""
        var isEnd = false
        var attributes: [(String, String)] = []
    }

    /// Reads `<name a="v" …>` or `</name>`; nil on anything else.
    private static func readTag(_ bytes: [UInt8], _ index: inout Int) -> Tag? {
        var tag = Tag()
        var cursor = index + 1
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "/") {
            tag.isEnd = true
            cursor += 1
        }
        func word() -> String {
            let start = cursor
            while cursor < bytes.count,
                (bytes[cursor] >= 0x61 && bytes[cursor] <= 0x7A) || (bytes[cursor] >= 0x30 && bytes[cursor] <= 0x39)
                    || bytes[cursor] == UInt8(ascii: "-")
            {
                cursor += 1
            }
            return String(decoding: bytes[start..<cursor], as: UTF8.self)
        }
        tag.name = word()
        guard !tag.name.isEmpty else { return nil }
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " "), !tag.isEnd {
            cursor += 1
            let name = word()
            guard !name.isEmpty, cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "="),
                bytes[cursor + 1] == UInt8(ascii: "\"")
            else { return nil }
            cursor += 2
            var value: [UInt8] = []
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "\"") {
                switch bytes[cursor] {
                case UInt8(ascii: "<"), UInt8(ascii: ">"): return nil
                case UInt8(ascii: "&"):
                    guard let length = entityLength(bytes, cursor) else { return nil }
                    let entity = String(decoding: bytes[cursor..<(cursor + length)], as: UTF8.self)
                    value.append(["&amp;": 0x26, "&lt;": 0x3C, "&gt;": 0x3E, "&quot;": 0x22][entity]!)
                    cursor += length
                default:
                    value.append(bytes[cursor])
                    cursor += 1
                }
            }
            guard cursor < bytes.count else { return nil }
            cursor += 1
            tag.attributes.append((name, String(decoding: value, as: UTF8.self)))
        }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ">") else { return nil }
        index = cursor + 1
        return tag
    }

    private static let blocks: Set<String> = [
        "p", "div", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "caption",
        "thead", "tbody", "tfoot", "tr",
    ]

    /// nil when `name="value"` is allowed on `element`.
    private static func check(element: String, _ name: String, _ value: String) -> String? {
        let lowered = value.lowercased()
        let ok: Bool
        switch (element, name) {
        case ("a", "href"):
            ok =
                (lowered.hasPrefix("https://") || lowered.hasPrefix("http://") || lowered.hasPrefix("mailto:"))
                && !value.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F }
        case ("a", "rel"): ok = value == "noopener noreferrer nofollow"
        case ("img", "src"):
            ok = lowered.hasPrefix("https://") && !value.unicodeScalars.contains { $0.value < 0x21 }
        case ("img", "width"), ("img", "height"), ("td", "colspan"), ("td", "rowspan"), ("th", "colspan"),
            ("th", "rowspan"), ("ol", "start"), ("blockquote", "data-reply-to"):
            ok = !value.isEmpty && value.allSatisfy(\.isASCII) && value.allSatisfy(\.isNumber)
        case ("img", "alt"), (_, "title"): ok = !voidElements.contains(element) || element == "img"
        case ("img", "data-attachment-id"), ("span", "data-attachment-id"), ("span", "data-mention-id"):
            ok =
                !value.isEmpty
                && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ":._@-".contains($0)) }
        case ("span", "class"): ok = ["mention", "emoji", "attachment"].contains(value)
        case ("blockquote", "class"): ok = value == "reply"
        case ("pre", "class"), ("code", "class"): ok = value.hasPrefix("language-") && !value.contains(" ")
        case ("th", "scope"): ok = ["row", "col", "rowgroup", "colgroup"].contains(value)
        case (_, "dir"): ok = blocks.contains(element) && ["ltr", "rtl", "auto"].contains(value)
        default: ok = false
        }
        return ok ? nil : "attribute \(name)=\"\(value)\" not allowed on <\(element)>"
    }
}
