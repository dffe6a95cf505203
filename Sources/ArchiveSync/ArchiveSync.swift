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
        var summary = SyncSummary(
            threads: 0,
            threadsSkipped: 0,
            messagesNew: 0,
            revisionsNew: 0,
            failures: [],
            seconds: 0
        )
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
        var done = 0
        try await withThrowingTaskGroup(of: ThreadOutcome.self) { group in
            var pending = candidates.makeIterator()
            for _ in 0..<options.concurrency {
                guard let candidate = pending.next() else { break }
                group.addTask { try await syncThread(candidate, options: options) }
            }
            while let outcome = try await group.next() {
                done += 1
                switch outcome {
                case .skipped:
                    summary.threadsSkipped += 1
                    progress?(.threadFinished(threadID: "", done: done, total: candidates.count, messagesNew: 0))
                case .synced(let threadID, let result):
                    summary.messagesNew += result.messagesNew
                    summary.revisionsNew += result.revisionsNew
                    progress?(
                        .threadFinished(
                            threadID: threadID,
                            done: done,
                            total: candidates.count,
                            messagesNew: result.messagesNew
                        )
                    )
                case .failed(let failure):
                    summary.failures.append(failure)
                    progress?(.threadFailed(threadID: failure.threadID, done: done, total: candidates.count))
                }
                if let candidate = pending.next() {
                    group.addTask { try await syncThread(candidate, options: options) }
                }
            }
        }
    }

    /// Syncs one thread; service failures become `.failed`, cancellation and archive failures throw.
    private func syncThread(_ candidate: ThreadCandidate, options: SyncOptions) async throws -> ThreadOutcome {
        let item = candidate.item
        let startedOn = now()
        let cursor = try await store.cursor(threadID: item.id)
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

        var total = ApplyResult()
        var newest = cursor?.newestCreatedOn
        var lastError: (any Error)?
        var walked = false
        // Readers in order until one can see the thread (a member may have left since the listing).
        for reader in candidate.readers {
            do {
                let outcome = try await walk(
                    item: item,
                    reader: reader,
                    others: candidate.readers,
                    startTime: startTime,
                    pageSize: options.pageSize
                )
                total.add(outcome.result)
                if let walkedNewest = outcome.newest, newest.map({ walkedNewest > $0 }) ?? true {
                    newest = walkedNewest
                }
                walked = true
                break
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
        guard walked else {
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
        let finished = ThreadCursor(
            threadID: item.id,
            lastMessageReceivedOn: item.lastMessageReceivedOn,
            deletedOn: item.deletedOn,
            newestCreatedOn: newest,
            lastFullSync: fullWalk ? startedOn : cursor?.lastFullSync,
            lastSync: startedOn
        )
        total.add(try await store.apply(ThreadBatch(threadID: item.id, cursor: finished, observedOn: now())))
        return .synced(threadID: item.id, total)
    }

    /// Walks one thread: properties, participants, every message page, then read receipts.
    ///
    /// Messages are read by whichever of the thread's syncing identities has the earliest `shareHistoryTime`:
    /// that member sees every message any of the others can.
    private func walk(
        item: ChatThreadItem,
        reader: ChatReader,
        others: [ChatReader],
        startTime: Date?,
        pageSize: Int?
    ) async throws -> (result: ApplyResult, newest: Date?) {
        let threadClient = reader.client.chatThreadClient(threadID: item.id)
        var result = ApplyResult()
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
            result.add(try await store.apply(ThreadBatch(threadID: item.id, thread: listed, observedOn: now())))
            return (result, nil)
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
        result.add(
            try await store.apply(
                ThreadBatch(
                    threadID: item.id,
                    thread: snapshot,
                    participants: .complete(participants),
                    identities: identities,
                    observedOn: now()
                )
            )
        )

        let walker = Self.widestView(among: others, participants: participants) ?? reader
        var newest: Date?
        let messages = walker.client.chatThreadClient(threadID: item.id)
            .listMessages(resultsPerPage: pageSize, startTime: startTime)
        for try await page in messages.pages {
            let observedOn = now()
            var revisions: [MessageRevision] = []
            var senders: [ArchivedIdentity] = []
            revisions.reserveCapacity(page.items.count)
            for message in page.items {
                revisions.append(mapper.revision(of: message, threadID: item.id, observedOn: observedOn))
                senders += mapper.identities(in: message)
                if newest.map({ message.createdOn > $0 }) ?? true { newest = message.createdOn }
            }
            result.add(
                try await store.apply(
                    ThreadBatch(threadID: item.id, revisions: revisions, identities: senders, observedOn: observedOn)
                )
            )
        }

        let observedOn = now()
        var receipts: [ArchivedReadReceipt] = []
        for try await receipt in threadClient.listReadReceipts(resultsPerPage: pageSize) {
            receipts.append(
                ArchivedReadReceipt(
                    threadID: item.id,
                    readerID: receipt.sender.rawID,
                    messageID: receipt.chatMessageID,
                    readOn: receipt.readOn,
                    observedOn: observedOn
                )
            )
        }
        if !receipts.isEmpty {
            result.add(
                try await store.apply(ThreadBatch(threadID: item.id, readReceipts: receipts, observedOn: observedOn))
            )
        }
        return (result, newest)
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

enum ThreadOutcome: Sendable {
    case skipped
    case synced(threadID: String, ApplyResult)
    case failed(ThreadFailure)
}

extension ApplyResult {
    mutating func add(_ other: ApplyResult) {
        messagesNew += other.messagesNew
        revisionsNew += other.revisionsNew
        receiptsNew += other.receiptsNew
        participantsNew += other.participantsNew
    }
}

extension SyncSummary {
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
