/// Compact in-memory records. Users are referred to by their index in the user table (`Int32`), times are epoch
/// milliseconds with 0 meaning "absent", and a message's sequence id is its position in the thread plus one.

struct UserRecord {
    var rawID: String
    var displayName: String?
    /// Bumped by revoke and delete; tokens carry the generation they were minted in.
    var tokenGeneration: UInt32 = 0
    var isDeleted = false
}

struct ParticipantRecord {
    var user: Int32
    var displayName: String?
    var shareHistoryMs: Int64
    var metadata: [String: String]?
}

enum MessageKind: UInt8 {
    case text, html, topicUpdated, participantAdded, participantRemoved

    var wireName: String {
        switch self {
        case .text: "text"
        case .html: "html"
        case .topicUpdated: "topicUpdated"
        case .participantAdded: "participantAdded"
        case .participantRemoved: "participantRemoved"
        }
    }

    var isSystem: Bool { self != .text && self != .html }
}

/// The rarely used parts of a message, boxed so that a plain message stays small.
final class MessageExtras: Sendable {
    let metadata: [String: String]?
    /// For membership system messages: the affected participants.
    let participants: [ParticipantRecord]
    /// For system messages: who made the change.
    let initiator: Int32

    init(metadata: [String: String]?, participants: [ParticipantRecord] = [], initiator: Int32 = -1) {
        self.metadata = metadata
        self.participants = participants
        self.initiator = initiator
    }
}

struct MessageRecord {
    /// Creation time in epoch ms; also the message id (strictly increasing within a thread).
    var createdMs: Int64
    var versionMs: Int64
    var editedMs: Int64 = 0
    var deletedMs: Int64 = 0
    /// -1 for system messages.
    var sender: Int32
    var kind: MessageKind
    /// The message text, or the topic for `topicUpdated`.
    var body: String
    var senderDisplayName: String?
    var extras: MessageExtras?
}

struct ReceiptRecord {
    var user: Int32
    var messageID: Int64
    var readMs: Int64
}

enum RetentionPolicy: Equatable {
    case none
    case threadCreationDate(days: Int)
}

struct ThreadRecord {
    let id: String
    var topic: String
    let createdMs: Int64
    let creator: Int32
    var deletedMs: Int64 = 0
    var lastMessageMs: Int64
    var participants: [ParticipantRecord] = []
    var messages: [MessageRecord] = []
    var receipts: [ReceiptRecord] = []
    var metadata: [String: String]?
    var retentionPolicy: RetentionPolicy?

    func participantIndex(of user: Int32) -> Int? {
        participants.firstIndex { $0.user == user }
    }

    /// The next message id: epoch ms, forced above the previous id so ids stay unique and ordered.
    func nextMessageMs(now: Int64) -> Int64 {
        max(now, (messages.last?.createdMs ?? 0) + 1)
    }

    /// The position of the message with `id`, by binary search (ids increase with position).
    func messageIndex(id: Int64) -> Int? {
        var low = 0
        var high = messages.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let value = messages[middle].createdMs
            if value == id { return middle }
            if value < id { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }
}

/// Everything the emulator knows, as one value so that seeding can build it outside the actor.
struct Workspace {
    var resourceID: String
    var users: [UserRecord] = []
    var userIndex: [String: Int32] = [:]
    var threads: [ThreadRecord] = []
    var threadIndex: [String: Int32] = [:]
    /// Thread indices each user has ever been added to (filtered by current membership when listing).
    var threadsByUser: [Int32: [Int32]] = [:]

    @discardableResult
    mutating func addUser(rawID: String, displayName: String?) -> Int32 {
        let index = Int32(users.count)
        users.append(UserRecord(rawID: rawID, displayName: displayName))
        userIndex[rawID] = index
        return index
    }

    mutating func addThread(_ thread: ThreadRecord) -> Int32 {
        let index = Int32(threads.count)
        threadIndex[thread.id] = index
        for participant in thread.participants {
            threadsByUser[participant.user, default: []].append(index)
        }
        threads.append(thread)
        return index
    }

    mutating func noteMembership(user: Int32, thread: Int32) {
        if threadsByUser[user]?.contains(thread) != true {
            threadsByUser[user, default: []].append(thread)
        }
    }
}
