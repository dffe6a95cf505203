import ArchiveStore
import ArgumentParser

extension ChatArchive {
    /// Recomputes every hash chain and checks the search indexes.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-check the archive's hash chains and search indexes; exit 1 on any tampering.",
        )

        @OptionGroup var archiveOptions: ArchiveOptions

        func run() async throws {
            try await ChatArchive.reportingErrors {
                // Writable: FTS5's integrity check runs as an INSERT.
                let store = try archiveOptions.openExisting(writable: true)
                let report = try await store.verify()
                for problem in report.problems {
                    print("FAIL \(problem)")
                }
                if report.isIntact {
                    print("ok: \(report.threadsChecked) threads, \(report.revisionsChecked) revisions verified")
                } else {
                    let threads = report.damagedThreads.count
                    throw CLIError(
                        "archive failed verification: \(report.problems.count) problem(s) in \(threads) thread(s)"
                    )
                }
            }
        }
    }
}
