public import ArchiveModel
public import Foundation
public import SearchQuery

/// One message (or, with `--all-versions`, one revision of a message) that matches a search.
public struct SearchHit: Sendable, Hashable {
    public var threadID: String
    public var messageID: String
    /// The revision whose text matched (and whose text the snippet shows).
    public var version: String
    public var type: MessageType
    /// Raw id of the sender; nil for system messages.
    public var senderID: String?
    /// The name the revision carried, else the identity's archived name.
    public var senderDisplayName: String?
    public var createdOn: Date
    /// When the matched revision was edited (nil for an original version).
    public var editedOn: Date?
    /// When the message was deleted, if it was (also set on hits in its earlier revisions).
    public var deletedOn: Date?
    /// The thread's current topic.
    public var topic: String?
    /// The matched revision's whole plain text.
    public var text: String
    /// An excerpt of `text` around the first match, highlights as Character offsets into it.
    public var snippet: SearchSnippet
    /// False when the hit is an earlier revision or the last content of a deleted message.
    public var isCurrent: Bool
    /// Relevance, higher is better: negated bm25 with sampled document frequencies (`archive_bm25` in CSQLite),
    /// comparable within one query only; nil when the query has no text to rank by.
    public var score: Double?

    public init(
        threadID: String,
        messageID: String,
        version: String,
        type: MessageType,
        senderID: String?,
        senderDisplayName: String?,
        createdOn: Date,
        editedOn: Date?,
        deletedOn: Date?,
        topic: String?,
        text: String,
        snippet: SearchSnippet,
        isCurrent: Bool,
        score: Double?
    ) {
        self.threadID = threadID
        self.messageID = messageID
        self.version = version
        self.type = type
        self.senderID = senderID
        self.senderDisplayName = senderDisplayName
        self.createdOn = createdOn
        self.editedOn = editedOn
        self.deletedOn = deletedOn
        self.topic = topic
        self.text = text
        self.snippet = snippet
        self.isCurrent = isCurrent
        self.score = score
    }
}
