import ArchiveModel
import Foundation
import Testing

@testable import ArchiveStore

@Suite struct ApplyTests {
    private func fullBatch() -> ThreadBatch {
        ThreadBatch(
            threadID: Fixtures.threadID,
            thread: ThreadSnapshot(
                id: Fixtures.threadID,
                topic: "Planning",
                createdOn: Fixtures.date(0),
                createdBy: Fixtures.alice,
                metadata: ["team": "ops"],
                retentionPolicy: .threadCreationDate(deleteThreadAfterDays: 90)
            ),
            revisions: [
                Fixtures.message("3", text: "third", sender: Fixtures.bob, created: 3),
                Fixtures.message("1", text: "first", created: 1),
                Fixtures.message("2", text: "second <b>bold</b>", created: 2),
                Fixtures.message("1", text: "first", created: 1),  // the same version twice in one batch
            ],
            participants: .complete([
                ObservedParticipant(rawID: Fixtures.alice, displayName: "Alice"),
                ObservedParticipant(rawID: Fixtures.bob, displayName: "Bob", metadata: ["role": "guest"]),
            ]),
            readReceipts: [
                ArchivedReadReceipt(
                    threadID: Fixtures.threadID,
                    readerID: Fixtures.bob,
                    messageID: "1",
                    readOn: Fixtures.date(5),
                    observedOn: Fixtures.date(10_000)
                )
            ],
            identities: [ArchivedIdentity(rawID: Fixtures.alice, displayName: "Alice A.")],
            cursor: ThreadCursor(
                threadID: Fixtures.threadID,
                newestCreatedOn: Fixtures.date(3),
                lastSync: Fixtures.date(10_000)
            ),
            observedOn: Fixtures.date(10_000)
        )
    }

    @Test func applyingTheSameBatchTwiceAddsNothing() async throws {
        let store = try ArchiveStore(path: ":memory:")
        let first = try await store.apply(fullBatch())
        #expect(first == ApplyResult(messagesNew: 3, revisionsNew: 3, receiptsNew: 1, participantsNew: 2))
        let before = try await store.stats()
        let heads = try await store.chainHeads()
        let second = try await store.apply(fullBatch())
        #expect(second == ApplyResult())
        #expect(try await store.stats() == before)
        #expect(try await store.chainHeads() == heads)
        #expect(before.messages == 3 && before.revisions == 3 && before.participants == 2 && before.readReceipts == 1)
        #expect(try await store.verify().isIntact)
    }

    @Test func messagesStreamInCreationOrderWithTheirFields() async throws {
        let store = try ArchiveStore(path: ":memory:")
        _ = try await store.apply(fullBatch())
        var messages: [ArchivedMessage] = []
        try await store.forEachMessage(threadID: Fixtures.threadID, since: nil, until: nil) { messages.append($0) }
        #expect(messages.map(\.messageID) == ["1", "2", "3"])
        let third = try #require(messages.last?.latest)
        #expect(third == Fixtures.message("3", text: "third", sender: Fixtures.bob, created: 3))
        var window: [String] = []
        try await store.forEachMessage(threadID: Fixtures.threadID, since: Fixtures.date(2), until: Fixtures.date(3)) {
            window.append($0.messageID)
        }
        #expect(window == ["2"])
        let thread = try #require(try await store.thread(id: Fixtures.threadID))
        #expect(thread.topic == "Planning")
        #expect(thread.retentionPolicy == .threadCreationDate(deleteThreadAfterDays: 90))
        #expect(thread.metadata == ["team": "ops"])
        #expect(thread.createdBy == Fixtures.alice)
        let participants = try await store.participants(threadID: Fixtures.threadID)
        #expect(participants.map(\.identity.displayName) == ["Alice A.", "Bob"])
        #expect(participants.last?.metadata == ["role": "guest"])
        #expect(try await store.cursor(threadID: Fixtures.threadID)?.newestCreatedOn == Fixtures.date(3))
    }

