import Foundation

/// A wire type that decodes itself from a parsed response body.
///
/// Conformers read fields with `JSONObject.required(_:)` and `optional(_:)`; unknown keys are ignored, `null`
/// counts as absent for optional fields, and a wrong type is an error that names its path.
protocol WireDecodable {
    init(json: JSONValue) throws(WireDecodingError)
}

extension WireDecodable {
    /// Parses and decodes a whole body.
    init(jsonBytes bytes: [UInt8]) throws(WireDecodingError) {
        let document = try JSONDocument(parsing: bytes)
        do {
            try self.init(json: document.root)
        } catch {
            var error = error
            error.path = error.node.map(document.path(to:))
            throw error
        }
    }
}

/// Why a response body could not be decoded. `node` is the tape index where decoding failed; `path` is filled in
/// from it when the error leaves the document (paths are only worked out on failure).
struct WireDecodingError: Error, Sendable {
    enum Problem: Sendable {
        case syntax(String, offset: Int)
        case missingField(String)
        case wrongType(expected: String)
        case null(expected: String)
        case invalidValue(String)
    }

    var node: Int?
    var problem: Problem
    var path: String?

    init(node: Int?, problem: Problem) {
        self.node = node
        self.problem = problem
    }

    /// One line for `ChatServiceError.message`: the problem and where, never the offending value.
    var message: String {
        let location = path.flatMap { $0.isEmpty ? nil : $0 } ?? "top level"
        switch problem {
        case .syntax(let reason, let offset): return "not valid JSON or not UTF-8 (\(reason), at byte \(offset))"
        case .missingField(let key):
            return "missing field \(location == "top level" ? key : location + "." + key)"
        case .wrongType(let expected): return "wrong type at \(location) (expected \(expected))"
        case .null(let expected): return "null at \(location) (expected \(expected))"
        case .invalidValue(let reason): return "invalid value at \(location): \(reason)"
        }
    }
}

/// One value in a `JSONDocument`. A cheap view: the document plus a tape index.
struct JSONValue {
    let document: JSONDocument
    let index: Int

    var kind: JSONDocument.Kind { document.nodes[index].kind }
    var isNull: Bool { kind == .null }

    func error(_ problem: WireDecodingError.Problem) -> WireDecodingError {
        WireDecodingError(node: index, problem: problem)
    }

    /// Fails with a type error, or a null error when the value is `null`.
    func mismatch(expected: String) -> WireDecodingError {
        error(isNull ? .null(expected: expected) : .wrongType(expected: expected))
    }

    func object() throws(WireDecodingError) -> JSONObject {
        guard kind == .object else { throw mismatch(expected: "an object") }
        return JSONObject(document: document, index: index)
    }

    func array() throws(WireDecodingError) -> JSONArray {
        guard kind == .array else { throw mismatch(expected: "an array") }
        return JSONArray(document: document, index: index)
    }

    func string() throws(WireDecodingError) -> String {
        guard kind == .string || kind == .escapedString else { throw mismatch(expected: "a string") }
        return document.string(at: index)
    }

    /// The raw UTF-8 of an escape-free string, without building a `String`; nil for anything else.
    func withUnescapedUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let node = document.nodes[index]
        guard node.kind == .string else { return nil }
        return document.bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[node.start..<node.end])) }
    }

    func bool() throws(WireDecodingError) -> Bool {
        switch kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(expected: "a boolean")
        }
    }

    /// The number's source text, as written.
    func numberText() throws(WireDecodingError) -> String {
        guard kind == .number else { throw mismatch(expected: "a number") }
        let node = document.nodes[index]
        return String(decoding: document.bytes[node.start..<node.end], as: UTF8.self)
    }

    func double() throws(WireDecodingError) -> Double {
        guard let value = Double(try numberText()), value.isFinite else {
            throw error(.invalidValue("the number is out of range"))
        }
        return value
    }

    /// An integer; `30.0` and `3e1` count, `30.5` and values beyond 64 bits do not.
    func int() throws(WireDecodingError) -> Int {
        let text = try numberText()
        if let value = Int(text) { return value }
        guard let value = Double(text), value.rounded() == value, let exact = Int(exactly: value) else {
            throw error(.invalidValue("expected an integer that fits in 64 bits"))
        }
        return exact
    }
}

