public import ArchiveModel

/// Everything about one thread except its messages, which are streamed separately.
///
/// Participants and receipts are small per thread and held in memory; messages never are.
public struct ThreadExportInput: Sendable, Hashable {
    public var thread: ArchivedThread
    /// Every participant the archive has seen, including removed ones (any order: written sorted by raw id).
    public var participants: [ArchivedParticipant]
    /// The latest receipt per reader (any order: written sorted).
    public var readReceipts: [ArchivedReadReceipt]
    /// The earliest message of the thread in the archive (not of this export), which mbox threads every message
    /// under; `nil` uses the first message written.
    public var rootMessageID: String?
    /// The archive's hash-chain head for this thread at export time, if known (written to headers).
    public var chainHead: String?

    public init(
        thread: ArchivedThread,
        participants: [ArchivedParticipant] = [],
        readReceipts: [ArchivedReadReceipt] = [],
        rootMessageID: String? = nil,
        chainHead: String? = nil
    ) {
        self.thread = thread
        self.participants = participants
        self.readReceipts = readReceipts
        self.rootMessageID = rootMessageID
        self.chainHead = chainHead
    }
}
