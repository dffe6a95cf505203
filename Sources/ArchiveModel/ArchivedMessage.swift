/// A message with every revision the archive holds. Its current state is derived, never stored.
public struct ArchivedMessage: Sendable, Hashable {
    /// Every revision, oldest first (by `version`, then observation time). Never empty.
    public private(set) var revisions: [MessageRevision]

    /// - Precondition: `revisions` is non-empty and all belong to one message.
    public init(revisions: [MessageRevision]) {
        precondition(!revisions.isEmpty, "a message has at least one revision")
        self.revisions = revisions.sorted { lhs, rhs in
            if lhs.version.count != rhs.version.count { return lhs.version.count < rhs.version.count }
            if lhs.version != rhs.version { return lhs.version < rhs.version }
            return lhs.observedOn < rhs.observedOn
        }
    }

    public var threadID: String { latest.threadID }
    public var messageID: String { latest.messageID }
    /// The newest revision: what the service showed last (empty content when deleted).
    public var latest: MessageRevision { revisions[revisions.count - 1] }
    public var isDeleted: Bool { latest.isDeleted }
    public var isEdited: Bool { revisions.contains { $0.editedOn != nil } }
    /// The newest revision that still had content: for a deleted message, what it said before deletion.
    public var lastContent: MessageRevision { revisions.last { !$0.isDeleted } ?? latest }
    /// Revisions before `lastContent`, oldest first (the edit history).
    public var earlierRevisions: [MessageRevision] {
        let shown = lastContent
        return revisions.filter { $0.version != shown.version && !$0.isDeleted }
    }
}
