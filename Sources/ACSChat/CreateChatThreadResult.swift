/// The outcome of `ChatClient.createChatThread`: the thread, and the participants the service refused.
public struct CreateChatThreadResult: Sendable, Hashable {
    public var thread: ChatThreadProperties
    public var invalidParticipants: [ChatParticipantError]

    public init(thread: ChatThreadProperties, invalidParticipants: [ChatParticipantError] = []) {
        self.thread = thread
        self.invalidParticipants = invalidParticipants
    }
}
