public import ACSChat

/// One identity's view of the chat service: the client it reads with and, when known, whose view it is.
///
/// The sync engine only reads through readers, so a later event-driven source can feed the same archive writes.
public struct ChatReader: Sendable {
    public var client: ChatClient
    /// Raw id of the identity behind the client (recorded in the sync audit trail), if known.
    public var identityRawID: String?

    public init(client: ChatClient, identityRawID: String?) {
        self.client = client
        self.identityRawID = identityRawID
    }
}