    @Test func editsAndDeletionsKeepEveryRevisionAndTheLastContent() async throws {
        let store = try ArchiveStore(path: ":memory:")
        _ = try await store.apply(Fixtures.batch([Fixtures.message("1", text: "original words", created: 1)]))
        let edit = try await store.apply(
            Fixtures.batch([Fixtures.message("1", version: 50, text: "edited words", created: 1, edited: 50)])
        )
        #expect(edit == ApplyResult(messagesNew: 0, revisionsNew: 1))
        _ = try await store.apply(
            Fixtures.batch([Fixtures.message("1", version: 60, text: "", created: 1, edited: 50, deleted: 60)])
        )
        var messages: [ArchivedMessage] = []
        try await store.forEachMessage(threadID: Fixtures.threadID, since: nil, until: nil) { messages.append($0) }
        let message = try #require(messages.first)
        #expect(messages.count == 1)
        #expect(message.revisions.count == 3)
        #expect(message.isDeleted && message.isEdited)
        #expect(message.lastContent.text == "edited words")
        #expect(message.earlierRevisions.map(\.text) == ["original words"])
        let stats = try await store.stats()
        #expect(stats.messages == 1 && stats.revisions == 3 && stats.editedMessages == 1 && stats.deletedMessages == 1)
        #expect(try await store.verify().isIntact)
    }

    /// A new thread's first batch may hold several versions of one message (a full walk after edits): the
    /// later versions must find the message the batch itself just wrote.
    @Test func aFirstBatchWithSeveralVersionsOfAMessageKeepsThemAll() async throws {
        let store = try ArchiveStore(path: ":memory:")
        let result = try await store.apply(
            Fixtures.batch([
                Fixtures.message("1", version: 50, text: "edited words", created: 1, edited: 50),
                Fixtures.message("2", text: "another", created: 2),
                Fixtures.message("1", text: "original words", created: 1),
            ])
        )
        #expect(result == ApplyResult(messagesNew: 2, revisionsNew: 3))
        var messages: [ArchivedMessage] = []
        try await store.forEachMessage(threadID: Fixtures.threadID, since: nil, until: nil) { messages.append($0) }
        #expect(messages.map(\.revisions.count) == [2, 1])
        #expect(messages.first?.lastContent.text == "edited words")
        #expect(try await store.verify().isIntact)
    }

    @Test func everyRevisionFieldRoundTrips() async throws {
        let store = try ArchiveStore(path: ":memory:")
        let html = MessageRevision(
            threadID: Fixtures.threadID,
            messageID: "h1",
            version: "1796000001000",
            sequenceID: 7,
            type: .html,
            senderID: Fixtures.bob,
            senderDisplayName: "Bob",
            createdOn: Fixtures.date(1),
            editedOn: Fixtures.date(2),
            content: "<p onclick=\"x()\">hi <img src=x></p>",
            sanitizedHTML: "<p>hi</p>",
            text: "hi",
            metadata: ["a": "1", "b": "2"],
            attachments: [MessageAttachment(id: "i1", type: "image", name: "cat.png", url: "https://x/cat.png")],
            observedOn: Fixtures.date(3)
        )
        let system = MessageRevision(
            threadID: Fixtures.threadID,
            messageID: "s1",
            version: "1796000004000",
            type: .unknown("somethingNew"),
            createdOn: Fixtures.date(4),
            content: "",
            text: "",
            topic: "T",
            participants: [
                MessageParticipant(rawID: Fixtures.carol, displayName: "Carol", shareHistoryTime: Fixtures.date(0))
            ],
            initiatorID: Fixtures.alice,
            observedOn: Fixtures.date(5)
        )
        _ = try await store.apply(Fixtures.batch([system, html]))
        var read: [MessageRevision] = []
        try await store.forEachMessage(threadID: Fixtures.threadID, since: nil, until: nil) { read.append($0.latest) }
        #expect(read == [html, system])
    }

    @Test func anOlderVersionArrivingLateDoesNotBecomeCurrent() async throws {
        let store = try ArchiveStore(path: ":memory:")
        _ = try await store.apply(
            Fixtures.batch([Fixtures.message("1", version: 50, text: "new", created: 1, edited: 50)])
        )
        _ = try await store.apply(Fixtures.batch([Fixtures.message("1", text: "old", created: 1)]))
        var latest: [String] = []
        try await store.forEachMessage(threadID: Fixtures.threadID, since: nil, until: nil) {
            latest.append($0.latest.text)
        }
        #expect(latest == ["new"])
        #expect(try await store.verify().isIntact)
    }

    @Test func participantSnapshotsAndSystemMessagesKeepMembershipHistory() async throws {
        let store = try ArchiveStore(path: ":memory:")
        func snapshot(_ ids: [String], at seconds: Int) -> ThreadBatch {
            ThreadBatch(
                threadID: Fixtures.threadID,
                participants: .complete(ids.map { ObservedParticipant(rawID: $0) }),
                observedOn: Fixtures.date(seconds)
            )
        }
        _ = try await store.apply(snapshot([Fixtures.alice, Fixtures.bob], at: 100))
        _ = try await store.apply(snapshot([Fixtures.alice], at: 200))
        var bob = try #require(
            try await store.participants(threadID: Fixtures.threadID).first { $0.identity.rawID == Fixtures.bob }
        )
        #expect(bob.removedOn == Fixtures.date(200))

