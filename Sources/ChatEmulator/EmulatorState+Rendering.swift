/// JSON rendering of stored records in the wire shapes of contract §5.
extension EmulatorState {
    func renderIdentifier(_ user: Int32, into json: inout JSONWriter, info: RequestInfo) {
        let rawID = workspace.users[Int(user)].rawID
        json.beginObject()
        if info.includeKind { json.field("kind", "communicationUser") }
        json.field("rawId", rawID)
        json.key("communicationUser")
        json.beginObject()
        json.field("id", rawID)
        json.endObject()
        json.endObject()
    }

    func renderParticipant(_ participant: ParticipantRecord, into json: inout JSONWriter, info: RequestInfo) {
        json.beginObject()
        json.key("communicationIdentifier")
        renderIdentifier(participant.user, into: &json, info: info)
        if let displayName = participant.displayName { json.field("displayName", displayName) }
        json.field("shareHistoryTime", timestamp: participant.shareHistoryMs)
        if let metadata = participant.metadata { json.field("metadata", metadata) }
        json.endObject()
    }

    func renderInvalidParticipants(_ rawIDs: [String], into json: inout JSONWriter) {
        guard !rawIDs.isEmpty else { return }
        json.key("invalidParticipants")
        json.beginArray()
        for rawID in rawIDs {
            json.beginObject()
            json.field("code", "403")
            json.field("message", "Permissions check failed")
            json.field("target", rawID)
            json.endObject()
        }
        json.endArray()
    }

    func renderThreadProperties(_ index: Int, into json: inout JSONWriter, info: RequestInfo) {
        let thread = workspace.threads[index]
        json.beginObject()
        json.field("id", thread.id)
        json.field("topic", thread.topic)
        json.field("createdOn", timestamp: thread.createdMs)
        json.key("createdByCommunicationIdentifier")
        renderIdentifier(thread.creator, into: &json, info: info)
        if thread.deletedMs != 0 { json.field("deletedOn", timestamp: thread.deletedMs) }
        if let metadata = thread.metadata { json.field("metadata", metadata) }
        if let policy = thread.retentionPolicy {
            json.key("retentionPolicy")
            json.beginObject()
            switch policy {
            case .none: json.field("kind", "none")
            case .threadCreationDate(let days):
                json.field("kind", "threadCreationDate")
                json.key("deleteThreadAfterDays")
                json.integer(Int64(days))
            }
            json.endObject()
        }
        json.endObject()
    }

    func renderCreateResult(thread: Int, invalid: [String], info: RequestInfo) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("chatThread")
        renderThreadProperties(thread, into: &json, info: info)
        renderInvalidParticipants(invalid, into: &json)
        json.endObject()
        return json.bytes
    }

    func renderMessage(_ message: MessageRecord, sequence: Int, into json: inout JSONWriter, info: RequestInfo) {
        json.beginObject()
        json.field("id", String(message.createdMs))
        json.field("type", message.kind.wireName)
        json.field("sequenceId", String(sequence))
        json.field("version", String(message.versionMs))
        json.key("content")
        json.beginObject()
        switch message.kind {
        case .text, .html:
            json.field("message", message.body)
        case .topicUpdated:
            json.field("topic", message.body)
        case .participantAdded, .participantRemoved:
            json.key("participants")
            json.beginArray()
            for participant in message.extras?.participants ?? [] {
                renderParticipant(participant, into: &json, info: info)
            }
            json.endArray()
        }
        if message.kind.isSystem, let initiator = message.extras?.initiator, initiator >= 0 {
            json.key("initiatorCommunicationIdentifier")
            renderIdentifier(initiator, into: &json, info: info)
        }
        json.endObject()
        if !message.kind.isSystem { json.field("senderDisplayName", message.senderDisplayName ?? "") }
        json.field("createdOn", timestamp: message.createdMs)
        if message.sender >= 0 {
            json.key("senderCommunicationIdentifier")
            renderIdentifier(message.sender, into: &json, info: info)
        }
        if message.deletedMs != 0 { json.field("deletedOn", timestamp: message.deletedMs) }
        if message.editedMs != 0 { json.field("editedOn", timestamp: message.editedMs) }
        if let metadata = message.extras?.metadata { json.field("metadata", metadata) }
        json.endObject()
    }

    func threadLocation(_ index: Int, info: RequestInfo) -> String {
        info.origin + "/chat/threads/" + Self.encodePathSegment(workspace.threads[index].id)
    }

    func nextLink(info: RequestInfo, path: String, cursor: String, size: Int) -> String {
        "\(info.origin)\(path)?syncState=\(cursor)&maxPageSize=\(size)&api-version=\(Self.encodeQueryValue(info.apiVersion))"
    }

    func skipLink(info: RequestInfo, path: String, skip: Int, size: Int) -> String {
        "\(info.origin)\(path)?skip=\(skip)&maxPageSize=\(size)&api-version=\(Self.encodeQueryValue(info.apiVersion))"
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func encodePathSegment(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "~")
            {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF")
                result += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return result
    }

    static func encodeQueryValue(_ text: String) -> String { encodePathSegment(text) }
}
