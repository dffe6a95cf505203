import ACSChat
import ChatEmulator
import Foundation
import Testing

/// Every `ACSChat` operation against the in-process emulator over HTTPS, as an application would use them.
@Suite(.timeLimit(.minutes(2)))
struct ClientEmulatorTests {
    /// Runs `body` with an emulator, an identity client and a way to make chat clients; shuts all down afterwards.
    static func withService(
        _ configuration: EmulatorConfiguration = EmulatorConfiguration(),
        _ body: (RunningEmulator, CommunicationIdentityClient, ChatClientOptions) async throws -> Void
    ) async throws {
        try await ChatEmulator.withRunning(configuration) { emulator in
            let options = ChatClientOptions(
                trustedRootCertificatesPEM: emulator.certificatePEM,
                retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
            )
            let identity = try CommunicationIdentityClient(
                connectionString: emulator.connectionString,
                options: options
            )
            let result: Result<Void, any Error>
            do {
                result = .success(try await body(emulator, identity, options))
            } catch {
                result = .failure(error)
            }
            try await identity.shutdown()
            try result.get()
        }
    }

    @Test func identityOperationsMintUsableTokensAndRevokeThem() async throws {
        try await Self.withService { emulator, identity, options in
            let (user, token) = try await identity.createUserAndToken(scopes: ["chat"], expiresIn: .seconds(3600))
            #expect(user.rawID.hasPrefix("8:acs:"))
            #expect(token.expiresOn.timeIntervalSinceNow > 3000)
            #expect(CommunicationTokenCredential.subject(ofToken: token.token) == user.rawID)
            let bare = try await identity.createUser()
            let second = try await identity.getToken(for: bare, scopes: ["chat"], expiresIn: nil)

            try await ChatClient.withClient(
                endpoint: emulator.endpoint,
                credential: try CommunicationTokenCredential(token: second.token),
                options: options
            ) { client in
                var threads = 0
                for try await _ in client.listChatThreads() { threads += 1 }
                #expect(threads == 0)
                try await identity.revokeTokens(for: bare)
                let error = await #expect(throws: ChatServiceError.self) {
                    for try await _ in client.listChatThreads() {}
                }
                #expect(error?.code == .unauthorized)
            }
            try await identity.deleteUser(bare)
            await #expect(throws: ChatServiceError.self) {
                _ = try await identity.getToken(for: bare, scopes: ["chat"], expiresIn: nil)
            }
        }
    }

    @Test func everyChatOperationBehavesAsTheServiceDoes() async throws {
        try await Self.withService { emulator, identity, options in
            let alice = try await identity.createUserAndToken()
            let bob = try await identity.createUserAndToken()
            let carol = try await identity.createUser()
            let unknown = CommunicationIdentifier(rawID: "8:acs:00000000-0000-0000-0000-000000000000_nobody")
            try await ChatClient.withClient(
                endpoint: emulator.endpoint,
                credential: try CommunicationTokenCredential(token: alice.token.token),
                options: options
            ) { client in
                let created = try await client.createChatThread(
                    topic: "Launch plan",
                    participants: [
                        ChatParticipant(identifier: bob.user, displayName: "Bob"),
                        ChatParticipant(identifier: unknown, displayName: "Nobody"),
                    ],
                    idempotencyToken: "launch-1"
                )
                #expect(created.invalidParticipants.map(\.rawID) == [unknown.rawID])
                #expect(created.invalidParticipants.first?.code == "403")
                let again = try await client.createChatThread(topic: "Launch plan", idempotencyToken: "launch-1")
                #expect(again.thread.id == created.thread.id)

                let thread = client.chatThreadClient(threadID: created.thread.id)
                let properties = try await thread.properties()
                #expect(properties.topic == "Launch plan")
                #expect(properties.createdBy == alice.user)

                try await thread.updateTopic("Launch plan v2")
                #expect(try await thread.properties().topic == "Launch plan v2")

                let textID = try await thread.sendMessage(
                    content: "Ship it on Friday",
                    senderDisplayName: "Alice",
                    metadata: ["tag": "plan"]
                )
                let htmlID = try await thread.sendMessage(content: "<b>bold</b> move", type: .html)
                let sent = try await thread.message(id: textID)
                #expect(sent.content?.message == "Ship it on Friday")
                #expect(sent.metadata == ["tag": "plan"])
                #expect(sent.sender == alice.user)
                #expect(sent.version == sent.id)

                try await thread.updateMessage(id: textID, content: "Ship it on Monday", metadata: ["tag": "moved"])
                let edited = try await thread.message(id: textID)
                #expect(edited.editedOn != nil)
                #expect(edited.content?.message == "Ship it on Monday")
                #expect(edited.version != sent.version)

                try await thread.deleteMessage(id: htmlID)
                let deleted = try await thread.message(id: htmlID)
                #expect(deleted.deletedOn != nil)
                #expect(deleted.content?.message?.isEmpty ?? true)

                try await thread.sendTypingNotification(senderDisplayName: "Alice")
                try await thread.sendTypingNotification()

                let refused = try await thread.addParticipants([
                    ChatParticipant(identifier: carol, displayName: "Carol"),
                    ChatParticipant(identifier: bob.user, displayName: "Bob"),
                ])
                #expect(refused.isEmpty)
                var members: [String] = []
                for try await participant in thread.listParticipants(resultsPerPage: 1) {
                    members.append(participant.identifier.rawID)
                }
                #expect(Set(members) == Set([alice.user.rawID, bob.user.rawID, carol.rawID]))
                #expect(members.count == 3)
                var skipped = 0
                for try await _ in thread.listParticipants(skip: 1) { skipped += 1 }
                #expect(skipped == 2)
                try await thread.removeParticipant(carol)

                try await thread.sendReadReceipt(messageID: textID)
                var receipts: [ChatMessageReadReceipt] = []
                for try await receipt in thread.listReadReceipts() { receipts.append(receipt) }
                #expect(receipts.map(\.chatMessageID) == [textID])
                #expect(receipts.first?.sender == alice.user)

                var types: [ChatMessageType] = []
                var createdTimes: [Date] = []
                for try await message in thread.listMessages(resultsPerPage: 2) {
                    types.append(message.type)
                    createdTimes.append(message.createdOn)
                }
                // Newest first: removal, addition, two user messages, topic change, then the creation messages.
                #expect(createdTimes == createdTimes.sorted(by: >))
                #expect(types.first == .participantRemoved)
                #expect(types.filter { $0 == .topicUpdated }.count == 2)
                #expect(types.last == .participantAdded)

                var pageCount = 0
                var resumeToken: String?
                for try await page in thread.listMessages(resultsPerPage: 3).pages {
                    pageCount += 1
                    if pageCount == 1 { resumeToken = page.continuationToken }
                }
                let token = try #require(resumeToken)
                var resumed = 0
                for try await page in thread.listMessages(resultsPerPage: 3).pages(continuingFrom: token) {
                    resumed += page.items.count
                }
                #expect(resumed == types.count - 3)
                #expect(pageCount == (types.count + 2) / 3)

                var listed: [ChatThreadItem] = []
                for try await item in client.listChatThreads(resultsPerPage: 1) { listed.append(item) }
                #expect(listed.map(\.id) == [created.thread.id])

                try await client.deleteChatThread(id: created.thread.id)
                let gone = await #expect(throws: ChatServiceError.self) { _ = try await thread.properties() }
                #expect(gone?.code == .notFound)
            }

            // Someone who is not a member of a thread is refused.
            try await ChatClient.withClient(
                endpoint: emulator.endpoint,
                credential: try CommunicationTokenCredential(token: bob.token.token),
                options: options
            ) { client in
                let bobsThread = try await client.createChatThread(topic: "Bob's own")
                let outsider = try await identity.createUserAndToken()
                try await ChatClient.withClient(
                    endpoint: emulator.endpoint,
                    credential: try CommunicationTokenCredential(token: outsider.token.token),
                    options: options
                ) { outsiderClient in
                    let forbidden = await #expect(throws: ChatServiceError.self) {
                        _ = try await outsiderClient.chatThreadClient(threadID: bobsThread.thread.id).properties()
                    }
                    #expect(forbidden?.code == .forbidden)
                }
            }
        }
    }

    @Test func anExpiredStaticTokenIsRefusedAndARefresherRecovers() async throws {
        try await Self.withService { emulator, identity, options in
            let user = try await identity.createUser()
            let expired = try await emulator.issueToken(for: user.rawID, expiresOn: Date(timeIntervalSinceNow: -60))
            let stale = try CommunicationTokenCredential(token: expired)
            try await ChatClient.withClient(endpoint: emulator.endpoint, credential: stale, options: options) {
                client in
                _ = await #expect(throws: ChatServiceError.self) {
                    for try await _ in client.listChatThreads() {}
                }
            }
            // A revoked token: the client re-mints once through the refresher and carries on.
            let revoked = try await identity.getToken(for: user, scopes: ["chat"], expiresIn: nil)
            try await identity.revokeTokens(for: user)
            let refreshing = CommunicationTokenCredential(initialToken: revoked.token) {
                try await identity.getToken(for: user, scopes: ["chat"], expiresIn: nil).token
            }
            try await ChatClient.withClient(endpoint: emulator.endpoint, credential: refreshing, options: options) {
                client in
                let thread = try await client.createChatThread(topic: "after refresh")
                #expect(!thread.thread.id.isEmpty)
            }
        }
    }

    @Test func clientsSharingOnePoolActAsTheirOwnIdentities() async throws {
        try await Self.withService { emulator, identity, options in
            let alice = try await identity.createUserAndToken()
            let bob = try await identity.createUserAndToken()
            try await ChatClient.withClient(
                endpoint: emulator.endpoint,
                credential: try CommunicationTokenCredential(token: alice.token.token),
                options: options
            ) { owner in
                let borrowed = owner.sharingConnections(
                    credential: try CommunicationTokenCredential(token: bob.token.token)
                )
                let bobs = try await borrowed.createChatThread(topic: "Bob's")
                #expect(bobs.thread.createdBy == bob.user)
                try await borrowed.shutdown()  // borrowed: the pool stays open for its owner
                let alices = try await owner.createChatThread(topic: "Alice's")
                #expect(alices.thread.createdBy == alice.user)
            }
        }
    }
}
