import ACSChat
import ArchiveModel
import ArchiveStore
import ArchiveSync
import ChatEmulator
import Foundation
import Synchronization

/// Clients around an in-process emulator; every client made here is shut down when the scope ends.
final class SyncFixture: Sendable {
    let emulator: RunningEmulator
    private let clients = Mutex<[ChatClient]>([])

    private init(emulator: RunningEmulator) {
        self.emulator = emulator
    }

    /// Runs `body` against a fresh emulator, then shuts every client and the emulator down, on both paths.
    static func with<T: Sendable>(
        _ configuration: EmulatorConfiguration = EmulatorConfiguration(),
        _ body: (SyncFixture) async throws -> T
    ) async throws -> T {
        try await ChatEmulator.withRunning(configuration) { emulator in
            let fixture = SyncFixture(emulator: emulator)
            let result: Result<T, any Error>
            do {
                result = .success(try await body(fixture))
            } catch {
                result = .failure(error)
            }
            for client in fixture.clients.withLock({ $0 }) { try? await client.shutdown() }
            return try result.get()
        }
    }

    /// Readers for the first `limit` seeded users.
    func seededReaders(limit: Int = .max) async throws -> [ChatReader] {
        var readers: [ChatReader] = []
        for user in emulator.seededUsers.prefix(limit) { readers.append(try await reader(for: user.rawID)) }
        return readers
    }

    var clientOptions: ChatClientOptions {
        ChatClientOptions(
            trustedRootCertificatesPEM: emulator.certificatePEM,
            retryPolicy: RetryPolicy(
                maxAttempts: 6,
                baseDelay: .milliseconds(1),
                maxDelay: .milliseconds(5),
                maxRetryAfter: .seconds(2)
            )
        )
    }

    /// A chat client acting as `rawID` with a fresh token.
    func client(for rawID: String) async throws -> ChatClient {
        let token = try await emulator.issueToken(for: rawID)
        let client = try ChatClient(
            endpoint: emulator.endpoint,
            credential: try CommunicationTokenCredential(token: token),
            options: clientOptions
        )
        clients.withLock { $0.append(client) }
        return client
    }

    func reader(for rawID: String) async throws -> ChatReader {
        ChatReader(client: try await client(for: rawID), identityRawID: rawID)
    }

    /// Runs `body` with a temporary archive file path, removed afterwards.
    static func withArchivePath<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory.appendingPathComponent("archive.sqlite").path)
    }
}

extension ArchiveStore {
    /// Every message of every thread, with its revisions, keyed by "thread/message".
    func allMessages() throws -> [String: ArchivedMessageSummary] {
        var result: [String: ArchivedMessageSummary] = [:]
        for thread in try threads() {
            try forEachMessage(threadID: thread.id, since: nil, until: nil) { message in
                result["\(message.threadID)/\(message.messageID)"] = ArchivedMessageSummary(
                    versions: message.revisions.map(\.version),
                    isDeleted: message.isDeleted,
                    lastText: message.lastContent.text,
                    type: message.latest.type.rawValue
                )
            }
        }
        return result
    }
}

struct ArchivedMessageSummary: Hashable, Sendable {
    var versions: [String]
    var isDeleted: Bool
    var lastText: String
    var type: String
}
