import Foundation

// Internal Codable mirrors of the JSON the service sends and receives (contract §5). Field names are the wire names;
// optional fields are omitted when nil. The public domain types are built from these in `DomainMapping.swift`.

/// A service timestamp; decoding rejects anything `ChatDateFormat.parse` does not accept.
struct WireDate: Codable, Hashable {
    var date: Date

    init(_ date: Date) { self.date = date }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = ChatDateFormat.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date-time")
        }
        self.date = date
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ChatDateFormat.format(date))
    }
}

struct WireIdentifier: Codable, Hashable {
    struct CommunicationUser: Codable, Hashable { var id: String }
    struct PhoneNumber: Codable, Hashable { var value: String }
    struct TeamsUser: Codable, Hashable {
        var userId: String
        var isAnonymous: Bool?
        var cloud: String?
    }
    struct TeamsApp: Codable, Hashable {
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

struct WireRetentionPolicy: Codable, Hashable {
    var kind: String
    var deleteThreadAfterDays: Int?
}

struct WireChatParticipant: Codable, Hashable {
    var communicationIdentifier: WireIdentifier
    var displayName: String?
    var shareHistoryTime: WireDate?
    var metadata: [String: String]?
}

struct WireCommunicationError: Codable, Hashable {
    var code: String
    var message: String
    var target: String?
}

struct WireChatThreadItem: Codable, Hashable {
    var id: String
    var topic: String
    var deletedOn: WireDate?
    var lastMessageReceivedOn: WireDate?
}

struct WireChatThreadProperties: Codable, Hashable {
    var id: String
    var topic: String
    var createdOn: WireDate
    var createdByCommunicationIdentifier: WireIdentifier
    var deletedOn: WireDate?
    var metadata: [String: String]?
    var retentionPolicy: WireRetentionPolicy?
}

struct WireCreateChatThreadResult: Codable, Hashable {
    var chatThread: WireChatThreadProperties
    var invalidParticipants: [WireCommunicationError]?
}

struct WireAddChatParticipantsResult: Codable, Hashable {
    var invalidParticipants: [WireCommunicationError]?
}

struct WireChatAttachment: Codable, Hashable {
    var id: String
    var attachmentType: String
    var name: String?
    var url: String?
    var previewUrl: String?
}

struct WireChatMessageContent: Codable, Hashable {
    var message: String?
    var topic: String?
    var participants: [WireChatParticipant]?
    var attachments: [WireChatAttachment]?
    var initiatorCommunicationIdentifier: WireIdentifier?
}

struct WireChatMessage: Codable, Hashable {
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

struct WireChatMessageReadReceipt: Codable, Hashable {
    var senderCommunicationIdentifier: WireIdentifier
    var chatMessageId: String
    var readOn: WireDate
}

/// The paging envelope shared by the four list operations.
struct WirePage<Item: Codable & Hashable>: Codable, Hashable {
    var value: [Item]
    var nextLink: String?
}

struct WireSendChatMessageResult: Codable, Hashable {
    var id: String
}

// MARK: Requests

struct WireCreateChatThreadRequest: Codable, Hashable {
    var topic: String
    var participants: [WireChatParticipant]
    var metadata: [String: String]?
    var retentionPolicy: WireRetentionPolicy?
}

struct WireUpdateChatThreadRequest: Codable, Hashable {
    var topic: String?
    var metadata: [String: String]?
    var retentionPolicy: WireRetentionPolicy?
}

struct WireSendChatMessageRequest: Codable, Hashable {
    var content: String
    var senderDisplayName: String?
    var type: String?
    var metadata: [String: String]?
}

struct WireUpdateChatMessageRequest: Codable, Hashable {
    var content: String?
    var metadata: [String: String]?
}

struct WireAddChatParticipantsRequest: Codable, Hashable {
    var participants: [WireChatParticipant]
}

struct WireSendTypingNotificationRequest: Codable, Hashable {
    var senderDisplayName: String?
}

struct WireSendReadReceiptRequest: Codable, Hashable {
    var chatMessageId: String
}

// MARK: Identity

struct WireIdentity: Codable, Hashable {
    var id: String
}

struct WireAccessToken: Codable, Hashable {
    var token: String
    var expiresOn: WireDate
}

struct WireCreateIdentityRequest: Codable, Hashable {
    var createTokenWithScopes: [String]?
    var expiresInMinutes: Int?
}

struct WireCreateIdentityResponse: Codable, Hashable {
    var identity: WireIdentity
    var accessToken: WireAccessToken?
}

struct WireIssueAccessTokenRequest: Codable, Hashable {
    var scopes: [String]
    var expiresInMinutes: Int?
}

// MARK: Errors

/// Both error body shapes: the spec's `{"error":{"code","message"}}` and the live service's
/// `{"CommunicationError":{"Code","Message"}}`.
struct WireErrorBody: Decodable {
    struct SpecError: Decodable {
        var code: String?
        var message: String?
    }
    struct LiveError: Decodable {
        var Code: String?
        var Message: String?
    }
    var error: SpecError?
    var CommunicationError: LiveError?

    /// The service code and message, or nil for an empty or unreadable body.
    static func parse(_ body: [UInt8]) -> (code: String?, message: String?)? {
        guard !body.isEmpty, let parsed = try? JSONDecoder().decode(WireErrorBody.self, from: Data(body)) else {
            return nil
        }
        if let error = parsed.error { return (error.code, error.message) }
        if let error = parsed.CommunicationError { return (error.Code, error.Message) }
        return nil
    }
}
