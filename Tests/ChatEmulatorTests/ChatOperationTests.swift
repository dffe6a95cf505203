import ChatEmulator
import Foundation
import NIOHTTP1
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ChatOperationTests {
    @Test func chatRequestsNeedAValidToken() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let user = await emulator.createUser()
                let expired = try await emulator.issueToken(for: user, expiresOn: Date().addingTimeInterval(-60))
                let valid = try await emulator.issueToken(for: user)
                let forged = valid.dropLast(4) + "AAAA"
                for token in [nil, expired, String(forged), "not-a-jwt"] {
                    let reply = try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: token)
                    #expect(reply.status == 401)
                    #expect(reply.headers["WWW-Authenticate"].isEmpty)
                    #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "Unauthorized")
                }
                await emulator.revokeTokens(for: user)
                #expect(try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: valid).status == 401)
            }
        }
    }

    @Test func createThreadAutoJoinsCreatorAndWritesSystemMessages() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser("Alice")
                let bob = try await client.makeUser("Bob")
                let created = try await client.send(
                    .POST,
                    "/chat/threads?api-version=2024-03-07",
                    token: alice.token,
                    json: EmulatorClient.createBody(topic: "Lunch", participants: [bob.id]),
                    headers: [("repeatability-request-id", "r1")]
                )
                #expect(created.status == 201)
                #expect(created.json["invalidParticipants"] == nil)
                let thread = try #require(created.json["chatThread"] as? [String: Any])
                let threadID = try #require(thread["id"] as? String)
                #expect(threadID.hasPrefix("19:") && threadID.hasSuffix("@thread.v2"))
                #expect(thread["topic"] as? String == "Lunch")
                #expect(thread["createdOn"] is String)
                let creator = try #require(thread["createdByCommunicationIdentifier"] as? [String: Any])
                #expect(creator["rawId"] as? String == alice.id)
                #expect(created.headers["Location"].first?.hasPrefix(client.origin + "/chat/threads/19%3A") == true)

                let path = EmulatorClient.path(threadID)
                let participants = try await client.send(
                    .GET,
                    path + "/participants?api-version=2024-03-07",
                    token: bob.token
                )
                let members = try #require(participants.json["value"] as? [[String: Any]])
                #expect(members.count == 2)
                #expect(members.first?["shareHistoryTime"] as? String == "1970-01-01T00:00:00.000Z")

                let messages = try await client.send(
                    .GET,
                    path + "/messages?api-version=2024-03-07",
                    token: alice.token
                )
                let items = try #require(messages.json["value"] as? [[String: Any]])
                #expect(items.map { $0["type"] as? String } == ["topicUpdated", "participantAdded"])
                #expect(items.map { $0["sequenceId"] as? String } == ["2", "1"])
                #expect(
                    items.allSatisfy { $0["senderCommunicationIdentifier"] == nil && $0["senderDisplayName"] == nil }
                )
                #expect((items[0]["content"] as? [String: Any])?["topic"] as? String == "Lunch")
                let added = (items[1]["content"] as? [String: Any])?["participants"] as? [[String: Any]]
                #expect(added?.count == 2)
                #expect(messages.json["nextLink"] == nil)
            }
        }
    }

    @Test func messageLifecycle() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser("Alice")
                let bob = try await client.makeUser("Bob")
                let threadID = try await client.createThread(token: alice.token, participants: [bob.id])
                let path = EmulatorClient.path(threadID)
                let sent = try await client.send(
                    .POST,
                    path + "/messages?api-version=2024-03-07",
                    token: alice.token,
                    json: #"{"content":"hi","senderDisplayName":"Alice","type":"text","metadata":{"a":"b"}}"#
                )
                #expect(sent.status == 201)
                let messageID = try #require(sent.json["id"] as? String)
                #expect(Int64(messageID) != nil)
                let html = try await client.send(
                    .POST,
                    path + "/messages?api-version=2024-03-07",
                    token: bob.token,
                    json: #"{"content":"<b>x</b>","type":"html"}"#
                )
                #expect(html.status == 201)

                let got = try await client.send(
                    .GET,
                    path + "/messages/\(messageID)?api-version=2024-03-07",
                    token: bob.token
                )
                #expect(got.status == 200)
                #expect(got.json["version"] as? String == messageID)
                #expect(got.json["sequenceId"] as? String == "3")
                #expect(got.json["senderDisplayName"] as? String == "Alice")
                #expect((got.json["metadata"] as? [String: String]) == ["a": "b"])
                #expect((got.json["content"] as? [String: Any])?["message"] as? String == "hi")

                #expect(
                    try await client.send(
                        .PATCH,
                        path + "/messages/\(messageID)?api-version=2024-03-07",
                        token: bob.token,
                        json: #"{"content":"hijack"}"#
                    ).status == 403
                )
                let edited = try await client.send(
                    .PATCH,
                    path + "/messages/\(messageID)?api-version=2024-03-07",
                    token: alice.token,
                    json: #"{"content":"edited"}"#
                )
                #expect(edited.status == 204)
                let afterEdit = try await client.send(
                    .GET,
                    path + "/messages/\(messageID)?api-version=2024-03-07",
                    token: alice.token
                )
                #expect(afterEdit.json["editedOn"] is String)
                let editedVersion = try #require(Int64(afterEdit.json["version"] as? String ?? ""))
                #expect(editedVersion > Int64(messageID)!)

                let deleted = try await client.send(
                    .DELETE,
                    path + "/messages/\(messageID)?api-version=2024-03-07",
                    token: alice.token
                )
                #expect(deleted.status == 204)
                let afterDelete = try await client.send(
                    .GET,
                    path + "/messages/\(messageID)?api-version=2024-03-07",
                    token: alice.token
                )
                #expect(afterDelete.status == 200)
                #expect(afterDelete.json["deletedOn"] is String)
                #expect((afterDelete.json["content"] as? [String: Any])?["message"] as? String == "")
                #expect(Int64(afterDelete.json["version"] as? String ?? "")! > editedVersion)

                let list = try await client.send(.GET, path + "/messages?api-version=2024-03-07", token: bob.token)
                let items = try #require(list.json["value"] as? [[String: Any]])
                #expect(items.map { $0["sequenceId"] as? String } == ["4", "3", "2", "1"])
                #expect(items[1]["deletedOn"] is String)

                #expect(
                    try await client.send(
                        .POST,
                        path + "/typing?api-version=2024-03-07",
                        token: bob.token,
                        json: #"{"senderDisplayName":"Bob"}"#
                    ).status == 200
                )
                for _ in 0..<2 {
                    let receipt = try await client.send(
                        .POST,
                        path + "/readReceipts?api-version=2024-03-07",
                        token: bob.token,
                        json: #"{"chatMessageId":"\#(messageID)"}"#
                    )
                    #expect(receipt.status == 200)
                    #expect(receipt.body.isEmpty)
                }
                let receipts = try await client.send(
                    .GET,
                    path + "/readReceipts?api-version=2024-03-07",
                    token: alice.token
                )
                let receiptItems = try #require(receipts.json["value"] as? [[String: Any]])
                #expect(receiptItems.count == 1)
                #expect(receiptItems.first?["chatMessageId"] as? String == messageID)
            }
        }
    }

    @Test func topicParticipantsAndMembership() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser("Alice")
                let bob = try await client.makeUser("Bob")
                let carol = try await client.makeUser("Carol")
                let threadID = try await client.createThread(token: alice.token, topic: "Old")
                let path = EmulatorClient.path(threadID)
                #expect(try await client.send(.GET, path + "?api-version=2024-03-07", token: bob.token).status == 403)
                let patched = try await client.send(
                    .PATCH,
                    path + "?api-version=2024-03-07",
                    token: alice.token,
                    json: #"{"topic":"New"}"#
                )
                #expect(patched.status == 204)
                #expect(
                    try await client.send(.GET, path + "?api-version=2024-03-07", token: alice.token).json["topic"]
                        as? String == "New"
                )

                let unknown = "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000001"
                let list = [bob.id, carol.id, unknown].map { EmulatorClient.participant($0) }.joined(separator: ",")
                let added = try await client.send(
                    .POST,
                    path + "/participants/:add?api-version=2024-03-07",
                    token: alice.token,
                    json: #"{"participants":[\#(list)]}"#
                )
                #expect(added.status == 201)
                let invalid = try #require(added.json["invalidParticipants"] as? [[String: Any]])
                #expect(invalid.count == 1)
                #expect(invalid.first?["code"] as? String == "403")
                #expect(invalid.first?["target"] as? String == unknown)
                let again = try await client.send(
                    .POST,
                    path + "/participants/:add?api-version=2024-03-07",
                    token: alice.token,
                    json: #"{"participants":[\#(EmulatorClient.participant(bob.id))]}"#
                )
                #expect(again.status == 201)
                #expect(await emulator.participantIDs(threadID: threadID)?.count == 3)

                let removed = try await client.send(
                    .POST,
                    path + "/participants/:remove?api-version=2024-03-07",
                    token: alice.token,
                    json: EmulatorClient.identifier(carol.id)
                )
                #expect(removed.status == 204)
                #expect(
                    try await client.send(.GET, path + "/messages?api-version=2024-03-07", token: carol.token).status
                        == 403
                )
                let messages = try await client.send(.GET, path + "/messages?api-version=2024-03-07", token: bob.token)
                let types = (messages.json["value"] as? [[String: Any]])?.map { $0["type"] as? String }
                #expect(
                    types == [
                        "participantRemoved", "participantAdded", "topicUpdated", "topicUpdated", "participantAdded",
                    ]
                )

                let malformed = try await client.send(
                    .POST,
                    path + "/participants/:add?api-version=2024-03-07",
                    token: alice.token,
                    json: #"{"participants":[\#(EmulatorClient.participant("8:acs:fakeid==="))]}"#
                )
                #expect(malformed.status == 400)
            }
        }
    }

    @Test func deletedThreadsAnswer404AndAreListedWithDeletedOn() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                let bob = try await client.makeUser()
                let threadID = try await client.createThread(token: alice.token, participants: [bob.id])
                let path = EmulatorClient.path(threadID)
                #expect(
                    try await client.send(.DELETE, path + "?api-version=2024-03-07", token: alice.token).status == 204
                )
                #expect(try await client.send(.GET, path + "?api-version=2024-03-07", token: bob.token).status == 404)
                let messages = try await client.send(
                    .GET,
                    path + "/messages?api-version=2024-03-07",
                    token: alice.token
                )
                #expect(messages.status == 404)
                let threads = try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: bob.token)
                let items = try #require(threads.json["value"] as? [[String: Any]])
                #expect(items.count == 1)
                #expect(items.first?["deletedOn"] is String)
                #expect(items.first?["lastMessageReceivedOn"] is String)
                let missing = try await client.send(
                    .GET,
                    "/chat/threads/19%3Anope%40thread.v2?api-version=2024-03-07",
                    token: bob.token
                )
                #expect(missing.status == 404)
            }
        }
    }

    @Test func repeatabilityRequestIDMakesCreateIdempotent() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                let bob = try await client.makeUser()
                let first = try await client.createThread(token: alice.token, repeatability: "same")
                let second = try await client.createThread(token: alice.token, repeatability: "same")
                let other = try await client.createThread(token: bob.token, repeatability: "same")
                #expect(first == second)
                #expect(first != other)
                #expect(await emulator.threadIDs().count == 2)
            }
        }
    }

    @Test func rawAndPercentEncodedPathsAreTheSameThread() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                let threadID = try await client.createThread(token: alice.token, topic: "Paths")
                let raw = try await client.send(
                    .GET,
                    "/chat/threads/\(threadID)?api-version=2024-03-07",
                    token: alice.token
                )
                let encoded = try await client.send(
                    .GET,
                    EmulatorClient.path(threadID) + "?api-version=2024-03-07",
                    token: alice.token
                )
                #expect(raw.status == 200)
                #expect(raw.json["id"] as? String == threadID)
                #expect(encoded.json["id"] as? String == threadID)
            }
        }
    }

    @Test(arguments: [EmulatorConfiguration.ErrorShape.spec, .live])
    func badRequestsGet400WithTheConfiguredErrorShape(shape: EmulatorConfiguration.ErrorShape) async throws {
        try await ChatEmulator.withRunning(.init(errorShape: shape)) { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                let bodies = ["{not json", #"{"participants":[]}"#, #"{"topic":5}"#]
                for body in bodies {
                    let reply = try await client.send(
                        .POST,
                        "/chat/threads?api-version=2024-03-07",
                        token: alice.token,
                        json: body
                    )
                    #expect(reply.status == 400)
                    #expect(reply.headers["Retry-After"].isEmpty)
                    switch shape {
                    case .spec: #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "BadRequest")
                    case .live:
                        let error = reply.json["CommunicationError"] as? [String: Any]
                        #expect(error?["Code"] as? String == "BadRequest")
                        #expect(error?["Details"] is [Any])
                    }
                }
                #expect(try await client.send(.GET, "/chat/threads", token: alice.token).status == 400)
                #expect(
                    try await client.send(.GET, "/chat/threads?api-version=2021-03-07", token: alice.token).status
                        == 400
                )
                #expect(
                    try await client.send(.GET, "/chat/threads?api-version=2025-03-15", token: alice.token).status
                        == 200
                )
            }
        }
    }

    @Test func readReceiptsKeepTheLatestMessagePerUser() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                let bob = try await client.makeUser()
                let threadID = try await client.createThread(token: alice.token, participants: [bob.id])
                let path = EmulatorClient.path(threadID)
                var ids: [String] = []
                for text in ["one", "two"] {
                    let sent = try await client.send(
                        .POST,
                        path + "/messages?api-version=2024-03-07",
                        token: alice.token,
                        json: #"{"content":"\#(text)"}"#
                    )
                    ids.append(try #require(sent.json["id"] as? String))
                }
                for id in [ids[1], ids[0]] {
                    let receipt = try await client.send(
                        .POST,
                        path + "/readReceipts?api-version=2024-03-07",
                        token: bob.token,
                        json: #"{"chatMessageId":"\#(id)"}"#
                    )
                    #expect(receipt.status == 200)
                }
                let missing = try await client.send(
                    .POST,
                    path + "/readReceipts?api-version=2024-03-07",
                    token: bob.token,
                    json: #"{"chatMessageId":"12"}"#
                )
                #expect(missing.status == 404)
                let receipts = try await client.send(
                    .GET,
                    path + "/readReceipts?api-version=2024-03-07",
                    token: alice.token
                )
                let items = try #require(receipts.json["value"] as? [[String: Any]])
                #expect(items.map { $0["chatMessageId"] as? String } == [ids[1]])
                let sender = items.first?["senderCommunicationIdentifier"] as? [String: Any]
                #expect(sender?["rawId"] as? String == bob.id)
            }
        }
    }

    @Test func threadMetadataAndRetentionPolicyRoundTrip() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                let created = try await client.send(
                    .POST,
                    "/chat/threads?api-version=2025-03-15",
                    token: alice.token,
                    json:
                        #"{"topic":"T","metadata":{"k":"v"},"retentionPolicy":{"kind":"threadCreationDate","deleteThreadAfterDays":30}}"#
                )
                let thread = try #require(created.json["chatThread"] as? [String: Any])
                #expect(thread["metadata"] as? [String: String] == ["k": "v"])
                let policy = thread["retentionPolicy"] as? [String: Any]
                #expect(policy?["kind"] as? String == "threadCreationDate")
                #expect(policy?["deleteThreadAfterDays"] as? Int == 30)
                #expect(
                    (thread["createdByCommunicationIdentifier"] as? [String: Any])?["kind"] as? String
                        == "communicationUser"
                )
                let id = try #require(thread["id"] as? String)
                let old = try await client.send(
                    .GET,
                    EmulatorClient.path(id) + "?api-version=2021-09-07",
                    token: alice.token
                )
                let creator = try #require(old.json["createdByCommunicationIdentifier"] as? [String: Any])
                #expect(creator["kind"] == nil)
                #expect(
                    creator["rawId"] as? String == (creator["communicationUser"] as? [String: Any])?["id"] as? String
                )
            }
        }
    }
}
