import ArchiveModel
import ArchiveStore
import ArgumentParser
import Foundation

extension ChatArchive {
    /// Counts per kind, time span and the last sync.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what the archive holds.",
            discussion: """
                With --json prints one object with at least: schemaVersion, threads, messages, revisions, \
                editedMessages, deletedMessages, participants, readReceipts, syncRuns (keys are never renamed).
                """
        )

        @OptionGroup var archiveOptions: ArchiveOptions

        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func run() async throws {
            try await ChatArchive.reportingErrors {
                let store = try archiveOptions.openExisting()
                let stats = try await store.stats()
                if json {
                    print(try CLIJSON.line(stats))
                    return
                }
                for line in Self.render(stats) { print(line) }
            }
        }

        /// The human-readable table.
        static func render(_ stats: ArchiveStats) -> [String] {
            let rows: [(String, String)] = [
                ("schema version", "\(stats.schemaVersion)"),
                ("threads", "\(stats.threads)"),
                ("messages", "\(stats.messages)"),
                ("revisions", "\(stats.revisions)"),
                ("edited messages", "\(stats.editedMessages)"),
                ("deleted messages", "\(stats.deletedMessages)"),
                ("participants", "\(stats.participants)"),
                ("identities", "\(stats.identities)"),
                ("read receipts", "\(stats.readReceipts)"),
                ("sync runs", "\(stats.syncRuns)"),
                ("first message", stats.firstMessageOn.map(Timestamp.format) ?? "-"),
                ("last message", stats.lastMessageOn.map(Timestamp.format) ?? "-"),
                (
                    "last sync",
                    stats.lastSyncOn.map { "\(Timestamp.format($0)) (\(stats.lastSyncOutcome ?? "unknown"))" }
                        ?? "never"
                ),
            ]
            let width = rows.map(\.0.count).max() ?? 0
            return rows.map { name, value in
                name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value
            }
        }
    }
}
