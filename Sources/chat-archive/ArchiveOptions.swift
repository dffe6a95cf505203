import ArchiveModel
import ArchiveStore
import ArgumentParser
import Foundation

/// `--archive FILE`, shared by every command that reads or writes an archive.
struct ArchiveOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The archive file (SQLite).", valueName: "FILE"))
    var archive: String

    /// Opens an archive that must already exist (read-only unless `writable`).
    func openExisting(writable: Bool = false) throws -> ArchiveStore {
        guard FileManager.default.fileExists(atPath: archive) else {
            throw CLIError("no archive at \(archive)")
        }
        guard FileManager.default.isReadableFile(atPath: archive) else {
            throw CLIError("cannot read \(archive): permission denied")
        }
        do {
            return try ArchiveStore(path: archive, readOnly: !writable)
        } catch {
            throw CLIError("cannot open \(archive): \(error)")
        }
    }
}

/// A failure the CLI reports as one line on stderr, with exit code 1 (or `exitCode`).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 1

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}

extension ChatArchive {
    /// Runs `body`, turning any error into one line on stderr and an exit code (no stack traces).
    static func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CLIError {
            printError(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as ExitCode {
            throw error
        } catch is CancellationError {
            printError("cancelled")
            throw ExitCode(130)
        } catch {
            printError(String(describing: error))
            throw ExitCode(1)
        }
    }

    static func printError(_ message: String) {
        let line = "chat-archive: error: \(message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// Writes to stderr (progress and diagnostics; stdout stays machine-readable).
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

/// JSON for the CLI's machine-readable outputs: sorted keys, RFC 3339 UTC milliseconds, one line.
enum CLIJSON {
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
