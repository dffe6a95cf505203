import ArchiveModel
import ArchiveStore
import CoreFoundation
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Bulk-insert throughput of `ArchiveStore.apply`, archive size, read-back and verify speed.
///
/// `chat-archive-bench store [--messages N] [--batch N] [--per-transaction N] [--threads N] [--path FILE]`
/// (release build).
/// Messages are ~70-character English lines with one in four Japanese, spread over `--threads` threads.
enum StoreBenchmark {
    static func run(arguments: [String]) async throws {
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let total = option("--messages", 200_000)
        let batchSize = option("--batch", 1000)
        let threadCount = max(1, option("--threads", 200))
        let perTransaction = max(1, option("--per-transaction", 8))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "store-bench-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path =
            arguments.firstIndex(of: "--path").map { arguments[$0 + 1] }
            ?? directory.appendingPathComponent("bench.sqlite").path

        let store = try ArchiveStore(path: path)
        let english = [
            "Can we move the release review to Thursday afternoon, after the build is green?",
            "I pushed the fix for the login timeout; please check the staging logs again.",
            "Reminder: the quarterly compliance export is due on Friday at noon UTC.",
            "The customer asked whether archived messages include edits and deletions.",
        ]
        let japanese = [
            "明日の会議室は東京本社の三階です。資料を事前に共有してください。",
            "リリース前のテストが終わりました。問題があれば連絡してください。",
        ]
        let base = Date(timeIntervalSince1970: 1_796_000_000)
        /// Batch `number` of the run: the same values every time it is asked for.
        func makeBatch(_ number: Int) -> ThreadBatch {
            let first = number * batchSize
            let count = min(batchSize, total - first)
            let thread = "19:bench\(number % threadCount)@thread.v2"
            var revisions: [MessageRevision] = []
            revisions.reserveCapacity(count)
            for n in first..<(first + count) {
                let text = n % 4 == 3 ? japanese[n % 2] : "\(english[n % 4]) #\(n)"
                revisions.append(
                    MessageRevision(
                        threadID: thread,
                        messageID: String(1_796_000_000_000 + n),
                        version: String(1_796_000_000_000 + n),
                        sequenceID: Int64(n),
                        type: .text,
                        senderID: "8:acs:bench-user-\(n % 50)",
                        senderDisplayName: "User \(n % 50)",
                        createdOn: base.addingTimeInterval(Double(n)),
                        content: text,
                        text: text,
                        observedOn: base.addingTimeInterval(Double(total + 60))
                    )
                )
            }
            return ThreadBatch(
                threadID: thread,
                revisions: revisions,
                observedOn: base.addingTimeInterval(Double(total))
            )
        }
        let batchCount = (total + batchSize - 1) / batchSize

        // Prepared first, as the sync's fetchers do, and applied in transactions of `--per-transaction` batches,
        // as its writer does: the figure is the one writer's own speed.
        let prepared = try (0..<batchCount).map { try PreparedBatch(makeBatch($0)) }
        let start = Date()
        let startCPU = cpuSeconds()
        var next = 0
        while next < batchCount {
            let end = min(batchCount, next + perTransaction)
            _ = try await store.apply(Array(prepared[next..<end]))
            next = end
        }
        let insertSeconds = Date().timeIntervalSince(start)
        let insertCPU = cpuSeconds() - startCPU

        // Re-applying what the archive already holds (a full re-sync with nothing changed).
        let resyncStart = Date()
        var resyncNew = 0
        for number in 0..<batchCount {
            resyncNew += try await store.apply(makeBatch(number)).revisionsNew
        }
        let resyncSeconds = Date().timeIntervalSince(resyncStart)

        let readStart = Date()
        var read = 0
        for thread in try await store.threads() {
            try await store.forEachMessage(threadID: thread.id, since: nil, until: nil) { _ in read += 1 }
        }
        let readSeconds = Date().timeIntervalSince(readStart)

        let verifyStart = Date()
        let report = try await store.verify()
        let verifySeconds = Date().timeIntervalSince(verifyStart)

        var bytes = 0
        for suffix in ["", "-wal"] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            bytes += (attributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        print(
            "store: \(total) messages in batches of \(batchSize), \(perTransaction) per transaction, over "
                + "\(threadCount) threads"
        )
        print(
            String(
                format: "  apply:   %.2f s wall, %.0f rows/s; %.2f CPU-s, %.0f rows per CPU-s",
                insertSeconds,
                Double(total) / insertSeconds,
                insertCPU,
                Double(total) / insertCPU
            )
        )
        print(
            String(
                format: "  re-apply unchanged: %.2f s, %.0f rows/s (%d new)",
                resyncSeconds,
                Double(total) / resyncSeconds,
                resyncNew
            )
        )
        print(
            String(
                format: "  read:    %.2f s, %.0f messages/s (forEachMessage)",
                readSeconds,
                Double(read) / readSeconds
            )
        )
        print(String(format: "  verify:  %.2f s (intact: %@)", verifySeconds, report.isIntact ? "yes" : "NO"))
        print(
            String(
                format: "  size:    %.1f MB with the WAL not yet checkpointed, %.0f bytes/message",
                Double(bytes) / 1e6,
                Double(bytes) / Double(total)
            )
        )
    }

    /// User + system CPU time of this process: comparable across runs on a loaded machine, unlike wall time.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(truncatingIfNeeded: RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
