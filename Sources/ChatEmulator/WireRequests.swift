/// Request bodies as the SDKs send them (contract §3.1). Unknown fields are ignored; missing required
/// fields fail decoding, which the responder turns into 400.

struct IdentifierWire: Decodable {
    struct CommunicationUser: Decodable { var id: String }
    struct PhoneNumber: Decodable { var value: String }
    struct TeamsUser: Decodable { var userId: String }
    struct TeamsApp: Decodable { var appId: String }

    var rawId: String?
    var kind: String?
    var communicationUser: CommunicationUser?
    var phoneNumber: PhoneNumber?
    var microsoftTeamsUser: TeamsUser?
    var microsoftTeamsApp: TeamsApp?
}

struct ParticipantWire: Decodable {
    var communicationIdentifier: IdentifierWire
    var displayName: String?
    var shareHistoryTime: String?
    var metadata: [String: String]?
}

struct RetentionPolicyWire: Decodable {
    var kind: String
    var deleteThreadAfterDays: Int?
}

struct CreateThreadWire: Decodable {
    var topic: String
    var participants: [ParticipantWire]?
    var metadata: [String: String]?
    var retentionPolicy: RetentionPolicyWire?
}

struct UpdateThreadWire: Decodable {
    var topic: String?
    var metadata: [String: String]?
    var retentionPolicy: RetentionPolicyWire?
}

struct SendMessageWire: Decodable {
    var content: String
    var senderDisplayName: String?
    var type: String?
    var metadata: [String: String]?
}

struct UpdateMessageWire: Decodable {
    var content: String?
    var metadata: [String: String]?
}

struct AddParticipantsWire: Decodable {
    var participants: [ParticipantWire]
}

struct ReadReceiptWire: Decodable {
    var chatMessageId: String
}

struct TypingWire: Decodable {
    var senderDisplayName: String?
}

struct CreateIdentityWire: Decodable {
    var createTokenWithScopes: [String]?
    var expiresInMinutes: Int?
}

struct IssueTokenWire: Decodable {
    var scopes: [String]
    var expiresInMinutes: Int?
}

/// A failure answered to the client with a status and an error body.
struct APIError: Error {
    var status: Int
    var code: String
    var message: String

    static func badRequest(_ message: String) -> APIError {
        APIError(status: 400, code: "BadRequest", message: message)
    }

    static let unauthorized = APIError(status: 401, code: "Unauthorized", message: "Request is not authorized.")
    static let forbidden = APIError(
        status: 403,
        code: "Forbidden",
        message: "The initiator doesn't have the permission to perform the requested operation."
    )

    static func notFound(_ message: String = "Not found.") -> APIError {
        APIError(status: 404, code: "NotFound", message: message)
    }
}

/// A successful answer: status, optional JSON body and `Location`.
struct APIReply {
    var status: Int
    var body: [UInt8]?
    var location: String?

    static func empty(_ status: Int) -> APIReply { APIReply(status: status) }
}

/// What the responder learned from the request line that shapes the answer.
struct RequestInfo {
    /// `https://host:port` as the client addressed us (from the Host header), for nextLink and Location.
    var origin: String
    var apiVersion: String
    /// Identifier models carry `kind` from api-version 2023-11-07 on.
    var includeKind: Bool { apiVersion >= "2023-11-07" }
}
