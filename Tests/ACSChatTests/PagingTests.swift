import Foundation
import Testing

@testable import ACSChat

private func messageJSON(_ sequence: Int) -> String {
    """
    {"id":"17000000000\(sequence)","type":"text","sequenceId":"\(sequence)","version":"17000000000\(sequence)",
    "content":{"message":"m\(sequence)"},"senderDisplayName":"","createdOn":"2023-12-13T11:38:5\(sequence)Z",
    "senderCommunicationIdentifier":{"rawId":"8:acs:R_U","communicationUser":{"id":"8:acs:R_U"}}}
    """
}

/// Three pages of messages (5, 4 | 3, 2 | 1); links are absolute, with a raw `@` and `:` like the real service's.
private func messagePages() -> ScriptedServer.Script {
    { request, _ in
        let base = "http://\(request.header("Host") ?? "missing-host")"
        let link = { (cursor: String) in
            "\(base)/chat/threads/19:abc@thread.v2/messages?syncState=\(cursor)&startTime=0&maxPageSize=2&api-version=2021-09-07"
        }
        let query = request.query ?? ""
        if query.contains("syncState=p3") { return .json(200, #"{"value":[\#(messageJSON(1))]}"#) }
        if query.contains("syncState=p2") {
            return .json(200, #"{"value":[\#(messageJSON(3)),\#(messageJSON(2))],"nextLink":"\#(link("p3"))"}"#)
        }
        return .json(200, #"{"value":[\#(messageJSON(5)),\#(messageJSON(4))],"nextLink":"\#(link("p2"))"}"#)
    }
}

@Suite(.timeLimit(.minutes(1))) struct PagingTests {
    @Test func itemsFollowNextLinksAcrossPages() async throws {
        try await withChatClient(script: messagePages()) { client, server in
            let thread = client.chatThreadClient(threadID: "19:abc@thread.v2")
            var ids: [String] = []
            for try await message in thread.listMessages(resultsPerPage: 2) { ids.append(message.sequenceID) }
            #expect(ids == ["5", "4", "3", "2", "1"])
            let requests = server.requests
            #expect(requests.count == 3)
            #expect(requests[0].path == "/chat/threads/19%3Aabc%40thread.v2/messages")
            #expect(requests[0].query == "maxPageSize=2&api-version=2024-03-07")
            #expect(requests[1].path == "/chat/threads/19:abc@thread.v2/messages")
            // The link's own query is kept verbatim, with our api-version replacing the link's.
            #expect(requests[1].query == "syncState=p2&startTime=0&maxPageSize=2&api-version=2024-03-07")
        }
    }

    @Test func pagesExposeContinuationTokensAndResume() async throws {
        try await withChatClient(script: messagePages()) { client, server in
            let messages = client.chatThreadClient(threadID: "19:abc@thread.v2").listMessages()
            var pages: [ChatPage<ChatMessage>] = []
            for try await page in messages.pages { pages.append(page) }
            #expect(pages.map { $0.items.map(\.sequenceID) } == [["5", "4"], ["3", "2"], ["1"]])
            #expect(pages[0].continuationToken?.contains("syncState=p2") == true)
            #expect(pages[2].continuationToken == nil)

            // A caller saved the first page's token; resuming fetches pages 2 and 3 only.
            let token = try #require(pages[0].continuationToken)
            let before = server.requestCount
            var resumed: [String] = []
            for try await page in messages.pages(continuingFrom: token) {
                resumed += page.items.map(\.sequenceID)
            }
            #expect(resumed == ["3", "2", "1"])
            #expect(server.requestCount == before + 2)
            #expect(server.requests[before].query?.hasPrefix("syncState=p2") == true)
        }
    }

    @Test func linksToOtherHostsAreRebasedOntoTheEndpoint() async throws {
        try await withChatClient { request, _ in
            request.query?.contains("cursor=2") == true
                ? .json(200, #"{"value":[]}"#)
                : .json(200, #"{"value":[],"nextLink":"https://attacker.invalid/chat/threads?cursor=2"}"#)
        } _: { client, server in
            var count = 0
            for try await _ in client.listChatThreads() { count += 1 }
            #expect(count == 0)
            #expect(server.requestCount == 2)
            #expect(server.requests[1].path == "/chat/threads")
            #expect(server.requests[1].header("Authorization")?.hasPrefix("Bearer ") == true)
        }
    }

    @Test func relativeLinksAndSkipPaging() async throws {
        try await withChatClient { request, _ in
            let participant =
                #"{"communicationIdentifier":{"rawId":"8:acs:r_u","communicationUser":{"id":"8:acs:r_u"}}}"#
            return request.query?.contains("skip=2") == true
                ? .json(200, #"{"value":[\#(participant)]}"#)
                : .json(
                    200,
                    #"{"value":[\#(participant),\#(participant)],"nextLink":"/chat/threads/t/participants?skip=2&maxPageSize=2&api-version=2024-03-07"}"#
                )
        } _: { client, server in
            var count = 0
            for try await participant in client.chatThreadClient(threadID: "t").listParticipants(resultsPerPage: 2) {
                #expect(participant.identifier == .communicationUser(id: "8:acs:r_u"))
                count += 1
            }
            #expect(count == 3)
            #expect(
                server.requests[1].uri == "/chat/threads/t/participants?skip=2&maxPageSize=2&api-version=2024-03-07"
            )
        }
    }

    @Test func aRepeatedNextLinkStopsPaging() async throws {
        try await withChatClient { _, _ in
            .json(200, #"{"value":[],"nextLink":"/chat/threads?cursor=same"}"#)
        } _: { client, server in
            let error = await #expect(throws: ChatServiceError.self) {
                for try await _ in client.listChatThreads() {}
            }
            #expect(error?.code == .malformedResponse)
            #expect(server.requestCount == 2)
        }
    }

    @Test func cancelledIterationSendsNothing() async throws {
        try await withChatClient { _, _ in
            .json(200, #"{"value":[]}"#)
        } _: { client, server in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    withUnsafeCurrentTask { $0?.cancel() }
                    await #expect(throws: CancellationError.self) {
                        for try await _ in client.listChatThreads() {}
                    }
                }
                try await group.waitForAll()
            }
            #expect(server.requestCount == 0)
        }
    }
}
