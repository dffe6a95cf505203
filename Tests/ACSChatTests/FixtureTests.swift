import Foundation
import Testing

@testable import ACSChat

/// Bodies shaped like the real service's (acs-rest-contract.md §4, §5, §7).
@Suite(.timeLimit(.minutes(1))) struct FixtureTests {
    @Test func realServiceMessages() async throws {
        let page = """
            {"value":[
            {"id":"1702467535738","type":"text","sequenceId":"3","version":"1702467535738","content":{"message":"Hello!"},
             "senderDisplayName":"","createdOn":"2023-12-13T11:38:55Z",
             "senderCommunicationIdentifier":{"rawId":"8:acs:R_U","communicationUser":{"id":"8:acs:R_U"}},"metadata":{"tags":"sometag"}},
            {"id":"1702467535000","type":"text","sequenceId":"4","version":"1702467537000","content":{"message":""},
             "senderDisplayName":"Bob","createdOn":"2023-12-13T11:38:55Z","deletedOn":"2023-12-13T11:38:57Z",
             "senderCommunicationIdentifier":{"rawId":"8:acs:R_U","communicationUser":{"id":"8:acs:R_U"}}},
            {"id":"1702467534000","type":"topicUpdated","sequenceId":"2","version":"1702467534000",
             "content":{"topic":"Lunch","initiatorCommunicationIdentifier":{"rawId":"8:acs:R_U","communicationUser":{"id":"8:acs:R_U"}}},
             "createdOn":"2023-12-13T11:38:54Z"},
            {"id":"1702467533000","type":"participantAdded","sequenceId":"1","version":"1702467533000",
             "content":{"participants":[{"communicationIdentifier":{"rawId":"8:acs:R_U","communicationUser":{"id":"8:acs:R_U"}},
               "shareHistoryTime":"1970-01-01T00:00:00Z"}],
              "initiatorCommunicationIdentifier":{"rawId":"8:acs:R_U","communicationUser":{"id":"8:acs:R_U"}}},
             "createdOn":"2023-12-13T11:38:53Z"},
            {"id":"1702467539000","type":"richText/html","sequenceId":"5","version":"1702467539000",
             "content":{"message":"<p>x</p>","attachments":[{"id":"a1","attachmentType":"teamsImage","name":"x.png",
               "url":"https://example.invalid/x","previewUrl":"https://example.invalid/x/small"}]},
             "createdOn":"2023-12-13T11:38:59.1234567+01:00","editedOn":"2023-12-13T11:39:00","extraField":{"nested":true}}
            ]}
            """
        try await withChatClient { _, _ in
            .json(200, page)
        } _: { client, _ in
            var messages: [ChatMessage] = []
            for try await message in client.chatThreadClient(threadID: "t").listMessages() { messages.append(message) }
            try #require(messages.count == 5)
            let user = CommunicationIdentifier.communicationUser(id: "8:acs:R_U")
            #expect(messages[0].senderDisplayName == "")
            #expect(messages[0].metadata == ["tags": "sometag"])
            #expect(messages[0].sender == user)
            #expect(messages[1].deletedOn == ChatDateFormat.parse("2023-12-13T11:38:57Z"))
            #expect(messages[1].content?.message == "")
            #expect(messages[2].type == .topicUpdated)
            #expect(messages[2].type.isSystemMessage)
            #expect(messages[2].sender == nil)
            #expect(messages[2].content?.topic == "Lunch")
            #expect(messages[2].content?.initiator == user)
            #expect(
                messages[3].content?.participants == [
                    ChatParticipant(identifier: user, shareHistoryTime: Date(timeIntervalSince1970: 0))
                ]
            )
            #expect(messages[4].type == .unknown("richText/html"))
            #expect(messages[4].content?.attachments.first?.attachmentType == .unknown("teamsImage"))
            #expect(
                messages[4].content?.attachments.first?.previewURL == URL(string: "https://example.invalid/x/small")
            )
            #expect(abs(messages[4].createdOn.timeIntervalSince1970 - 1_702_463_939.1234567) < 0.000_01)
            #expect(messages[4].editedOn == ChatDateFormat.parse("2023-12-13T11:39:00Z"))
        }
    }

    @Test func createWithoutInvalidParticipantsKeyAndReceipts() async throws {
        try await withChatClient { request, _ in
            request.method == "POST"
                ? .json(
                    201,
                    #"{"chatThread":{"id":"19:XBvZap0Ie9pUcIJsn3Tq1wCvuwj9cnxw7a3ezbeJdrE1@thread.v2","topic":"t","createdOn":"2023-12-13T11:38:55Z","createdByCommunicationIdentifier":{"rawId":"8:acs:R_U","communicationUser":{"id":"8:acs:R_U"}}}}"#
                )
                : .json(
                    200,
                    #"{"value":[{"senderCommunicationIdentifier":{"rawId":"8:acs:R_U","communicationUser":{"id":"8:acs:R_U"}},"chatMessageId":"1702467754057","readOn":"2023-12-13T11:42:36Z"}]}"#
                )
        } _: { client, _ in
            let result = try await client.createChatThread(topic: "t")
            #expect(result.invalidParticipants.isEmpty)
            #expect(result.thread.id.hasSuffix("@thread.v2"))
            var receipts: [ChatMessageReadReceipt] = []
            for try await receipt in client.chatThreadClient(threadID: result.thread.id).listReadReceipts() {
                receipts.append(receipt)
            }
            #expect(
                receipts == [
                    ChatMessageReadReceipt(
                        sender: .communicationUser(id: "8:acs:R_U"),
                        chatMessageID: "1702467754057",
                        readOn: try #require(ChatDateFormat.parse("2023-12-13T11:42:36Z"))
                    )
                ]
            )
        }
    }

    @Test(
        arguments: [
            (
                400,
                #"{"CommunicationError":{"Code":"BadRequest","Message":"Identifier format is invalid (8:acs:fakeid===).","Details":[]}}"#,
                ChatServiceError.Code.badRequest, "BadRequest", "Identifier format is invalid (8:acs:fakeid===)."
            ),
            (
                403,
                #"{"CommunicationError":{"Code":"Forbidden","Message":"The initiator doesn't have the permission to perform the requested operation.","Details":[]}}"#,
                .forbidden, "Forbidden", "The initiator doesn't have the permission to perform the requested operation."
            ),
            (
                404, #"{"CommunicationError":{"Code":"NotFound","Details":[]}}"#, .notFound, "NotFound",
                "the service answered HTTP 404"
            ),
            (
                401, #"{"error":{"code":"Unauthorized","message":"Request is not authorized."}}"#, .unauthorized,
                "Unauthorized",
                "Request is not authorized."
            ),
            (409, "", .conflict, nil, "the service answered HTTP 409"),
            (418, "<html>teapot</html>", .unexpectedStatus(418), nil, "the service answered HTTP 418"),
            (200, #"{"id":"1"}"#, .unexpectedStatus(200), nil, "the service answered HTTP 200"),
        ] as [(Int, String, ChatServiceError.Code, String?, String)]
    )
    func errorBodies(
        status: Int,
        body: String,
        code: ChatServiceError.Code,
        serviceCode: String?,
        message: String
    ) async throws {
        try await withChatClient { _, _ in
            .json(status, body)
        } _: { client, _ in
            let error = await #expect(throws: ChatServiceError.self) {
                _ = try await client.chatThreadClient(threadID: "19:abc@thread.v2").sendMessage(content: "secret text")
            }
            #expect(error?.code == code)
            #expect(error?.httpStatus == status)
            #expect(error?.serviceCode == serviceCode)
            #expect(error?.message == message)
            #expect(error?.operation == "POST /chat/threads/{chatThreadId}/messages")
            let description = error.map { "\($0)" } ?? ""
            #expect(description.hasPrefix("POST /chat/threads/{chatThreadId}/messages failed ("))
            #expect(!description.contains("secret text"))
            #expect(!description.contains("api-version"))
        }
    }

    @Test(arguments: [
        ("{not json", "not valid JSON"),
        (
            #"{"id":"1","topic":"t","createdOn":"yesterday","createdByCommunicationIdentifier":{"rawId":"8:acs:x"}}"#,
            "invalid value at createdOn"
        ),
        (
            #"{"id":1,"topic":"t","createdOn":"2023-12-13T11:38:55Z","createdByCommunicationIdentifier":{"rawId":"8:acs:x"}}"#,
            "wrong type at id"
        ),
        (
            #"{"id":"1","createdOn":"2023-12-13T11:38:55Z","createdByCommunicationIdentifier":{"rawId":"8:acs:x"}}"#,
            "missing field topic"
        ),
        (
            #"{"id":"1","topic":"t","createdOn":"2023-12-13T11:38:55Z","createdByCommunicationIdentifier":{}}"#,
            "neither rawId"
        ),
        (
            #"{"id":"1","topic":"t","createdOn":"2023-12-13T11:38:55Z","createdByCommunicationIdentifier":{"rawId":"8:acs:x"},"metadata":{"a":1}}"#,
            "wrong type at metadata.a"
        ),
    ])
    func malformedBodiesNameTheOperation(body: String, reason: String) async throws {
        try await withChatClient { _, _ in
            .json(200, body)
        } _: { client, _ in
            let error = await #expect(throws: ChatServiceError.self) {
                _ = try await client.chatThreadClient(threadID: "t").properties()
            }
            #expect(error?.code == .malformedResponse)
            #expect(error?.operation == "GET /chat/threads/{chatThreadId}")
            #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        }
    }

    @Test func invalidUTF8IsMalformed() throws {
        let bytes: [UInt8] = Array(#"{"id":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        let error = #expect(throws: ChatServiceError.self) {
            _ = try ServiceTransport.decode(WireSendChatMessageResult.self, from: bytes, operation: "POST /x")
        }
        #expect(error?.code == .malformedResponse)
        #expect(error?.operation == "POST /x")
    }

    @Test func oversizedResponsesAreRefused() async throws {
        let options = ChatClientOptions(retryPolicy: .none, maxResponseBytes: 64)
        try await withChatClient(options: options) { _, _ in
            .json(200, #"{"value":[],"padding":"\#(String(repeating: "x", count: 500))"}"#)
        } _: { client, _ in
            let error = await #expect(throws: ChatServiceError.self) { for try await _ in client.listChatThreads() {} }
            #expect(error?.code == .malformedResponse)
        }
    }
}
