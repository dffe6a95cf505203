/// The message bytes as handed to libxml2: `<html><body>` + the message with every tag rewritten canonically.
///
/// libxml2 2.9.14 checks each new attribute against all earlier ones of the same tag, so one tag with many
/// attributes is quadratic (20,000 attributes took 5 s). This pass finds every place where libxml2 could start a
/// tag (`<` or `</` followed by a name character, wherever it occurs) and rewrites it as `<name a="v"…>` with at most
/// ``maximumAttributes`` attributes, quoted values that hold no `<`, `>` or `"`, and end tags as `</name>`. After it
/// every tag libxml2 reads is one of ours and ends at its first `>`, whatever libxml2 thinks of comments or raw text.
/// It also replaces NUL and other C0 controls (libxml2 truncates the document at NUL) with U+FFFD and form feed
/// with a space. Meaning is kept for libxml2: values keep their entity references and our escapes decode back.
struct PreparedInput {
    static let prefix: [UInt8] = Array("<html><body>".utf8)
    static let maximumAttributes = 32

    var buffer: [UInt8]
    var isTruncated = false

    init(_ input: UnsafeBufferPointer<UInt8>, limit: Int) {
        var count = input.count
        if count > limit {
            count = limit
            while count > 0 && input[count] & 0xC0 == 0x80 { count -= 1 }  // cut at a character boundary
            isTruncated = true
        }
        buffer = []
        buffer.reserveCapacity(count + count / 8 + Self.prefix.count + 16)
        buffer.append(contentsOf: Self.prefix)
        var rewriter = Rewriter(input: UnsafeBufferPointer(rebasing: input[0..<count]))
        rewriter.run(into: &buffer)
    }
}

private struct Rewriter {
    let input: UnsafeBufferPointer<UInt8>
    var index = 0

    mutating func run(into out: inout [UInt8]) {
        let end = input.count
        while index < end {
            // Copy ordinary bytes in bulk: only `<` and control characters need a look.
            var runEnd = index
            while runEnd < end {
                let byte = input[runEnd]
                if byte == UInt8(ascii: "<") || (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) { break }
                runEnd += 1
            }
            if runEnd > index {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<runEnd]))
                index = runEnd
                continue
            }
            let byte = input[index]
            if byte == UInt8(ascii: "<"), index + 1 < end {
                let next = input[index + 1]
                if next.isNameStart {
                    startTag(into: &out)
                    continue
                }
                if next == UInt8(ascii: "/"), index + 2 < end, input[index + 2].isNameStart {
                    endTag(into: &out)
                    continue
                }
            }
            out.appendSafe(byte)
            index += 1
        }
    }

    /// `</name …>`: libxml2 reads the name, then skips to the first `>`; an end tag cut by the end of input is dropped.
    private mutating func endTag(into out: inout [UInt8]) {
        let nameStart = index + 2
        var cursor = nameStart
        while cursor < input.count, input[cursor].isNameCharacter { cursor += 1 }
        let nameEnd = cursor
        while cursor < input.count, input[cursor] != UInt8(ascii: ">") { cursor += 1 }
        guard cursor < input.count else {
            index = input.count
            return
        }
        out.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
        out.append(contentsOf: UnsafeBufferPointer(rebasing: input[nameStart..<nameEnd]))
        out.append(UInt8(ascii: ">"))
        index = cursor + 1
    }

    /// `<name attributes… >` following libxml2's `htmlParseStartTag` grammar. A tag cut by the end of input is
    /// dropped with the rest of the input, as browsers do (eof-in-tag).
    private mutating func startTag(into out: inout [UInt8]) {
        let mark = out.count
        var cursor = index + 1
        let nameStart = cursor
        while cursor < input.count, input[cursor].isNameCharacter { cursor += 1 }
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: input[nameStart..<cursor]))
        var attributes = 0
        while true {
            while cursor < input.count, input[cursor].isBlank { cursor += 1 }
            guard cursor < input.count else { break }
            let byte = input[cursor]
            if byte == UInt8(ascii: ">") {
                out.append(byte)
                index = cursor + 1
                return
            }
            if byte == UInt8(ascii: "/"), cursor + 1 < input.count, input[cursor + 1] == UInt8(ascii: ">") {
                out.append(contentsOf: [UInt8(ascii: "/"), UInt8(ascii: ">")])
                index = cursor + 2
                return
            }
            guard byte.isNameStart else {
                // A bogus attribute: libxml2 skips to the next blank or the end of the tag.
                while cursor < input.count, !input[cursor].isBlank, input[cursor] != UInt8(ascii: ">"),
                    !(input[cursor] == UInt8(ascii: "/") && cursor + 1 < input.count
                        && input[cursor + 1] == UInt8(ascii: ">"))
                {
                    cursor += 1
                }
                continue
            }
            let attributeStart = cursor
            while cursor < input.count, input[cursor].isNameCharacter { cursor += 1 }
            let attributeEnd = cursor
            while cursor < input.count, input[cursor].isBlank { cursor += 1 }
            var value: Range<Int>?
            if cursor < input.count, input[cursor] == UInt8(ascii: "=") {
                cursor += 1
                while cursor < input.count, input[cursor].isBlank { cursor += 1 }
                if cursor < input.count, input[cursor] == UInt8(ascii: "\"") || input[cursor] == UInt8(ascii: "'") {
                    let quote = input[cursor]
                    var close = cursor + 1
                    while close < input.count, input[close] != quote { close += 1 }
                    guard close < input.count else { break }
                    value = (cursor + 1)..<close
                    cursor = close + 1
                } else {
                    let valueStart = cursor
                    while cursor < input.count, !input[cursor].isBlank, input[cursor] != UInt8(ascii: ">") {
                        cursor += 1
                    }
                    value = valueStart..<cursor
                }
            }
            attributes += 1
            guard attributes <= PreparedInput.maximumAttributes else { continue }
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[attributeStart..<attributeEnd]))
            if let value {
                out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
                for byte in input[value] {
                    switch byte {
                    case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                    case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                    case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                    default: out.appendSafe(byte)
                    }
                }
                out.append(UInt8(ascii: "\""))
            }
        }
        // End of input inside the tag.
        out.removeSubrange(mark...)
        index = input.count
    }
}

extension UInt8 {
    /// A byte that can start a tag or attribute name for libxml2 (`htmlParseHTMLName`).
    fileprivate var isNameStart: Bool {
        (self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "z") || self == UInt8(ascii: "_")
            || self == UInt8(ascii: ":") || self == UInt8(ascii: ".")
    }

    fileprivate var isNameCharacter: Bool {
        isNameStart || (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || self == UInt8(ascii: "-")
    }

    /// libxml2's `IS_BLANK_CH` (form feed is already a space here).
    fileprivate var isBlank: Bool {
        self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D || self == 0x0C
    }
}

extension [UInt8] {
    /// Appends a byte of the message, replacing NUL and C0 controls other than tab, LF and CR.
    fileprivate mutating func appendSafe(_ byte: UInt8) {
        if byte >= 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            append(byte)
        } else if byte == 0x0C {
            append(0x20)
        } else {
            append(contentsOf: [0xEF, 0xBF, 0xBD])
        }
    }
}
