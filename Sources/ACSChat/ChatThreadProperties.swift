public import Foundation

/// The full properties of a thread.
///
/// `metadata` and `retentionPolicy` exist from api-version 2025-03-15 on; older versions leave them empty and nil.
public struct ChatThreadProperties: Sendable, Hashable {
    public var id: String
    public var topic: String
    public var createdOn: Date
    public var createdBy: CommunicationIdentifier
    public var deletedOn: Date?
    public var metadata: [String: String]
    public var retentionPolicy: ChatRetentionPolicy?

    public init(
        id: String,
        topic: String,
        createdOn: Date,
        createdBy: CommunicationIdentifier,
        deletedOn: Date? = nil,
        metadata: [String: String] = [:],
        retentionPolicy: ChatRetentionPolicy? = nil
    ) {
        self.id = id
        self.topic = topic
        self.createdOn = createdOn
        self.createdBy = createdBy
        self.deletedOn = deletedOn
        self.metadata = metadata
        self.retentionPolicy = retentionPolicy
    }
}
