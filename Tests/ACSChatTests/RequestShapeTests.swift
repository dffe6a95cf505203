import Foundation
import Testing

@testable import ACSChat

/// The requests match what Microsoft's Python SDK 1.3.0 sends (contract §3.1).
@Suite(.timeLimit(.minutes(1))) struct RequestShapeTests {
    private static let ok: ScriptedServer.Script = { request, _ in
        switch (request.method, request.path) {
        case ("POST", "/chat/threads"):
            return .json(
                201,
                #"{"chatThread":{"id":"19:abc@thread.v2","topic":"topic1","createdOn":"2023-12-13T11:38:55Z","createdByCommunicationIdentifier":{"rawId":"8:acs:r_u","communicationUser":{"id":"8:acs:r_u"}}}}"#
            )
        case ("POST", let path) where path.hasSuffix("/messages"):
            return .json(201, #"{"id":"1700000000001"}"#)
        case ("POST", let path) where path.hasSuffix(":add"):
            return .json(
                201,
                #"{"invalidParticipants":[{"code":"403","message":"Permissions check failed","target":"8:acs:r_bad"}]}"#
            )
        case ("POST", let path) where path.hasSuffix("/typing") || path.hasSuffix("/readReceipts"):
            return .respond(status: 200)
        case ("GET", _):
            return .json(200, #"{"value":[]}"#)
        default:
            return .respond(status: 204)
        }
    }

    @Test func chatRequestsHaveTheSDKsShape() async throws {
        let token = JWT.expiring(in: 3600)
        let credential = try CommunicationTokenCredential(token: token)
        try await withChatClient(credential: credential, script: Self.ok) { client, server in
            let shareHistory = try #require(ChatDateFormat.parse("2024-01-01T00:00:00Z"))
            let result = try await client.createChatThread(
                topic: "topic1",
                participants: [
                    ChatParticipant(
                        identifier: .communicationUser(id: "8:acs:r_alice"),
                        displayName: "Alice",
                        shareHistoryTime: shareHistory
                    ),
                    ChatParticipant(identifier: .phoneNumber(value: "+14255550123")),
                    ChatParticipant(identifier: .microsoftTeamsUser(userID: "aad-oid")),
                ],
                idempotencyToken: "idem-1"
            )
            #expect(result.thread.createdBy == .communicationUser(id: "8:acs:r_u"))
            let thread = client.chatThreadClient(threadID: "19:abc@thread.v2")
            for try await _ in client.listChatThreads(
                resultsPerPage: 2,
                startTime: ChatDateFormat.parse("2024-01-01T12:30:00Z")
            ) {}
            try await thread.updateTopic("new topic")
            _ = try await thread.sendMessage(content: "hi", senderDisplayName: "Bob", metadata: ["a": "b"])
            _ = try await thread.sendMessage(content: "<b>x</b>", type: .html)
            try await thread.updateMessage(id: "1700000000001", content: "edited", metadata: ["x": "y"])
            try await thread.updateMessage(id: "1700000000001", content: "edited2")
            let refused = try await thread.addParticipants([
                ChatParticipant(identifier: .communicationUser(id: "8:acs:r_bad"))
            ])
            try await thread.removeParticipant(.communicationUser(id: "8:acs:r_bad"))
            try await thread.sendTypingNotification(senderDisplayName: "Bob")
            try await thread.sendTypingNotification()
            try await thread.sendReadReceipt(messageID: "1700000000001")
            for try await _ in thread.listParticipants(resultsPerPage: 2, skip: 1) {}
            try await thread.deleteMessage(id: "1700000000001")
            try await client.deleteChatThread(id: "19:abc@thread.v2")

            #expect(
                refused == [
                    ChatParticipantError(rawID: "8:acs:r_bad", code: "403", message: "Permissions check failed")
                ]
            )
            #expect(refused.first?.identifier == .communicationUser(id: "8:acs:r_bad"))

            let requests = server.requests
            let expected: [(String, String, String?, String?)] = [
                (
                    "POST", "/chat/threads?api-version=2024-03-07", "application/json",
                    """
                    {"participants":[{"communicationIdentifier":{"communicationUser":{"id":"8:acs:r_alice"},"rawId":"8:acs:r_alice"},\
                    "displayName":"Alice","shareHistoryTime":"2024-01-01T00:00:00.000Z"},\
                    {"communicationIdentifier":{"phoneNumber":{"value":"+14255550123"},"rawId":"4:+14255550123"}},\
                    {"communicationIdentifier":{"microsoftTeamsUser":{"cloud":"public","isAnonymous":false,"userId":"aad-oid"},\
                    "rawId":"8:orgid:aad-oid"}}],"topic":"topic1"}
                    """
                ),
                (
                    "GET", "/chat/threads?maxPageSize=2&startTime=2024-01-01T12%3A30%3A00.000Z&api-version=2024-03-07",
                    nil, nil
                ),
                (
                    "PATCH", "/chat/threads/19%3Aabc%40thread.v2?api-version=2024-03-07",
                    "application/merge-patch+json",
                    #"{"topic":"new topic"}"#
                ),
                (
                    "POST", "/chat/threads/19%3Aabc%40thread.v2/messages?api-version=2024-03-07", "application/json",
                    #"{"content":"hi","metadata":{"a":"b"},"senderDisplayName":"Bob","type":"text"}"#
                ),
                (
                    "POST", "/chat/threads/19%3Aabc%40thread.v2/messages?api-version=2024-03-07", "application/json",
                    #"{"content":"<b>x</b>","type":"html"}"#
                ),
                (
                    "PATCH", "/chat/threads/19%3Aabc%40thread.v2/messages/1700000000001?api-version=2024-03-07",
                    "application/merge-patch+json", #"{"content":"edited","metadata":{"x":"y"}}"#
                ),
                (
                    "PATCH", "/chat/threads/19%3Aabc%40thread.v2/messages/1700000000001?api-version=2024-03-07",
                    "application/merge-patch+json", #"{"content":"edited2"}"#
                ),
                (
                    "POST", "/chat/threads/19%3Aabc%40thread.v2/participants/:add?api-version=2024-03-07",
                    "application/json",
                    #"{"participants":[{"communicationIdentifier":{"communicationUser":{"id":"8:acs:r_bad"},"rawId":"8:acs:r_bad"}}]}"#
                ),
                (
                    "POST", "/chat/threads/19%3Aabc%40thread.v2/participants/:remove?api-version=2024-03-07",
                    "application/json",
                    #"{"communicationUser":{"id":"8:acs:r_bad"},"rawId":"8:acs:r_bad"}"#
                ),
                (
                    "POST", "/chat/threads/19%3Aabc%40thread.v2/typing?api-version=2024-03-07", "application/json",
                    #"{"senderDisplayName":"Bob"}"#
                ),
                ("POST", "/chat/threads/19%3Aabc%40thread.v2/typing?api-version=2024-03-07", "application/json", "{}"),
                (
                    "POST", "/chat/threads/19%3Aabc%40thread.v2/readReceipts?api-version=2024-03-07",
                    "application/json",
                    #"{"chatMessageId":"1700000000001"}"#
                ),
                (
                    "GET",
                    "/chat/threads/19%3Aabc%40thread.v2/participants?maxPageSize=2&skip=1&api-version=2024-03-07", nil,
                    nil
                ),
                (
                    "DELETE", "/chat/threads/19%3Aabc%40thread.v2/messages/1700000000001?api-version=2024-03-07", nil,
                    nil
                ),
                ("DELETE", "/chat/threads/19%3Aabc%40thread.v2?api-version=2024-03-07", nil, nil),
            ]
            #expect(requests.count == expected.count)
            for (request, (method, uri, contentType, body)) in zip(requests, expected) {
                #expect(request.method == method)
                #expect(request.uri == uri)
                #expect(request.header("Content-Type") == contentType, "\(uri)")
                if let body {
                    #expect(request.bodyText == body, "\(method) \(uri)")
                } else {
                    #expect(request.body.isEmpty)
                }
                #expect(request.header("Authorization") == "Bearer \(token)")
                #expect(request.header("Accept") == "application/json")
                #expect(request.header("User-Agent")?.isEmpty == false)
                #expect(request.header("x-ms-client-request-id").flatMap(UUID.init(uuidString:)) != nil)
            }
            #expect(requests[0].header("repeatability-request-id") == "idem-1")
            #expect(requests.dropFirst().allSatisfy { $0.header("repeatability-request-id") == nil })
        }
    }

    @Test func endpointPathPrefixIsKept() async throws {
        try await ScriptedServer.withRunning(Self.ok) { url, server in
            try await ChatClient.withClient(
                endpoint: url.appendingPathComponent("prefix/"),
                credential: CommunicationTokenCredential(token: JWT.expiring(in: 3600))
            ) { client in
                try await client.deleteChatThread(id: "t")
            }
            #expect(server.requests.map(\.path) == ["/prefix/chat/threads/t"])
        }
    }

    @Test func thread2025FieldsAreSent() async throws {
        let options = ChatClientOptions(apiVersion: "2025-03-15", retryPolicy: .none)
        try await withChatClient(options: options, script: Self.ok) { client, server in
            _ = try await client.createChatThread(
                topic: "t",
                metadata: ["team": "blue"],
                retentionPolicy: .threadCreationDate(deleteThreadAfterDays: 30)
            )
            try await client.chatThreadClient(threadID: "t").updateProperties(retentionPolicy: ChatRetentionPolicy.none)
            let bodies = server.requests.map(\.bodyText)
            #expect(
                bodies == [
                    #"{"metadata":{"team":"blue"},"participants":[],"retentionPolicy":{"deleteThreadAfterDays":30,"kind":"threadCreationDate"},"topic":"t"}"#,
                    #"{"retentionPolicy":{"kind":"none"}}"#,
                ]
            )
            #expect(server.requests.allSatisfy { $0.query?.hasSuffix("api-version=2025-03-15") == true })
        }
    }

    @Test func identityRequestsAreSignedAndShaped() async throws {
        let key = "Y2hhdC1hcmNoaXZlLXRlc3Qta2V5LTAxMjM0NTY3ODk="
        let verifier = try HMACRequestSigner(accessKey: key)
        let identityService: ScriptedServer.Script = { request, _ in
            // Verify the signature the way the service does, from what actually arrived.
            let expected = verifier.sign(
                method: request.method,
                pathAndQuery: request.uri,
                host: request.header("Host") ?? "",
                date: request.header("x-ms-date") ?? "",
                body: request.body
            )
            guard request.header("Authorization") == expected.authorization,
                request.header("x-ms-content-sha256") == expected.contentHash
            else { return .json(401, #"{"error":{"code":"Denied","message":"bad signature"}}"#) }
            switch (request.method, request.path) {
            case ("POST", "/identities"):
                let token =
                    request.bodyText.isEmpty
                    ? "" : #","accessToken":{"token":"jwt-secret-1","expiresOn":"2023-12-14T11:38:53.6940927+00:00"}"#
                return .json(201, #"{"identity":{"id":"8:acs:r_u"}\#(token)}"#)
            case ("POST", "/identities/8%3Aacs%3Ar_u/:issueAccessToken"):
                return .json(200, #"{"token":"tok2","expiresOn":"2024-01-02T00:00:00.123Z"}"#)
            default:
                return .respond(status: 204)
            }
        }
        try await ScriptedServer.withRunning(identityService) { url, server in
            let client = try CommunicationIdentityClient(
                connectionString: "endpoint=\(url.absoluteString)/;accesskey=\(key)"
            )
            do {
                #expect(try await client.createUser() == .communicationUser(id: "8:acs:r_u"))
                let (user, token) = try await client.createUserAndToken(
                    scopes: ["chat", "voip"],
                    expiresIn: .seconds(3600)
                )
                #expect(user == .communicationUser(id: "8:acs:r_u"))
                #expect(token.token == "jwt-secret-1")
                #expect(token.expiresOn == ChatDateFormat.parse("2023-12-14T11:38:53.6940927Z"))
                #expect(!"\(token)".contains("jwt-secret"))
                let issued = try await client.getToken(for: user, expiresIn: .seconds(5400))
                #expect(issued.token == "tok2")
                try await client.revokeTokens(for: user)
                try await client.deleteUser(user)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
            let requests = server.requests
            #expect(
                requests.map(\.uri) == [
                    "/identities?api-version=2023-10-01",
                    "/identities?api-version=2023-10-01",
                    "/identities/8%3Aacs%3Ar_u/:issueAccessToken?api-version=2023-10-01",
                    "/identities/8%3Aacs%3Ar_u/:revokeAccessTokens?api-version=2023-10-01",
                    "/identities/8%3Aacs%3Ar_u?api-version=2023-10-01",
                ]
            )
            #expect(
                requests.map(\.bodyText) == [
                    "", #"{"createTokenWithScopes":["chat","voip"],"expiresInMinutes":60}"#,
                    #"{"expiresInMinutes":90,"scopes":["chat"]}"#, "", "",
                ]
            )
            #expect(requests.allSatisfy { $0.header("x-ms-return-client-request-id") == "true" })
            #expect(requests.allSatisfy { ChatDateFormat.parseHTTPDate($0.header("x-ms-date") ?? "") != nil })
        }
    }
}
