import Foundation

/// A wire value that decoded as JSON but cannot become a domain value.
struct WireMappingError: Error, Sendable {
    var message: String
}

extension CommunicationIdentifier {
    /// Prefers the typed sub-object; falls back to `rawId` for kinds this client does not model.
    init(wire: WireIdentifier) throws(WireMappingError) {
        if let user = wire.communicationUser {
            self = .communicationUser(id: user.id)
        } else if let phone = wire.phoneNumber {
            self = .phoneNumber(value: phone.value)
        } else if let teamsUser = wire.microsoftTeamsUser {
            let cloud = teamsUser.cloud.flatMap(CommunicationCloudEnvironment.init(wireValue:))
            if teamsUser.cloud != nil, cloud == nil, let rawID = wire.rawId {
                self = .unknown(rawID: rawID)  // a cloud we do not know: keep the raw id rather than guess
            } else {
                self = .microsoftTeamsUser(
                    userID: teamsUser.userId,
                    isAnonymous: teamsUser.isAnonymous ?? false,
                    cloud: cloud ?? .public
                )
            }
        } else if let app = wire.microsoftTeamsApp {
            let cloud = app.cloud.flatMap(CommunicationCloudEnvironment.init(wireValue:))
            if app.cloud != nil, cloud == nil, let rawID = wire.rawId {
                self = .unknown(rawID: rawID)
            } else {
                self = .microsoftTeamsApp(appID: app.appId, cloud: cloud ?? .public)
            }
        } else if let rawID = wire.rawId, !rawID.isEmpty {
            self = CommunicationIdentifier(rawID: rawID)
        } else {
            throw WireMappingError(message: "an identifier has neither rawId nor a known identifier object")
        }
    }

    /// `rawId` plus exactly one sub-object, never `kind` (contract §3.1).
    var wire: WireIdentifier {
        var model = WireIdentifier(rawId: rawID)
        switch self {
        case .communicationUser(let id):
            model.communicationUser = .init(id: id)
        case .phoneNumber(let value):
            model.phoneNumber = .init(value: value)
        case .microsoftTeamsUser(let userID, let isAnonymous, let cloud):
            model.microsoftTeamsUser = .init(userId: userID, isAnonymous: isAnonymous, cloud: cloud.rawValue)
        case .microsoftTeamsApp(let appID, let cloud):
            model.microsoftTeamsApp = .init(appId: appID, cloud: cloud.rawValue)
        case .unknown:
            break
        }
        return model
    }
}

extension ChatRetentionPolicy {
    init(wire: WireRetentionPolicy) {
        switch wire.kind {
        case "none": self = .none
        case "threadCreationDate":
            if let days = wire.deleteThreadAfterDays {
                self = .threadCreationDate(deleteThreadAfterDays: days)
            } else {
                self = .unknown(wire.kind)
            }
        default: self = .unknown(wire.kind)
        }
    }

    var wire: WireRetentionPolicy {
        switch self {
        case .none: WireRetentionPolicy(kind: "none")
        case .threadCreationDate(let days): WireRetentionPolicy(kind: "threadCreationDate", deleteThreadAfterDays: days)
        case .unknown(let kind): WireRetentionPolicy(kind: kind)
        }
    }
}

extension ChatParticipant {
    init(wire: WireChatParticipant) throws(WireMappingError) {
        self.init(
            identifier: try CommunicationIdentifier(wire: wire.communicationIdentifier),
            displayName: wire.displayName,
            shareHistoryTime: wire.shareHistoryTime?.date,
            metadata: wire.metadata ?? [:]
        )
    }

    var wire: WireChatParticipant {
        WireChatParticipant(
            communicationIdentifier: identifier.wire,
            displayName: displayName,
            shareHistoryTime: shareHistoryTime.map(WireDate.init),
            metadata: metadata.isEmpty ? nil : metadata
        )
    }
}

extension ChatParticipantError {
    init(wire: WireCommunicationError) {
        self.init(rawID: wire.target, code: wire.code, message: wire.message)
    }
}

extension ChatThreadItem {
    init(wire: WireChatThreadItem) {
        self.init(
            id: wire.id,
            topic: wire.topic,
            deletedOn: wire.deletedOn?.date,
            lastMessageReceivedOn: wire.lastMessageReceivedOn?.date
        )
    }
}

extension ChatThreadProperties {
    init(wire: WireChatThreadProperties) throws(WireMappingError) {
        self.init(
            id: wire.id,
            topic: wire.topic,
            createdOn: wire.createdOn.date,
            createdBy: try CommunicationIdentifier(wire: wire.createdByCommunicationIdentifier),
            deletedOn: wire.deletedOn?.date,
            metadata: wire.metadata ?? [:],
            retentionPolicy: wire.retentionPolicy.map(ChatRetentionPolicy.init(wire:))
        )
    }
}

extension CreateChatThreadResult {
    init(wire: WireCreateChatThreadResult) throws(WireMappingError) {
        self.init(
            thread: try ChatThreadProperties(wire: wire.chatThread),
            invalidParticipants: (wire.invalidParticipants ?? []).map(ChatParticipantError.init(wire:))
        )
    }
}

extension ChatAttachment {
    init(wire: WireChatAttachment) {
        self.init(
            id: wire.id,
            attachmentType: ChatAttachmentType(rawValue: wire.attachmentType),
            name: wire.name,
            urlString: wire.url,
            previewURLString: wire.previewUrl
        )
    }
}

extension ChatMessageContent {
    init(wire: WireChatMessageContent) throws(WireMappingError) {
        var participants: [ChatParticipant] = []
        for participant in wire.participants ?? [] {
            participants.append(try ChatParticipant(wire: participant))
        }
        self.init(
            message: wire.message,
            topic: wire.topic,
            participants: participants,
            attachments: (wire.attachments ?? []).map(ChatAttachment.init(wire:)),
            initiator: try wire.initiatorCommunicationIdentifier.map { (identifier) throws(WireMappingError) in
                try CommunicationIdentifier(wire: identifier)
            }
        )
    }
}

extension ChatMessage {
    init(wire: WireChatMessage) throws(WireMappingError) {
        self.init(
            id: wire.id,
            type: ChatMessageType(rawValue: wire.type),
            sequenceID: wire.sequenceId,
            version: wire.version,
            content: try wire.content.map { (content) throws(WireMappingError) in try ChatMessageContent(wire: content)
            },
            senderDisplayName: wire.senderDisplayName,
            createdOn: wire.createdOn.date,
            sender: try wire.senderCommunicationIdentifier.map { (identifier) throws(WireMappingError) in
                try CommunicationIdentifier(wire: identifier)
            },
            deletedOn: wire.deletedOn?.date,
            editedOn: wire.editedOn?.date,
            metadata: wire.metadata ?? [:]
        )
    }
}

extension ChatMessageReadReceipt {
    init(wire: WireChatMessageReadReceipt) throws(WireMappingError) {
        self.init(
            sender: try CommunicationIdentifier(wire: wire.senderCommunicationIdentifier),
            chatMessageID: wire.chatMessageId,
            readOn: wire.readOn.date
        )
    }
}
