/// The 16 chat operations (contract §3 and §4).
extension EmulatorState {
    enum ResolvedIdentifier {
        case user(Int32)
        case unknown(String)
    }

    /// Maps a request identifier to a user; malformed ids are 400, well-formed unknown ones come back `.unknown`.
    func resolve(_ wire: IdentifierWire) throws(APIError) -> ResolvedIdentifier {
        let rawID: String
        if let user = wire.communicationUser {
            if let declared = wire.rawId, declared != user.id {
                throw .badRequest("Identifier rawId does not match communicationUser.id.")
            }
            rawID = user.id
        } else if let declared = wire.rawId {
            rawID = declared
        } else if let phone = wire.phoneNumber {
            return .unknown("4:" + phone.value)
        } else if let teams = wire.microsoftTeamsUser {
            return .unknown("8:orgid:" + teams.userId)
        } else if let app = wire.microsoftTeamsApp {
            return .unknown("28:orgid:" + app.appId)
        } else {
            throw .badRequest("Identifier is missing.")
        }
        if rawID.hasPrefix("8:acs:") {
            guard Identifiers.isWellFormedACSUser(rawID) else {
                throw .badRequest("Identifier format is invalid.")
            }
            if let index = workspace.userIndex[rawID], !workspace.users[Int(index)].isDeleted {
                return .user(index)
            }
            return .unknown(rawID)
        }
        guard !rawID.isEmpty, rawID.contains(":"), !rawID.contains(where: { $0 == " " || $0 == "=" }) else {
            throw .badRequest("Identifier format is invalid.")
        }
        return .unknown(rawID)
    }

    /// The thread's index for a caller who is a member; 404 for unknown or deleted threads, 403 for non-members.
    func memberThread(_ threadID: String, caller: Int32) throws(APIError) -> (thread: Int, participant: Int) {
        guard let index = workspace.threadIndex[threadID], workspace.threads[Int(index)].deletedMs == 0 else {
            throw .notFound("Thread not found.")
        }
        guard let participant = workspace.threads[Int(index)].participantIndex(of: caller) else {
            throw .forbidden
        }
        return (Int(index), participant)
    }

    private func shareHistory(_ text: String?) throws(APIError) -> Int64 {
        guard let text else { return 0 }
        guard let value = Timestamp.parse(text) else { throw .badRequest("shareHistoryTime is not a valid date-time.") }
        return max(0, value)
    }

    private static func retention(_ wire: RetentionPolicyWire?) throws(APIError) -> RetentionPolicy? {
        guard let wire else { return nil }
        switch wire.kind {
        case "none": return RetentionPolicy.none
        case "threadCreationDate":
            guard let days = wire.deleteThreadAfterDays, (1...90).contains(days) else {
                throw .badRequest("retentionPolicy.deleteThreadAfterDays must be between 1 and 90.")
            }
            return .threadCreationDate(days: days)
        default: throw .badRequest("Unknown retentionPolicy kind.")
        }
    }

    private static func checkMetadata(_ metadata: [String: String]?) throws(APIError) {
        guard let metadata else { return }
        let size = metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard size <= 1024 else { throw .badRequest("metadata must not exceed 1 KB.") }
    }

    private func append(_ message: MessageRecord, toThread index: Int) {
        workspace.threads[index].messages.append(message)
        workspace.threads[index].lastMessageMs = message.createdMs
    }

    // MARK: Threads

