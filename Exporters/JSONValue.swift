import ArchiveModel
import Foundation

/// A JSON value built per record and written with sorted keys, so key order never depends on code order.
enum JSONValue: Sendable {
    case string(String)
    /// An RFC 3339 UTC time with milliseconds (`Timestamp.format`).
    case time(Date)
    case int(Int64)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func nullable(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    static func nullable(_ value: Int64?) -> JSONValue { value.map { .int($0) } ?? .null }
    static func count(_ value: Int) -> JSONValue { .int(Int64(value)) }

    /// Appends the value as UTF-8; `indent` nil writes compact JSON, otherwise pretty JSON at that depth.
    func write(to out: inout [UInt8], indent: Int?) {
        switch self {
        case .string(let value): JSONValue.appendString(value, to: &out)
        case .time(let date):
            out.append(0x22)
            Timestamp.append(date, to: &out)
            out.append(0x22)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .bool(let value): out.append(contentsOf: value ? JSONValue.trueBytes : JSONValue.falseBytes)
        case .null: out.append(contentsOf: JSONValue.nullBytes)
        case .array(let items):
            guard !items.isEmpty else {
                out.append(0x5B)
                out.append(0x5D)
                return
            }
            out.append(0x5B)
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(0x2C) }
                JSONValue.newline(&out, indent.map { $0 + 1 })
                item.write(to: &out, indent: indent.map { $0 + 1 })
            }
            JSONValue.newline(&out, indent)
            out.append(0x5D)
        case .object(let members): JSONValue.writeObject(members, extra: nil, to: &out, indent: indent)
        }
    }

    /// Writes an object whose `members` are sorted, merging `extra` in at its sorted position (no copy).
    static func writeObject(
        _ members: [(String, JSONValue)],
        extra: (String, JSONValue)?,
        to out: inout [UInt8],
        indent: Int?
    ) {
        guard !members.isEmpty || extra != nil else {
            out.append(0x7B)
            out.append(0x7D)
            return
        }
        out.append(0x7B)
        var first = true
        func member(_ key: String, _ value: JSONValue) {
            if !first { out.append(0x2C) }
            first = false
            newline(&out, indent.map { $0 + 1 })
            appendString(key, to: &out)
            out.append(0x3A)
            if indent != nil { out.append(0x20) }
            value.write(to: &out, indent: indent.map { $0 + 1 })
        }
        var pending = extra
        for (key, value) in sorted(members) {
            if let (extraKey, extraValue) = pending, less(extraKey, key) {
                member(extraKey, extraValue)
                pending = nil
            }
            member(key, value)
        }
        if let (extraKey, extraValue) = pending { member(extraKey, extraValue) }
        newline(&out, indent)
        out.append(0x7D)
    }

    /// Appends the value to a String (for small pretty fragments).
    func write(to out: inout String, indent: Int?) {
        var bytes: [UInt8] = []
        write(to: &bytes, indent: indent)
        out += String(decoding: bytes, as: UTF8.self)
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)

    /// Sorts by UTF-8 bytes, which is code point order: the order of Python's `sort_keys`. Records are built in
    /// that order already, so this is usually a single pass of comparisons.
    static func sorted(_ members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var isSorted = true
        for index in members.indices.dropFirst() where !less(members[index - 1].0, members[index].0) {
            isSorted = false
            break
        }
        return isSorted ? members : members.sorted { less($0.0, $1.0) }
    }

    /// Byte-wise `lhs < rhs` over UTF-8, with a contiguous fast path.
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                left.lexicographicallyPrecedes(right)
            }
        }
        if let result = fast ?? nil { return result }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(0x0A)
        for _ in 0..<indent {
            out.append(0x20)
            out.append(0x20)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `value` as a JSON string: only `"`, `\` and C0 controls are escaped; `/` and non-ASCII stay raw.
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                out.append(0x5C)
                switch byte {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: [
                        UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
                    ])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(0x22)
    }

    static func appendString(_ value: String, to out: inout String) {
        var bytes: [UInt8] = []
        appendString(value, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }
}
