import ACSChat
import ArchiveStore
import ArchiveSync
import ArgumentParser
import Foundation
import HTMLSanitizer
import Synchronization

extension ChatArchive {
    /// Pulls what the service shows into the archive, incrementally.
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sync an ACS resource's chat into the archive (incremental; re-run resumes).",
            discussion: """
                Credentials, one of:
                  --endpoint URL --token JWT [--token JWT ...]   user tokens (env ACS_ENDPOINT, ACS_TOKEN)
                  --connection-string CS --user RAWID [...]       tokens minted per user, re-minted on 401
                  --connection-string CS --users-file FILE        users from a file (env ACS_CONNECTION_STRING)
                The union of all identities' views is archived. Exit status: 0 ok, 1 failure, 3 partial sync \
                (some threads failed, the rest is committed; run again to resume).
                """
        )

        @OptionGroup var archiveOptions: ArchiveOptions

        @Option(name: .long, help: ArgumentHelp("ACS resource endpoint (env ACS_ENDPOINT).", valueName: "URL"))
        var endpoint: String?

        @Option(name: .long, help: ArgumentHelp("A user access token; repeatable (env ACS_TOKEN).", valueName: "JWT"))
        var token: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp("endpoint=…;accesskey=… (env ACS_CONNECTION_STRING).", valueName: "CS")
        )
        var connectionString: String?

        @Option(name: .long, help: ArgumentHelp("A user raw id to sync as; repeatable.", valueName: "RAWID"))
        var user: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Users to sync as: one raw id per line, or JSON {\"users\":[{\"rawId\":…}]}.",
                valueName: "FILE"
            )
        )
        var usersFile: String?

        @Flag(name: .long, help: "Re-walk every message (catches edits and deletions of old messages).")
        var full = false

        @Option(name: .long, help: "Threads fetched at once.")
        var concurrency = 4

        @Option(name: .long, help: "Page size for list calls (1-200).")
        var pageSize: Int?

        @Option(name: .long, help: ArgumentHelp("Extra CA certificate to trust (PEM).", valueName: "PEM"))
        var caCert: String?

        @Flag(name: .long, help: "Print one JSON summary line.")
        var json = false

        func validate() throws {
            let environment = ProcessInfo.processInfo.environment
            let hasTokens = !token.isEmpty || (environment["ACS_TOKEN"].map { !$0.isEmpty } ?? false)
            let hasConnection = connectionString != nil || environment["ACS_CONNECTION_STRING"] != nil
            if hasTokens && connectionString != nil {
                throw ValidationError("use either --token or --connection-string, not both")
            }
            if !hasTokens && !hasConnection {
                throw ValidationError("no credentials: give --endpoint and --token, or --connection-string with --user")
            }
            if !hasTokens && user.isEmpty && usersFile == nil {
                throw ValidationError("--connection-string needs --user RAWID or --users-file FILE")
            }
            if hasTokens && endpoint == nil && environment["ACS_ENDPOINT"] == nil {
                throw ValidationError("--token needs --endpoint URL (or ACS_ENDPOINT)")
            }
            guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1-64") }
            if let pageSize, !(1...200).contains(pageSize) { throw ValidationError("--page-size must be 1-200") }
        }

        func run() async throws {
            try await ChatArchive.reportingErrors {
                var clientOptions = ChatClientOptions()
                if let caCert {
                    do {
                        clientOptions.trustedRootCertificatesPEM = try String(contentsOfFile: caCert, encoding: .utf8)
                    } catch {
                        throw CLIError("cannot read the CA certificate \(caCert)")
                    }
                }
                let store: ArchiveStore
                do {
                    store = try ArchiveStore(path: archiveOptions.archive)
                } catch {
                    throw CLIError("cannot open \(archiveOptions.archive): \(error)")
                }
                let connection = try makeReaders(options: clientOptions)
                let summary: SyncSummary
                do {
                    let progress = isatty(2) == 1 ? ProgressDisplay() : nil
                    summary = try await ArchiveSync(readers: connection.readers, store: store).run(
                        SyncOptions(full: full, concurrency: concurrency, pageSize: pageSize),
                        progress: progress?.callback
                    )
                    progress?.finish()
                } catch {
                    await connection.shutdown()
                    throw error
                }
                await connection.shutdown()
                report(summary)
                if summary.failedThreads > 0 { throw ExitCode(3) }
            }
        }

        private func report(_ summary: SyncSummary) {
            for failure in summary.failures {
                ChatArchive.printError("thread \(failure.threadID): \(failure.error.message)")
            }
            if json {
                let line = SyncSummaryLine(summary)
                if let text = try? CLIJSON.line(line) { print(text) }
            } else {
                let seconds = String(format: "%.1f", summary.seconds)
                print(
                    "synced \(summary.threads) threads (\(summary.threadsSkipped) unchanged): "
                        + "\(summary.messagesNew) new messages, \(summary.revisionsNew) new revisions, "
                        + "\(summary.failedThreads) failed, \(seconds) s"
                )
            }
        }

        /// One reader per identity, all sharing nothing but the archive.
        private func makeReaders(options: ChatClientOptions) throws -> SyncConnection {
            let environment = ProcessInfo.processInfo.environment
            let tokens = token.isEmpty ? (environment["ACS_TOKEN"].map { [$0] } ?? []) : token
            if let connectionText = connectionString ?? (tokens.isEmpty ? environment["ACS_CONNECTION_STRING"] : nil) {
                return try SyncConnection(connectionString: connectionText, users: try allUsers(), options: options)
            }
            guard let endpointText = endpoint ?? environment["ACS_ENDPOINT"], let url = URL(string: endpointText),
                url.scheme == "https" || url.scheme == "http", url.host != nil
            else {
                throw CLIError("--endpoint must be an http(s) URL")
            }
            return try SyncConnection(endpoint: url, tokens: tokens, options: options)
        }

        private func allUsers() throws -> [String] {
            var users = user
            if let usersFile {
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: usersFile))
                } catch {
                    throw CLIError("cannot read the users file \(usersFile)")
                }
                if let listing = try? JSONDecoder().decode(UsersFile.self, from: data) {
                    users += listing.users.map(\.rawId)
                } else {
                    let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                    users += lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                        !$0.isEmpty && !$0.hasPrefix("#")
                    }
                }
            }
            var seen = Set<String>()
            users = users.filter { seen.insert($0).inserted }
            guard !users.isEmpty else { throw CLIError("no users to sync as") }
            return users
        }
    }
}

