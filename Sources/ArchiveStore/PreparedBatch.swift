import ArchiveModel

/// A ``ThreadBatch`` checked and with everything that does not need the archive worked out: chain order,
/// canonical bytes, JSON columns and search columns.
///
/// Preparing is pure and may run anywhere, so the sync engine prepares batches on its fetching tasks and the
/// store's actor (the one writer) is left with what only it can do: look up rows, chain hashes, insert.
public struct PreparedBatch: Sendable {
    /// The batch, without its revisions (they are in `revisions`).
    let batch: ThreadBatch
    /// In chain order: (createdOn, sequenceID, messageID, version).
    let revisions: [PreparedRevision]

    public var threadID: String { batch.threadID }
    public var revisionCount: Int { revisions.count }
    /// Whether the batch finishes its thread (it carries the thread's cursor).
    public var finishesThread: Bool { batch.cursor != nil }

    public init(_ batch: ThreadBatch) throws(ArchiveStoreError) {
        try Self.validate(batch)
        let json = ArchiveJSON()
        let all = batch.revisions
        let order = all.indices.sorted { left, right in
            let (lhs, rhs) = (all[left], all[right])
            if lhs.createdOn != rhs.createdOn { return lhs.createdOn < rhs.createdOn }
            if lhs.sequenceID != rhs.sequenceID { return (lhs.sequenceID ?? .min) < (rhs.sequenceID ?? .min) }
            if lhs.messageID != rhs.messageID { return lhs.messageID < rhs.messageID }
            return versionPrecedes(lhs.version, rhs.version)
        }
        var revisions: [PreparedRevision] = []
        revisions.reserveCapacity(all.count)
        for index in order {
            revisions.append(try PreparedRevision(all[index], json: json))
        }
        var stripped = batch
        stripped.revisions = []
        self.batch = stripped
        self.revisions = revisions
    }

    private static func validate(_ batch: ThreadBatch) throws(ArchiveStoreError) {
        let id = batch.threadID
        let consistent =
            !id.isEmpty && (batch.thread.map { $0.id == id } ?? true)
            && batch.revisions.allSatisfy { $0.threadID == id && !$0.messageID.isEmpty && !$0.version.isEmpty }
            && batch.readReceipts.allSatisfy { $0.threadID == id } && (batch.cursor.map { $0.threadID == id } ?? true)
        guard consistent else {
            throw ArchiveStoreError(
                code: .invalidBatch,
                message: "a batch must name one thread and every item must belong to it",
                operation: "apply"
            )
        }
    }
}

/// One revision with its hashed fields, their canonical bytes and its FTS5 columns.
///
/// A class: the writer passes it around by reference instead of copying some thirty fields per revision.
final class PreparedRevision: Sendable {
    let revision: MessageRevision
    let canonical: CanonicalRevision
    let canonicalBytes: [UInt8]
    /// `revisions.search_text` / `revisions.cjk` (nil for a deleted revision: it is not indexed).
    let searchText: String?
    let cjk: String?

    init(_ revision: MessageRevision, json: ArchiveJSON) throws(ArchiveStoreError) {
        self.revision = revision
        canonical = CanonicalRevision(
            threadID: revision.threadID,
            messageID: revision.messageID,
            version: revision.version,
            sequenceID: revision.sequenceID,
            type: revision.type.rawValue,
            senderID: revision.senderID,
            senderDisplayName: revision.senderDisplayName,
            createdOn: revision.createdOn.archiveMillis,
            editedOn: revision.editedOn?.archiveMillis,
            deletedOn: revision.deletedOn?.archiveMillis,
            content: revision.content,
            sanitizedHTML: revision.sanitizedHTML,
            text: revision.text,
            topic: revision.topic,
            participants: try json.participants(revision.participants),
            initiatorID: revision.initiatorID,
            metadata: try json.metadata(revision.metadata),
            attachments: try json.attachments(revision.attachments),
            observedOn: revision.observedOn.archiveMillis
        )
        canonicalBytes = canonical.canonicalBytes
        (searchText, cjk) = revision.isDeleted ? (nil, nil) : SearchColumns.make(for: revision.text)
    }
}
