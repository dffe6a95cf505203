import ArchiveModel
import Foundation

/// What every format needs about the thread being written: sorted participants, names and receipts by message.
struct ThreadContext {
    let input: ThreadExportInput
    let participants: [ArchivedParticipant]
    let receipts: [ArchivedReadReceipt]
    let receiptsByMessage: [String: [ArchivedReadReceipt]]
    private let names: [String: String]
    var counts = ExportCounts()
    var rootMessageID: String?

    init(_ input: ThreadExportInput) {
        self.input = input
        participants = input.participants.sorted { lhs, rhs in
            if lhs.identity.rawID != rhs.identity.rawID { return lhs.identity.rawID < rhs.identity.rawID }
            return lhs.firstSeen < rhs.firstSeen
        }
        receipts = input.readReceipts.sorted { lhs, rhs in
            if lhs.readerID != rhs.readerID { return lhs.readerID < rhs.readerID }
            if lhs.readOn != rhs.readOn { return lhs.readOn < rhs.readOn }
            return lhs.messageID < rhs.messageID
        }
        receiptsByMessage = Dictionary(grouping: receipts, by: \.messageID)
        var names: [String: String] = [:]
        for participant in participants {
            if let name = participant.displayName ?? participant.identity.displayName, !name.isEmpty {
                names[participant.identity.rawID] = name
            }
        }
        self.names = names
        rootMessageID = input.rootMessageID
        counts.threads = 1
        counts.participants = participants.count
        counts.readReceipts = receipts.count
    }

    var threadID: String { input.thread.id }

    /// The name shown for a raw id: the archive's display name, else the raw id itself.
    func name(of rawID: String, fallback: String? = nil) -> String {
        if let fallback, !fallback.isEmpty { return fallback.singleLine }
        return (names[rawID] ?? rawID).singleLine
    }

    /// Checks the message belongs here and counts it.
    mutating func accept(_ message: ArchivedMessage, format: String) throws -> MessageView {
        guard message.threadID == threadID else {
            throw ExportError(code: .threadMismatch, operation: "\(format): write message")
        }
        let view = MessageView(message)
        if rootMessageID == nil { rootMessageID = message.messageID }
        counts.messages += 1
        if view.editedOn != nil { counts.editedMessages += 1 }
        if view.deletedOn != nil { counts.deletedMessages += 1 }
        return view
    }

    /// Human text for system messages (membership and topic changes); `nil` for user messages.
    func systemSummary(_ revision: MessageRevision) -> String? {
        let list = revision.participants.map { name(of: $0.rawID, fallback: $0.displayName) }.joined(separator: ", ")
        let by = revision.initiatorID.map { " by " + name(of: $0) } ?? ""
        switch revision.type {
        case .participantAdded: return "Added \(list)\(by)"
        case .participantRemoved: return "Removed \(list)\(by)"
        case .topicUpdated: return "Topic changed to \u{201C}\((revision.topic ?? "").singleLine)\u{201D}\(by)"
        case .text, .html, .unknown: return nil
        }
    }

    /// The sender's name for a heading or From header; system messages show their initiator or "System".
    func senderName(_ revision: MessageRevision) -> String {
        if let sender = revision.senderID { return name(of: sender, fallback: revision.senderDisplayName) }
        return "System"
    }
}

/// The state of one message an export shows: the last content it had, with the latest edit and deletion times.
struct MessageView {
    let message: ArchivedMessage
    /// The newest revision with content (for a deleted message, what it said before deletion).
    let shown: MessageRevision
    let latest: MessageRevision
    let editedOn: Date?
    let deletedOn: Date?

    init(_ message: ArchivedMessage) {
        self.message = message
        shown = message.lastContent
        latest = message.latest
        editedOn = message.revisions.last { $0.editedOn != nil }?.editedOn
        deletedOn = message.latest.deletedOn
    }

    var earlierRevisions: [MessageRevision] { message.earlierRevisions }
}

extension String {
    /// The text with every control character and line or paragraph separator replaced by a space, for names and
    /// topics shown on one line (headings, headers).
    var singleLine: String {
        guard unicodeScalars.contains(where: { $0.isLineBreakingOrControl }) else { return self }
        var out = ""
        for scalar in unicodeScalars { out.unicodeScalars.append(scalar.isLineBreakingOrControl ? " " : scalar) }
        return out
    }
}

extension Unicode.Scalar {
    var isLineBreakingOrControl: Bool {
        value < 0x20 || (value >= 0x7F && value < 0xA0) || value == 0x2028 || value == 0x2029
    }
}
