/// A participant the service refused to add, with its reason (the service's `code` is a status number as a string,
/// e.g. `"403"`).
public struct ChatParticipantError: Sendable, Hashable {
    /// The refused participant's raw id (the error's `target`), when the service named it.
    public var rawID: String?
    public var code: String
    public var message: String

    public init(rawID: String?, code: String, message: String) {
        self.rawID = rawID
        self.code = code
        self.message = message
    }

    /// The refused participant, classified from `rawID`.
    public var identifier: CommunicationIdentifier? { rawID.map(CommunicationIdentifier.init(rawID:)) }
}
