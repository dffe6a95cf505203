import ChatEmulator
import Foundation
import NIOHTTP1
import Testing

@Suite(.timeLimit(.minutes(1)))
struct PagingTests {
    @Test(arguments: [1, 2, 3, 200])
    func messagesPageNewestFirstWithAbsoluteNextLinks(pageSize: Int) async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                let threadID = try await client.createThread(token: alice.token)
                let path = EmulatorClient.path(threadID)
                for number in 1...5 {
                    let sent = try await client.send(
                        .POST,
                        path + "/messages?api-version=2024-03-07",
                        token: alice.token,
                        json: #"{"content":"m\#(number)"}"#
                    )
                    #expect(sent.status == 201)
                }
                var url: String? = client.origin + path + "/messages?maxPageSize=\(pageSize)&api-version=2024-03-07"
                var sequence: [Int] = []
                var pages = 0
                while let next = url {
                    let reply = try await client.sendURL(.GET, next, token: alice.token)
                    #expect(reply.status == 200)
                    let items = try #require(reply.json["value"] as? [[String: Any]])
                    #expect(items.count <= pageSize)
                    sequence += items.compactMap { Int($0["sequenceId"] as? String ?? "") }
                    url = reply.json["nextLink"] as? String
                    if let link = url {
                        #expect(link.hasPrefix(client.origin + "/chat/threads/"))
                        let state = try #require(
                            URLComponents(string: link)?.queryItems?.first { $0.name == "syncState" }?.value
                        )
                        #expect(state.allSatisfy { $0.isLetter || $0.isNumber || "._~-".contains($0) })
                    }
                    pages += 1
                }
                #expect(sequence == [7, 6, 5, 4, 3, 2, 1])
                #expect(pages == (7 + pageSize - 1) / pageSize)
            }
        }
    }

    @Test func startTimeIsALowerBoundOnCreatedOn() async throws {
        try await ChatEmulator.withRunning(.init(seed: SeedPlan(threads: 1, totalMessages: 50, seed: 3))) { emulator in
            try await EmulatorClient.with(emulator) { client in
                let threadID = try #require(await emulator.threadIDs().first)
                let member = try #require(await emulator.participantIDs(threadID: threadID)?.first)
                let token = try await emulator.issueToken(for: member)
                let path = EmulatorClient.path(threadID) + "/messages"
                let all = try await client.send(.GET, path + "?maxPageSize=200&api-version=2024-03-07", token: token)
                let items = try #require(all.json["value"] as? [[String: Any]])
                let middle = try #require(items[items.count / 2]["createdOn"] as? String)
                let query = middle.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let bounded = try await client.send(
                    .GET,
                    path + "?startTime=\(query)&maxPageSize=200&api-version=2024-03-07",
                    token: token
                )
                let kept = try #require(bounded.json["value"] as? [[String: Any]])
                #expect(!kept.isEmpty && kept.count < items.count)
                #expect(kept.allSatisfy { ($0["createdOn"] as? String ?? "") >= middle })
            }
        }
    }

    @Test func participantsPageWithSkip() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                var others: [String] = []
                for _ in 0..<4 { others.append(await emulator.createUser()) }
                let threadID = try await client.createThread(token: alice.token, participants: others)
                let path = EmulatorClient.path(threadID)
                let first = try await client.send(
                    .GET,
                    path + "/participants?maxPageSize=2&skip=1&api-version=2024-03-07",
                    token: alice.token
                )
                #expect((first.json["value"] as? [Any])?.count == 2)
                let next = try #require(first.json["nextLink"] as? String)
                #expect(next.contains("skip=3"))
                let second = try await client.sendURL(.GET, next, token: alice.token)
                #expect((second.json["value"] as? [Any])?.count == 2)
                #expect(second.json["nextLink"] == nil)
                let capped = try await client.send(
                    .GET,
                    path + "/participants?maxPageSize=0&api-version=2024-03-07",
                    token: alice.token
                )
                #expect(capped.status == 400)
                let empty = try await client.send(
                    .GET,
                    path + "/readReceipts?api-version=2024-03-07",
                    token: alice.token
                )
                #expect(empty.status == 200)
                #expect((empty.json["value"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func threadsPageAcrossTheWholeList() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                var created: Set<String> = []
                for number in 0..<5 {
                    created.insert(try await client.createThread(token: alice.token, topic: "t\(number)"))
                }
                var url: String? = client.origin + "/chat/threads?maxPageSize=2&api-version=2024-03-07"
                var seen: [String] = []
                while let next = url {
                    let reply = try await client.sendURL(.GET, next, token: alice.token)
                    seen += (reply.json["value"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    url = reply.json["nextLink"] as? String
                }
                #expect(Set(seen) == created)
                #expect(seen.count == 5)
            }
        }
    }
}
