import SeededRandom

/// Builds a deterministic, realistic workspace from a ``SeedPlan``: the same plan always yields the same users,
/// thread ids, message ids, texts, edits, deletions, membership changes and read receipts.
///
/// Message times are laid out before a fixed instant (2026-06-01T00:00:00Z) so that ids are reproducible.
struct Seeder {
    let plan: SeedPlan

    static let endMs: Int64 = 1_780_272_000_000

    func makeWorkspace() -> Workspace {
        var generator = SplitMix64(seed: plan.seed)
        var workspace = Workspace(resourceID: Identifiers.uuid(using: &generator))
        let userCount = min(max(plan.threads * 3, 6), 300)
        for index in 0..<userCount {
            let name = SeedCorpus.displayName(index, using: &generator)
            workspace.addUser(
                rawID: Identifiers.user(resourceID: workspace.resourceID, using: &generator),
                displayName: name
            )
        }
        let base = plan.totalMessages / plan.threads
        let extra = plan.totalMessages % plan.threads
        workspace.threads.reserveCapacity(plan.threads)
        for threadNumber in 0..<plan.threads {
            let count = base + (threadNumber < extra ? 1 : 0)
            let thread = makeThread(count: count, workspace: workspace, using: &generator)
            _ = workspace.addThread(thread.record)
            // Former members who left are still remembered, so they can be re-added and listed consistently.
            let index = Int32(workspace.threads.count - 1)
            for user in thread.everMembers { workspace.noteMembership(user: user, thread: index) }
        }
        return workspace
    }

    private func makeThread(
        count: Int,
        workspace: Workspace,
        using generator: inout SplitMix64
    ) -> (
        record: ThreadRecord, everMembers: [Int32]
    ) {
        let userCount = workspace.users.count
        let roll = generator.nextUnit()
        let wanted =
            roll < 0.7
            ? Int.random(in: 2...6, using: &generator)
            : roll < 0.95 ? Int.random(in: 7...20, using: &generator) : Int.random(in: 21...50, using: &generator)
        let size = min(wanted, userCount)
        var pool = Array(0..<Int32(userCount))
        pool.shuffle(using: &generator)
        var members = Array(pool.prefix(size))
        var outside = Array(pool.dropFirst(size))
        var everMembers = members
        let creator = members[0]
        func displayName(_ user: Int32) -> String? { workspace.users[Int(user)].displayName }

        let meanGapMs: Int64 = 150_000
        let startMs = Self.endMs - Int64(count) * meanGapMs - Int64.random(in: 0...(30 * 86_400_000), using: &generator)
        let topic = SeedCorpus.topic(using: &generator)
        var record = ThreadRecord(
            id: Identifiers.thread(using: &generator),
            topic: topic,
            createdMs: startMs,
            creator: creator,
            lastMessageMs: startMs + 1
        )
        record.participants = members.map {
            ParticipantRecord(user: $0, displayName: displayName($0), shareHistoryMs: 0)
        }
        record.messages.reserveCapacity(count)
        record.messages.append(
            MessageRecord(
                createdMs: startMs,
                versionMs: startMs,
                sender: -1,
                kind: .participantAdded,
                body: "",
                extras: MessageExtras(metadata: nil, participants: record.participants, initiator: creator)
            )
        )
        record.messages.append(
            MessageRecord(
                createdMs: startMs + 1,
                versionMs: startMs + 1,
                sender: -1,
                kind: .topicUpdated,
                body: topic,
                extras: MessageExtras(metadata: nil, initiator: creator)
            )
        )
        var now = startMs + 1
        for _ in 2..<max(count, 2) {
            now += Int64.random(in: 1_000...(2 * meanGapMs), using: &generator)
            let initiator = members[Int.random(in: 0..<members.count, using: &generator)]
            let event = generator.nextUnit()
            if event < 0.02 {
                record.topic = SeedCorpus.topic(using: &generator)
                record.messages.append(
                    MessageRecord(
                        createdMs: now,
                        versionMs: now,
                        sender: -1,
                        kind: .topicUpdated,
                        body: record.topic,
                        extras: MessageExtras(metadata: nil, initiator: initiator)
                    )
                )
            } else if event < 0.035, !outside.isEmpty {
                let joiner = outside.removeLast()
                members.append(joiner)
                everMembers.append(joiner)
                let share = generator.nextUnit() < 0.5 ? 0 : now
                let participant = ParticipantRecord(
                    user: joiner,
                    displayName: displayName(joiner),
                    shareHistoryMs: share
                )
                record.participants.append(participant)
                record.messages.append(
                    MessageRecord(
                        createdMs: now,
                        versionMs: now,
                        sender: -1,
                        kind: .participantAdded,
                        body: "",
                        extras: MessageExtras(metadata: nil, participants: [participant], initiator: initiator)
                    )
                )
            } else if event < 0.045, members.count > 2 {
                let position = Int.random(in: 1..<members.count, using: &generator)
                let leaver = members.remove(at: position)
                outside.insert(leaver, at: 0)
                guard let participantPosition = record.participantIndex(of: leaver) else { continue }
                let removed = record.participants.remove(at: participantPosition)
                record.messages.append(
                    MessageRecord(
                        createdMs: now,
                        versionMs: now,
                        sender: -1,
                        kind: .participantRemoved,
                        body: "",
                        extras: MessageExtras(metadata: nil, participants: [removed], initiator: leaver)
                    )
                )
            } else {
                let isHTML = generator.nextUnit() < 0.4
                let mentioned = displayName(members[Int.random(in: 0..<members.count, using: &generator)]) ?? "team"
                var message = MessageRecord(
                    createdMs: now,
                    versionMs: now,
                    sender: initiator,
                    kind: isHTML ? .html : .text,
                    body: isHTML
                        ? SeedCorpus.html(mentioning: mentioned, using: &generator)
                        : SeedCorpus.text(using: &generator),
                    senderDisplayName: displayName(initiator)
                )
                let change = generator.nextUnit()
                if change < 0.05 {
                    let edited = now + Int64.random(in: 1_000...3_600_000, using: &generator)
                    message.editedMs = edited
                    message.versionMs = edited
                    message.body += isHTML ? "<p><i>(edited)</i></p>" : " (edited)"
                } else if change < 0.07 {
                    let deleted = now + Int64.random(in: 1_000...3_600_000, using: &generator)
                    message.deletedMs = deleted
                    message.versionMs = deleted
                    message.body = ""
                }
                record.messages.append(message)
            }
        }
        record.lastMessageMs = record.messages.last?.createdMs ?? startMs
        // Read receipts: most current members have read one of the latest messages.
        let userMessages = record.messages.suffix(20).filter { !$0.kind.isSystem }
        if !userMessages.isEmpty {
            for member in members where generator.nextUnit() < 0.6 {
                let read = userMessages[
                    userMessages.startIndex + Int.random(in: 0..<userMessages.count, using: &generator)
                ]
                let readMs = read.createdMs + Int64.random(in: 1_000...600_000, using: &generator)
                record.receipts.append(ReceiptRecord(user: member, messageID: read.createdMs, readMs: readMs))
            }
        }
        return (record, everMembers)
    }
}
