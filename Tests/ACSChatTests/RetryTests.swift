import Foundation
import NIOHTTP1
import Synchronization
import Testing

@testable import ACSChat

private let threadJSON = """
    {"id":"19:abc@thread.v2","topic":"t","createdOn":"2023-12-13T11:38:55Z",
    "createdByCommunicationIdentifier":{"rawId":"8:acs:r_u","communicationUser":{"id":"8:acs:r_u"}}}
    """
private let throttled = ScriptedResponse.json(429, #"{"error":{"code":"TooManyRequests","message":"slow down"}}"#)

@Suite(.timeLimit(.minutes(1))) struct RetryTests {
    @Test(arguments: [
        ([("Retry-After", "3")], Duration.seconds(3)),
        ([("retry-after-ms", "250")], .milliseconds(250)),
        ([("x-ms-retry-after-ms", "1500")], .milliseconds(1500)),
        ([("Retry-After", "0")], .zero),
    ])
    func throttledRequestsHonourRetryAfter(headers: [(String, String)], expectedWait: Duration) async throws {
        let sleeps = SleepRecorder()
        let options = ChatClientOptions(retryPolicy: sleeps.policy())
        try await withChatClient(options: options) { _, index in
            index < 2
                ? .json(429, #"{"error":{"code":"TooManyRequests","message":"slow"}}"#, headers: headers)
                : .json(200, threadJSON)
        } _: { client, server in
            let properties = try await client.chatThreadClient(threadID: "19:abc@thread.v2").properties()
            #expect(properties.topic == "t")
            #expect(server.requestCount == 3)
            #expect(sleeps.recorded == [expectedWait, expectedWait])
        }
    }

    @Test func retryAfterAsHTTPDate() throws {
        let now = Date(timeIntervalSince1970: 1_795_982_897)
        var headers = HTTPHeadersForTest(["Retry-After": "Sun, 29 Nov 2026 20:08:27 GMT"])
        #expect(ServiceTransport.retryAfter(in: headers.nio, now: now) == .seconds(10))
        headers = HTTPHeadersForTest(["Retry-After": "Sun, 29 Nov 2026 20:08:07 GMT"])
        #expect(ServiceTransport.retryAfter(in: headers.nio, now: now) == .zero)
        headers = HTTPHeadersForTest(["Retry-After": "soon"])
        #expect(ServiceTransport.retryAfter(in: headers.nio, now: now) == nil)
    }

    @Test func gives_upAfterMaxAttemptsWithTheLastError() async throws {
        let sleeps = SleepRecorder()
        try await withChatClient(options: ChatClientOptions(retryPolicy: sleeps.policy())) { _, _ in
            .json(503, #"{"CommunicationError":{"Code":"ServiceUnavailable","Message":"busy","Details":[]}}"#)
        } _: { client, server in
            let error = await #expect(throws: ChatServiceError.self) {
                _ = try await client.chatThreadClient(threadID: "19:abc@thread.v2").properties()
            }
            #expect(error?.code == .unavailable)
            #expect(error?.httpStatus == 503)
            #expect(error?.serviceCode == "ServiceUnavailable")
            #expect(error?.message == "busy")
            #expect(error?.operation == "GET /chat/threads/{chatThreadId}")
            #expect(server.requestCount == 4)
            // Exponential backoff: 0.8 s, 1.6 s, 3.2 s, each ±20 %.
            let seconds = sleeps.recorded.map {
                Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
            }
            #expect(seconds.count == 3)
            for (wait, nominal) in zip(seconds, [0.8, 1.6, 3.2]) {
                #expect(wait >= nominal * 0.8 - 0.001 && wait <= nominal * 1.2 + 0.001)
            }
        }
    }

    @Test func tooLongRetryAfterFailsWithRetryAfterSet() async throws {
        let sleeps = SleepRecorder()
        let options = ChatClientOptions(retryPolicy: sleeps.policy(maxRetryAfter: .seconds(5)))
        try await withChatClient(options: options) { _, _ in
            .json(429, #"{"error":{"code":"TooManyRequests","message":"later"}}"#, headers: [("Retry-After", "60")])
        } _: { client, server in
            let error = await #expect(throws: ChatServiceError.self) {
                _ = try await client.chatThreadClient(threadID: "x").properties()
            }
            #expect(error?.code == .throttled)
            #expect(error?.retryAfter == .seconds(60))
            #expect(error?.isRetryable == true)
            #expect(server.requestCount == 1)
            #expect(sleeps.recorded.isEmpty)
        }
    }

    @Test(arguments: [400, 403, 404, 409, 412, 422])
    func otherClientErrorsAreNeverRetried(status: Int) async throws {
        let sleeps = SleepRecorder()
        try await withChatClient(options: ChatClientOptions(retryPolicy: sleeps.policy())) { _, _ in
            .json(status, #"{"CommunicationError":{"Code":"Nope","Message":"no","Details":[]}}"#)
        } _: { client, server in
            let error = await #expect(throws: ChatServiceError.self) {
                _ = try await client.chatThreadClient(threadID: "x").properties()
            }
            #expect(error?.httpStatus == status)
            #expect(server.requestCount == 1)
            #expect(sleeps.recorded.isEmpty)
        }
    }

    @Test(arguments: [408, 500, 502, 504])
    func ambiguousFailuresRetryIdempotentRequestsOnly(status: Int) async throws {
        let sleeps = SleepRecorder()
        try await withChatClient(options: ChatClientOptions(retryPolicy: sleeps.policy())) { _, _ in
            .json(status, "")
        } _: { client, server in
            let thread = client.chatThreadClient(threadID: "x")
            await #expect(throws: ChatServiceError.self) { _ = try await thread.properties() }
            #expect(server.requestCount == 4)
            await #expect(throws: ChatServiceError.self) { _ = try await thread.sendMessage(content: "once") }
            #expect(server.requestCount == 5)
            await #expect(throws: ChatServiceError.self) { try await thread.updateTopic("once") }
            #expect(server.requestCount == 6)
        }
    }

    @Test func throttlingIsRetriedEvenForSendMessage() async throws {
        let sleeps = SleepRecorder()
        try await withChatClient(options: ChatClientOptions(retryPolicy: sleeps.policy())) { _, index in
            index == 0 ? throttled : .json(201, #"{"id":"1700000000001"}"#)
        } _: { client, server in
            let id = try await client.chatThreadClient(threadID: "x").sendMessage(content: "hi")
            #expect(id == "1700000000001")
            #expect(server.requestCount == 2)
        }
    }

    @Test func createThreadRetriesWithTheSameRepeatabilityID() async throws {
        let sleeps = SleepRecorder()
        try await withChatClient(options: ChatClientOptions(retryPolicy: sleeps.policy())) { _, index in
            index < 2 ? .json(500, "") : .json(201, #"{"chatThread":\#(threadJSON)}"#)
        } _: { client, server in
            let result = try await client.createChatThread(topic: "t")
            #expect(result.thread.id == "19:abc@thread.v2")
            #expect(result.invalidParticipants.isEmpty)
            let ids = server.requests.map { $0.header("repeatability-request-id") }
            #expect(ids.count == 3)
            #expect(Set(ids).count == 1)
            #expect(ids[0].map { UUID(uuidString: $0) != nil } == true)
            let clientIDs = Set(server.requests.map { $0.header("x-ms-client-request-id") })
            #expect(clientIDs.count == 1)
        }
    }

    @Test func connectionResetsAreRetriedForIdempotentRequestsOnly() async throws {
        let sleeps = SleepRecorder()
        try await withChatClient(options: ChatClientOptions(retryPolicy: sleeps.policy())) { request, index in
            // The first GET and the first POST are dropped without an answer.
            index == 0 || (request.method == "POST" && index == 2) ? .closeConnection : .json(200, threadJSON)
        } _: { client, server in
            let thread = client.chatThreadClient(threadID: "x")
            let properties = try await thread.properties()
            #expect(properties.id == "19:abc@thread.v2")
            #expect(server.requestCount == 2)
            let error = await #expect(throws: ChatServiceError.self) { _ = try await thread.sendMessage(content: "hi") }
            #expect(error?.code == .transport)
            #expect(server.requestCount == 3)
            #expect(sleeps.recorded.count == 1)
        }
    }

    @Test func refusedConnectionsAreRetriedThenReportedAsTransport() async throws {
        // Find a port with nothing listening: start a server and stop it again.
        let answer: ScriptedServer.Script = { _, _ in .json(200, "{}") }
        let url = try await ScriptedServer.withRunning(answer) { url, _ in url }
        let sleeps = SleepRecorder()
        try await ChatClient.withClient(
            endpoint: url,
            credential: CommunicationTokenCredential(token: JWT.expiring(in: 3600)),
            options: ChatClientOptions(retryPolicy: sleeps.policy())
        ) { client in
            let error = await #expect(throws: ChatServiceError.self) {
                _ = try await client.chatThreadClient(threadID: "x").sendMessage(content: "hi")
            }
            #expect(error?.code == .transport)
            #expect(sleeps.recorded.count == 3, "nothing reached the service, so even a POST is retried")
        }
    }

    @Test func unauthorizedRemintsOnceAndRetries() async throws {
        let mints = Mutex(0)
        let oldToken = JWT.expiring(in: 3600, marker: "old")
        let newToken = JWT.expiring(in: 3600, marker: "new")
        let credential = CommunicationTokenCredential(initialToken: oldToken) {
            mints.withLock { $0 += 1 }
            return newToken
        }
        try await withChatClient(credential: credential) { request, _ in
            // The service revoked the old token although it has not expired yet.
            request.header("Authorization") == "Bearer \(newToken)"
                ? .json(200, threadJSON) : .json(401, #"{"error":{"code":"Unauthorized","message":"revoked"}}"#)
        } _: { client, server in
            let properties = try await client.chatThreadClient(threadID: "x").properties()
            #expect(properties.topic == "t")
            #expect(server.requestCount == 2)
            #expect(mints.withLock { $0 } == 1)
        }
    }

    @Test func unauthorizedTwiceFails() async throws {
        let mints = Mutex(0)
        let credential = CommunicationTokenCredential {
            mints.withLock { $0 += 1 }
            return JWT.expiring(in: 3600)
        }
        try await withChatClient(credential: credential) { _, _ in
            .json(401, #"{"error":{"code":"Unauthorized","message":"no"}}"#)
        } _: { client, server in
            let error = await #expect(throws: ChatServiceError.self) {
                _ = try await client.chatThreadClient(threadID: "x").properties()
            }
            #expect(error?.code == .unauthorized)
            #expect(server.requestCount == 2)
            #expect(mints.withLock { $0 } == 2)  // the first token, then one re-mint
        }
    }

    @Test func expiredStaticTokenFailsBeforeSending() async throws {
        let credential = try CommunicationTokenCredential(token: JWT.expiring(in: -5))
        try await withChatClient(credential: credential) { _, _ in
            .respond(status: 200)
        } _: { client, server in
            let error = await #expect(throws: ChatServiceError.self) {
                try await client.chatThreadClient(threadID: "t").sendTypingNotification()
            }
            #expect(error?.code == .credential)
            #expect(error?.operation == "POST /chat/threads/{chatThreadId}/typing")
            #expect(server.requestCount == 0)
        }
    }

    @Test func staticTokenUnauthorizedIsNotRetried() async throws {
        try await withChatClient { _, _ in
            .json(401, "")
        } _: { client, server in
            let error = await #expect(throws: ChatServiceError.self) {
                _ = try await client.chatThreadClient(threadID: "x").properties()
            }
            #expect(error?.code == .unauthorized)
            #expect(error?.message == "the service answered HTTP 401")
            #expect(server.requestCount == 1)
        }
    }
}

/// Builds NIO headers from a dictionary.
struct HTTPHeadersForTest {
    var nio: HTTPHeaders
    init(_ values: [String: String]) { nio = HTTPHeaders(values.map { ($0.key, $0.value) }) }
}
