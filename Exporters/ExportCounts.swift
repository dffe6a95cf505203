/// What an export wrote; totals for a file, and the manifest's counts.
public struct ExportCounts: Sendable, Hashable, Encodable {
    public var threads = 0
    public var participants = 0
    public var messages = 0
    /// Earlier revisions written (only with `withHistory`).
    public var revisions = 0
    public var readReceipts = 0
    public var editedMessages = 0
    public var deletedMessages = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case threads = "threadCount"
        case participants = "participantCount"
        case messages = "messageCount"
        case revisions = "revisionCount"
        case readReceipts = "readReceiptCount"
        case editedMessages = "editedMessageCount"
        case deletedMessages = "deletedMessageCount"
    }

    public static func + (lhs: ExportCounts, rhs: ExportCounts) -> ExportCounts {
        var sum = lhs
        sum.threads += rhs.threads
        sum.participants += rhs.participants
        sum.messages += rhs.messages
        sum.revisions += rhs.revisions
        sum.readReceipts += rhs.readReceipts
        sum.editedMessages += rhs.editedMessages
        sum.deletedMessages += rhs.deletedMessages
        return sum
    }

    public static func += (lhs: inout ExportCounts, rhs: ExportCounts) { lhs = lhs + rhs }
}
