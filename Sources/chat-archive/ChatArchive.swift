import ArgumentParser
import Foundation

/// The `chat-archive` command line: parses arguments, calls the libraries, prints.
@main
struct ChatArchive: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "chat-archive",
        abstract: "Archive, search and export Azure Communication Services chat.",
        discussion: """
            Pages through an ACS resource's chat threads, messages, participants and read receipts into a \
            tamper-evident SQLite archive, searches it, and exports transcripts. `chat-archive emulator` serves \
            a local ACS Chat + Identity emulator for testing without Azure.
            """,
        version: version,
        subcommands: [Demo.self, Emulator.self, Sync.self, Search.self, Export.self, Verify.self, Stats.self]
    )

    /// Runs the command; usage errors exit with status 2 (the CLI contract), not ArgumentParser's 64.
    static func main() async {
        // A full disk or `ulimit -f` must surface as a write error with a clear message, not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
