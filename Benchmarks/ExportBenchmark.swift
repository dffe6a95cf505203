import ArchiveModel
import CoreFoundation
import Exporters
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Export throughput per format over synthetic in-memory messages, and the process's peak RSS.
///
/// Usage: `ExportBenchmark.run(arguments: ["--messages", "1000000", "--threads", "10", "--format", "jsonl"])`.
/// Messages are generated lazily while exporting (never collected), so peak RSS shows the exporters' own
/// footprint. Output goes to a SHA-256 sink, as the CLI's file writer hashes everything it writes.
enum ExportBenchmark {
    static func run(arguments: [String]) throws {
        var messageCount = 1_000_000
        var threadCount = 10
        var formats = ExportFormat.allCases
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--messages": messageCount = Int(value) ?? messageCount
            case "--threads": threadCount = max(1, Int(value) ?? threadCount)
            case "--format": formats = value.split(separator: ",").compactMap { ExportFormat(rawValue: String($0)) }
            default: break
            }
            index += 2
        }
        print("export benchmark: \(messageCount) messages in \(threadCount) threads")
        for format in formats {
            let options = ExportOptions(toolVersion: "bench", singleFile: true)
            var writer = format.makeWriter(options: options)
            var sink = DigestOutput()
            let clock = ContinuousClock()
            let cpuStart = processCPUNanoseconds()
            let perThread = messageCount / threadCount
            let elapsed = try clock.measure {
                try writer.beginFile(into: &sink)
                for thread in 0..<threadCount {
                    let input = ExportBenchmarkData.input(thread: thread)
                    let messages = (0..<perThread).lazy.map { ExportBenchmarkData.message(thread: thread, index: $0) }
                    try writer.writeThread(input, messages: messages, into: &sink)
                }
                try writer.endFile(into: &sink)
            }
            let cpuSeconds = Double(processCPUNanoseconds() - cpuStart) / 1e9
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(writer.counts.messages) / max(seconds, 1e-9)
            let cpuRate = Double(writer.counts.messages) / max(cpuSeconds, 1e-9)
            let megabytes = Double(sink.byteCount) / 1_048_576
            print(
                "\(format.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                    + "\(Int(rate)) msg/s wall (\(Int(cpuRate)) msg/s CPU)  \(String(format: "%.2f", seconds)) s  "
                    + "\(String(format: "%.1f", megabytes)) MiB  peak RSS \(peakRSSMegabytes()) MB"
            )
        }
    }

    /// CPU time of this process in nanoseconds (wall-clock rates mislead on a shared machine).
    static func processCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Peak resident set size of this process so far (Linux `VmHWM`; -1 where /proc is missing).
    static func peakRSSMegabytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kilobytes / 1024
        }
        return -1
    }
}

/// Deterministic synthetic chat: mixed text, HTML and edited messages with Japanese and emoji.
private enum ExportBenchmarkData {
    static let people = (0..<8).map { "8:acs:00000000-0000-0000-0000-000000000000_0000000\($0)-bench" }
    static let base = Date(timeIntervalSince1970: 1_700_000_000)

    static func threadID(_ thread: Int) -> String { "19:bench\(thread)@thread.v2" }

    static func input(thread: Int) -> ThreadExportInput {
        let id = threadID(thread)
        return ThreadExportInput(
            thread: ArchivedThread(id: id, topic: "Benchmark スレッド \(thread)", firstSeen: base, lastSeen: base),
            participants: people.enumerated().map { offset, rawID in
                ArchivedParticipant(
                    threadID: id,
                    identity: ArchivedIdentity(rawID: rawID),
                    displayName: "Person \(offset) 山田",
                    firstSeen: base,
                    lastSeen: base
                )
            }
        )
    }

    static func message(thread: Int, index: Int) -> ArchivedMessage {
        let id = String(1_700_000_000_000 + index * 1000)
        let created = base.addingTimeInterval(Double(index))
        let sender = people[index % people.count]
        let number = String(index)
        let text =
            "Message " + number + ": 今日の議題はリリース計画です 🎉 see https://example.com/" + number
            + " & <b>notes</b>"
        let isHTML = index % 5 == 0
        let revision = MessageRevision(
            threadID: threadID(thread),
            messageID: id,
            version: id,
            sequenceID: Int64(index + 1),
            type: isHTML ? .html : .text,
            senderID: sender,
            senderDisplayName: nil,
            createdOn: created,
            editedOn: index % 7 == 0 ? created.addingTimeInterval(30) : nil,
            content: text,
            sanitizedHTML: isHTML
                ? "<p>Message " + number + ": 今日の議題はリリース計画です 🎉 see https://example.com/" + number
                    + " &amp; <b>notes</b></p>" : nil,
            text: text,
            observedOn: created
        )
        return ArchivedMessage(revisions: [revision])
    }
}
