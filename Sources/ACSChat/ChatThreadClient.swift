public import Foundation
import NIOHTTP1

/// Operations on one chat thread: messages, participants, typing and read receipts.
///
/// Made by `ChatClient.chatThreadClient(threadID:)`; it shares that client's connections and credential, so it stops
/// working once the chat client is shut down. Retry rules per operation are listed on `RetryPolicy`.
/// See https://learn.microsoft.com/rest/api/communication/chat/chat-thread
public struct ChatThreadClient: Sendable {
    public let threadID: String
    private let transport: ServiceTransport

    init(threadID: String, transport: ServiceTransport) {
        self.threadID = threadID
        self.transport = transport
    }

    private var threadPath: String { "/chat/threads/\(percentEncode(threadID))" }

    // MARK: Thread

    /// Changes the thread's topic; the service writes a `topicUpdated` message, so this is not retried after an
    /// ambiguous failure.
    public func updateTopic(_ topic: String) async throws {
        try await updateProperties(topic: topic)
    }

    /// Changes the topic, metadata or retention policy (the latter two need api-version 2025-03-15); nil fields are
    /// left as they are.
    public func updateProperties(
        topic: String? = nil,
        metadata: [String: String]? = nil,
        retentionPolicy: ChatRetentionPolicy? = nil
    ) async throws {
        let body = WireUpdateChatThreadRequest(topic: topic, metadata: metadata, retentionPolicy: retentionPolicy?.wire)
        try await transport.perform(
            ServiceRequest(
                method: .PATCH,
                operation: "PATCH /chat/threads/{chatThreadId}",
                target: .path(threadPath),
                body: try ServiceTransport.encode(body),
                contentType: "application/merge-patch+json",
                expectedStatus: [204],
                isIdempotent: topic == nil
            )
        )
    }

    /// The thread's properties.
    public func properties() async throws -> ChatThreadProperties {
        let request = ServiceRequest(
            method: .GET,
            operation: "GET /chat/threads/{chatThreadId}",
            target: .path(threadPath),
            expectedStatus: [200],
            isIdempotent: true
        )
        return try await transport.perform(request, decoding: WireChatThreadProperties.self) {
            (wire) throws(WireMappingError) in try ChatThreadProperties(wire: wire)
        }
    }

    // MARK: Messages

    /// Sends a message and returns its id. Not retried after an ambiguous failure, which could post it twice.
    public func sendMessage(
        content: String,
        type: ChatMessageType = .text,
        senderDisplayName: String? = nil,
        metadata: [String: String] = [:]
    ) async throws -> String {
        let body = WireSendChatMessageRequest(
            content: content,
            senderDisplayName: senderDisplayName,
            type: type.rawValue,
            metadata: metadata.isEmpty ? nil : metadata
        )
        let request = ServiceRequest(
            method: .POST,
            operation: "POST /chat/threads/{chatThreadId}/messages",
            target: .path(threadPath + "/messages"),
            body: try ServiceTransport.encode(body),
            expectedStatus: [201],
            isIdempotent: false
        )
        return try await transport.perform(request, decoding: WireSendChatMessageResult.self) {
            (wire) throws(WireMappingError) in wire.id
        }
    }

    /// One message, including deleted ones (with `deletedOn` set).
    public func message(id: String) async throws -> ChatMessage {
        let request = ServiceRequest(
            method: .GET,
            operation: "GET /chat/threads/{chatThreadId}/messages/{chatMessageId}",
            target: .path(threadPath + "/messages/\(percentEncode(id))"),
            expectedStatus: [200],
            isIdempotent: true
        )
        return try await transport.perform(request, decoding: WireChatMessage.self) {
            (wire) throws(WireMappingError) in try ChatMessage(wire: wire)
        }
    }

    /// The thread's messages, newest first, system messages and deleted messages included.
    /// - Parameters:
    ///   - resultsPerPage: `maxPageSize` of the first request.
    ///   - startTime: only messages created at or after this time.
    public func listMessages(resultsPerPage: Int? = nil, startTime: Date? = nil) -> PagedCollection<ChatMessage> {
        transport.pagedCollection(
            operation: "GET /chat/threads/{chatThreadId}/messages",
            path: threadPath + "/messages",
            query: pagingQuery(maxPageSize: resultsPerPage, startTime: startTime)
        ) { (wire: WireChatMessage) throws(WireMappingError) in try ChatMessage(wire: wire) }
    }

