public import Foundation

/// A listening emulator: how to reach it, and in-process controls for tests.
///
/// Valid only inside ``ChatEmulator/withRunning(_:_:)``. Controls go through the emulator's state actor, so they
/// are ordered with the HTTP requests around them.
public struct RunningEmulator: Sendable {
    public let port: Int
    /// The base64 key identity requests are signed with. Never log it.
    public let accessKey: String
    /// The PEM of the root certificate clients must trust.
    public let certificatePEM: String
    /// The users seeding created, in creation order (empty without a seed plan).
    public let seededUsers: [SeededUser]
    let state: EmulatorState
    let faults: FaultInjector

    init(
        port: Int,
        accessKey: String,
        certificatePEM: String,
        seededUsers: [SeededUser],
        state: EmulatorState,
        faults: FaultInjector
    ) {
        self.port = port
        self.accessKey = accessKey
        self.certificatePEM = certificatePEM
        self.seededUsers = seededUsers
        self.state = state
        self.faults = faults
    }

    /// `https://localhost:PORT/`.
    public var endpoint: URL { URL(string: "https://localhost:\(port)/")! }

    /// `endpoint=https://localhost:PORT/;accesskey=KEY`, as the Azure SDKs parse it. Contains the key.
    public var connectionString: String { "endpoint=\(endpoint.absoluteString);accesskey=\(accessKey)" }

    /// Creates an ACS user and returns its raw id (`8:acs:…`).
    public func createUser(displayName: String? = nil) async -> String {
        await state.createUser(displayName: displayName)
    }

    /// Mints a chat token for `rawID`, valid until `expiresOn` (default 24 h; a past date makes an expired token).
    public func issueToken(for rawID: String, expiresOn: Date? = nil) async throws -> String {
        let expires = expiresOn.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) }
        do {
            return try await state.issueToken(rawID: rawID, expiresAtMs: expires).token
        } catch {
            throw EmulatorError(code: .notFound, message: "no such user")
        }
    }

    /// Revokes every token issued to `rawID` so far; later requests with them get 401.
    public func revokeTokens(for rawID: String) async {
        try? await state.revokeTokens(rawID: rawID)
    }

    /// Replaces the fault plan (nil switches faults off); the plan's random sequence restarts.
    public func setFaults(_ plan: FaultPlan?) async {
        faults.setPlan(plan)
    }

    /// Makes every GET under `threadID` return damaged bodies in `mode`, or normal ones again when nil.
    public func corruptResponses(threadID: String, mode: ResponseCorruption?) async {
        await state.setCorruption(threadID: threadID, mode: mode)
    }

    /// How many messages (system, deleted and edited ones included) a thread holds, or nil if it does not exist.
    public func messageCount(threadID: String) async -> Int? {
        await state.messageCount(threadID: threadID)
    }

    /// Messages across all threads.
    public func totalMessageCount() async -> Int {
        await state.totalMessageCount()
    }

    /// Every thread id, deleted threads included, in creation order.
    public func threadIDs() async -> [String] {
        await state.threadIDs()
    }

    /// The raw ids of a thread's current participants, or nil if it does not exist.
    public func participantIDs(threadID: String) async -> [String]? {
        await state.participantIDs(threadID: threadID)
    }
}