    func createThread(
        caller: Int32,
        _ request: CreateThreadWire,
        repeatabilityID: String?,
        info: RequestInfo
    ) throws(APIError) -> APIReply {
        if let repeatabilityID, let existing = idempotentCreates["\(caller)|\(repeatabilityID)"] {
            return APIReply(
                status: 201,
                body: renderCreateResult(thread: Int(existing), invalid: [], info: info),
                location: threadLocation(Int(existing), info: info)
            )
        }
        try Self.checkMetadata(request.metadata)
        let retention = try Self.retention(request.retentionPolicy)
        var members: [ParticipantRecord] = []
        var invalid: [String] = []
        var creatorEntry = ParticipantRecord(user: caller, displayName: nil, shareHistoryMs: 0)
        for participant in request.participants ?? [] {
            let resolved = try resolve(participant.communicationIdentifier)
            let share = try shareHistory(participant.shareHistoryTime)
            switch resolved {
            case .unknown(let rawID): invalid.append(rawID)
            case .user(let user) where user == caller:
                creatorEntry.displayName = participant.displayName
                creatorEntry.metadata = participant.metadata
            case .user(let user):
                guard !members.contains(where: { $0.user == user }) else { continue }
                members.append(
                    ParticipantRecord(
                        user: user,
                        displayName: participant.displayName,
                        shareHistoryMs: share,
                        metadata: participant.metadata
                    )
                )
            }
        }
        members.insert(creatorEntry, at: 0)
        let now = Timestamp.now()
        var thread = ThreadRecord(
            id: Identifiers.thread(using: &generator),
            topic: request.topic,
            createdMs: now,
            creator: caller,
            lastMessageMs: now
        )
        thread.participants = members
        thread.metadata = request.metadata
        thread.retentionPolicy = retention
        thread.messages.append(
            MessageRecord(
                createdMs: now,
                versionMs: now,
                sender: -1,
                kind: .participantAdded,
                body: "",
                extras: MessageExtras(metadata: nil, participants: members, initiator: caller)
            )
        )
        thread.messages.append(
            MessageRecord(
                createdMs: now + 1,
                versionMs: now + 1,
                sender: -1,
                kind: .topicUpdated,
                body: request.topic,
                extras: MessageExtras(metadata: nil, initiator: caller)
            )
        )
        thread.lastMessageMs = now + 1
        let index = workspace.addThread(thread)
        if let repeatabilityID {
            idempotentCreates["\(caller)|\(repeatabilityID)"] = index
        }
        return APIReply(
            status: 201,
            body: renderCreateResult(thread: Int(index), invalid: invalid, info: info),
            location: threadLocation(Int(index), info: info)
        )
    }

    func listThreads(caller: Int32, page: PageRequest, info: RequestInfo) throws(APIError) -> APIReply {
        var startMs = page.startMs ?? Int64.min
        var after: (lastMs: Int64, index: Int32)?
        if let cursor = page.cursor {
            let parts = cursor.split(separator: ".")
            guard parts.count == 3, let lastMs = Int64(parts[0]), let index = Int32(parts[1]),
                let start = Int64(parts[2])
            else { throw .badRequest("Invalid syncState.") }
            after = (lastMs, index)
            startMs = start
        }
        var candidates: [(lastMs: Int64, index: Int32)] = []
        for index in workspace.threadsByUser[caller] ?? [] {
            let thread = workspace.threads[Int(index)]
            guard thread.participantIndex(of: caller) != nil, thread.lastMessageMs >= startMs else { continue }
            if let after, (thread.lastMessageMs, index) >= (after.lastMs, after.index) { continue }
            candidates.append((thread.lastMessageMs, index))
        }
        candidates.sort { ($0.lastMs, $0.index) > ($1.lastMs, $1.index) }
        let pageItems = candidates.prefix(page.size)
        var json = JSONWriter(capacity: 256 * pageItems.count)
        json.beginObject()
        json.key("value")
        json.beginArray()
        for item in pageItems {
            let thread = workspace.threads[Int(item.index)]
            json.beginObject()
            json.field("id", thread.id)
            json.field("topic", thread.topic)
            if thread.deletedMs != 0 { json.field("deletedOn", timestamp: thread.deletedMs) }
            json.field("lastMessageReceivedOn", timestamp: thread.lastMessageMs)
            json.endObject()
        }
        json.endArray()
        if candidates.count > page.size, let last = pageItems.last {
            let cursor = "\(last.lastMs).\(last.index).\(startMs)"
            json.field("nextLink", nextLink(info: info, path: "/chat/threads", cursor: cursor, size: page.size))
        }
        json.endObject()
        return APIReply(status: 200, body: json.bytes)
    }

    func getThread(caller: Int32, threadID: String, info: RequestInfo) throws(APIError) -> APIReply {
        let (thread, _) = try memberThread(threadID, caller: caller)
        var json = JSONWriter()
        renderThreadProperties(thread, into: &json, info: info)
        return APIReply(status: 200, body: json.bytes)
    }

