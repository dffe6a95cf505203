/// How to run an emulator: where to listen, which key signs requests, what to seed and which faults to inject.
public struct EmulatorConfiguration: Sendable {
    /// The error body shape for 4xx/5xx responses.
    public enum ErrorShape: String, Sendable, CaseIterable {
        /// The REST spec's `{"error":{"code","message"}}`.
        case spec
        /// The live service's `{"CommunicationError":{"Code","Message","Details":[]}}`.
        case live
    }

    /// The address to bind; the endpoint always names `localhost`.
    public var host: String
    /// The port to bind; 0 picks a free one (read it from ``RunningEmulator/port``).
    public var port: Int
    /// The base64 access key that identity requests are signed with; generated when nil.
    public var accessKey: String?
    /// The workspace to build before serving, if any.
    public var seed: SeedPlan?
    /// Faults to inject from the start; can be changed later with ``RunningEmulator/setFaults(_:)``.
    public var faults: FaultPlan?
    public var errorShape: ErrorShape

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        accessKey: String? = nil,
        seed: SeedPlan? = nil,
        faults: FaultPlan? = nil,
        errorShape: ErrorShape = .spec
    ) {
        self.host = host
        self.port = port
        self.accessKey = accessKey
        self.seed = seed
        self.faults = faults
        self.errorShape = errorShape
    }
}

/// A deterministic workspace to seed: the same plan always yields the same users, threads and messages.
public struct SeedPlan: Sendable, Hashable {
    public var threads: Int
    /// Every message of every thread, system messages included; spread as evenly as possible over the threads.
    public var totalMessages: Int
    public var seed: UInt64

    /// Seeds `threads` threads holding `totalMessages` messages in all (at least 2 per thread, because creating
    /// a thread writes `participantAdded` and `topicUpdated`).
    public init(threads: Int, totalMessages: Int, seed: UInt64 = 1) {
        self.threads = threads
        self.totalMessages = totalMessages
        self.seed = seed
    }

    /// Seeds `threads` threads of `messagesPerThread` messages each.
    public init(threads: Int, messagesPerThread: Int, seed: UInt64 = 1) {
        self.init(threads: threads, totalMessages: threads * messagesPerThread, seed: seed)
    }

    /// Throws ``EmulatorError/Code/invalidConfiguration`` unless the plan can be built.
    public func validate() throws {
        guard threads >= 1, threads <= 1_000_000 else {
            throw EmulatorError(code: .invalidConfiguration, message: "seed threads must be between 1 and 1000000")
        }
        guard totalMessages >= 2 * threads, totalMessages <= 20_000_000 else {
            throw EmulatorError(
                code: .invalidConfiguration,
                message:
                    "seed messages must be at least 2 per thread (create writes 2 system messages) and at most 20000000"
            )
        }
    }
}

/// A user created by seeding, for tests and `--seed-out`.
public struct SeededUser: Sendable, Hashable, Codable {
    public var rawID: String
    public var displayName: String

    public init(rawID: String, displayName: String) {
        self.rawID = rawID
        self.displayName = displayName
    }

    enum CodingKeys: String, CodingKey {
        case rawID = "rawId"
        case displayName
    }
}

/// How to damage the responses for one thread, so clients can be tested against malformed service output.
public enum ResponseCorruption: String, Sendable, CaseIterable {
    /// The JSON body is cut in half (the HTTP response itself is complete).
    case truncatedJSON
    /// Well-formed JSON whose fields have the wrong types (numbers for strings, and so on).
    case wrongTypes
    /// Invalid UTF-8 bytes inside a string value.
    case invalidUTF8
}
