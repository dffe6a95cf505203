import ChatEmulator
import Foundation
import NIOHTTP1
import Testing

@Suite(.timeLimit(.minutes(1)))
struct SeedAndFaultTests {
    struct Snapshot: Equatable {
        var users: [SeededUser]
        var threads: [String]
        var counts: [Int]
        var firstPage: String
    }

    private func snapshot(_ plan: SeedPlan) async throws -> Snapshot {
        try await ChatEmulator.withRunning(.init(seed: plan)) { emulator in
            try await EmulatorClient.with(emulator) { client in
                let threads = await emulator.threadIDs()
                var counts: [Int] = []
                for thread in threads { counts.append(await emulator.messageCount(threadID: thread) ?? -1) }
                let member = try #require(await emulator.participantIDs(threadID: threads[0])?.first)
                let token = try await emulator.issueToken(for: member)
                let page = try await client.send(
                    .GET,
                    EmulatorClient.path(threads[0]) + "/messages?api-version=2024-03-07",
                    token: token
                )
                let text = String(decoding: page.body, as: UTF8.self)
                    .replacingOccurrences(of: "localhost:\(emulator.port)", with: "HOST")
                return Snapshot(users: emulator.seededUsers, threads: threads, counts: counts, firstPage: text)
            }
        }
    }

    @Test func seedingIsDeterministicAndCountsAreExact() async throws {
        let plan = SeedPlan(threads: 7, totalMessages: 1_003, seed: 42)
        let first = try await snapshot(plan)
        let second = try await snapshot(plan)
        #expect(first == second)
        #expect(first.counts.reduce(0, +) == 1_003)
        #expect(first.threads.count == 7)
        #expect(Set(first.users.map(\.rawID)).count == first.users.count)
        let other = try await snapshot(SeedPlan(threads: 7, totalMessages: 1_003, seed: 43))
        #expect(other.threads != first.threads)
    }

    @Test func seededContentIsRealistic() async throws {
        try await ChatEmulator.withRunning(.init(seed: SeedPlan(threads: 20, messagesPerThread: 300, seed: 9))) {
            emulator in
            try await EmulatorClient.with(emulator) { client in
                var bodies = ""
                var types: Set<String> = []
                var edited = 0
                var deleted = 0
                for thread in await emulator.threadIDs() {
                    guard let member = await emulator.participantIDs(threadID: thread)?.first else { continue }
                    let token = try await emulator.issueToken(for: member)
                    let reply = try await client.send(
                        .GET,
                        EmulatorClient.path(thread) + "/messages?maxPageSize=200&api-version=2024-03-07",
                        token: token
                    )
                    bodies += String(decoding: reply.body, as: UTF8.self)
                    for item in reply.json["value"] as? [[String: Any]] ?? [] {
                        types.insert(item["type"] as? String ?? "")
                        if item["editedOn"] != nil { edited += 1 }
                        if item["deletedOn"] != nil { deleted += 1 }
                    }
                }
                #expect(
                    types.isSuperset(of: ["text", "html", "topicUpdated", "participantAdded", "participantRemoved"])
                )
                for needle in [
                    "会議", "東京", "資料", "予定", "<msft-mention", "schema.skype.com/Mention", "<script>", "onerror=",
                    "javascript:", "<img ", "<a href", "<code>", "<li>",
                ] {
                    #expect(bodies.contains(needle), "missing \(needle)")
                }
                #expect(edited > 0 && deleted > 0)
                #expect(
                    emulator.seededUsers.contains {
                        $0.displayName.unicodeScalars.contains { $0.properties.isEmojiPresentation }
                    }
                )
            }
        }
    }

    @Test func faultPlansParseAndRejectClearly() throws {
        let plan = try FaultPlan(parsing: "429=0.05,503=0.02,reset=0.01,latency=20ms,seed=7")
        #expect(plan.throttleRate == 0.05)
        #expect(plan.unavailableRate == 0.02)
        #expect(plan.resetRate == 0.01)
        #expect(plan.latency == .milliseconds(20))
        #expect(plan.seed == 7)
        for bad in ["429=2", "418=0.1", "latency=fast", "seed=-1", "429", "429=0.6,503=0.6", "429=0.1,429=0.2", ""] {
            #expect(throws: EmulatorError.self) { _ = try FaultPlan(parsing: bad) }
        }
    }

    @Test func faultsAreDeterministicPerSeed() async throws {
        func statuses() async throws -> [Int] {
            try await ChatEmulator.withRunning(.init(faults: try FaultPlan(parsing: "429=0.3,503=0.2,seed=11"))) {
                emulator in
                try await EmulatorClient.with(emulator) { client in
                    let alice = await emulator.createUser()
                    let token = try await emulator.issueToken(for: alice)
                    var result: [Int] = []
                    for _ in 0..<40 {
                        let reply = try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: token)
                        if reply.status == 429 || reply.status == 503 {
                            #expect(
                                reply.headers["Retry-After"].first.flatMap(Int.init).map { (0...1).contains($0) }
                                    == true
                            )
                        } else {
                            #expect(reply.headers["Retry-After"].isEmpty)
                        }
                        result.append(reply.status)
                    }
                    await emulator.setFaults(nil)
                    #expect(
                        try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: token).status == 200
                    )
                    return result
                }
            }
        }
        let first = try await statuses()
        #expect(first == (try await statuses()))
        #expect(first.contains(429) && first.contains(503) && first.contains(200))
    }

    @Test func resetsDropTheConnectionMidResponse() async throws {
        try await ChatEmulator.withRunning(.init(faults: FaultPlan(resetRate: 1))) { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = await emulator.createUser()
                let token = try await emulator.issueToken(for: alice)
                await #expect(throws: (any Error).self) {
                    _ = try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: token)
                }
            }
        }
    }

    @Test(arguments: ResponseCorruption.allCases)
    func corruptedThreadsReturnUndecodableBodies(mode: ResponseCorruption) async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let alice = try await client.makeUser()
                let threadID = try await client.createThread(token: alice.token)
                await emulator.corruptResponses(threadID: threadID, mode: mode)
                let reply = try await client.send(
                    .GET,
                    EmulatorClient.path(threadID) + "/messages?api-version=2024-03-07",
                    token: alice.token
                )
                #expect(reply.status == 200)
                let items = reply.json["value"] as? [[String: Any]]
                #expect(items?.first?["sequenceId"] as? String == nil)
                await emulator.corruptResponses(threadID: threadID, mode: nil)
                let clean = try await client.send(
                    .GET,
                    EmulatorClient.path(threadID) + "/messages?api-version=2024-03-07",
                    token: alice.token
                )
                #expect((clean.json["value"] as? [[String: Any]])?.count == 2)
            }
        }
    }
}
