/// CommonMark escaping for user text (formats.md §4.2): whatever the input, the result renders as the same
/// characters inside paragraphs (plus autolinks for http(s) URLs) and can never open a block or inline construct.
enum MarkdownText {
    /// Renders `text` as paragraphs: lines joined by hard breaks, runs of empty lines as paragraph breaks.
    /// Returns `nil` when `text` has no non-empty line.
    static func paragraphs(_ text: String) -> String? {
        let normalized = normalizeLineEnds(text)
        var paragraphs: [[Substring]] = []
        var current: [Substring] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        guard !paragraphs.isEmpty else { return nil }
        return paragraphs.map { lines in lines.map { escapeLine($0) }.joined(separator: "\\\n") }
            .joined(separator: "\n\n")
    }

    /// One line of text for a heading or list item: line breaks become spaces, outer blanks are dropped.
    static func inline(_ text: String) -> String {
        var flat = ""
        for scalar in normalizeLineEnds(text).unicodeScalars {
            flat.unicodeScalars.append(scalar == "\n" || scalar == "\t" ? " " : scalar)
        }
        let trimmed = flat.trimmingBlanks()
        return trimmed.isEmpty ? "" : escapeLine(Substring(trimmed))
    }

    /// A code span for identifiers: a fence longer than any backtick run inside, padded with spaces.
    static func codeSpan(_ text: String) -> String {
        var flat = ""
        for scalar in normalizeLineEnds(text).unicodeScalars {
            flat.unicodeScalars.append(scalar == "\n" ? " " : scalar)
        }
        var longest = 0
        var run = 0
        for scalar in flat.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        return fence + " " + flat + " " + fence
    }

    /// NUL becomes U+FFFD (CommonMark requires it); CRLF and CR become LF.
    static func normalizeLineEnds(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0 }) else { return text }
        var out = ""
        var previousCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r":
                out += "\n"
                previousCR = true
                continue
            case "\n" where previousCR: break
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
            previousCR = false
        }
        return out
    }

    private static let escaped: Set<Unicode.Scalar> = [
        "\\", "`", "*", "_", "[", "]", "<", ">", "&", "|", "~", "$", "#",
    ]
    private static let trailingURLPunctuation: Set<Unicode.Scalar> = [".", ",", ":", ";", "!", "?", "'", "\"", ")"]

    /// Escapes one line (no LF inside); leading and trailing blanks become character references.
    static func escapeLine(_ line: Substring) -> String {
        let scalars = Array(line.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
        while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        var out = ""
        for index in 0..<start { out += scalars[index] == " " ? "&#32;" : "&#9;" }
        // Line-start rules: list markers, setext underlines, thematic breaks, ordered lists.
        var index = start
        if index < end, scalars[index] == "-" || scalars[index] == "+" || scalars[index] == "=" {
            out += "\\"
            out.unicodeScalars.append(scalars[index])
            index += 1
        } else {
            var digitsEnd = index
            while digitsEnd < end, ("0"..."9").contains(scalars[digitsEnd]) { digitsEnd += 1 }
            if digitsEnd > index, digitsEnd < end, scalars[digitsEnd] == "." || scalars[digitsEnd] == ")" {
                for digit in scalars[index..<digitsEnd] { out.unicodeScalars.append(digit) }
                out += "\\"
                out.unicodeScalars.append(scalars[digitsEnd])
                index = digitsEnd + 1
            }
        }
        while index < end {
            let scalar = scalars[index]
            let atWordStart = index == start || !isASCIIAlphanumeric(scalars[index - 1])
            if atWordStart, let urlEnd = urlEnd(scalars, from: index, limit: end) {
                out += "<"
                for part in scalars[index..<urlEnd] { out.unicodeScalars.append(part) }
                out += ">"
                index = urlEnd
                continue
            }
            if scalar == ":", index + 2 < end, scalars[index + 1] == "/", scalars[index + 2] == "/" {
                out += "\\:"  // stops GFM linkify on other schemes
            } else if atWordStart, hasPrefix(scalars, "www.", at: index, limit: end) {
                out += "www\\."
                index += 4
                continue
            } else if escaped.contains(scalar) {
                out += "\\"
                out.unicodeScalars.append(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
            index += 1
        }
        for index in end..<scalars.count { out += scalars[index] == " " ? "&#32;" : "&#9;" }
        return out
    }

    /// The end of an http(s) URL starting at `index`: printable ASCII up to a blank or `<`/`>`, minus trailing
    /// sentence punctuation; `nil` if there is none.
    private static func urlEnd(_ scalars: [Unicode.Scalar], from index: Int, limit: Int) -> Int? {
        let schemeLength: Int
        if hasPrefix(scalars, "https://", at: index, limit: limit, caseInsensitive: true) {
            schemeLength = 8
        } else if hasPrefix(scalars, "http://", at: index, limit: limit, caseInsensitive: true) {
            schemeLength = 7
        } else {
            return nil
        }
        var end = index + schemeLength
        while end < limit, scalars[end].value > 0x20, scalars[end].value < 0x7F, scalars[end] != "<",
            scalars[end] != ">"
        {
            end += 1
        }
        var opens = 0
        var closes = 0
        for scalar in scalars[index..<end] {
            if scalar == "(" { opens += 1 }
            if scalar == ")" { closes += 1 }
        }
        while end > index + schemeLength, trailingURLPunctuation.contains(scalars[end - 1]) {
            if scalars[end - 1] == ")" {
                guard closes > opens else { break }
                closes -= 1
            }
            end -= 1
        }
        return end > index + schemeLength ? end : nil
    }

    private static func hasPrefix(
        _ scalars: [Unicode.Scalar],
        _ prefix: String,
        at index: Int,
        limit: Int,
        caseInsensitive: Bool = false
    ) -> Bool {
        var position = index
        for expected in prefix.unicodeScalars {
            guard position < limit else { return false }
            var actual = scalars[position]
            if caseInsensitive, ("A"..."Z").contains(actual), let lower = Unicode.Scalar(actual.value + 32) {
                actual = lower
            }
            guard actual == expected else { return false }
            position += 1
        }
        return true
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

extension String {
    /// Drops leading and trailing spaces and tabs only (other Unicode blanks are content).
    func trimmingBlanks() -> String {
        let scalars = Array(unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
        while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        var out = ""
        out.unicodeScalars.append(contentsOf: scalars[start..<end])
        return out
    }
}