        let added = try await store.apply(
            Fixtures.batch([
                Fixtures.system("s1", type: .participantAdded, participants: [Fixtures.carol], created: 250)
            ])
        )
        #expect(added.participantsNew == 1)
        _ = try await store.apply(snapshot([Fixtures.alice, Fixtures.bob, Fixtures.carol], at: 300))
        bob = try #require(
            try await store.participants(threadID: Fixtures.threadID).first { $0.identity.rawID == Fixtures.bob }
        )
        #expect(bob.removedOn == nil)
        #expect(bob.firstSeen == Fixtures.date(100) && bob.lastSeen == Fixtures.date(300))

        _ = try await store.apply(
            Fixtures.batch([
                Fixtures.system("s2", type: .participantRemoved, participants: [Fixtures.carol], created: 350)
            ])
        )
        let carol = try #require(
            try await store.participants(threadID: Fixtures.threadID).first { $0.identity.rawID == Fixtures.carol }
        )
        #expect(carol.firstSeen == Fixtures.date(250) && carol.removedOn == Fixtures.date(350))
        // An old removal message seen after a later snapshot does not undo the re-add.
        _ = try await store.apply(
            Fixtures.batch([
                Fixtures.system("s0", type: .participantRemoved, participants: [Fixtures.bob], created: 150)
            ])
        )
        bob = try #require(
            try await store.participants(threadID: Fixtures.threadID).first { $0.identity.rawID == Fixtures.bob }
        )
        #expect(bob.removedOn == nil)

        let history = try await store.membershipHistory(threadID: Fixtures.threadID).filter { $0.rawID == Fixtures.bob }
        #expect(history.map(\.change) == [.added, .removed, .removed, .added])
        #expect(history.map(\.source) == [.snapshot, .message, .snapshot, .snapshot])
        #expect(try await store.stats().participants == 3)
    }

    @Test func readReceiptsKeepEveryDistinctObservation() async throws {
        let store = try ArchiveStore(path: ":memory:")
        func receipt(_ message: String, _ readOn: Int) -> ArchivedReadReceipt {
            ArchivedReadReceipt(
                threadID: Fixtures.threadID,
                readerID: Fixtures.bob,
                messageID: message,
                readOn: Fixtures.date(readOn),
                observedOn: Fixtures.date(10_000)
            )
        }
        let first = ThreadBatch(
            threadID: Fixtures.threadID,
            readReceipts: [receipt("1", 10)],
            observedOn: Fixtures.date(10_000)
        )
        let second = ThreadBatch(
            threadID: Fixtures.threadID,
            readReceipts: [receipt("1", 10), receipt("2", 20)],
            observedOn: Fixtures.date(10_100)
        )
        #expect(try await store.apply(first).receiptsNew == 1)
        #expect(try await store.apply(second).receiptsNew == 1)
        #expect(try await store.readReceipts(threadID: Fixtures.threadID).map(\.messageID) == ["1", "2"])
    }

    @Test func topicHistoryCollectsSnapshotsAndTopicMessages() async throws {
        let store = try ArchiveStore(path: ":memory:")
        func snapshot(_ topic: String, at seconds: Int) -> ThreadBatch {
            ThreadBatch(
                threadID: Fixtures.threadID,
                thread: ThreadSnapshot(id: Fixtures.threadID, topic: topic),
                observedOn: Fixtures.date(seconds)
            )
        }
        _ = try await store.apply(snapshot("Alpha", at: 100))
        _ = try await store.apply(snapshot("Alpha", at: 200))
        _ = try await store.apply(
            Fixtures.batch([Fixtures.system("t1", type: .topicUpdated, topic: "Beta", created: 250)])
        )
        _ = try await store.apply(snapshot("Beta", at: 300))
        _ = try await store.apply(snapshot("Gamma", at: 400))
        _ = try await store.apply(
            Fixtures.batch([Fixtures.system("t2", type: .topicUpdated, topic: "Gamma", created: 380)])
        )
        let thread = try #require(try await store.thread(id: Fixtures.threadID))
        #expect(thread.topic == "Gamma")
        #expect(thread.topicHistory.map(\.topic) == ["Alpha", "Beta", "Gamma"])
        #expect(thread.topicHistory.map(\.changedOn) == [nil, Fixtures.date(250), Fixtures.date(380)])
    }

    @Test func theCursorCommitsOnlyWithItsBatch() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try ArchiveStore(path: path)
        // Simulate a failure half-way through the batch (after the messages, before the cursor).
        try withRawConnection(path) { connection in
            try connection.execute(
                "CREATE TRIGGER fail_receipts BEFORE INSERT ON read_receipts BEGIN SELECT RAISE(ABORT, 'injected'); END"
            )
        }
        var batch = Fixtures.batch(
            [Fixtures.message("1", text: "hello", created: 1)],
            cursor: ThreadCursor(threadID: Fixtures.threadID, lastSync: Fixtures.date(10_000))
        )
        batch.identities = [ArchivedIdentity(rawID: Fixtures.carol, displayName: "Carol")]
        batch.readReceipts = [
            ArchivedReadReceipt(
                threadID: Fixtures.threadID,
                readerID: Fixtures.bob,
                messageID: "1",
                readOn: Fixtures.date(5),
                observedOn: Fixtures.date(10_000)
            )
        ]
        await #expect(throws: ArchiveStoreError.self) { try await store.apply(batch) }
        #expect(try await store.cursor(threadID: Fixtures.threadID) == nil)
        #expect(try await store.stats().messages == 0)
        #expect(try await store.stats().identities == 0)

        try withRawConnection(path) { connection in try connection.execute("DROP TRIGGER fail_receipts") }
        let result = try await store.apply(batch)
        #expect(result == ApplyResult(messagesNew: 1, revisionsNew: 1, receiptsNew: 1))
        #expect(try await store.cursor(threadID: Fixtures.threadID) == batch.cursor)
        #expect(try await store.verify().isIntact)
    }

    @Test func cursorDatesRoundTripExactly() async throws {
        let store = try ArchiveStore(path: ":memory:")
        let cursor = ThreadCursor(
            threadID: Fixtures.threadID,
            lastMessageReceivedOn: Date(timeIntervalSince1970: 1_796_000_000.1234567),
            deletedOn: nil,
            newestCreatedOn: Date(timeIntervalSince1970: 1_796_000_000.9876543),
            lastFullSync: Fixtures.date(1),
            lastSync: Date(timeIntervalSince1970: 1_796_000_123.0000001)
        )
        _ = try await store.apply(
            ThreadBatch(threadID: Fixtures.threadID, cursor: cursor, observedOn: Fixtures.date(1))
        )
        #expect(try await store.cursor(threadID: Fixtures.threadID) == cursor)
        #expect(try await store.cursors() == [Fixtures.threadID: cursor])
    }

    @Test func batchesMixingThreadsAreRejected() async throws {
        let store = try ArchiveStore(path: ":memory:")
        let batch = Fixtures.batch([Fixtures.message("1", thread: "19:other@thread.v2", text: "x", created: 1)])
        let error = await #expect(throws: ArchiveStoreError.self) { try await store.apply(batch) }
        #expect(error?.code == .invalidBatch)
    }

    @Test func syncRunsFormTheAuditTrail() async throws {
        let store = try ArchiveStore(path: ":memory:")
        let id = try await store.beginSyncRun(identities: [Fixtures.alice], full: true, startedOn: Fixtures.date(1))
        try await store.finishSyncRun(
            id,
            endedOn: Fixtures.date(2),
            outcome: .partial,
            counts: SyncCounts(threads: 3, messagesNew: 10, revisionsNew: 12, failedThreads: 1),
            error: "1 thread failed"
        )
        await #expect(throws: ArchiveStoreError.self) {
            try await store.finishSyncRun(
                id,
                endedOn: Fixtures.date(3),
                outcome: .success,
                counts: SyncCounts(),
                error: nil
            )
        }
        let runs = try await store.syncRuns()
        #expect(runs.count == 1)
        #expect(
            runs.first?.outcome == .partial && runs.first?.identities == [Fixtures.alice] && runs.first?.full == true
        )
        #expect(runs.first?.counts == SyncCounts(threads: 3, messagesNew: 10, revisionsNew: 12, failedThreads: 1))
        let stats = try await store.stats()
        #expect(stats.syncRuns == 1 && stats.lastSyncOutcome == "partial" && stats.lastSyncOn == Fixtures.date(1))
    }

    @Test func statsEncodeWithTheDocumentedKeys() async throws {
        let store = try ArchiveStore(path: ":memory:")
        _ = try await store.apply(fullBatch())
        let data = try JSONEncoder().encode(try await store.stats())
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in [
            "schemaVersion", "threads", "messages", "revisions", "editedMessages", "deletedMessages", "participants",
            "readReceipts", "syncRuns",
        ] {
            #expect(object[key] is NSNumber, "missing \(key)")
        }
        #expect(object["messages"] as? Int == 3)
    }
}
