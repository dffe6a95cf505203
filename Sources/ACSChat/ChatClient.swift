public import Foundation
import NIOHTTP1

/// A client for the threads of an Azure Communication Services chat resource, acting as one user.
///
/// Ownership: the client owns an AsyncHTTPClient connection pool, shared by every copy of the client and by the
/// `ChatThreadClient`s it makes. Call `shutdown()` exactly once when done (or use `withClient`); AsyncHTTPClient traps
/// in debug builds when a pool is released without it. Plain `http://` endpoints are allowed (tests, emulators).
/// See https://learn.microsoft.com/rest/api/communication/chat/chat
public struct ChatClient: Sendable {
    let transport: ServiceTransport

    /// - Throws: `ChatServiceError` `.invalidArgument` for an endpoint that is not an http(s) URL, or a CA PEM that
    ///   holds no certificate.
    public init(
        endpoint: URL,
        credential: CommunicationTokenCredential,
        options: ChatClientOptions = ChatClientOptions()
    ) throws {
        transport = try ServiceTransport(
            endpoint: endpoint,
            authorization: .bearer(credential),
            apiVersion: options.apiVersion,
            options: options
        )
    }

    /// Runs `body` with a new client and shuts the client down afterwards, whether `body` throws or not.
    public static func withClient<T>(
        endpoint: URL,
        credential: CommunicationTokenCredential,
        options: ChatClientOptions = ChatClientOptions(),
        _ body: (ChatClient) async throws -> T
    ) async throws -> T {
        let client = try ChatClient(endpoint: endpoint, credential: credential, options: options)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try await client.shutdown()
        return try result.get()
    }

    /// A client acting with `credential` over this client's connection pool, for syncing many identities without a
    /// TLS context and a pool each.
    ///
    /// Ownership: the new client borrows the pool; its `shutdown()` does nothing. Shut this client down once, after
    /// the last use of every client made from it.
    public func sharingConnections(credential: CommunicationTokenCredential) -> ChatClient {
        ChatClient(transport: .sharingConnections(with: transport, authorization: .bearer(credential)))
    }

    private init(transport: ServiceTransport) {
        self.transport = transport
    }

    /// Closes the connection pool; the client and its thread clients fail with `.transport` afterwards.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// A client for one thread, sharing this client's connections and credential.
    public func chatThreadClient(threadID: String) -> ChatThreadClient {
        ChatThreadClient(threadID: threadID, transport: transport)
    }

    /// Creates a thread; the caller becomes a participant.
    ///
    /// The request carries `repeatability-request-id` (`idempotencyToken`, or a fresh UUID), so the service answers
    /// a repeated request with the same thread and the client may safely retry it.
    /// - Parameters:
    ///   - metadata: thread metadata (api-version 2025-03-15); not sent when nil.
    ///   - retentionPolicy: automatic deletion (api-version 2025-03-15); not sent when nil.
    /// - Returns: the thread and the participants the service refused.
    public func createChatThread(
        topic: String,
        participants: [ChatParticipant] = [],
        idempotencyToken: String? = nil,
        metadata: [String: String]? = nil,
        retentionPolicy: ChatRetentionPolicy? = nil
    ) async throws -> CreateChatThreadResult {
        let body = WireCreateChatThreadRequest(
            topic: topic,
            participants: participants.map(\.wire),
            metadata: metadata,
            retentionPolicy: retentionPolicy?.wire
        )
        let request = ServiceRequest(
            method: .POST,
            operation: "POST /chat/threads",
            target: .path("/chat/threads"),
            body: try ServiceTransport.encode(body),
            headers: [("repeatability-request-id", idempotencyToken ?? UUID().uuidString.lowercased())],
            expectedStatus: [201],
            isIdempotent: true
        )
        return try await transport.perform(request, decoding: WireCreateChatThreadResult.self) {
            (wire) throws(WireMappingError) in try CreateChatThreadResult(wire: wire)
        }
    }

    /// The caller's threads, newest activity first (as the service orders them).
    /// - Parameters:
    ///   - resultsPerPage: `maxPageSize` of the first request; later pages follow the service's `nextLink`.
    ///   - startTime: only threads with activity at or after this time.
    public func listChatThreads(resultsPerPage: Int? = nil, startTime: Date? = nil) -> PagedCollection<ChatThreadItem> {
        transport.pagedCollection(
            operation: "GET /chat/threads",
            path: "/chat/threads",
            query: pagingQuery(maxPageSize: resultsPerPage, startTime: startTime)
        ) { (wire: WireChatThreadItem) throws(WireMappingError) in ChatThreadItem(wire: wire) }
    }

    /// Deletes a thread for everyone.
    public func deleteChatThread(id: String) async throws {
        try await transport.perform(
            ServiceRequest(
                method: .DELETE,
                operation: "DELETE /chat/threads/{chatThreadId}",
                target: .path("/chat/threads/\(percentEncode(id))"),
                expectedStatus: [204],
                isIdempotent: true
            )
        )
    }
}
