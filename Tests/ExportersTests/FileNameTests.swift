import Exporters
import Testing

@Suite struct FileNameTests {
    static let hostileTopics = [
        "../../etc/passwd", "\u{0}", ".hidden", String(repeating: "長い", count: 250), "a\u{202E}gpj.exe",
        "CON", "nul", "a/b\\c:d*e?f\"g<h>i|j", "\r\n\t", "", "   ", "..", "😀🎉", "\u{0301}accent", "週次定例 / Weekly",
    ]

    @Test(arguments: hostileTopics)
    func namesAreSafe(topic: String) throws {
        for format in ExportFormat.allCases {
            let name = ExportFileName.make(threadID: "19:a/../b@thread.v2", topic: topic, format: format)
            #expect(!name.hasPrefix("."))
            #expect(!name.contains("/") && !name.contains("\\") && !name.contains(".."))
            #expect(name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F })
            #expect(
                !name.unicodeScalars.contains {
                    (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
                }
            )
            #expect(name.utf8.count <= 160)
            #expect(name.hasSuffix("." + format.fileExtension))
            let stem = name.dropLast(format.fileExtension.count + 1)
            #expect(!["CON", "PRN", "AUX", "NUL"].contains(stem.uppercased()))
            #expect(name == ExportFileName.make(threadID: "19:a/../b@thread.v2", topic: topic, format: format))
        }
    }

    @Test func uniquePerThreadEvenWhenTopicsAndSanitizedIDsCollide() {
        let ids = ["19:a@thread.v2", "19_a@thread.v2", "19:a@thread:v2", "19-a-thread-v2", "", "\u{0}"]
        let names = Set(ids.map { ExportFileName.make(threadID: $0, topic: "Same topic", format: .json) })
        #expect(names.count == ids.count)
    }

    @Test func readableForOrdinaryTopics() {
        let name = ExportFileName.make(threadID: Fixtures.threadID, topic: "週次定例 / Weekly sync 🗓", format: .markdown)
        #expect(name.hasPrefix("19-acsV1_q0Fz8BdXc2l1bVd2ZQ-thread-v2-"))
        #expect(name.hasSuffix("-週次定例-weekly-sync.md"))
    }
}
