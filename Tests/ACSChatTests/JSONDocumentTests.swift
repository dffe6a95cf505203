import Foundation
import SeededRandom
import Testing

@testable import ACSChat

/// A plain JSON tree, to compare what the reader sees with what a generator or serializer meant.
private indirect enum Tree: Equatable, Encodable {
    case object([String: Tree])
    case array([Tree])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null

    /// Reads `value` back; numbers are compared as `Double`s unless they are exact integers.
    init(_ value: JSONValue) throws(WireDecodingError) {
        switch value.kind {
        case .object:
            var members: [String: Tree] = [:]
            try value.object().forEachMember { (key, member) throws(WireDecodingError) in
                members[key] = try Tree(member)
            }
            self = .object(members)
        case .array: self = .array(try value.array().map(Tree.init))
        case .string, .escapedString: self = .string(try value.string())
        case .number:
            let text = try value.numberText()
            if let integer = Int(text) { self = .int(integer) } else { self = .double(try value.double()) }
        case .true: self = .bool(true)
        case .false: self = .bool(false)
        case .null: self = .null
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in members { try container.encode(value, forKey: Key(stringValue: key)) }
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .int(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .double(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }

    /// The same value as `JSONSerialization` wants it.
    var foundationObject: Any {
        switch self {
        case .object(let members): members.mapValues(\.foundationObject)
        case .array(let elements): elements.map(\.foundationObject)
        case .string(let text): text
        case .int(let number): number
        case .double(let number): number
        case .bool(let flag): flag
        case .null: NSNull()
        }
    }
}

private func parse(_ text: String) throws -> Tree {
    try Tree(JSONDocument(parsing: Array(text.utf8)).root)
}

/// Strings that need every kind of escaping: quotes, backslashes, control characters, non-ASCII and astral scalars.
private func randomString(_ random: inout SplitMix64) -> String {
    let pieces = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é", "ß", "€", "中",
        "\u{FFFD}", "\u{FEFF}", "😀", "𝄞", "\u{10FFFF}", "<", "&",
    ]
    return String(
        (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }
            .joined()
    )
}

private func randomTree(_ random: inout SplitMix64, depth: Int, allowDoubles: Bool = true) -> Tree {
    let choice = Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &random)
    switch choice {
    case 0: return .string(randomString(&random))
    case 1:
        let magnitude = [9, 1_000, 1 << 40, Int.max].randomElement(using: &random)!
        return .int(Int.random(in: -magnitude...magnitude, using: &random))
    case 2:
        guard allowDoubles else { return .null }
        let value =
            Double.random(in: -1e6...1e6, using: &random) * pow(10, Double(Int.random(in: -30...30, using: &random)))
        return Int(exactly: value).map(Tree.int) ?? .double(value)
    case 3: return .bool(Bool.random(using: &random))
    case 4: return .null
    case 5:
        return .array(
            (0..<Int.random(in: 0...5, using: &random)).map { _ in
                randomTree(&random, depth: depth + 1, allowDoubles: allowDoubles)
            }
        )
    default:
        var members: [String: Tree] = [:]
        for _ in 0..<Int.random(in: 0...5, using: &random) {
            members[randomString(&random)] = randomTree(&random, depth: depth + 1, allowDoubles: allowDoubles)
        }
        return .object(members)
    }
}

@Suite struct JSONDocumentTests {
    @Test func readsEscapesAndUnicode() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u00e9\u00E9 \u20AC \u0000""#) == .string("éé € \u{0}"))
        #expect(try parse(#""\uD83D\uDE00 \uDBFF\uDFFF""#) == .string("😀 \u{10FFFF}"))
        #expect(try parse("\"é€😀 raw\"") == .string("é€😀 raw"))
        #expect(try parse(#""""#) == .string(""))
        #expect(try parse(#"{"k\u0065y":1}"#) == .object(["key": .int(1)]))
    }

    @Test func readsNumbersPerTheGrammar() throws {
        #expect(try parse("0") == .int(0))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("-123456789012345678") == .int(-123_456_789_012_345_678))
        #expect(try parse("1.5e10") == .double(1.5e10))
        #expect(try parse("-1E-2") == .double(-0.01))
        #expect(try parse("2.5E+3") == .double(2500))
        #expect(try Int(json: JSONDocument(parsing: Array("3e1".utf8)).root) == 30)
        #expect(try Int(json: JSONDocument(parsing: Array("30.0".utf8)).root) == 30)
        #expect(throws: WireDecodingError.self) { try Int(json: JSONDocument(parsing: Array("30.5".utf8)).root) }
        #expect(throws: WireDecodingError.self) { try Int(json: root("1e400")) }
    }

    @Test func readsNestingWhitespaceAndLiterals() throws {
        let text = " \t\r\n{ \"a\" : [ 1 , { } , [ ] , [ [ null ] ] , true , false ] , \"b\" : { \"c\" : \"d\" } } \n"
        #expect(
            try parse(text)
                == .object([
                    "a": .array([
                        .int(1), .object([:]), .array([]), .array([.array([.null])]), .bool(true), .bool(false),
                    ]),
                    "b": .object(["c": .string("d")]),
                ])
        )
        let deep =
            String(repeating: "[", count: JSONDocument.maxDepth) + String(repeating: "]", count: JSONDocument.maxDepth)
        #expect(throws: Never.self) { try parse(deep) }
        #expect(try parse("\u{FEFF}[]") == .array([]))  // a leading byte order mark is skipped
    }

    @Test func duplicateKeysResolveToTheLastOne() throws {
        let document = try JSONDocument(parsing: Array(#"{"id":"first","id":"second","m":{"k":"1","k":"2"}}"#.utf8))
        let object = try document.root.object()
        #expect(try object.required("id", as: String.self) == "second")
        #expect(try object.required("m", as: [String: String].self) == ["k": "2"])
        #expect(object.value("absent") == nil)
    }

    @Test(arguments: [
        "", " ", "{", "[", "[1,", #"{"a""#, #"{"a":"#, #"{"a":1"#, #""abc"#, "[1,]", #"{"a":1,}"#, "[,1]", "{,}",
        #"{"a" 1}"#, "{1:2}", "[1 2]", "01", "-", "-a", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity",
        "-Infinity", "tru", "nul", "True", "[1]]", "{} {}", "1 2", #""\x""#, #""\u12""#, #""\u12G4""#, #""\uD800""#,
        #""\uDC00""#, #""\uD800\u0041""#, #""\uD800x""#, "\"a\u{0}b\"", "\"a\nb\"", "\"\u{1F}\"", "'a'", "[1]\u{0}",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: WireDecodingError.self) { try JSONDocument(parsing: Array(text.utf8)) }
    }

    @Test(
        arguments: [
            [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xE0, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0xAF],
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80], [0xBF],
            [0xE2, 0x82], [0xC3], [0xFE], [0xFF], [0xF0, 0x9F, 0x98], [0xC3, 0x28],
        ] as [[UInt8]]
    )
    func rejectsInvalidUTF8(sequence: [UInt8]) {
        let bytes = Array("[\"a".utf8) + sequence + Array("b\"]".utf8)
        #expect(throws: WireDecodingError.self) { try JSONDocument(parsing: bytes) }
        #expect(throws: WireDecodingError.self) { try JSONDocument(parsing: sequence) }
    }

    @Test func acceptsTheEdgesOfValidUTF8() throws {
        let edges: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        for edge in edges {
            let tree = try Tree(JSONDocument(parsing: [0x22] + edge + [0x22]).root)
            #expect(tree == .string(String(decoding: edge, as: UTF8.self)))
        }
    }

    /// The string scanner skips eight bytes at a time: a special byte must be seen at every position in a word.
    @Test func specialBytesAreFoundAtEveryOffset() throws {
        let specials: [(inserted: [UInt8], expected: String?)] = [
            (Array(#"\""#.utf8), "\""), (Array(#"\\"#.utf8), "\\"), (Array(#"\n"#.utf8), "\n"), ([0x7F], "\u{7F}"),
            ([0xC3, 0xA9], "é"), ([0xF0, 0x9F, 0x98, 0x80], "😀"), ([0x1F], nil), ([0x00], nil), ([0x22], nil),
            ([0xC3], nil), ([0xED, 0xA0, 0x80], nil),
        ]
        for position in 0..<20 {
            for (inserted, expected) in specials {
                let prefix = String(repeating: "a", count: position)
                let suffix = String(repeating: "b", count: 19 - position)
                let bytes = [0x22] + Array(prefix.utf8) + inserted + Array(suffix.utf8) + [0x22]
                if let expected {
                    #expect(try Tree(JSONDocument(parsing: bytes).root) == .string(prefix + expected + suffix))
                } else {
                    #expect(throws: WireDecodingError.self, "\(inserted) at \(position)") {
                        try JSONDocument(parsing: bytes)
                    }
                }
            }
        }
    }

    @Test func escapedMemberNamesStillMatch() throws {
        let document = try JSONDocument(parsing: Array(#"{"\u0069\u0064":"x","i\u0064":"y","\/id":"z"}"#.utf8))
        #expect(try document.root.object().required("id", as: String.self) == "y")
        #expect(try document.root.object().required("/id", as: String.self) == "z")
    }

    @Test func aDepthBombFailsWithoutExhaustingTheStack() {
        for opener in ["[", #"{"a":"#] {
            let bomb = Array(String(repeating: opener, count: 100_000).utf8)
            let error = #expect(throws: WireDecodingError.self) { try JSONDocument(parsing: bomb) }
            #expect(error?.message.contains("nesting deeper than 512") == true)
        }
        let justTooDeep =
            String(repeating: "[", count: JSONDocument.maxDepth + 1)
            + String(repeating: "]", count: JSONDocument.maxDepth + 1)
        #expect(throws: WireDecodingError.self) { try parse(justTooDeep) }
    }

    @Test(arguments: [
        (#"{"value":[{"id":"1"},{"id":"2","createdOn":"then"}]}"#, "missing field value[0].type"),
        (
            message(createdOn: #""yesterday""#),
            "invalid value at value[1].createdOn: expected an RFC 3339 date-time string"
        ),
        (message(createdOn: "17"), "wrong type at value[1].createdOn (expected a string)"),
        (message(createdOn: "null"), "null at value[1].createdOn (expected a string)"),
        (message(metadata: #"{"a":"x","b":2}"#), "wrong type at value[1].metadata.b (expected a string)"),
        (message(metadata: "[]"), "wrong type at value[1].metadata (expected an object)"),
        (message(metadata: #"{"a\nb":1}"#), "wrong type at value[1].metadata.a?b (expected a string)"),
        (#"{"value":{}}"#, "wrong type at value (expected an array)"),
        (#"{"nextLink":"x"}"#, "missing field value"),
        ("[]", "wrong type at top level (expected an object)"),
        (#"{"value":[]"#, "not valid JSON or not UTF-8 (unexpected end of input, at byte 11)"),
    ])
    func errorsNameThePathAndTheProblem(body: String, expected: String) {
        let error = #expect(throws: WireDecodingError.self) {
            _ = try WirePage<WireChatMessage>(jsonBytes: Array(body.utf8))
        }
        #expect(error?.message == expected)
    }

    @Test func transportErrorsKeepTheMalformedMessageShape() throws {
        var page = samplePage(messages: 5)
        page = page.replacingOccurrences(of: "2024-03-04T10:13:00Z", with: "2024-03-04 10:13")
        let error = #expect(throws: ChatServiceError.self) {
            _ = try ServiceTransport.decode(WirePage<WireChatMessage>.self, from: Array(page.utf8), operation: "GET /x")
        }
        #expect(error?.code == .malformedResponse)
        #expect(error?.operation == "GET /x")
        #expect(
            error?.message
                == "unexpected response body: invalid value at value[3].createdOn: expected an RFC 3339 date-time string"
        )
        #expect(error?.underlying is WireDecodingError)
    }

    @Test func optionalFieldsTreatNullAsAbsentAndIgnoreUnknownKeys() throws {
        let body =
            #"{"value":[{"id":"1","type":"text","sequenceId":"1","version":"1","createdOn":"2024-01-01T00:00:00Z","#
            + #""content":null,"deletedOn":null,"future":{"x":[1,2,3]}}],"nextLink":null}"#
        let page = try WirePage<WireChatMessage>(jsonBytes: Array(body.utf8))
        #expect(page.nextLink == nil)
        #expect(page.value.count == 1)
        #expect(page.value[0].content == nil)
        #expect(page.value[0].deletedOn == nil)
        #expect(page.value[0].createdOn.date == Date(timeIntervalSince1970: 1_704_067_200))
    }

    @Test(arguments: 0..<4)
    func randomValuesRoundTripThroughJSONEncoder(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let tree = randomTree(&random, depth: 0)
            let bytes = Array(try JSONEncoder().encode(tree))
            #expect(try Tree(JSONDocument(parsing: bytes).root) == tree, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test(arguments: 10..<12)
    func randomValuesRoundTripThroughJSONSerialization(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let tree = Tree.array([randomTree(&random, depth: 0, allowDoubles: false)])
            let bytes = Array(try JSONSerialization.data(withJSONObject: tree.foundationObject))
            #expect(try Tree(JSONDocument(parsing: bytes).root) == tree, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test(arguments: 20..<24)
    func randomMutationsNeverCrash(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let original = Array(samplePage(messages: 3).utf8)
        for _ in 0..<500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.insert(Array(#"{}[]",:\0e-."#.utf8).randomElement(using: &random)!, at: position)
                case 2: bytes.remove(at: position)
                default: bytes.removeSubrange(position...)
                }
                if bytes.isEmpty { break }
            }
            // Success or a decoding error are both fine; anything the reader accepts must be JSON to Foundation too.
            if (try? JSONDocument(parsing: bytes)) != nil {
                #expect(
                    (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil,
                    "\(String(decoding: bytes, as: UTF8.self))"
                )
            }
            _ = try? WirePage<WireChatMessage>(jsonBytes: bytes)
        }
    }

    @Test func decodesARealisticPageLikeJSONDecoderDid() throws {
        let page = try WirePage<WireChatMessage>(jsonBytes: Array(samplePage(messages: 200).utf8))
        #expect(page.value.count == 200)
        #expect(page.nextLink == "https://example.test/chat/threads/t/messages?syncState=abc&api-version=2024-03-07")
        let third = page.value[2]
        #expect(third.id == "1700000000002")
        #expect(third.senderCommunicationIdentifier?.communicationUser?.id == "8:acs:resource_user2")
        #expect(third.content?.message == "Message 2 with \"quotes\" and é")
        #expect(third.metadata == ["tag": "2"])
        #expect(page.value[1].metadata == nil)
    }
}

/// A page whose second message carries the given `createdOn` and `metadata` JSON.
private func message(createdOn: String = #""2024-01-01T00:00:00Z""#, metadata: String = "{}") -> String {
    let good = #"{"id":"1","type":"text","sequenceId":"1","version":"1","createdOn":"2024-01-01T00:00:00Z"}"#
    return #"{"value":[\#(good),{"id":"2","type":"text","sequenceId":"2","version":"2","createdOn":\#(createdOn),"#
        + #""metadata":\#(metadata)}]}"#
}

private func root(_ text: String) throws -> JSONValue {
    try JSONDocument(parsing: Array(text.utf8)).root
}

/// A list-messages page shaped like the service's (ids, versions, identifiers, display names, metadata sometimes).
private func samplePage(messages: Int) -> String {
    let items = (0..<messages).map { index in
        let metadata = index % 3 == 2 ? #","metadata":{"tag":"\#(index)"}"# : ""
        return #"{"id":"\#(1_700_000_000_000 + index)","type":"text","sequenceId":"\#(index + 1)","#
            + #""version":"\#(1_700_000_000_000 + index)","content":{"message":"Message \#(index) with \"quotes\" and é"},"#
            + #""senderDisplayName":"User \#(index % 7)","createdOn":"2024-03-0\#(index % 9 + 1)T10:\#(10 + index % 50):00Z","#
            + #""senderCommunicationIdentifier":{"rawId":"8:acs:resource_user\#(index % 7)","#
            + #""communicationUser":{"id":"8:acs:resource_user\#(index % 7)"}}\#(metadata)}"#
    }
    return #"{"value":[\#(items.joined(separator: ","))],"#
        + #""nextLink":"https://example.test/chat/threads/t/messages?syncState=abc&api-version=2024-03-07"}"#
}
