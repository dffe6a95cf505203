import Foundation

/// A parsed JSON text (RFC 8259): the input bytes plus a flat tape of nodes in document order.
///
/// Parsing validates everything up front — grammar, UTF-8 (no overlong forms, no encoded surrogates), escapes and
/// surrogate pairs — but converts nothing: a node only records where its text lies, and `JSONValue` converts the
/// strings and numbers a decoder asks for. A container node records where its subtree ends, so skipping a value
/// is one step. Immutable once built; response decoding uses it instead of `JSONDecoder`, which spent most of its
/// time in keyed-container and existential machinery.
///
/// Choices the RFC leaves open: a lone surrogate escape (`"\uD800"`) is an error; a leading UTF-8 byte order mark
/// is skipped; nesting deeper than `maxDepth` is an error (the parser is iterative, so depth costs no stack).
final class JSONDocument: Sendable {
    enum Kind: UInt8 {
        case object, array, string, escapedString, number, `true`, `false`, null
    }

    /// 16 bytes: offsets and counts fit in 32 bits because `init(parsing:)` refuses inputs of 4 GiB or more.
    struct Node {
        var kind: Kind
        private var storedStart: UInt32
        private var storedEnd: UInt32
        private var storedCount: UInt32

        init(kind: Kind, start: Int, end: Int, count: Int) {
            self.kind = kind
            storedStart = UInt32(truncatingIfNeeded: start)
            storedEnd = UInt32(truncatingIfNeeded: end)
            storedCount = UInt32(truncatingIfNeeded: count)
        }

        /// Strings: the first byte after the opening quote. Numbers: the first byte. Containers: unused.
        var start: Int { Int(storedStart) }
        /// Strings: the closing quote. Numbers: one past the last byte. Containers: the next node after the subtree.
        var end: Int {
            get { Int(storedEnd) }
            set { storedEnd = UInt32(truncatingIfNeeded: newValue) }
        }
        /// Containers: the number of elements or members.
        var count: Int {
            get { Int(storedCount) }
            set { storedCount = UInt32(truncatingIfNeeded: newValue) }
        }
    }

    static let maxDepth = 512

    let bytes: [UInt8]
    let nodes: [Node]

    /// Parses `bytes`; throws a `.syntax` error naming the first offending byte offset.
    init(parsing bytes: [UInt8]) throws(WireDecodingError) {
        guard bytes.count < Int(UInt32.max) else {
            throw WireDecodingError(node: nil, problem: .syntax("the document is too large", offset: 0))
        }
        self.bytes = bytes
        nodes = try bytes.withUnsafeBufferPointer { input throws(WireDecodingError) in
            var parser = JSONParser(input: input)
            return try parser.parse()
        }
    }

    /// The root value.
    var root: JSONValue { JSONValue(document: self, index: 0) }

    /// The index of the node after the subtree at `index`.
    func next(after index: Int) -> Int {
        let node = nodes[index]
        return node.kind == .object || node.kind == .array ? node.end : index + 1
    }

    /// The decoded text of the string node at `index` (a key or a value).
    func string(at index: Int) -> String {
        let node = nodes[index]
        return bytes.withUnsafeBufferPointer { buffer in
            let raw = UnsafeBufferPointer(rebasing: buffer[node.start..<node.end])
            if node.kind == .string { return String(decoding: raw, as: UTF8.self) }
            return unescape(raw)
        }
    }

    /// Whether the string node at `index` is exactly `key`, compared byte by byte without building a `String`.
    func string(at index: Int, equals key: StaticString) -> Bool {
        let node = nodes[index]
        guard node.kind == .string else {
            return node.kind == .escapedString && string(at: index) == key.description
        }
        let length = node.end - node.start
        guard length == key.utf8CodeUnitCount else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            length == 0 || memcmp(buffer.baseAddress! + node.start, key.utf8Start, length) == 0
        }
    }

    /// How to reach the node at `target` from the root, as `value[3].createdOn` (empty for the root).
    func path(to target: Int) -> String {
        var path = ""
        var current = 0
        while current != target, current < nodes.count {
            let node = nodes[current]
            var child = current + 1
            if node.kind == .array {
                var position = 0
                while next(after: child) <= target {
                    child = next(after: child)
                    position += 1
                }
                path += "[\(position)]"
            } else if node.kind == .object {
                while next(after: child + 1) <= target { child = next(after: child + 1) }
                let key = string(at: child)
                // Keys come from the service: keep them short and on one line in messages.
                let shown = key.unicodeScalars.prefix(64).map {
                    $0.properties.generalCategory == .control ? "?" : "\($0)"
                }
                path += (path.isEmpty ? "" : ".") + shown.joined() + (key.unicodeScalars.count > 64 ? "…" : "")
                child += 1
            } else {
                break
            }
            current = child
        }
        return path
    }
}