private struct UsersFile: Decodable {
    struct User: Decodable { var rawId: String }
    var users: [User]
}

/// The `sync --json` line: `threads`, `messagesNew`, `revisionsNew`, `failedThreads`, `seconds` (never renamed).
private struct SyncSummaryLine: Encodable {
    var threads: Int
    var threadsSkipped: Int
    var messagesNew: Int
    var revisionsNew: Int
    var failedThreads: Int
    var seconds: Double

    init(_ summary: SyncSummary) {
        threads = summary.threads
        threadsSkipped = summary.threadsSkipped
        messagesNew = summary.messagesNew
        revisionsNew = summary.revisionsNew
        failedThreads = summary.failedThreads
        seconds = (summary.seconds * 1000).rounded() / 1000
    }
}

/// A one-line progress display on a terminal's stderr.
final class ProgressDisplay: Sendable {
    private let started = ContinuousClock.now
    private let state = Mutex<(total: Int, messages: Int)>((0, 0))

    func show(_ event: SyncProgress) {
        let line: String? = state.withLock { state in
            switch event {
            case .listedThreads(let total):
                state.total = total
                return "\(total) threads to check"
            case .threadFinished(_, let done, let total, let messagesNew):
                state.messages += messagesNew
                let elapsed = Double((ContinuousClock.now - started).components.seconds)
                let rate = elapsed > 0 ? Int(Double(state.messages) / elapsed) : state.messages
                return "threads \(done)/\(total), \(state.messages) new messages, \(rate) msg/s"
            case .threadFailed(let threadID, let done, let total):
                return "threads \(done)/\(total), failed: \(threadID)"
            }
        }
        if let line { FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8)) }
    }

    /// `show` as the sync engine's progress callback.
    var callback: @Sendable (SyncProgress) -> Void {
        { [self] event in show(event) }
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
