import ChatEmulator
import Foundation
import NIOHTTP1
import Testing

@Test func scratchResetTiming() async throws {
    let clock = ContinuousClock()
    let start = clock.now
    try await ChatEmulator.withRunning(.init(faults: FaultPlan(resetRate: 1))) { emulator in
        try await EmulatorClient.with(emulator) { client in
            let alice = await emulator.createUser()
            let token = try await emulator.issueToken(for: alice)
            print("T before send", clock.now - start)
            do { _ = try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: token) } catch { print("T error", clock.now - start, error) }
        }
        print("T after client shutdown", clock.now - start)
    }
    print("T after emulator", clock.now - start)
}
