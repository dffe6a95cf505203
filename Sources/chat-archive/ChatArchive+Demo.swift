import ACSChat
import ArchiveStore
import ArchiveSync
import ArgumentParser
import ChatEmulator
import Exporters
import Foundation
import SearchQuery

extension ChatArchive {
    /// The whole job against an in-process emulator: seed, sync, stats, searches, every export format.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the whole job on an embedded emulator: seed, sync, search, export.",
            discussion: """
                Starts the ACS emulator in-process with a realistic multilingual workspace (English and Japanese, \
                edits, deletions, hostile HTML), mints a token per user through the Identity API, syncs into \
                DIR/archive.sqlite, prints stats, runs three example searches and writes every export format \
                into DIR/exports/. A previous demo archive in DIR is replaced.
                """
        )

        @Option(name: .long, help: ArgumentHelp("Where to write the archive and exports.", valueName: "DIR"))
        var out: String = "chat-archive-demo"

        @Option(name: .long, help: "Threads to seed.")
        var threads = 20

        @Option(name: .long, help: "Messages to seed (system messages included).")
        var messages = 3000

        @Option(name: .long, help: "Seed of the generated workspace.")
        var seed: UInt64 = 7

        func validate() throws {
            guard (1...2000).contains(threads) else { throw ValidationError("--threads must be 1-2000") }
            guard messages >= threads * 2, messages <= 2_000_000 else {
                throw ValidationError("--messages must be at least 2 per thread and at most 2,000,000")
            }
        }

        func run() async throws {
            try await ChatArchive.reportingErrors {
                let directory = URL(fileURLWithPath: out)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let archive = directory.appendingPathComponent("archive.sqlite").path
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: archive + suffix) }

                let plan = SeedPlan(threads: threads, totalMessages: messages, seed: seed)
                print("Seeding an emulated ACS resource: \(threads) threads, \(messages) messages (seed \(seed))…")
                try await ChatEmulator.withRunning(EmulatorConfiguration(seed: plan)) { emulator in
                    print("Emulator listening at \(emulator.endpoint.absoluteString) (HTTPS, self-signed)")
                    try await demo(emulator: emulator, directory: directory, archive: archive)
                }
            }
        }

        private func demo(emulator: RunningEmulator, directory: URL, archive: String) async throws {
            let options = ChatClientOptions(trustedRootCertificatesPEM: emulator.certificatePEM)
            let connection = try SyncConnection(
                connectionString: emulator.connectionString,
                users: emulator.seededUsers.map(\.rawID),
                options: options
            )
            do {
                print(
                    "Syncing as \(connection.readers.count) users; their tokens come from the Identity API (HMAC-signed)"
                )

                let store = try ArchiveStore(path: archive)
                let progress = isatty(2) == 1 ? ProgressDisplay() : nil
                let summary = try await ArchiveSync(readers: connection.readers, store: store).run(
                    SyncOptions(concurrency: 4, pageSize: 200),
                    progress: progress?.callback
                )
                progress?.finish()
                print(
                    "\nSynced \(summary.threads) threads: \(summary.messagesNew) messages, "
                        + "\(summary.revisionsNew) revisions in \(String(format: "%.1f", summary.seconds)) s "
                        + "into \(archive)"
                )
                print("\nArchive:")
                for line in Stats.render(try await store.stats()) { print("  " + line) }

                try await demoSearches(store: store)

                let exports = directory.appendingPathComponent("exports")
                print("\nExports:")
                for format in ExportFormat.allCases {
                    let request = ExportRequest(
                        format: format,
                        output: exports.appendingPathComponent(format.rawValue),
                        options: ExportOptions(withHistory: true, toolVersion: "chat-archive \(ChatArchive.version)"),
                        showProgress: false
                    )
                    let result = try await writeExport(store, request)
                    print(
                        "  \(format.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) "
                            + "\(result.counts.threads) threads → \(request.output.path)/"
                    )
                }
                let report = try await store.verify()
                print(
                    "\nverify: \(report.isIntact ? "intact" : "\(report.problems.count) problems") "
                        + "(\(report.revisionsChecked) revisions re-hashed)"
                )
                print("\nTry: swift run chat-archive search --archive \(archive) 会議")
            } catch {
                await connection.shutdown()
                throw error
            }
            await connection.shutdown()
        }

        /// An English word, a Japanese word and an operator query, with highlighted results.
        private func demoSearches(store: ArchiveStore) async throws {
            let style = HitStyle(isTerminal: isatty(STDOUT_FILENO) != 0)
            for text in ["report", "会議", "type:html has:link"] {
                let query = try SearchQuery(parsing: text)
                let total = try await store.searchCount(query)
                let hits = try await store.search(query, options: SearchOptions(sort: .newest, limit: 3))
                print("\nsearch \(text)   (\(total) matches; newest 3)")
                for hit in hits { print(style.render(hit)) }
            }
        }
    }
}