/// The members of an object value. Lookups scan the members, so duplicate keys resolve to the last one.
struct JSONObject {
    let document: JSONDocument
    let index: Int

    var count: Int { document.nodes[index].count }

    /// The value for `key`, or nil when the key is absent.
    func value(_ key: StaticString) -> JSONValue? {
        // The hot loop of response decoding: every field lookup scans the members, so it stays on raw buffers and
        // rejects most keys by length before touching their bytes.
        let length = key.utf8CodeUnitCount
        let found = document.nodes.withUnsafeBufferPointer { nodes in
            document.bytes.withUnsafeBufferPointer { bytes in
                var found: Int?
                var member = index + 1
                for _ in 0..<nodes[index].count {
                    let name = nodes[member]
                    if name.kind == .string {
                        if name.end - name.start == length,
                            length == 0 || memcmp(bytes.baseAddress! + name.start, key.utf8Start, length) == 0
                        {
                            found = member + 1
                        }
                    } else if name.end - name.start >= length, name.end - name.start <= 6 * length,
                        document.string(at: member) == key.description
                    {  // an escaped name: rare, and its escaped length bounds what it can match
                        found = member + 1
                    }
                    let value = nodes[member + 1]
                    member = value.kind == .object || value.kind == .array ? value.end : member + 2
                }
                return found
            }
        }
        return found.map { JSONValue(document: document, index: $0) }
    }

    /// Decodes a field that must be present and not `null`.
    func required<T: WireDecodable>(_ key: StaticString, as type: T.Type = T.self) throws(WireDecodingError) -> T {
        guard let value = value(key) else {
            throw WireDecodingError(node: index, problem: .missingField(key.description))
        }
        return try T(json: value)
    }

    /// Decodes a field that may be absent or `null`.
    func optional<T: WireDecodable>(_ key: StaticString, as type: T.Type = T.self) throws(WireDecodingError) -> T? {
        guard let value = value(key), !value.isNull else { return nil }
        return try T(json: value)
    }

    /// Calls `body` with each member in document order (duplicates included).
    func forEachMember(_ body: (String, JSONValue) throws(WireDecodingError) -> Void) throws(WireDecodingError) {
        var member = index + 1
        for _ in 0..<count {
            try body(document.string(at: member), JSONValue(document: document, index: member + 1))
            member = document.next(after: member + 1)
        }
    }
}

/// The elements of an array value, in order.
struct JSONArray: Sequence {
    let document: JSONDocument
    let index: Int

    var count: Int { document.nodes[index].count }

    func makeIterator() -> Iterator {
        Iterator(document: document, position: index + 1, remaining: count)
    }

    struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var position: Int
        var remaining: Int

        mutating func next() -> JSONValue? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            defer { position = document.next(after: position) }
            return JSONValue(document: document, index: position)
        }
    }
}

// MARK: Standard types

extension String: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) { self = try json.string() }
}

extension Bool: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) { self = try json.bool() }
}

extension Int: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) { self = try json.int() }
}

extension Double: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) { self = try json.double() }
}

extension Array: WireDecodable where Element: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let array = try json.array()
        self = []
        reserveCapacity(array.count)
        for element in array { append(try Element(json: element)) }
    }
}

/// Objects with arbitrary keys (`metadata`); a duplicated key keeps its last value.
extension Dictionary: WireDecodable where Key == String, Value: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        self = [:]
        reserveCapacity(object.count)
        try object.forEachMember { (key, value) throws(WireDecodingError) in self[key] = try Value(json: value) }
    }
}
