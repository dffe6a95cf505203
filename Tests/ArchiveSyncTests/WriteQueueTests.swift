import Foundation
import Synchronization
import Testing

@testable import ArchiveSync

@Suite(.timeLimit(.minutes(1)))
struct WriteQueueTests {
    /// A queue of integers that weigh their value.
    private func queue(capacity: Int) -> WriteQueue<Int> {
        WriteQueue(capacity: capacity) { $0 }
    }

    /// Polls `condition` until it holds; a condition that never does fails the test.
    private func eventually(
        _ condition: @Sendable () -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        for _ in 0..<2_000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("the condition never held", sourceLocation: sourceLocation)
    }

    @Test func theWriterTakesEverythingQueuedAtOnceThenTheEnd() async {
        let queue = queue(capacity: 100)
        for value in [1, 2, 3] { #expect(await queue.send(value)) }
        #expect(await queue.next() == [1, 2, 3])
        #expect(await queue.send(4))
        queue.finish()
        #expect(await queue.next() == [4])
        #expect(await queue.next() == nil)
    }

    @Test func aWaitingWriterGetsTheFirstSendAndTheEndOfTheQueue() async throws {
        let queue = queue(capacity: 100)
        async let first = queue.next()
        try await eventually { queue.writerIsWaiting }
        #expect(await queue.send(7))
        #expect(await first == [7])
        async let end = queue.next()
        try await eventually { queue.writerIsWaiting }
        queue.finish()
        #expect(await end == nil)
    }

    @Test func sendersWaitWhileTheQueueIsFullAndGoOnWhenTheWriterTakes() async throws {
        let queue = queue(capacity: 10)
        #expect(await queue.send(6))
        #expect(await queue.send(5))  // 6 < 10: room for one more, whatever its weight
        async let third = queue.send(1)
        try await eventually { queue.waitingSenders == 1 }
        #expect(await queue.next() == [6, 5])
        #expect(await third)
        #expect(await queue.next() == [1])
    }

    @Test func anElementHeavierThanTheCapacityStillGoesIntoAnEmptyQueue() async {
        let queue = queue(capacity: 10)
        #expect(await queue.send(50))
        #expect(await queue.next() == [50])
    }

    @Test func aCancelledSenderDropsItsElement() async throws {
        let queue = queue(capacity: 1)
        #expect(await queue.send(1))
        let sender = Task { await queue.send(2) }
        try await eventually { queue.waitingSenders == 1 }
        sender.cancel()
        #expect(await sender.value == false)
        queue.finish()
        #expect(await queue.next() == [1])
        #expect(await queue.next() == nil)
    }

    @Test func aCancelledWriterGetsTheEnd() async throws {
        let queue = queue(capacity: 1)
        let writer = Task { await queue.next() }
        try await eventually { queue.writerIsWaiting }
        writer.cancel()
        #expect(await writer.value == nil)
    }

    @Test func manySendersLoseAndDuplicateNothingAndKeepTheirOrder() async {
        let queue = queue(capacity: 8)
        let senders = 4
        let perSender = 2_000
        let received = await withTaskGroup(of: [Int]?.self) { group in
            for sender in 0..<senders {
                group.addTask {
                    for index in 0..<perSender { await queue.send(sender * perSender + index) }
                    return nil
                }
            }
            group.addTask {
                var received: [Int] = []
                while let taken = await queue.next() { received += taken }
                return received
            }
            var sendersDone = 0
            var received: [Int] = []
            while let result = await group.next() {
                if let result {
                    received = result
                } else {
                    sendersDone += 1
                    if sendersDone == senders { queue.finish() }
                }
            }
            return received
        }
        #expect(received.count == senders * perSender)
        #expect(Set(received).count == senders * perSender)
        for sender in 0..<senders {
            let own = received.filter { $0 / perSender == sender }
            #expect(own == own.sorted())
        }
    }
}