    func updateThread(caller: Int32, threadID: String, _ request: UpdateThreadWire) throws(APIError) -> APIReply {
        let (thread, _) = try memberThread(threadID, caller: caller)
        try Self.checkMetadata(request.metadata)
        let retention = try Self.retention(request.retentionPolicy)
        if let metadata = request.metadata { workspace.threads[thread].metadata = metadata }
        if let retention { workspace.threads[thread].retentionPolicy = retention }
        if let topic = request.topic {
            workspace.threads[thread].topic = topic
            let now = workspace.threads[thread].nextMessageMs(now: Timestamp.now())
            append(
                MessageRecord(
                    createdMs: now,
                    versionMs: now,
                    sender: -1,
                    kind: .topicUpdated,
                    body: topic,
                    extras: MessageExtras(metadata: nil, initiator: caller)
                ),
                toThread: thread
            )
        }
        return .empty(204)
    }

    func deleteThread(caller: Int32, threadID: String) throws(APIError) -> APIReply {
        let (thread, _) = try memberThread(threadID, caller: caller)
        workspace.threads[thread].deletedMs = Timestamp.now()
        return .empty(204)
    }

    // MARK: Messages

    func sendMessage(
        caller: Int32,
        threadID: String,
        _ request: SendMessageWire,
        info: RequestInfo
    ) throws(APIError)
        -> APIReply
    {
        let (thread, _) = try memberThread(threadID, caller: caller)
        let kind: MessageKind
        switch request.type?.lowercased() ?? "text" {
        case "text": kind = .text
        case "html": kind = .html
        default: throw .badRequest("Message type must be text or html.")
        }
        try Self.checkMetadata(request.metadata)
        guard request.content.utf8.count <= 28 * 1024 else { throw .badRequest("Message content is too large.") }
        let now = workspace.threads[thread].nextMessageMs(now: Timestamp.now())
        append(
            MessageRecord(
                createdMs: now,
                versionMs: now,
                sender: caller,
                kind: kind,
                body: request.content,
                senderDisplayName: request.senderDisplayName,
                extras: request.metadata.map { MessageExtras(metadata: $0) }
            ),
            toThread: thread
        )
        var json = JSONWriter()
        json.beginObject()
        json.field("id", String(now))
        json.endObject()
        return APIReply(
            status: 201,
            body: json.bytes,
            location: threadLocation(thread, info: info) + "/messages/\(now)"
        )
    }

    func listMessages(
        caller: Int32,
        threadID: String,
        page: PageRequest,
        info: RequestInfo
    ) throws(APIError)
        -> APIReply
    {
        let (thread, participant) = try memberThread(threadID, caller: caller)
        let record = workspace.threads[thread]
        var startMs = page.startMs ?? Int64.min
        var position = record.messages.count - 1
        if let cursor = page.cursor {
            let parts = cursor.split(separator: ".")
            guard parts.count == 2, let resume = Int(parts[0]), let start = Int64(parts[1]),
                resume < record.messages.count
            else { throw .badRequest("Invalid syncState.") }
            position = resume
            startMs = start
        }
        let bound = max(startMs, record.participants[participant].shareHistoryMs)
        var json = JSONWriter(capacity: 400 * min(page.size, position + 1))
        json.beginObject()
        json.key("value")
        json.beginArray()
        var written = 0
        while position >= 0, written < page.size, record.messages[position].createdMs >= bound {
            renderMessage(record.messages[position], sequence: position + 1, into: &json, info: info)
            written += 1
            position -= 1
        }
        json.endArray()
        if position >= 0, record.messages[position].createdMs >= bound {
            let path = "/chat/threads/\(Self.encodePathSegment(record.id))/messages"
            json.field("nextLink", nextLink(info: info, path: path, cursor: "\(position).\(startMs)", size: page.size))
        }
        json.endObject()
        return APIReply(status: 200, body: json.bytes)
    }