/// Resolves the escapes of a string body the parser already validated, writing straight into the new String's
/// storage: an escape is never shorter than the UTF-8 it stands for, so `raw.count` bytes always suffice.
private func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: raw.count) { output in
        var index = 0
        var written = 0
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for byte in raw[at..<at + 4] { value = value << 4 | UInt32(hexValue(byte)!) }
            return value
        }
        func write(_ byte: UInt8) {
            output[written] = byte
            written += 1
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                write(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): write(0x08)
            case UInt8(ascii: "f"): write(0x0C)
            case UInt8(ascii: "n"): write(0x0A)
            case UInt8(ascii: "r"): write(0x0D)
            case UInt8(ascii: "t"): write(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {  // validated: a low surrogate escape follows
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4(index + 2) - 0xDC00)
                    index += 6
                }
                for unit in UTF8.encode(Unicode.Scalar(scalar)!)! { write(unit) }
            default: write(escape)  // `"`, `\\` and `/` stand for themselves
            }
        }
        return written
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

/// The single pass that validates a document and builds its tape. Iterative: open containers live in `open`.
private struct JSONParser {
    typealias Node = JSONDocument.Node

    let input: UnsafeBufferPointer<UInt8>
    var offset = 0
    var nodes: [Node] = []
    var open: [Int] = []  // tape indices of the containers being filled, innermost last

    init(input: UnsafeBufferPointer<UInt8>) {
        self.input = input
    }

