import Foundation

// Internal mirrors of the JSON the service sends and receives (contract §5). Field names are the wire names.
// Responses decode through `WireDecodable` (`WireModels+Decoding.swift`); request bodies are `Encodable` and leave
// nil fields out. The public domain types are built from these in `DomainMapping.swift`.

/// A service timestamp; decoding rejects anything `ChatDateFormat.parse` does not accept.
struct WireDate: Encodable, Hashable {
    var date: Date

    init(_ date: Date) { self.date = date }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ChatDateFormat.format(date))
    }
}

struct WireIdentifier: Encodable, Hashable {
    struct CommunicationUser: Encodable, Hashable { var id: String }
    struct PhoneNumber: Encodable, Hashable { var value: String }
    struct TeamsUser: Encodable, Hashable {
        var userId: String
        var isAnonymous: Bool?
        var cloud: String?
    }
    struct TeamsApp: Encodable, Hashable {
        var appId: String
        var cloud: String?
    }

    var kind: String?
    var rawId: String?
    var communicationUser: CommunicationUser?
    var phoneNumber: PhoneNumber?
    var microsoftTeamsUser: TeamsUser?
    var microsoftTeamsApp: TeamsApp?
}

struct WireRetentionPolicy: Encodable, Hashable {
    var kind: String
    var deleteThreadAfterDays: Int?
}

struct WireChatParticipant: Encodable, Hashable {
    var communicationIdentifier: WireIdentifier
    var displayName: String?
    var shareHistoryTime: WireDate?
    var metadata: [String: String]?
}

struct WireCommunicationError: Hashable {
    var code: String
    var message: String
    var target: String?
}

struct WireChatThreadItem: Hashable {
    var id: String
    var topic: String
    var deletedOn: WireDate?
    var lastMessageReceivedOn: WireDate?
}

struct WireChatThreadProperties: Hashable {
    var id: String
    var topic: String
    var createdOn: WireDate
    var createdByCommunicationIdentifier: WireIdentifier
    var deletedOn: WireDate?
    var metadata: [String: String]?
    var retentionPolicy: WireRetentionPolicy?
}

struct WireCreateChatThreadResult: Hashable {
    var chatThread: WireChatThreadProperties
    var invalidParticipants: [WireCommunicationError]?
}

struct WireAddChatParticipantsResult: Hashable {
    var invalidParticipants: [WireCommunicationError]?
}

struct WireChatAttachment: Hashable {
    var id: String
    var attachmentType: String
    var name: String?
    var url: String?
    var previewUrl: String?
}

struct WireChatMessageContent: Hashable {
    var message: String?
    var topic: String?
    var participants: [WireChatParticipant]?
    var attachments: [WireChatAttachment]?
    var initiatorCommunicationIdentifier: WireIdentifier?
}

struct WireChatMessage: Hashable {
    var id: String
    var type: String
    var sequenceId: String
    var version: String
    var content: WireChatMessageContent?
    var senderDisplayName: String?
    var createdOn: WireDate
    var senderCommunicationIdentifier: WireIdentifier?
    var deletedOn: WireDate?
    var editedOn: WireDate?
    var metadata: [String: String]?
}

struct WireChatMessageReadReceipt: Hashable {
    var senderCommunicationIdentifier: WireIdentifier
    var chatMessageId: String
    var readOn: WireDate
}

/// The paging envelope shared by the four list operations.
struct WirePage<Item: WireDecodable> {
    var value: [Item]
    var nextLink: String?
}

struct WireSendChatMessageResult: Hashable {
    var id: String
}

// MARK: Requests

struct WireCreateChatThreadRequest: Encodable, Hashable {
    var topic: String
    var participants: [WireChatParticipant]
    var metadata: [String: String]?
    var retentionPolicy: WireRetentionPolicy?
}

struct WireUpdateChatThreadRequest: Encodable, Hashable {
    var topic: String?
    var metadata: [String: String]?
    var retentionPolicy: WireRetentionPolicy?
}

struct WireSendChatMessageRequest: Encodable, Hashable {
    var content: String
    var senderDisplayName: String?
    var type: String?
    var metadata: [String: String]?
}

struct WireUpdateChatMessageRequest: Encodable, Hashable {
    var content: String?
    var metadata: [String: String]?
}

struct WireAddChatParticipantsRequest: Encodable, Hashable {
    var participants: [WireChatParticipant]
}

struct WireSendTypingNotificationRequest: Encodable, Hashable {
    var senderDisplayName: String?
}

struct WireSendReadReceiptRequest: Encodable, Hashable {
    var chatMessageId: String
}

// MARK: Identity

struct WireIdentity: Hashable {
    var id: String
}

struct WireAccessToken: Hashable {
    var token: String
    var expiresOn: WireDate
}

struct WireCreateIdentityRequest: Encodable, Hashable {
    var createTokenWithScopes: [String]?
    var expiresInMinutes: Int?
}

struct WireCreateIdentityResponse: Hashable {
    var identity: WireIdentity
    var accessToken: WireAccessToken?
}

struct WireIssueAccessTokenRequest: Encodable, Hashable {
    var scopes: [String]
    var expiresInMinutes: Int?
}

// MARK: Errors

/// Both error body shapes: the spec's `{"error":{"code","message"}}` and the live service's
/// `{"CommunicationError":{"Code","Message"}}`.
struct WireErrorBody {
    struct SpecError {
        var code: String?
        var message: String?
    }
    struct LiveError {
        var Code: String?
        var Message: String?
    }
    var error: SpecError?
    var CommunicationError: LiveError?

    /// The service code and message, or nil for an empty or unreadable body.
    static func parse(_ body: [UInt8]) -> (code: String?, message: String?)? {
        guard !body.isEmpty, let parsed = try? WireErrorBody(jsonBytes: body) else { return nil }
        if let error = parsed.error { return (error.code, error.message) }
        if let error = parsed.CommunicationError { return (error.Code, error.Message) }
        return nil
    }
}
