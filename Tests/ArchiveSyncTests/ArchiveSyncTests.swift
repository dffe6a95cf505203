import ACSChat
import ArchiveModel
import ArchiveStore
import ArchiveSync
import ChatEmulator
import Foundation
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(2)))
struct ArchiveSyncTests {
    @Test func everyOperationsEffectLandsAndHistoryIsKept() async throws {
        try await SyncFixture.with { fixture in
            let emulator = fixture.emulator
            let alice = await emulator.createUser(displayName: "Alice")
            let bob = await emulator.createUser(displayName: "Bob")
            let carol = await emulator.createUser(displayName: "Carol")
            let aliceClient = try await fixture.client(for: alice)
            let created = try await aliceClient.createChatThread(
                topic: "Quarterly review",
                participants: [ChatParticipant(identifier: CommunicationIdentifier(rawID: bob), displayName: "Bob")]
            )
            let thread = aliceClient.chatThreadClient(threadID: created.thread.id)
            let first = try await thread.sendMessage(content: "The budget is final", senderDisplayName: "Alice")
            let second = try await thread.sendMessage(
                content: "<p>See <a href=\"javascript:alert(1)\">this</a><script>alert(2)</script></p>",
                type: .html,
                senderDisplayName: "Alice"
            )
            let third = try await thread.sendMessage(content: "東京の会議は明日です", senderDisplayName: "Alice")

            let store = try ArchiveStore(path: ":memory:")
            let sync = ArchiveSync(readers: [try await fixture.reader(for: alice)], store: store)
            let initial = try await sync.run()
            #expect(initial.failedThreads == 0)
            #expect(initial.threads == 1)
            // participantAdded + topicUpdated system messages, plus three user messages.
            #expect(initial.messagesNew == 5)

            let html = try #require(try await store.allMessages()["\(created.thread.id)/\(second)"])
            #expect(!html.lastText.contains("alert"))
            #expect(html.type == "html")

            try await thread.updateMessage(id: first, content: "The budget is final (revised)", metadata: [:])
            try await thread.deleteMessage(id: third)
            try await thread.updateTopic("Quarterly review — Q4")
            _ = try await thread.addParticipants([
                ChatParticipant(identifier: CommunicationIdentifier(rawID: carol), displayName: "Carol")
            ])
            try await thread.removeParticipant(CommunicationIdentifier(rawID: bob))
            try await thread.sendReadReceipt(messageID: first)

            // Incremental: inside the look-back window, so the edit and deletion are caught.
            let second2 = try await sync.run()
            #expect(second2.failedThreads == 0)
            #expect(second2.revisionsNew >= 4)  // edit, delete, topicUpdated, participantAdded, participantRemoved

            let messages = try await store.allMessages()
            let edited = try #require(messages["\(created.thread.id)/\(first)"])
            #expect(edited.versions.count == 2)
            #expect(edited.lastText == "The budget is final (revised)")
            let deleted = try #require(messages["\(created.thread.id)/\(third)"])
            #expect(deleted.isDeleted)
            #expect(deleted.lastText == "東京の会議は明日です")

            let archivedThread = try #require(try await store.thread(id: created.thread.id))
            #expect(archivedThread.topic == "Quarterly review — Q4")
            #expect(archivedThread.topicHistory.map(\.topic).contains("Quarterly review"))

            let participants = try await store.participants(threadID: created.thread.id)
            let bobRow = try #require(participants.first { $0.identity.rawID == bob })
            #expect(bobRow.removedOn != nil)
            #expect(participants.contains { $0.identity.rawID == carol && $0.removedOn == nil })
            let receipts = try await store.readReceipts(threadID: created.thread.id)
            #expect(receipts.contains { $0.readerID == alice && $0.messageID == first })

            // Nothing changed: the thread is skipped and nothing is written twice.
            let third3 = try await sync.run()
            #expect(third3.threadsSkipped == 1)
            #expect(third3.revisionsNew == 0)
            let full = try await sync.run(SyncOptions(full: true))
            #expect(full.revisionsNew == 0)
            #expect(full.messagesNew == 0)
            #expect(try await store.verify().isIntact)
        }
    }

    @Test(arguments: [1, 7, 200])
    func fetchesEveryMessageWhateverThePageSize(pageSize: Int) async throws {
        let plan = SeedPlan(threads: 4, messagesPerThread: 60, seed: 11)
        try await SyncFixture.with(EmulatorConfiguration(seed: plan)) { fixture in
            let emulator = fixture.emulator
            let store = try ArchiveStore(path: ":memory:")
            let readers = try await fixture.seededReaders()
            let summary = try await ArchiveSync(readers: readers, store: store).run(
                SyncOptions(concurrency: 3, pageSize: pageSize)
            )
            #expect(summary.failedThreads == 0)
            let expected = await emulator.totalMessageCount()
            #expect(try await store.stats().messages == expected)
            #expect(summary.messagesNew == expected)
            #expect(try await store.verify().isIntact)
        }
    }

