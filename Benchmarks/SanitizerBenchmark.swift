import CoreFoundation
import Foundation
import HTMLSanitizer
import SeededRandom

/// Sanitizer throughput on a realistic mixed corpus of chat messages, and peak memory on one 10 MB message.
///
/// `run(arguments:)` prints one line per figure. Arguments: `--messages N` (default 20,000), `--rounds N` (3),
/// `--skip-large` to leave out the 10 MB message. Build with `-c release`; debug builds are 10x slower.
enum SanitizerBenchmark {
    static func run(arguments: [String]) throws {
        let messages = integer(after: "--messages", in: arguments) ?? 20_000
        let rounds = integer(after: "--rounds", in: arguments) ?? 3
        let corpus = makeCorpus(count: messages)
        let bytes = corpus.reduce(0) { $0 + $1.utf8.count }
        let sanitizer = HTMLSanitizer()
        print("sanitizer corpus: \(corpus.count) messages, \(bytes) bytes (\(bytes / corpus.count) bytes average)")
        var bestWall = Double.infinity
        var bestCPU = Double.infinity
        var checksum = 0
        for _ in 0..<rounds {
            let cpuStart = processCPUSeconds()
            let elapsed = ContinuousClock().measure {
                for message in corpus { checksum &+= sanitizer.sanitize(message).html.utf8.count }
            }
            bestCPU = min(bestCPU, processCPUSeconds() - cpuStart)
            bestWall = min(bestWall, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        // CPU time is the figure to compare: wall time depends on what else the 2 shared cores are doing.
        for (label, seconds) in [("CPU time", bestCPU), ("wall time", bestWall)] {
            print(
                "sanitizer mixed corpus (\(label)): \(format(Double(bytes) / seconds / 1e6)) MB/s, "
                    + "\(format(Double(corpus.count) / seconds)) messages/s (best of \(rounds))"
            )
        }
        guard !arguments.contains("--skip-large") else { return }
        let large = String(repeating: corpus.prefix(200).joined(separator: "\n"), count: 1)
        let tenMegabytes = String(repeating: large, count: 10_000_000 / large.utf8.count + 1)
        let before = residentMegabytes("VmRSS")
        let cpuStart = processCPUSeconds()
        checksum &+= sanitizer.sanitize(tenMegabytes).html.utf8.count
        let cpu = processCPUSeconds() - cpuStart
        print(
            "sanitizer 10 MB message (\(tenMegabytes.utf8.count) bytes): \(format(cpu)) s CPU "
                + "(\(format(Double(tenMegabytes.utf8.count) / cpu / 1e6)) MB/s), RSS before "
                + "\(format(before)) MB, peak RSS \(format(residentMegabytes("VmHWM"))) MB"
        )
    }

    /// Deterministic chat messages shaped like ACS and Teams traffic: mostly short text, some formatting, links,
    /// mentions, replies, code, lists, images and the occasional table.
    static func makeCorpus(count: Int) -> [String] {
        var random = SplitMix64(seed: 42)
        let words = [
            "deploy", "the", "build", "is", "green", "again", "can", "you", "review", "my", "change", "tomorrow",
            "meeting", "notes", "thanks", "café", "naïve", "日本語", "🙂", "ok", "ticket", "release", "branch", "fixed",
        ]
        func sentence(_ length: Int) -> String {
            (0..<length).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
        }
        let shapes: [() -> String] = [
            { "<p>\(sentence(8))</p>" },
            { sentence(14) },
            { "<p>Hi <msft-mention id=\"8:acs:\(random.next() % 1000)\">Alex Kim</msft-mention>, \(sentence(10))</p>" },
            {
                "<p>\(sentence(5)) <a href=\"https://dev.azure.example/org/_build?id=\(random.next() % 99999)&amp;x=1\" "
                    + "title=\"build\">build \(random.next() % 999)</a> \(sentence(4))</p>"
            },
            { "<div><b>\(sentence(3))</b><br><i>\(sentence(6))</i>&nbsp;\(sentence(3))</div>" },
            {
                "<blockquote itemscope itemtype=\"http://schema.skype.com/Reply\" itemid=\"1700000000\(random.next() % 999)\">"
                    + "<strong itemprop=\"mri\" itemid=\"8:orgid:1\">Sam</strong><span itemprop=\"time\" itemid=\"1\">"
                    + "</span><p itemprop=\"preview\">\(sentence(9))</p></blockquote><p>\(sentence(7))</p>"
            },
            {
                "<codeblock class=\"language-swift\"><code>let x = \(random.next() % 100)\nif x &lt; 3 {\n    print(\"\(sentence(3))\")\n}"
                    + "</code></codeblock>"
            },
            { "<ul><li>\(sentence(4))</li><li>\(sentence(5))</li><li><s>\(sentence(2))</s></li></ul>" },
            {
                "<p><img alt=\"image\" src=\"\" itemscope=\"png\" width=\"166.5625\" height=\"250\" "
                    + "id=\"img\(random.next() % 9999)\" style=\"vertical-align:bottom\"></p><p>\(sentence(6))</p>"
            },
            {
                "<table itemprop=\"copy-paste-table\"><tbody><tr><td>\(sentence(2))</td><td>\(sentence(1))</td></tr>"
                    + "<tr><td>\(sentence(2))</td><td>\(sentence(1))</td></tr></tbody></table>"
            },
            {
                "<p><span style=\"color:rgb(196,49,75)\">\(sentence(5))</span> <span class=\"animated-emoticon-20-smile\" "
                    + "title=\"Smile\"><img itemtype=\"http://schema.skype.com/Emoji\" itemid=\"smile\" "
                    + "src=\"https://statics.teams.cdn.office.net/e/smile.png\" alt=\"🙂\" style=\"width:20px\"></span></p>"
            },
            { "<p>\(sentence(40))</p><p>\(sentence(30))</p>" },
        ]
        let weights = [18, 20, 10, 8, 8, 6, 5, 6, 4, 2, 5, 8]
        let pick = weights.indices.flatMap { Array(repeating: $0, count: weights[$0]) }
        return (0..<count).map { _ in shapes[pick[Int(random.next() % UInt64(pick.count))]]() }
    }

    private static func integer(after flag: String, in arguments: [String]) -> Int? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        return Int(arguments[index + 1])
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// User plus system CPU time of this process.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// A line of /proc/self/status (`VmRSS`, `VmHWM`) in MB; 0 where there is no /proc.
    private static func residentMegabytes(_ key: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
            return kilobytes / 1024
        }
        return 0
    }
}
