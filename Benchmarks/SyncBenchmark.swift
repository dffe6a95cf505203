import ACSChat
import ArchiveStore
import ArchiveSync
import ChatEmulator
import Foundation

/// Sync throughput from a seeded in-process emulator into an archive file, then a no-change re-sync.
///
/// `chat-archive-bench sync [--threads 100] [--messages 100000] [--concurrency 4] [--runs 1]`
enum SyncBenchmark {
    static func run(arguments: [String]) async throws {
        let threads = Int(option("threads", in: arguments) ?? "") ?? 100
        let messages = Int(option("messages", in: arguments) ?? "") ?? 100_000
        let concurrency = Int(option("concurrency", in: arguments) ?? "") ?? 4
        let runs = Int(option("runs", in: arguments) ?? "") ?? 1
        let plan = SeedPlan(threads: threads, totalMessages: messages, seed: 42)
        print("sync benchmark: \(threads) threads, \(messages) seeded messages, concurrency \(concurrency)")
        try await ChatEmulator.withRunning(EmulatorConfiguration(seed: plan)) { emulator in
            let served = await emulator.totalMessageCount()
            var rates: [Double] = []
            var resyncs: [Double] = []
            for run in 1...runs {
                let directory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("sync-bench-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                let path = directory.appendingPathComponent("archive.sqlite").path
                let store = try ArchiveStore(path: path)
                let options = ChatClientOptions(trustedRootCertificatesPEM: emulator.certificatePEM)
                var readers: [ChatReader] = []
                // Every seeded user, so the union of their views is every thread.
                for user in emulator.seededUsers {
                    let token = try await emulator.issueToken(for: user.rawID)
                    let credential = try CommunicationTokenCredential(token: token)
                    let client =
                        try readers.first?.client.sharingConnections(credential: credential)
                        ?? ChatClient(endpoint: emulator.endpoint, credential: credential, options: options)
                    readers.append(ChatReader(client: client, identityRawID: user.rawID))
                }
                let sync = ArchiveSync(readers: readers, store: store)
                let first = try await sync.run(SyncOptions(concurrency: concurrency, pageSize: 200))
                let again = try await sync.run(SyncOptions(concurrency: concurrency, pageSize: 200))
                for reader in readers.reversed() { try await reader.client.shutdown() }
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
                let rate = Double(first.messagesNew) / first.seconds
                rates.append(rate)
                resyncs.append(again.seconds)
                print(
                    String(
                        format: "run %d: %d/%d messages in %.2f s = %.0f msg/s; failed threads %d; "
                            + "no-change re-sync %.2f s (%d skipped); archive %.1f MiB (+%.1f MiB WAL)",
                        run,
                        first.messagesNew,
                        served,
                        first.seconds,
                        rate,
                        first.failedThreads,
                        again.seconds,
                        again.threadsSkipped,
                        Double(size) / 1_048_576,
                        Double(wal) / 1_048_576
                    )
                )
            }
            print(
                String(
                    format: "median: %.0f msg/s, no-change re-sync %.2f s, peak RSS %.0f MiB (emulator in-process)",
                    median(rates),
                    median(resyncs),
                    peakRSSMebibytes()
                )
            )
        }
    }
}