    /// Edits a message's content and/or metadata; nil leaves a field unchanged.
    public func updateMessage(id: String, content: String? = nil, metadata: [String: String]? = nil) async throws {
        try await transport.perform(
            ServiceRequest(
                method: .PATCH,
                operation: "PATCH /chat/threads/{chatThreadId}/messages/{chatMessageId}",
                target: .path(threadPath + "/messages/\(percentEncode(id))"),
                body: try ServiceTransport.encode(WireUpdateChatMessageRequest(content: content, metadata: metadata)),
                contentType: "application/merge-patch+json",
                expectedStatus: [204],
                isIdempotent: true
            )
        )
    }

    /// Soft-deletes a message: it stays listed with `deletedOn` set and empty content.
    public func deleteMessage(id: String) async throws {
        try await transport.perform(
            ServiceRequest(
                method: .DELETE,
                operation: "DELETE /chat/threads/{chatThreadId}/messages/{chatMessageId}",
                target: .path(threadPath + "/messages/\(percentEncode(id))"),
                expectedStatus: [204],
                isIdempotent: true
            )
        )
    }

    // MARK: Participants

    /// The thread's participants, paged by offset.
    public func listParticipants(resultsPerPage: Int? = nil, skip: Int? = nil) -> PagedCollection<ChatParticipant> {
        transport.pagedCollection(
            operation: "GET /chat/threads/{chatThreadId}/participants",
            path: threadPath + "/participants",
            query: pagingQuery(maxPageSize: resultsPerPage, skip: skip)
        ) { (wire: WireChatParticipant) throws(WireMappingError) in try ChatParticipant(wire: wire) }
    }

    /// Adds participants (existing ones are left unchanged) and returns those the service refused.
    @discardableResult
    public func addParticipants(_ participants: [ChatParticipant]) async throws -> [ChatParticipantError] {
        let request = ServiceRequest(
            method: .POST,
            operation: "POST /chat/threads/{chatThreadId}/participants/:add",
            target: .path(threadPath + "/participants/:add"),
            body: try ServiceTransport.encode(WireAddChatParticipantsRequest(participants: participants.map(\.wire))),
            expectedStatus: [201],
            isIdempotent: true
        )
        return try await transport.perform(request, decoding: WireAddChatParticipantsResult.self) {
            (wire) throws(WireMappingError) in (wire.invalidParticipants ?? []).map(ChatParticipantError.init(wire:))
        }
    }

    /// Removes one participant.
    public func removeParticipant(_ identifier: CommunicationIdentifier) async throws {
        try await transport.perform(
            ServiceRequest(
                method: .POST,
                operation: "POST /chat/threads/{chatThreadId}/participants/:remove",
                target: .path(threadPath + "/participants/:remove"),
                body: try ServiceTransport.encode(identifier.wire),
                expectedStatus: [204],
                isIdempotent: true
            )
        )
    }

    // MARK: Typing and read receipts

    /// Tells the other participants that the user is typing; the service stores nothing.
    public func sendTypingNotification(senderDisplayName: String? = nil) async throws {
        try await transport.perform(
            ServiceRequest(
                method: .POST,
                operation: "POST /chat/threads/{chatThreadId}/typing",
                target: .path(threadPath + "/typing"),
                body: try ServiceTransport.encode(
                    WireSendTypingNotificationRequest(senderDisplayName: senderDisplayName)
                ),
                expectedStatus: [200],
                isIdempotent: true
            )
        )
    }

    /// Marks the thread as read up to `messageID`.
    public func sendReadReceipt(messageID: String) async throws {
        try await transport.perform(
            ServiceRequest(
                method: .POST,
                operation: "POST /chat/threads/{chatThreadId}/readReceipts",
                target: .path(threadPath + "/readReceipts"),
                body: try ServiceTransport.encode(WireSendReadReceiptRequest(chatMessageId: messageID)),
                expectedStatus: [200],
                isIdempotent: true
            )
        )
    }

    /// Every participant's latest read receipt, paged by offset.
    public func listReadReceipts(
        resultsPerPage: Int? = nil,
        skip: Int? = nil
    ) -> PagedCollection<ChatMessageReadReceipt> {
        transport.pagedCollection(
            operation: "GET /chat/threads/{chatThreadId}/readReceipts",
            path: threadPath + "/readReceipts",
            query: pagingQuery(maxPageSize: resultsPerPage, skip: skip)
        ) { (wire: WireChatMessageReadReceipt) throws(WireMappingError) in try ChatMessageReadReceipt(wire: wire) }
    }
}