    /// Threads larger than one batch, one failing thread, then a run with nothing new: every thread is reported
    /// exactly once, `done` counts up to the total, and the per-thread counts add up to the summary.
    @Test func progressReportsEveryThreadOnceWithItsMessages() async throws {
        let plan = SeedPlan(threads: 4, messagesPerThread: 2_300, seed: 21)
        try await SyncFixture.with(EmulatorConfiguration(seed: plan)) { fixture in
            let emulator = fixture.emulator
            let broken = try #require(await emulator.threadIDs().last)
            await emulator.corruptResponses(threadID: broken, mode: .truncatedJSON)
            let store = try ArchiveStore(path: ":memory:")
            let sync = ArchiveSync(readers: try await fixture.seededReaders(), store: store)
            let events = Mutex<[SyncProgress]>([])
            let summary = try await sync.run(SyncOptions(pageSize: 200)) { event in
                events.withLock { $0.append(event) }
            }
            let first = events.withLock { $0 }
            guard case .listedThreads(let total) = try #require(first.first) else {
                Issue.record("the first event is not the thread count: \(first)")
                return
            }
            #expect(total == 4)
            var finished: [String: Int] = [:]
            var failed: [String] = []
            var done: [Int] = []
            for event in first.dropFirst() {
                switch event {
                case .threadFinished(let threadID, let count, _, let messagesNew):
                    finished[threadID, default: 0] += messagesNew
                    done.append(count)
                case .threadFailed(let threadID, let count, _):
                    failed.append(threadID)
                    done.append(count)
                case .listedThreads:
                    Issue.record("the thread count came twice")
                }
            }
            #expect(done == Array(1...4))
            #expect(failed == [broken])
            #expect(finished.count == 3 && finished[broken] == nil)
            #expect(finished.values.reduce(0, +) == summary.messagesNew)
            #expect(try await store.verify().isIntact)

            await emulator.corruptResponses(threadID: broken, mode: nil)
            events.withLock { $0.removeAll() }
            let second = try await sync.run(SyncOptions(pageSize: 200)) { event in
                events.withLock { $0.append(event) }
            }
            #expect(second.threadsSkipped == 3 && second.failedThreads == 0)
            #expect(try await store.stats().messages == (await emulator.totalMessageCount()))
            let skipped = events.withLock { $0 }.filter { event in
                if case .threadFinished("", _, _, 0) = event { true } else { false }
            }
            #expect(skipped.count == 3)
        }
    }

    @Test func malformedResponsesFailOneThreadAndKeepTheRest() async throws {
        let plan = SeedPlan(threads: 3, messagesPerThread: 20, seed: 5)
        try await SyncFixture.with(EmulatorConfiguration(seed: plan)) { fixture in
            let emulator = fixture.emulator
            let threadIDs = await emulator.threadIDs()
            let broken = try #require(threadIDs.first)
            await emulator.corruptResponses(threadID: broken, mode: .truncatedJSON)
            let store = try ArchiveStore(path: ":memory:")
            let readers = try await fixture.seededReaders()
            let sync = ArchiveSync(readers: readers, store: store)
            let summary = try await sync.run()
            #expect(summary.failures.map(\.threadID) == [broken])
            #expect(summary.failures.first?.error.message.isEmpty == false)
            #expect(try await store.verify().isIntact)
            #expect(try await store.cursor(threadID: broken) == nil)

            await emulator.corruptResponses(threadID: broken, mode: nil)
            let retried = try await sync.run()
            #expect(retried.failedThreads == 0)
            #expect(try await store.stats().messages == (await emulator.totalMessageCount()))
        }
    }

    @Test func throttlingAndResetsStillGiveACompleteArchive() async throws {
        let plan = SeedPlan(threads: 5, messagesPerThread: 40, seed: 3)
        let faults = try FaultPlan(parsing: "429=0.1,503=0.05,reset=0.03,seed=9")
        try await SyncFixture.with(EmulatorConfiguration(seed: plan)) { fixture in
            let emulator = fixture.emulator
            let readers = try await fixture.seededReaders(limit: 5)
            let store = try ArchiveStore(path: ":memory:")
            await emulator.setFaults(faults)
            let summary = try await ArchiveSync(readers: readers, store: store).run(SyncOptions(pageSize: 10))
            await emulator.setFaults(nil)

            let reference = try ArchiveStore(path: ":memory:")
            _ = try await ArchiveSync(readers: readers, store: reference).run(SyncOptions(pageSize: 10))
            #expect(summary.failedThreads == 0)
            #expect(try await store.allMessages() == (try await reference.allMessages()))
        }
    }
}
