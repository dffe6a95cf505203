import Foundation
import Testing

@testable import ChatEmulator

@Suite struct JSONWriterTests {
    /// Every string comes back unchanged through a standard JSON parser: escapes at the start, middle and end of
    /// runs, every control character, quotes, backslashes and multi-byte UTF-8.
    @Test func stringsRoundTripThroughAStandardParser() throws {
        var samples = ["", "plain", "\"", "\\", "a\"b\\c", "end\\", "\"start", "会議\n東京", "emoji 🎉 \u{7F}", "é\u{301}"]
        samples += (0..<0x20).map { "x" + String(UnicodeScalar(UInt8($0))) + "y" }
        samples.append(String((0..<0x20).map { Character(UnicodeScalar(UInt8($0))) }))
        for sample in samples {
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("value", sample)
            writer.field("k\"\\\n", "v")
            writer.endObject()
            let parsed = try #require(
                try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: String],
                "\(String(decoding: writer.bytes, as: UTF8.self))"
            )
            #expect(parsed == ["value": sample, "k\"\\\n": "v"], "\(sample.debugDescription)")
        }
    }
}