    /// The visible message `messageID` of a thread the caller belongs to, or 404.
    private func visibleMessage(_ messageID: String, thread: Int, participant: Int) throws(APIError) -> Int {
        let record = workspace.threads[thread]
        guard let id = Int64(messageID), let index = record.messageIndex(id: id),
            record.messages[index].createdMs >= record.participants[participant].shareHistoryMs
        else { throw .notFound("Message not found.") }
        return index
    }

    func getMessage(
        caller: Int32,
        threadID: String,
        messageID: String,
        info: RequestInfo
    ) throws(APIError)
        -> APIReply
    {
        let (thread, participant) = try memberThread(threadID, caller: caller)
        let index = try visibleMessage(messageID, thread: thread, participant: participant)
        var json = JSONWriter()
        renderMessage(workspace.threads[thread].messages[index], sequence: index + 1, into: &json, info: info)
        return APIReply(status: 200, body: json.bytes)
    }

    func updateMessage(
        caller: Int32,
        threadID: String,
        messageID: String,
        _ request: UpdateMessageWire
    )
        throws(APIError) -> APIReply
    {
        let (thread, participant) = try memberThread(threadID, caller: caller)
        let index = try visibleMessage(messageID, thread: thread, participant: participant)
        let message = workspace.threads[thread].messages[index]
        guard message.sender == caller, !message.kind.isSystem else { throw .forbidden }
        guard message.deletedMs == 0 else { throw .notFound("Message not found.") }
        try Self.checkMetadata(request.metadata)
        guard request.content != nil || request.metadata != nil else { return .empty(204) }
        let now = max(Timestamp.now(), message.versionMs + 1)
        var updated = message
        if let content = request.content { updated.body = content }
        if let metadata = request.metadata { updated.extras = MessageExtras(metadata: metadata) }
        updated.editedMs = now
        updated.versionMs = now
        workspace.threads[thread].messages[index] = updated
        return .empty(204)
    }

    func deleteMessage(caller: Int32, threadID: String, messageID: String) throws(APIError) -> APIReply {
        let (thread, participant) = try memberThread(threadID, caller: caller)
        let index = try visibleMessage(messageID, thread: thread, participant: participant)
        let message = workspace.threads[thread].messages[index]
        guard message.sender == caller, !message.kind.isSystem else { throw .forbidden }
        guard message.deletedMs == 0 else { return .empty(204) }
        let now = max(Timestamp.now(), message.versionMs + 1)
        workspace.threads[thread].messages[index].deletedMs = now
        workspace.threads[thread].messages[index].versionMs = now
        workspace.threads[thread].messages[index].body = ""
        return .empty(204)
    }

    // MARK: Participants

    func listParticipants(
        caller: Int32,
        threadID: String,
        page: PageRequest,
        info: RequestInfo
    ) throws(APIError)
        -> APIReply
    {
        let (thread, _) = try memberThread(threadID, caller: caller)
        let record = workspace.threads[thread]
        let skip = page.skip
        let slice = record.participants.dropFirst(skip).prefix(page.size)
        var json = JSONWriter(capacity: 200 * slice.count)
        json.beginObject()
        json.key("value")
        json.beginArray()
        for participant in slice { renderParticipant(participant, into: &json, info: info) }
        json.endArray()
        if skip + page.size < record.participants.count {
            let path = "/chat/threads/\(Self.encodePathSegment(record.id))/participants"
            json.field("nextLink", skipLink(info: info, path: path, skip: skip + page.size, size: page.size))
        }
        json.endObject()
        return APIReply(status: 200, body: json.bytes)
    }

