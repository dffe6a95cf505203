import ArchiveModel
import Foundation

@testable import ArchiveStore

/// Small builders for archive test data. Times are whole seconds so they survive millisecond storage.
enum Fixtures {
    static let threadID = "19:meeting_test@thread.v2"
    static let alice = "8:acs:00000000-0000-0000-0000-00000000000a"
    static let bob = "8:acs:00000000-0000-0000-0000-00000000000b"
    static let carol = "8:acs:00000000-0000-0000-0000-00000000000c"

    static func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_796_000_000 + Double(seconds)) }

    static func message(
        _ id: String,
        version: Int? = nil,
        thread: String = threadID,
        text: String,
        sender: String = alice,
        created: Int,
        edited: Int? = nil,
        deleted: Int? = nil,
        observed: Int = 10_000,
        type: MessageType = .text
    ) -> MessageRevision {
        MessageRevision(
            threadID: thread,
            messageID: id,
            version: String(1_796_000_000_000 + (version ?? created) * 1000),
            sequenceID: Int64(created),
            type: type,
            senderID: sender,
            senderDisplayName: sender == alice ? "Alice" : "Bob",
            createdOn: date(created),
            editedOn: edited.map(date),
            deletedOn: deleted.map(date),
            content: deleted == nil ? text : "",
            text: deleted == nil ? text : "",
            metadata: ["k": "v"],
            observedOn: date(observed)
        )
    }

    static func system(
        _ id: String,
        type: MessageType,
        participants: [String] = [],
        topic: String? = nil,
        created: Int,
        thread: String = threadID
    ) -> MessageRevision {
        MessageRevision(
            threadID: thread,
            messageID: id,
            version: String(1_796_000_000_000 + created * 1000),
            sequenceID: Int64(created),
            type: type,
            createdOn: date(created),
            content: "",
            text: "",
            topic: topic,
            participants: participants.map { MessageParticipant(rawID: $0, displayName: $0 == bob ? "Bob" : nil) },
            initiatorID: alice,
            observedOn: date(10_000)
        )
    }

    static func batch(
        _ revisions: [MessageRevision],
        thread: String = threadID,
        observed: Int = 10_000,
        cursor: ThreadCursor? = nil
    ) -> ThreadBatch {
        ThreadBatch(threadID: thread, revisions: revisions, cursor: cursor, observedOn: date(observed))
    }
}

/// A fresh directory under the system temp dir, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("archive-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A second, raw connection to an archive file: what someone editing the file behind the store would use.
func withRawConnection<T>(_ path: String, _ body: (SQLiteConnection) throws -> T) throws -> T {
    let connection = try SQLiteConnection(path: path, readOnly: false)
    return try body(connection)
}

extension SQLiteConnection {
    /// The first column of the first row of `sql`, bound with `text` parameters.
    func scalar(_ sql: String, _ parameters: String...) throws -> Int64 {
        try withStatement(sql) { statement throws(ArchiveStoreError) in
            for (index, parameter) in parameters.enumerated() { statement.bind(Int32(index + 1), parameter) }
            return try statement.step() ? statement.int64(0) : -1
        }
    }
}
