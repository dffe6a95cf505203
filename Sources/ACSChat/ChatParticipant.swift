public import Foundation

/// A member of a thread, or one to add.
public struct ChatParticipant: Sendable, Hashable {
    public var identifier: CommunicationIdentifier
    public var displayName: String?
    /// From when the participant may see history; the service sends the epoch for "everything".
    public var shareHistoryTime: Date?
    /// Participant metadata (api-version 2025-03-15).
    public var metadata: [String: String]

    public init(
        identifier: CommunicationIdentifier,
        displayName: String? = nil,
        shareHistoryTime: Date? = nil,
        metadata: [String: String] = [:]
    ) {
        self.identifier = identifier
        self.displayName = displayName
        self.shareHistoryTime = shareHistoryTime
        self.metadata = metadata
    }
}
