import Foundation
import Testing

@testable import ACSChat

/// Every chat operation against a server that answers with the spec's example bodies and success codes.
@Suite struct SpecConformanceTests {
    static let chatSpecs = [("chat-2024-03-07.json", "2024-03-07"), ("chat-2025-03-15.json", "2025-03-15")]

    @Test(arguments: chatSpecs)
    func everyOperationDecodesTheSpecExamples(specFile: String, apiVersion: String) async throws {
        let spec = try SpecExamples(specFile)
        var responses: [String: (status: Int, body: Any?)] = [:]
        for operation in spec.operations {
            let parts = operation.split(separator: " ").map(String.init)
            responses[operation] = try spec.response(parts[0], parts[1])
        }
        #expect(responses.count == 16, "the spec should define the 16 chat operations")
        func body(_ key: String) throws -> [String: Any] {
            try #require(responses[key]?.body as? [String: Any], "no example body for \(key)")
        }
        func date(_ value: Any?) throws -> Date {
            let text = try #require(value as? String)
            return try #require(ChatDateFormat.parse(text))
        }

        let options = ChatClientOptions(apiVersion: apiVersion, retryPolicy: .none)
        try await withChatClient(options: options, script: specScript(responses)) { client, server in
            // Threads
            let created = try await client.createChatThread(
                topic: "t",
                participants: [ChatParticipant(identifier: .communicationUser(id: "8:acs:r_a"), displayName: "A")]
            )
            let createdJSON = try #require(try body("post /chat/threads")["chatThread"] as? [String: Any])
            try expectThread(created.thread, matches: createdJSON)
            let invalid = try #require(try body("post /chat/threads")["invalidParticipants"] as? [[String: Any]])
            #expect(created.invalidParticipants.map(\.code) == invalid.map { $0["code"] as? String })
            #expect(created.invalidParticipants.map(\.rawID) == invalid.map { $0["target"] as? String })

            var threads: [ChatThreadItem] = []
            for try await thread in client.listChatThreads(resultsPerPage: 5) { threads.append(thread) }
            let threadItems = try #require(try body("get /chat/threads")["value"] as? [[String: Any]])
            #expect(threads.map(\.id) == threadItems.map { $0["id"] as? String })
            #expect(threads.first?.lastMessageReceivedOn == (try date(threadItems[0]["lastMessageReceivedOn"])))

            let thread = client.chatThreadClient(threadID: created.thread.id)
            try expectThread(try await thread.properties(), matches: try body("get /chat/threads/{chatThreadId}"))
            try await thread.updateTopic("new")
            try await client.deleteChatThread(id: created.thread.id)

            // Messages
            let sentID = try await thread.sendMessage(content: "hi", metadata: ["k": "v"])
            #expect(sentID == (try body("post /chat/threads/{chatThreadId}/messages")["id"] as? String))
            let messageJSON = try body("get /chat/threads/{chatThreadId}/messages/{chatMessageId}")
            try expectMessage(try await thread.message(id: sentID), matches: messageJSON)
            var messages: [ChatMessage] = []
            for try await message in thread.listMessages(resultsPerPage: 2, startTime: Date(timeIntervalSince1970: 0)) {
                messages.append(message)
            }
            let messageItems = try #require(
                try body("get /chat/threads/{chatThreadId}/messages")["value"] as? [[String: Any]]
            )
            #expect(messages.count == messageItems.count)
            for (message, json) in zip(messages, messageItems) { try expectMessage(message, matches: json) }
            try await thread.updateMessage(id: sentID, content: "edited")
            try await thread.deleteMessage(id: sentID)

            // Participants
            var participants: [ChatParticipant] = []
            for try await participant in thread.listParticipants(resultsPerPage: 2, skip: 0) {
                participants.append(participant)
            }
            let participantItems = try #require(
                try body("get /chat/threads/{chatThreadId}/participants")["value"] as? [[String: Any]]
            )
            #expect(participants.map(\.displayName) == participantItems.map { $0["displayName"] as? String })
            #expect(participants.first?.shareHistoryTime == (try date(participantItems[0]["shareHistoryTime"])))
            #expect(participants.first?.metadata == (participantItems[0]["metadata"] as? [String: String] ?? [:]))
            let refused = try await thread.addParticipants(participants)
            let addJSON = try body("post /chat/threads/{chatThreadId}/participants/:add")
            #expect(refused.count == (addJSON["invalidParticipants"] as? [Any])?.count)
            try await thread.removeParticipant(.communicationUser(id: "8:acs:r_a"))

