internal import ACSChat
internal import ArchiveModel
internal import Foundation
internal import HTMLSanitizer

/// Turns a message as the service returned it into the revision the archive keeps.
///
/// HTML is sanitized here, once, when the revision is first seen; the raw content is kept beside it as received.
struct RevisionMapper: Sendable {
    let sanitizer: HTMLSanitizer

    func revision(of message: ChatMessage, threadID: String, observedOn: Date) -> MessageRevision {
        let content = message.content
        let raw = content?.message ?? ""
        let type = MessageType(rawValue: message.type.rawValue)
        var sanitizedHTML: String?
        let text: String
        switch type {
        case .html:
            let sanitized = sanitizer.sanitize(raw)
            sanitizedHTML = sanitized.html
            text = sanitized.text
        case .topicUpdated:
            text = content?.topic.map { "Topic changed to \($0)" } ?? "Topic changed"
        case .participantAdded:
            text = "Added: " + Self.names(content?.participants ?? [])
        case .participantRemoved:
            text = "Removed: " + Self.names(content?.participants ?? [])
        case .text, .unknown:
            text = raw
        }
        return MessageRevision(
            threadID: threadID,
            messageID: message.id,
            version: message.version,
            sequenceID: Int64(message.sequenceID),
            type: type,
            senderID: message.sender?.rawID,
            senderDisplayName: message.senderDisplayName,
            createdOn: message.createdOn,
            editedOn: message.editedOn,
            deletedOn: message.deletedOn,
            content: raw,
            sanitizedHTML: sanitizedHTML,
            text: text,
            topic: content?.topic,
            participants: (content?.participants ?? []).map {
                MessageParticipant(
                    rawID: $0.identifier.rawID,
                    displayName: $0.displayName,
                    shareHistoryTime: $0.shareHistoryTime
                )
            },
            initiatorID: content?.initiator?.rawID,
            metadata: message.metadata,
            attachments: (content?.attachments ?? []).map {
                MessageAttachment(
                    id: $0.id,
                    type: $0.attachmentType.rawValue,
                    name: $0.name,
                    url: $0.urlString,
                    previewURL: $0.previewURLString
                )
            },
            observedOn: observedOn
        )
    }

    /// Identities named by a message (sender and system-message participants), with their display names.
    func identities(in message: ChatMessage) -> [ArchivedIdentity] {
        var found: [ArchivedIdentity] = []
        if let sender = message.sender {
            let name = message.senderDisplayName.flatMap { $0.isEmpty ? nil : $0 }
            found.append(ArchivedIdentity(rawID: sender.rawID, displayName: name))
        }
        for participant in message.content?.participants ?? [] {
            found.append(ArchivedIdentity(rawID: participant.identifier.rawID, displayName: participant.displayName))
        }
        if let initiator = message.content?.initiator {
            found.append(ArchivedIdentity(rawID: initiator.rawID))
        }
        return found
    }

    private static func names(_ participants: [ChatParticipant]) -> String {
        participants.map { participant in
            participant.displayName.flatMap { $0.isEmpty ? nil : $0 } ?? participant.identifier.rawID
        }.joined(separator: ", ")
    }
}