    mutating func parse() throws(WireDecodingError) -> [Node] {
        nodes.reserveCapacity(input.count / 12 + 1)  // about one node per dozen bytes in service responses
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
        var expectingValue = true
        while true {
            skipWhitespace()
            if expectingValue {
                guard offset < input.count else { throw error("unexpected end of input") }
                switch input[offset] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = input[offset] == UInt8(ascii: "{")
                    guard open.count < JSONDocument.maxDepth else {
                        throw error("nesting deeper than \(JSONDocument.maxDepth) levels")
                    }
                    open.append(nodes.count)
                    nodes.append(Node(kind: isObject ? .object : .array, start: offset, end: 0, count: 0))
                    offset += 1
                    skipWhitespace()
                    if offset < input.count, input[offset] == UInt8(ascii: isObject ? "}" : "]") {
                        offset += 1
                        closeContainer()
                        expectingValue = false
                    } else if isObject {
                        try parseKey()
                    }
                    continue
                case UInt8(ascii: "\""): try parseString()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
                case UInt8(ascii: "t"): try parseLiteral("true", .true)
                case UInt8(ascii: "f"): try parseLiteral("false", .false)
                case UInt8(ascii: "n"): try parseLiteral("null", .null)
                default: throw error("unexpected byte")
                }
                expectingValue = false
                continue
            }
            // A value just ended: it belongs to the innermost open container, if any.
            guard let container = open.last else { break }
            nodes[container].count += 1
            let isObject = nodes[container].kind == .object
            guard offset < input.count else { throw error("unexpected end of input") }
            switch input[offset] {
            case UInt8(ascii: ","):
                offset += 1
                if isObject {
                    skipWhitespace()
                    try parseKey()
                }
                expectingValue = true
            case UInt8(ascii: isObject ? "}" : "]"):
                offset += 1
                closeContainer()
            default:
                throw error(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
        guard offset == input.count else { throw error("unexpected data after the JSON value") }
        return nodes
    }

    private mutating func closeContainer() {
        nodes[open.removeLast()].end = nodes.count
    }

    /// A member name, the colon, and the whitespace before the value.
    private mutating func parseKey() throws(WireDecodingError) {
        guard offset < input.count, input[offset] == UInt8(ascii: "\"") else { throw error("expected a member name") }
        try parseString()
        skipWhitespace()
        guard offset < input.count, input[offset] == UInt8(ascii: ":") else { throw error("expected ':'") }
        offset += 1
    }

    private mutating func skipWhitespace() {
        while offset < input.count {
            switch input[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    private mutating func parseLiteral(_ text: StaticString, _ kind: JSONDocument.Kind) throws(WireDecodingError) {
        let length = text.utf8CodeUnitCount
        guard input.count - offset >= length, memcmp(input.baseAddress! + offset, text.utf8Start, length) == 0 else {
            throw error("invalid literal")
        }
        nodes.append(Node(kind: kind, start: offset, end: offset + length, count: 0))
        offset += length
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; anything else (`01`, `-`, `1.`, `NaN`) fails here or
    /// at the byte that follows.
    private mutating func parseNumber() throws(WireDecodingError) {
        let start = offset
        if input[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < input.count, isDigit(input[offset]) else { throw error("expected a digit") }
        if input[offset] == UInt8(ascii: "0") { offset += 1 } else { skipDigits() }
        if offset < input.count, input[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < input.count, isDigit(input[offset]) else { throw error("expected a digit") }
            skipDigits()
        }
        if offset < input.count, input[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < input.count, input[offset] == UInt8(ascii: "+") || input[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard offset < input.count, isDigit(input[offset]) else { throw error("expected a digit") }
            skipDigits()
        }
        nodes.append(Node(kind: .number, start: start, end: offset, count: 0))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func skipDigits() {
        while offset < input.count, isDigit(input[offset]) { offset += 1 }
    }

    private mutating func parseString() throws(WireDecodingError) {
        offset += 1  // the opening quote
        let start = offset
        var escaped = false
        while true {
            // Fast paths: printable ASCII other than the quote and the backslash, eight bytes at a time, then one.
            while input.count - offset >= 8,
                !mayNeedAttention(UnsafeRawPointer(input.baseAddress! + offset).loadUnaligned(as: UInt64.self))
            {
                offset += 8
            }
            while offset < input.count {
                let byte = input[offset]
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
                offset += 1
            }
            guard offset < input.count else { throw error("unterminated string") }
            let byte = input[offset]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                try skipEscape()
            } else if byte < 0x20 {
                throw error("unescaped control character in a string")
            } else {
                try skipUTF8Sequence()
            }
        }
        nodes.append(Node(kind: escaped ? .escapedString : .string, start: start, end: offset, count: 0))
        offset += 1  // the closing quote
    }

    /// Whether any byte of `word` may be a quote, a backslash, a control character or non-ASCII (the SWAR "has a
    /// byte less than n" trick; it can report false positives, after which the byte loop decides, but never misses).
    private func mayNeedAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroOrControl = (quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) & ~word
        return (zeroOrControl | word) & (ones &* 0x80) != 0
    }

    private mutating func skipEscape() throws(WireDecodingError) {
        guard offset + 1 < input.count else { throw error("unterminated string") }
        switch input[offset + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 2
        case UInt8(ascii: "u"):
            let unit = try hexEscape(at: offset)
            offset += 6
            if (0xDC00...0xDFFF).contains(unit) { throw error("unpaired low surrogate escape") }
            if (0xD800...0xDBFF).contains(unit) {
                guard offset + 1 < input.count, input[offset] == UInt8(ascii: "\\"),
                    input[offset + 1] == UInt8(ascii: "u"), (0xDC00...0xDFFF).contains(try hexEscape(at: offset))
                else { throw error("unpaired high surrogate escape") }
                offset += 6
            }
        default:
            throw error("invalid escape")
        }
    }

    /// The code unit of the `\uXXXX` escape at `at`.
    private func hexEscape(at: Int) throws(WireDecodingError) -> UInt32 {
        guard input.count - at >= 6 else { throw error("unterminated string") }
        var value: UInt32 = 0
        for index in at + 2..<at + 6 {
            guard let digit = hexValue(input[index]) else { throw error("invalid \\u escape") }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// One multi-byte UTF-8 sequence, strictly per Unicode table 3-7: no overlong forms, no surrogates, ≤ U+10FFFF.
    private mutating func skipUTF8Sequence() throws(WireDecodingError) {
        let lead = input[offset]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: throw error("invalid UTF-8")
        }
        guard input.count - offset >= length, second.contains(input[offset + 1]) else {
            throw error("invalid UTF-8")
        }
        for index in offset + 2..<offset + length where input[index] & 0xC0 != 0x80 {
            throw error("invalid UTF-8")
        }
        offset += length
    }

    private func error(_ reason: String) -> WireDecodingError {
        WireDecodingError(node: nil, problem: .syntax(reason, offset: offset))
    }
}
