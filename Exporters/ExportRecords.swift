import ArchiveModel
import Foundation

/// The JSON objects shared by the `json` and `jsonl` formats; field names are a contract (add, never rename).
///
/// Fields are listed in sorted order so writing them needs no sort (`JSONValue` still checks and sorts if not).
enum ExportRecords {
    static let formatVersion: Int64 = 1

    static func time(_ date: Date?) -> JSONValue { date.map { .time($0) } ?? .null }

    static func metadata(_ values: [String: String]) -> JSONValue {
        values.isEmpty ? .object([]) : .object(values.map { ($0.key, .string($0.value)) })
    }

    /// Inserts `member` at its sorted position in already sorted `fields`.
    static func inserting(_ member: (String, JSONValue), into fields: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var result = fields
        let index = result.firstIndex { JSONValue.less(member.0, $0.0) } ?? result.endIndex
        result.insert(member, at: index)
        return result
    }

    static func thread(_ context: ThreadContext) -> [(String, JSONValue)] {
        let thread = context.input.thread
        let retention: JSONValue
        switch thread.retentionPolicy {
        case nil: retention = .null
        case .none?: retention = .object([("kind", .string("none"))])
        case .threadCreationDate(let days)?:
            retention = .object([("deleteThreadAfterDays", .count(days)), ("kind", .string("threadCreationDate"))])
        case .unknown(let value)?: retention = .object([("kind", .string("unknown")), ("value", .string(value))])
        }
        return [
            ("chainHead", .nullable(context.input.chainHead)),
            ("createdBy", .nullable(thread.createdBy)),
            ("createdOn", time(thread.createdOn)),
            ("deletedOn", time(thread.deletedOn)),
            ("firstSeen", time(thread.firstSeen)),
            ("lastSeen", time(thread.lastSeen)),
            ("metadata", metadata(thread.metadata)),
            ("retentionPolicy", retention),
            ("threadId", .string(thread.id)),
            ("topic", .string(thread.topic)),
            (
                "topicHistory",
                .array(
                    thread.topicHistory.map { change in
                        .object([
                            ("changedOn", time(change.changedOn)), ("observedOn", time(change.observedOn)),
                            ("topic", .string(change.topic)),
                        ])
                    }
                )
            ),
        ]
    }

    static func participant(_ participant: ArchivedParticipant) -> [(String, JSONValue)] {
        [
            ("displayName", .nullable(participant.displayName ?? participant.identity.displayName)),
            ("firstSeen", time(participant.firstSeen)),
            ("kind", .string(participant.identity.kind.name)),
            ("lastSeen", time(participant.lastSeen)),
            ("metadata", metadata(participant.metadata)),
            ("rawId", .string(participant.identity.rawID)),
            ("removedOn", time(participant.removedOn)),
            ("shareHistoryTime", time(participant.shareHistoryTime)),
            ("threadId", .string(participant.threadID)),
        ]
    }

    static func readReceipt(_ receipt: ArchivedReadReceipt) -> [(String, JSONValue)] {
        [
            ("messageId", .string(receipt.messageID)),
            ("observedOn", time(receipt.observedOn)),
            ("readOn", time(receipt.readOn)),
            ("readerId", .string(receipt.readerID)),
            ("threadId", .string(receipt.threadID)),
        ]
    }

    private static func participants(_ revision: MessageRevision) -> JSONValue {
        guard !revision.participants.isEmpty else { return .array([]) }
        return .array(
            revision.participants.map { participant in
                .object([
                    ("displayName", .nullable(participant.displayName)),
                    ("rawId", .string(participant.rawID)),
                    ("shareHistoryTime", time(participant.shareHistoryTime)),
                ])
            }
        )
    }

    private static func attachments(_ revision: MessageRevision) -> JSONValue {
        guard !revision.attachments.isEmpty else { return .array([]) }
        return .array(
            revision.attachments.map { attachment in
                .object([
                    ("id", .string(attachment.id)), ("name", .nullable(attachment.name)),
                    ("previewUrl", .nullable(attachment.previewURL)), ("type", .string(attachment.type)),
                    ("url", .nullable(attachment.url)),
                ])
            }
        )
    }

    /// One revision exactly as archived (raw `content` included: consumers must treat it as untrusted).
    static func revision(_ revision: MessageRevision) -> [(String, JSONValue)] {
        [
            ("attachments", attachments(revision)),
            ("content", .string(revision.content)),
            ("createdOn", time(revision.createdOn)),
            ("deletedOn", time(revision.deletedOn)),
            ("editedOn", time(revision.editedOn)),
            ("initiatorId", .nullable(revision.initiatorID)),
            ("messageId", .string(revision.messageID)),
            ("metadata", metadata(revision.metadata)),
            ("observedOn", time(revision.observedOn)),
            ("participants", participants(revision)),
            ("sanitizedHtml", .nullable(revision.sanitizedHTML)),
            ("senderDisplayName", .nullable(revision.senderDisplayName)),
            ("senderId", .nullable(revision.senderID)),
            ("sequenceId", .nullable(revision.sequenceID)),
            ("text", .string(revision.text)),
            ("threadId", .string(revision.threadID)),
            ("topic", .nullable(revision.topic)),
            ("type", .string(revision.type.rawValue)),
            ("version", .string(revision.version)),
        ]
    }

    /// The message as last archived: content of `shown`, `version`/`editedOn`/`deletedOn` of the latest state.
    static func message(_ view: MessageView) -> [(String, JSONValue)] {
        let shown = view.shown
        return [
            ("attachments", attachments(shown)),
            ("content", .string(shown.content)),
            ("contentVersion", .string(shown.version)),
            ("createdOn", time(shown.createdOn)),
            ("deletedOn", time(view.deletedOn)),
            ("editedOn", time(view.editedOn)),
            ("initiatorId", .nullable(shown.initiatorID)),
            ("messageId", .string(shown.messageID)),
            ("metadata", metadata(shown.metadata)),
            ("participants", participants(shown)),
            ("revisionCount", .count(view.message.revisions.count)),
            ("sanitizedHtml", .nullable(shown.sanitizedHTML)),
            ("senderDisplayName", .nullable(shown.senderDisplayName)),
            ("senderId", .nullable(shown.senderID)),
            ("sequenceId", .nullable(shown.sequenceID)),
            ("text", .string(shown.text)),
            ("threadId", .string(shown.threadID)),
            ("topic", .nullable(shown.topic)),
            ("type", .string(shown.type.rawValue)),
            ("version", .string(view.latest.version)),
        ]
    }

    static func filters(_ filters: ExportFilters) -> JSONValue {
        .object([
            ("participantId", .nullable(filters.participantID)),
            ("since", time(filters.since)),
            ("threadIds", .array(filters.threadIDs.sorted().map { .string($0) })),
            ("until", time(filters.until)),
        ])
    }

    static func counts(_ counts: ExportCounts) -> [(String, JSONValue)] {
        [
            ("deletedMessageCount", .count(counts.deletedMessages)),
            ("editedMessageCount", .count(counts.editedMessages)),
            ("messageCount", .count(counts.messages)),
            ("participantCount", .count(counts.participants)),
            ("readReceiptCount", .count(counts.readReceipts)),
            ("revisionCount", .count(counts.revisions)),
            ("threadCount", .count(counts.threads)),
        ]
    }
}
