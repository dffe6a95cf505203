internal import Synchronization

/// Hands the fetchers' writes to the one writer.
///
/// The writer takes everything queued at once, so a transaction grows with the backlog (fewer commits, larger FTS5
/// segments) and never waits for a fixed number of batches; a fetcher waits only while `capacity` revisions are
/// queued, which bounds memory. `finish()` ends the stream once the fetchers are done. A cancelled send or wait
/// returns at once, so a writer failure that cancels the fetchers never leaves one waiting.
final class WriteQueue<Element: Sendable>: Sendable {
    private struct State: ~Copyable {
        var queued: [Element] = []
        var queuedWeight = 0
        var writer: CheckedContinuation<[Element]?, Never>?
        var senders: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextSender = 0
        var isFinished = false

        /// Everything queued, and the senders that were waiting for room.
        mutating func takeAll() -> ([Element], [CheckedContinuation<Void, Never>]) {
            let taken = queued
            queued = []
            queuedWeight = 0
            let released = Array(senders.values)
            senders = [:]
            return (taken, released)
        }
    }

    private enum SendOutcome {
        case queued(CheckedContinuation<[Element]?, Never>?, [Element], [CheckedContinuation<Void, Never>])
        case dropped
        case full
    }

    private enum TakeOutcome {
        case taken([Element], [CheckedContinuation<Void, Never>])
        case end
        case wait
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let weight: @Sendable (Element) -> Int

    /// `weight` measures an element (a batch's revisions); sends wait while the queued weight is `capacity` or more.
    init(capacity: Int, weight: @escaping @Sendable (Element) -> Int) {
        self.capacity = capacity
        self.weight = weight
    }

    /// Queues `element`, first waiting while the queue is full. Returns `false` when it was dropped because the task
    /// was cancelled.
    @discardableResult
    func send(_ element: Element) async -> Bool {
        let size = max(1, weight(element))
        while true {
            let outcome = state.withLock { state -> SendOutcome in
                if Task.isCancelled { return .dropped }
                // An element larger than the capacity still goes into an empty queue.
                guard state.queuedWeight < capacity || state.queued.isEmpty else { return .full }
                state.queued.append(element)
                state.queuedWeight += size
                guard let writer = state.writer else { return .queued(nil, [], []) }
                state.writer = nil
                let (taken, released) = state.takeAll()
                return .queued(writer, taken, released)
            }
            switch outcome {
            case .dropped:
                return false
            case .queued(let writer, let taken, let released):
                writer?.resume(returning: taken)
                for sender in released { sender.resume() }
                return true
            case .full:
                await waitForRoom()
            }
        }
    }

    /// Everything queued since the last call, waiting while nothing is; `nil` once the queue is finished and empty,
    /// or when the task is cancelled.
    func next() async -> [Element]? {
        while true {
            let outcome = state.withLock { state -> TakeOutcome in
                if Task.isCancelled { return .end }
                if !state.queued.isEmpty {
                    let (taken, released) = state.takeAll()
                    return .taken(taken, released)
                }
                return state.isFinished ? .end : .wait
            }
            switch outcome {
            case .end:
                return nil
            case .taken(let taken, let released):
                for sender in released { sender.resume() }
                return taken
            case .wait:
                // A sender hands its elements over directly; `[]` means "look again", `nil` the end.
                guard let handed = await waitForElements() else { return nil }
                if !handed.isEmpty { return handed }
            }
        }
    }

    /// No more sends: the writer gets what is queued, then `nil`.
    func finish() {
        let waiting = state.withLock { state -> SendOutcome in
            state.isFinished = true
            guard let writer = state.writer else { return .queued(nil, [], []) }
            state.writer = nil
            let (taken, released) = state.takeAll()
            return .queued(writer, taken, released)
        }
        guard case .queued(let writer, let taken, let released) = waiting else { return }
        writer?.resume(returning: taken.isEmpty ? nil : taken)
        for sender in released { sender.resume() }
    }

    /// Senders waiting for room (for tests).
    var waitingSenders: Int { state.withLock { $0.senders.count } }

    /// Whether the writer is waiting for elements (for tests).
    var writerIsWaiting: Bool { state.withLock { $0.writer != nil } }

    private func waitForElements() async -> [Element]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let lookAgain = state.withLock { state -> Bool in
                    if Task.isCancelled || state.isFinished || !state.queued.isEmpty { return true }
                    state.writer = continuation
                    return false
                }
                if lookAgain { continuation.resume(returning: []) }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.writer = nil }
                return state.writer
            }?.resume(returning: nil)
        }
    }

    private func waitForRoom() async {
        let id = state.withLock { state in
            defer { state.nextSender += 1 }
            return state.nextSender
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled || state.queuedWeight < capacity { return true }
                    state.senders[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in state.senders.removeValue(forKey: id) }?.resume()
        }
    }
}
