import ACSChat
internal import ArchiveModel
public import ArchiveStore
public import Foundation
public import HTMLSanitizer

/// Incremental, resumable ingest of what the service shows into the archive.
///
/// Fetches with a bounded number of threads in flight; the store actor is the one writer. Every write is an
/// idempotent upsert, and a thread's cursor is stored with its last batch, so killing the process at any point and
/// running again loses and duplicates nothing.
public struct ArchiveSync: Sendable {
    private let readers: [ChatReader]
    private let store: ArchiveStore
    private let mapper: RevisionMapper
    private let now: @Sendable () -> Date

    public init(
        readers: [ChatReader],
        store: ArchiveStore,
        sanitizer: HTMLSanitizer = HTMLSanitizer(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.readers = readers
        self.store = store
        self.mapper = RevisionMapper(sanitizer: sanitizer)
        self.now = now
    }

    /// Runs one sync pass and records it in the archive's audit trail.
    ///
    /// Threads that fail are listed in the summary (the rest is committed); it throws only when nothing could be
    /// listed at all, the archive cannot be written, or the task is cancelled.
    public func run(
        _ options: SyncOptions = SyncOptions(),
        progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) async throws -> SyncSummary {
        guard !readers.isEmpty else {
            throw ArchiveSyncError(code: .configuration, operation: "sync", message: "no identities to sync with")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let runID = try await store.beginSyncRun(
            identities: readers.compactMap(\.identityRawID),
            full: options.full,
            startedOn: now()
        )
        var summary = SyncSummary.empty
        do {
            let (candidates, listFailures) = try await listThreads(pageSize: options.pageSize)
            summary.failures += listFailures
            summary.threads = candidates.count
            progress?(.listedThreads(total: candidates.count))
            try await syncAll(candidates, options: options, summary: &summary, progress: progress)
        } catch {
            summary.seconds = started.duration(to: clock.now).seconds
            try? await store.finishSyncRun(
                runID,
                endedOn: now(),
                outcome: .failed,
                counts: summary.counts,
                error: error is CancellationError ? "cancelled" : String(describing: error)
            )
            throw error
        }
        summary.seconds = started.duration(to: clock.now).seconds
        try await store.finishSyncRun(
            runID,
            endedOn: now(),
            outcome: summary.failures.isEmpty ? .success : .partial,
            counts: summary.counts,
            error: summary.failures.first.map { "\(summary.failures.count) thread(s) failed; first: \($0.error)" }
        )
        return summary
    }

    /// The union of every identity's thread list; a thread seen by several identities is listed once.
    private func listThreads(pageSize: Int?) async throws -> ([ThreadCandidate], [ThreadFailure]) {
        var byID: [String: ThreadCandidate] = [:]
        var failures: [ThreadFailure] = []
        var lastError: (any Error)?
        for reader in readers {
            do {
                for try await item in reader.client.listChatThreads(resultsPerPage: pageSize) {
                    byID[item.id, default: ThreadCandidate(item: item, readers: [])].readers.append(reader)
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastError = error
                let who = reader.identityRawID ?? "an identity"
                failures.append(
                    ThreadFailure(
                        threadID: "*",
                        error: ArchiveSyncError(
                            code: .service,
                            operation: "list threads of \(who)",
                            message: String(describing: error),
                            underlying: error
                        )
                    )
                )
            }
        }
        if byID.isEmpty, let lastError, failures.count == readers.count {
            throw ArchiveSyncError(
                code: .service,
                operation: "list threads",
                message: String(describing: lastError),
                underlying: lastError
            )
        }
        return (byID.values.sorted { $0.item.id < $1.item.id }, failures)
    }

    private func syncAll(
        _ candidates: [ThreadCandidate],
        options: SyncOptions,
        summary: inout SyncSummary,
        progress: (@Sendable (SyncProgress) -> Void)?
    ) async throws {
        let cursors = try await store.cursors()
        // Fetchers prepare batches and hand them to the one writer, then go on fetching; they wait only when
        // `queuedRevisions` are already waiting, so the writer finds work whenever it finishes a transaction.
        let writes = WriteQueue<SyncWrite>(capacity: Self.queuedRevisions) { $0.revisionCount }
        let written = try await withThrowingTaskGroup(of: SyncSummary?.self) { group in
            // A writer failure reaches this group first; leaving it cancels the fetchers, waiting sends included.
            group.addTask {
                try await write(writes, total: candidates.count, progress: progress)
            }
            group.addTask {
                defer { writes.finish() }
                try await fetchAll(candidates, cursors: cursors, options: options, into: writes)
                return nil
            }
            var written: SyncSummary?
            while let result = try await group.next() {
                if let result { written = result }
            }
            return written
        }
        if let written {
            summary.threadsSkipped += written.threadsSkipped
            summary.messagesNew += written.messagesNew
            summary.revisionsNew += written.revisionsNew
            summary.failures += written.failures
        }
    }

    /// Walks the threads, `options.concurrency` at a time, and sends what they find to the writer.
    private func fetchAll(
        _ candidates: [ThreadCandidate],
        cursors: [String: ThreadCursor],
        options: SyncOptions,
        into writes: WriteQueue<SyncWrite>
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = candidates.makeIterator()
            func startNext() {
                guard let candidate = pending.next() else { return }
                group.addTask {
                    let outcome = try await syncThread(
                        candidate,
                        cursor: cursors[candidate.item.id],
                        options: options,
                        writes: writes
                    )
                    try await send(outcome, to: writes)
                }
            }
            for _ in 0..<options.concurrency { startNext() }
            while try await group.next() != nil { startNext() }
        }
    }

    /// The one writer: applies batches in the order fetchers send them, everything queued in one transaction, and
    /// keeps the counts and the progress.
    private func write(
        _ writes: WriteQueue<SyncWrite>,
        total: Int,
        progress: (@Sendable (SyncProgress) -> Void)?
    ) async throws -> SyncSummary {
        var summary = SyncSummary.empty
        var messagesByThread: [String: Int] = [:]
        var done = 0
        while let group = await writes.next() {
            let batches = group.compactMap { write in if case .batch(let batch) = write { batch } else { nil } }
            var results = (batches.isEmpty ? [] : try await store.apply(batches)).makeIterator()
            for write in group {
                switch write {
                case .batch(let batch):
                    guard let result = results.next() else { continue }
                    summary.messagesNew += result.messagesNew
                    summary.revisionsNew += result.revisionsNew
                    messagesByThread[batch.threadID, default: 0] += result.messagesNew
                    guard batch.finishesThread else { continue }
                    done += 1
                    let messagesNew = messagesByThread.removeValue(forKey: batch.threadID) ?? 0
                    progress?(
                        .threadFinished(threadID: batch.threadID, done: done, total: total, messagesNew: messagesNew)
                    )
                case .skipped:
                    done += 1
                    summary.threadsSkipped += 1
                    progress?(.threadFinished(threadID: "", done: done, total: total, messagesNew: 0))
                case .failed(let failure):
                    done += 1
                    messagesByThread[failure.threadID] = nil
                    summary.failures.append(failure)
                    progress?(.threadFailed(threadID: failure.threadID, done: done, total: total))
                }
            }
        }
        return summary
    }

    /// Syncs one thread, sending its batches to the writer; the returned last write ends the thread (its cursor
    /// batch, `.skipped` or `.failed`). Service failures become `.failed`; cancellation throws.
    private func syncThread(
        _ candidate: ThreadCandidate,
        cursor: ThreadCursor?,
        options: SyncOptions,
        writes: WriteQueue<SyncWrite>
    ) async throws -> SyncWrite {
        let item = candidate.item
        let startedOn = now()
        let reconcileDue: Bool
        if let interval = options.reconcileInterval, let lastFull = cursor?.lastFullSync {
            reconcileDue = startedOn.timeIntervalSince(lastFull) >= interval.seconds
        } else {
            reconcileDue = options.reconcileInterval != nil && cursor?.lastFullSync == nil
        }
        if !options.full, !reconcileDue, let cursor,
            Self.sameInstant(cursor.lastMessageReceivedOn, item.lastMessageReceivedOn),
            Self.sameInstant(cursor.deletedOn, item.deletedOn)
        {
            return .skipped
        }
        let fullWalk = options.full || reconcileDue || cursor?.newestCreatedOn == nil
        let startTime =
            fullWalk ? nil : cursor?.newestCreatedOn.map { $0.addingTimeInterval(-options.lookBack.seconds) }

        var lastError: (any Error)?
        // Readers in order until one can see the thread (a member may have left since the listing).
        for reader in candidate.readers {
            do {
                var (last, walkedNewest) = try await walk(
                    item: item,
                    reader: reader,
                    others: candidate.readers,
                    startTime: startTime,
                    pageSize: options.pageSize,
                    writes: writes
                )
                var newest = cursor?.newestCreatedOn
                if let walkedNewest, newest.map({ walkedNewest > $0 }) ?? true { newest = walkedNewest }
                last.cursor = ThreadCursor(
                    threadID: item.id,
                    lastMessageReceivedOn: item.lastMessageReceivedOn,
                    deletedOn: item.deletedOn,
                    newestCreatedOn: newest,
                    lastFullSync: fullWalk ? startedOn : cursor?.lastFullSync,
                    lastSync: startedOn
                )
                return .batch(try PreparedBatch(last))
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as ArchiveStoreError {
                throw error
            } catch let error as ChatServiceError where error.code == .forbidden || error.code == .notFound {
                lastError = error
            } catch {
                lastError = error
                break
            }
        }
        let error = lastError ?? ArchiveSyncError(code: .service, operation: "sync", message: "no reader")
        return .failed(
            ThreadFailure(
                threadID: item.id,
                error: ArchiveSyncError(
                    code: .service,
                    operation: "sync thread \(item.id)",
                    message: String(describing: error),
                    underlying: error
                )
            )
        )
    }

    /// Walks one thread: properties, participants, every message page, then read receipts.
    ///
    /// Full batches of messages go to the writer as they fill; the rest, with the read receipts, is returned for
    /// the caller to send with the cursor, so a thread of up to `revisionsPerBatch` messages makes two
    /// batches. Messages are read by whichever of the thread's syncing identities has the earliest
    /// `shareHistoryTime`: that member sees every message any of the others can.
    private func walk(
        item: ChatThreadItem,
        reader: ChatReader,
        others: [ChatReader],
        startTime: Date?,
        pageSize: Int?,
        writes: WriteQueue<SyncWrite>
    ) async throws -> (last: ThreadBatch, newest: Date?) {
        let threadClient = reader.client.chatThreadClient(threadID: item.id)
        let snapshot: ThreadSnapshot
        do {
            let properties = try await threadClient.properties()
            snapshot = ThreadSnapshot(
                id: item.id,
                topic: properties.topic,
                createdOn: properties.createdOn,
                createdBy: properties.createdBy.rawID,
                deletedOn: properties.deletedOn ?? item.deletedOn,
                metadata: properties.metadata,
                retentionPolicy: properties.retentionPolicy.map(Self.retentionPolicy)
            )
        } catch let error as ChatServiceError where error.code == .notFound && item.deletedOn != nil {
            // A deleted thread answers 404 to its members; keep what the listing still shows.
            let listed = ThreadSnapshot(id: item.id, topic: item.topic, deletedOn: item.deletedOn)
            return (ThreadBatch(threadID: item.id, thread: listed, observedOn: now()), nil)
        }

        var participants: [ObservedParticipant] = []
        var identities: [ArchivedIdentity] = []
        for try await participant in threadClient.listParticipants(resultsPerPage: pageSize) {
            participants.append(
                ObservedParticipant(
                    rawID: participant.identifier.rawID,
                    displayName: participant.displayName,
                    shareHistoryTime: participant.shareHistoryTime,
                    metadata: participant.metadata
                )
            )
            identities.append(
                ArchivedIdentity(rawID: participant.identifier.rawID, displayName: participant.displayName)
            )
        }
        try await send(
            ThreadBatch(
                threadID: item.id,
                thread: snapshot,
                participants: .complete(participants),
                identities: identities,
                observedOn: now()
            ),
            to: writes
        )

        let walker = Self.widestView(among: others, participants: participants) ?? reader
        var batch = ThreadBatch(threadID: item.id, observedOn: now())
        var newest: Date?
        let messages = walker.client.chatThreadClient(threadID: item.id)
            .listMessages(resultsPerPage: pageSize, startTime: startTime)
        for try await page in messages.pages {
            let observedOn = now()
            for message in page.items {
                batch.revisions.append(mapper.revision(of: message, threadID: item.id, observedOn: observedOn))
                batch.identities += mapper.identities(in: message)
                if newest.map({ message.createdOn > $0 }) ?? true { newest = message.createdOn }
            }
            if batch.revisions.count >= Self.revisionsPerBatch {
                try await send(batch, to: writes)
                batch = ThreadBatch(threadID: item.id, observedOn: now())
            }
        }

        let observedOn = now()
        for try await receipt in threadClient.listReadReceipts(resultsPerPage: pageSize) {
            batch.readReceipts.append(
                ArchivedReadReceipt(
                    threadID: item.id,
                    readerID: receipt.sender.rawID,
                    messageID: receipt.chatMessageID,
                    readOn: receipt.readOn,
                    observedOn: observedOn
                )
            )
        }
        batch.observedOn = observedOn
        return (batch, newest)
    }

    /// Revisions per batch: enough to amortize the hand-over; small enough to keep memory flat.
    static let revisionsPerBatch = 1000
    /// Revisions waiting for the writer before fetchers wait too. The writer commits all that is queued in one
    /// transaction, so this also bounds a transaction (larger ones make fewer, larger FTS5 segments to merge later)
    /// and, with a batch in hand per fetcher, the revisions in memory.
    static let queuedRevisions = 8_000

    /// Prepares `batch` here, in parallel with the other fetchers, and hands it to the writer.
    private func send(_ batch: ThreadBatch, to writes: WriteQueue<SyncWrite>) async throws {
        try await send(.batch(try PreparedBatch(batch)), to: writes)
    }

    /// A send the queue dropped (the writer failed, or the sync was cancelled) ends the walk.
    private func send(_ write: SyncWrite, to writes: WriteQueue<SyncWrite>) async throws {
        guard await writes.send(write) else { throw CancellationError() }
    }

    /// The syncing member whose history starts earliest (no `shareHistoryTime` counts as the beginning).
    private static func widestView(among readers: [ChatReader], participants: [ObservedParticipant]) -> ChatReader? {
        var historyStart: [String: Date] = [:]
        for participant in participants {
            historyStart[participant.rawID] = participant.shareHistoryTime ?? .distantPast
        }
        return
            readers
            .compactMap { reader in reader.identityRawID.flatMap { historyStart[$0] }.map { (reader, $0) } }
            .min { $0.1 < $1.1 }?.0
    }

    private static func retentionPolicy(_ policy: ChatRetentionPolicy) -> RetentionPolicy {
        switch policy {
        case .none: .none
        case .threadCreationDate(let days): .threadCreationDate(deleteThreadAfterDays: days)
        case .unknown(let kind): .unknown(kind)
        }
    }

    /// Equal to the millisecond: the archive keeps milliseconds, the service may send more digits.
    private static func sameInstant(_ lhs: Date?, _ rhs: Date?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case (let lhs?, let rhs?): abs(lhs.timeIntervalSince(rhs)) < 0.001
        default: false
        }
    }
}

/// A thread as listed by one or more identities, with every reader that can see it.
struct ThreadCandidate: Sendable {
    var item: ChatThreadItem
    var readers: [ChatReader]
}

/// What a fetcher hands the writer.
enum SyncWrite: Sendable {
    case batch(PreparedBatch)
    /// The thread was unchanged since its cursor.
    case skipped
    case failed(ThreadFailure)

    /// What it weighs in the writer's queue.
    var revisionCount: Int {
        if case .batch(let batch) = self { batch.revisionCount } else { 0 }
    }
}

extension SyncSummary {
    /// Nothing done yet: what the run and the writer start counting from.
    static var empty: SyncSummary {
        SyncSummary(threads: 0, threadsSkipped: 0, messagesNew: 0, revisionsNew: 0, failures: [], seconds: 0)
    }

    var counts: SyncCounts {
        SyncCounts(threads: threads, messagesNew: messagesNew, revisionsNew: revisionsNew, failedThreads: failedThreads)
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
