import Foundation
import Testing

@testable import ACSChat

@Suite(.timeLimit(.minutes(1))) struct TransportTests {
    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await withChatClient { _, _ in
            .respond(status: 200)
        } _: { client, server in
            let thread = client.chatThreadClient(threadID: "t")
            for _ in 0..<20 { try await thread.sendTypingNotification() }
            #expect(server.requestCount == 20)
            #expect(Set(server.requests.map(\.remotePort)).count == 1)
        }
    }

    @Test func concurrentRequestsStayWithinThePoolLimit() async throws {
        let options = ChatClientOptions(retryPolicy: .none, maxConnectionsPerHost: 3)
        try await withChatClient(options: options) { _, _ in
            .respond(status: 200)
        } _: { client, server in
            let thread = client.chatThreadClient(threadID: "t")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<30 { group.addTask { try await thread.sendTypingNotification() } }
                try await group.waitForAll()
            }
            #expect(server.requestCount == 30)
            #expect(Set(server.requests.map(\.remotePort)).count <= 3)
        }
    }

    @Test func callsAfterShutdownFailAsTransport() async throws {
        let ok: ScriptedServer.Script = { _, _ in .respond(status: 200) }
        try await ScriptedServer.withRunning(ok) { url, server in
            let client = try ChatClient(
                endpoint: url,
                credential: CommunicationTokenCredential(token: JWT.expiring(in: 3600)),
                options: ChatClientOptions(retryPolicy: .none)
            )
            try await client.shutdown()
            let error = await #expect(throws: ChatServiceError.self) {
                try await client.chatThreadClient(threadID: "t").sendTypingNotification()
            }
            #expect(error?.code == .transport)
            #expect(server.requestCount == 0)
        }
    }

    @Test(arguments: ["ftp://example.com", "https://", "https://user:pw@example.com", "/relative/path"])
    func badEndpointsAreRejected(endpoint: String) throws {
        let url = try #require(URL(string: endpoint))
        let credential = try CommunicationTokenCredential(token: JWT.expiring(in: 3600))
        let error = #expect(throws: ChatServiceError.self) { _ = try ChatClient(endpoint: url, credential: credential) }
        #expect(error?.code == .invalidArgument)
        #expect(error.map { "\($0)" }?.contains("pw") == false)
    }

    @Test func identityClientExposesItsEndpoint() async throws {
        let client = try CommunicationIdentityClient(connectionString: "endpoint=https://res.example/;accesskey=a2V5")
        #expect(client.endpoint == URL(string: "https://res.example"))
        try await client.shutdown()
    }

    @Test func invalidCertificatePEMIsRejected() throws {
        let credential = try CommunicationTokenCredential(token: JWT.expiring(in: 3600))
        let options = ChatClientOptions(
            trustedRootCertificatesPEM: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----"
        )
        let error = #expect(throws: ChatServiceError.self) {
            _ = try ChatClient(
                endpoint: URL(string: "https://localhost:8443")!,
                credential: credential,
                options: options
            )
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test func backoffGrowsExponentiallyWithinBounds() {
        let policy = RetryPolicy(baseDelay: .milliseconds(800), maxDelay: .seconds(2))
        for _ in 0..<50 {
            #expect((.milliseconds(640)...(.milliseconds(960))).contains(policy.backoff(beforeRetry: 1)))
            #expect((.milliseconds(1280)...(.milliseconds(1920))).contains(policy.backoff(beforeRetry: 2)))
            #expect(policy.backoff(beforeRetry: 3) <= .seconds(2))
            #expect(policy.backoff(beforeRetry: 40) == .seconds(2))
        }
    }
}
