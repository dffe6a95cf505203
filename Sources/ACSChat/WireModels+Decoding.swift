import Foundation

// Response decoding for the wire types: each reads exactly the fields `WireModels.swift` declares.

extension WireDate: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        // Most timestamps have no escapes: parse their bytes in place instead of building a String first.
        let parsed: Date?
        if let inPlace = json.withUnescapedUTF8(ChatDateFormat.parse(utf8:)) {
            parsed = inPlace
        } else {
            parsed = ChatDateFormat.parse(try json.string())
        }
        guard let parsed else { throw json.error(.invalidValue("expected an RFC 3339 date-time string")) }
        date = parsed
    }
}

extension WireIdentifier: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        kind = try object.optional("kind")
        rawId = try object.optional("rawId")
        communicationUser = try object.optional("communicationUser")
        phoneNumber = try object.optional("phoneNumber")
        microsoftTeamsUser = try object.optional("microsoftTeamsUser")
        microsoftTeamsApp = try object.optional("microsoftTeamsApp")
    }
}

extension WireIdentifier.CommunicationUser: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        id = try json.object().required("id")
    }
}

extension WireIdentifier.PhoneNumber: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        value = try json.object().required("value")
    }
}

extension WireIdentifier.TeamsUser: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        userId = try object.required("userId")
        isAnonymous = try object.optional("isAnonymous")
        cloud = try object.optional("cloud")
    }
}

extension WireIdentifier.TeamsApp: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        appId = try object.required("appId")
        cloud = try object.optional("cloud")
    }
}

extension WireRetentionPolicy: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        kind = try object.required("kind")
        deleteThreadAfterDays = try object.optional("deleteThreadAfterDays")
    }
}

extension WireChatParticipant: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        communicationIdentifier = try object.required("communicationIdentifier")
        displayName = try object.optional("displayName")
        shareHistoryTime = try object.optional("shareHistoryTime")
        metadata = try object.optional("metadata")
    }
}

extension WireCommunicationError: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        code = try object.required("code")
        message = try object.required("message")
        target = try object.optional("target")
    }
}

extension WireChatThreadItem: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        id = try object.required("id")
        topic = try object.required("topic")
        deletedOn = try object.optional("deletedOn")
        lastMessageReceivedOn = try object.optional("lastMessageReceivedOn")
    }
}

extension WireChatThreadProperties: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        id = try object.required("id")
        topic = try object.required("topic")
        createdOn = try object.required("createdOn")
        createdByCommunicationIdentifier = try object.required("createdByCommunicationIdentifier")
        deletedOn = try object.optional("deletedOn")
        metadata = try object.optional("metadata")
        retentionPolicy = try object.optional("retentionPolicy")
    }
}

extension WireCreateChatThreadResult: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        chatThread = try object.required("chatThread")
        invalidParticipants = try object.optional("invalidParticipants")
    }
}

extension WireAddChatParticipantsResult: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        invalidParticipants = try json.object().optional("invalidParticipants")
    }
}

extension WireChatAttachment: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        id = try object.required("id")
        attachmentType = try object.required("attachmentType")
        name = try object.optional("name")
        url = try object.optional("url")
        previewUrl = try object.optional("previewUrl")
    }
}

extension WireChatMessageContent: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        message = try object.optional("message")
        topic = try object.optional("topic")
        participants = try object.optional("participants")
        attachments = try object.optional("attachments")
        initiatorCommunicationIdentifier = try object.optional("initiatorCommunicationIdentifier")
    }
}

extension WireChatMessage: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        id = try object.required("id")
        type = try object.required("type")
        sequenceId = try object.required("sequenceId")
        version = try object.required("version")
        content = try object.optional("content")
        senderDisplayName = try object.optional("senderDisplayName")
        createdOn = try object.required("createdOn")
        senderCommunicationIdentifier = try object.optional("senderCommunicationIdentifier")
        deletedOn = try object.optional("deletedOn")
        editedOn = try object.optional("editedOn")
        metadata = try object.optional("metadata")
    }
}

extension WireChatMessageReadReceipt: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        senderCommunicationIdentifier = try object.required("senderCommunicationIdentifier")
        chatMessageId = try object.required("chatMessageId")
        readOn = try object.required("readOn")
    }
}

extension WirePage: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        value = try object.required("value")
        nextLink = try object.optional("nextLink")
    }
}

extension WireSendChatMessageResult: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        id = try json.object().required("id")
    }
}

extension WireIdentity: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        id = try json.object().required("id")
    }
}

extension WireAccessToken: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        token = try object.required("token")
        expiresOn = try object.required("expiresOn")
    }
}

extension WireCreateIdentityResponse: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        identity = try object.required("identity")
        accessToken = try object.optional("accessToken")
    }
}

extension WireErrorBody: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        error = try object.optional("error")
        CommunicationError = try object.optional("CommunicationError")
    }
}

extension WireErrorBody.SpecError: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        code = try object.optional("code")
        message = try object.optional("message")
    }
}

extension WireErrorBody.LiveError: WireDecodable {
    init(json: JSONValue) throws(WireDecodingError) {
        let object = try json.object()
        Code = try object.optional("Code")
        Message = try object.optional("Message")
    }
}