            // Typing and receipts
            try await thread.sendTypingNotification()
            try await thread.sendReadReceipt(messageID: sentID)
            var receipts: [ChatMessageReadReceipt] = []
            for try await receipt in thread.listReadReceipts() { receipts.append(receipt) }
            let receiptItems = try #require(
                try body("get /chat/threads/{chatThreadId}/readReceipts")["value"] as? [[String: Any]]
            )
            #expect(receipts.map(\.chatMessageID) == receiptItems.map { $0["chatMessageId"] as? String })
            #expect(receipts.first?.readOn == (try date(receiptItems[0]["readOn"])))

            // Every request carried the api-version, and no request hit an unknown path.
            #expect(server.requests.allSatisfy { $0.query?.contains("api-version=\(apiVersion)") == true })
            #expect(server.requests.count == 16)
        }
    }

    @Test func identityOperationsDecodeTheSpecExamples() async throws {
        let spec = try SpecExamples("identity-2023-10-01.json")
        let create = try spec.response("post", "/identities")
        let issue = try spec.response("post", "/identities/{id}/:issueAccessToken")
        let responses: [String: (status: Int, body: Any?)] = [
            "post /identities": create,
            "post /identities/{id}/:issueAccessToken": issue,
            "post /identities/{id}/:revokeAccessTokens": try spec.response(
                "post",
                "/identities/{id}/:revokeAccessTokens"
            ),
            "delete /identities/{id}": try spec.response("delete", "/identities/{id}"),
        ]
        try await ScriptedServer.withRunning(specScript(responses)) { url, server in
            let client = try CommunicationIdentityClient(
                connectionString:
                    "endpoint=\(url.absoluteString)/;accesskey=Y2hhdC1hcmNoaXZlLXRlc3Qta2V5LTAxMjM0NTY3ODk=",
                options: ChatClientOptions(retryPolicy: .none)
            )
            do {
                let createJSON = try #require(create.body as? [String: Any])
                let identity = try #require(createJSON["identity"] as? [String: Any])
                let (user, token) = try await client.createUserAndToken(expiresIn: .seconds(3600))
                #expect(user.rawID == identity["id"] as? String)
                let tokenJSON = try #require(createJSON["accessToken"] as? [String: Any])
                #expect(token.token == tokenJSON["token"] as? String)
                #expect(token.expiresOn == (tokenJSON["expiresOn"] as? String).flatMap(ChatDateFormat.parse))
                #expect(try await client.createUser().rawID == identity["id"] as? String)
                let issued = try await client.getToken(for: user)
                #expect(issued.token == (issue.body as? [String: Any])?["token"] as? String)
                try await client.revokeTokens(for: user)
                try await client.deleteUser(user)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
            #expect(server.requestCount == 5)
        }
    }

    private func expectThread(_ thread: ChatThreadProperties, matches json: [String: Any]) throws {
        #expect(thread.id == json["id"] as? String)
        #expect(thread.topic == json["topic"] as? String)
        #expect(thread.createdOn == (json["createdOn"] as? String).flatMap(ChatDateFormat.parse))
        let creator = try #require(json["createdByCommunicationIdentifier"] as? [String: Any])
        #expect(thread.createdBy.rawID == creator["rawId"] as? String)
        #expect(thread.deletedOn == (json["deletedOn"] as? String).flatMap(ChatDateFormat.parse))
        #expect(thread.metadata == (json["metadata"] as? [String: String] ?? [:]))
        if let policy = json["retentionPolicy"] as? [String: Any] {
            #expect(policy["kind"] as? String == "threadCreationDate")
            #expect(
                thread.retentionPolicy
                    == .threadCreationDate(deleteThreadAfterDays: policy["deleteThreadAfterDays"] as? Int ?? -1)
            )
        } else {
            #expect(thread.retentionPolicy == nil)
        }
    }

    private func expectMessage(_ message: ChatMessage, matches json: [String: Any]) throws {
        #expect(message.id == json["id"] as? String)
        #expect(message.type.rawValue == json["type"] as? String)
        #expect(message.sequenceID == json["sequenceId"] as? String)
        #expect(message.version == json["version"] as? String)
        #expect(message.senderDisplayName == json["senderDisplayName"] as? String)
        #expect(message.createdOn == (json["createdOn"] as? String).flatMap(ChatDateFormat.parse))
        #expect(message.editedOn == (json["editedOn"] as? String).flatMap(ChatDateFormat.parse))
        #expect(message.deletedOn == (json["deletedOn"] as? String).flatMap(ChatDateFormat.parse))
        #expect(message.metadata == (json["metadata"] as? [String: String] ?? [:]))
        let sender = json["senderCommunicationIdentifier"] as? [String: Any]
        #expect(message.sender?.rawID == sender?["rawId"] as? String)
        let content = try #require(json["content"] as? [String: Any])
        #expect(message.content?.message == content["message"] as? String)
        #expect(message.content?.topic == content["topic"] as? String)
        let initiator = content["initiatorCommunicationIdentifier"] as? [String: Any]
        #expect(message.content?.initiator?.rawID == initiator?["rawId"] as? String)
        let attachments = content["attachments"] as? [[String: Any]] ?? []
        #expect(message.content?.attachments.map(\.id) == attachments.map { $0["id"] as? String })
        #expect(
            message.content?.attachments.map(\.attachmentType.rawValue)
                == attachments.map { $0["attachmentType"] as? String }
        )
        #expect(message.content?.attachments.map(\.urlString) == attachments.map { $0["url"] as? String })
        #expect(message.content?.attachments.map(\.previewURLString) == attachments.map { $0["previewUrl"] as? String })
        let participants = content["participants"] as? [[String: Any]] ?? []
        #expect(message.content?.participants.map(\.displayName) == participants.map { $0["displayName"] as? String })
    }
}