    func addParticipants(caller: Int32, threadID: String, _ request: AddParticipantsWire) throws(APIError) -> APIReply {
        let (thread, _) = try memberThread(threadID, caller: caller)
        guard !request.participants.isEmpty else { throw .badRequest("participants must not be empty.") }
        var added: [ParticipantRecord] = []
        var invalid: [String] = []
        for participant in request.participants {
            let resolved = try resolve(participant.communicationIdentifier)
            let share = try shareHistory(participant.shareHistoryTime)
            switch resolved {
            case .unknown(let rawID): invalid.append(rawID)
            case .user(let user):
                guard workspace.threads[thread].participantIndex(of: user) == nil,
                    !added.contains(where: { $0.user == user })
                else { continue }
                added.append(
                    ParticipantRecord(
                        user: user,
                        displayName: participant.displayName,
                        shareHistoryMs: share,
                        metadata: participant.metadata
                    )
                )
            }
        }
        if !added.isEmpty {
            workspace.threads[thread].participants.append(contentsOf: added)
            for participant in added { workspace.noteMembership(user: participant.user, thread: Int32(thread)) }
            let now = workspace.threads[thread].nextMessageMs(now: Timestamp.now())
            append(
                MessageRecord(
                    createdMs: now,
                    versionMs: now,
                    sender: -1,
                    kind: .participantAdded,
                    body: "",
                    extras: MessageExtras(metadata: nil, participants: added, initiator: caller)
                ),
                toThread: thread
            )
        }
        var json = JSONWriter()
        json.beginObject()
        renderInvalidParticipants(invalid, into: &json)
        json.endObject()
        return APIReply(status: 201, body: json.bytes)
    }

    func removeParticipant(caller: Int32, threadID: String, _ identifier: IdentifierWire) throws(APIError) -> APIReply {
        let (thread, _) = try memberThread(threadID, caller: caller)
        guard case .user(let user) = try resolve(identifier),
            let position = workspace.threads[thread].participantIndex(of: user)
        else { return .empty(204) }
        let removed = workspace.threads[thread].participants.remove(at: position)
        let now = workspace.threads[thread].nextMessageMs(now: Timestamp.now())
        append(
            MessageRecord(
                createdMs: now,
                versionMs: now,
                sender: -1,
                kind: .participantRemoved,
                body: "",
                extras: MessageExtras(metadata: nil, participants: [removed], initiator: caller)
            ),
            toThread: thread
        )
        return .empty(204)
    }

    // MARK: Typing and read receipts

    func typing(caller: Int32, threadID: String) throws(APIError) -> APIReply {
        _ = try memberThread(threadID, caller: caller)
        return .empty(200)
    }

    func sendReadReceipt(caller: Int32, threadID: String, _ request: ReadReceiptWire) throws(APIError) -> APIReply {
        let (thread, participant) = try memberThread(threadID, caller: caller)
        let index = try visibleMessage(request.chatMessageId, thread: thread, participant: participant)
        let receipt = ReceiptRecord(
            user: caller,
            messageID: workspace.threads[thread].messages[index].createdMs,
            readMs: Timestamp.now()
        )
        // One receipt per user: the latest message read. A receipt for an older message changes nothing.
        if let existing = workspace.threads[thread].receipts.firstIndex(where: { $0.user == caller }) {
            guard workspace.threads[thread].receipts[existing].messageID <= receipt.messageID else {
                return .empty(200)
            }
            workspace.threads[thread].receipts.remove(at: existing)
        }
        workspace.threads[thread].receipts.append(receipt)
        return .empty(200)
    }

    func listReadReceipts(
        caller: Int32,
        threadID: String,
        page: PageRequest,
        info: RequestInfo
    ) throws(APIError)
        -> APIReply
    {
        let (thread, _) = try memberThread(threadID, caller: caller)
        let record = workspace.threads[thread]
        let slice = record.receipts.dropFirst(page.skip).prefix(page.size)
        var json = JSONWriter(capacity: 200 * slice.count)
        json.beginObject()
        json.key("value")
        json.beginArray()
        for receipt in slice {
            json.beginObject()
            json.key("senderCommunicationIdentifier")
            renderIdentifier(receipt.user, into: &json, info: info)
            json.field("chatMessageId", String(receipt.messageID))
            json.field("readOn", timestamp: receipt.readMs)
            json.endObject()
        }
        json.endArray()
        if page.skip + page.size < record.receipts.count {
            let path = "/chat/threads/\(Self.encodePathSegment(record.id))/readReceipts"
            json.field("nextLink", skipLink(info: info, path: path, skip: page.skip + page.size, size: page.size))
        }
        json.endObject()
        return APIReply(status: 200, body: json.bytes)
    }
}

/// The paging parameters of a list request, validated.
struct PageRequest {
    var size = 100
    var startMs: Int64?
    var skip = 0
    /// The opaque `syncState` of a nextLink.
    var cursor: String?
}
