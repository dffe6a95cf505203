import Foundation
import Synchronization
import Testing

@testable import ACSChat

/// Records the waits the retry policy asks for instead of sleeping.
final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])
    var recorded: [Duration] { waits.withLock { $0 } }

    func policy(maxAttempts: Int = 4, maxRetryAfter: Duration = .seconds(120)) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, maxRetryAfter: maxRetryAfter) { [self] duration in
            waits.withLock { $0.append(duration) }
        }
    }
}

enum JWT {
    /// A JWT-shaped token whose payload is `claims` in base64url (or standard base64) without padding.
    static func make(claims: String, urlSafe: Bool = true) -> String {
        var payload = Data(claims.utf8).base64EncodedString()
        if urlSafe {
            payload = payload.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        payload = payload.replacingOccurrences(of: "=", with: "")
        return "eyJhbGciOiJIUzI1NiJ9.\(payload).c2lnbmF0dXJl"
    }

    /// A token expiring `secondsFromNow` from now.
    static func expiring(in secondsFromNow: TimeInterval, marker: String = "u") -> String {
        let exp = Int(Date().timeIntervalSince1970 + secondsFromNow)
        return make(claims: #"{"skypeid":"acs:\#(marker)","exp":\#(exp)}"#)
    }
}

/// Runs `body` against a scripted server with a fresh chat client, shutting both down on every path.
func withChatClient<T>(
    credential: CommunicationTokenCredential? = nil,
    options: ChatClientOptions = ChatClientOptions(retryPolicy: .none),
    script: @escaping ScriptedServer.Script,
    _ body: (ChatClient, ScriptedServer) async throws -> T
) async throws -> T {
    let credential = try credential ?? CommunicationTokenCredential(token: JWT.expiring(in: 3600))
    return try await ScriptedServer.withRunning(script) { url, server in
        try await ChatClient.withClient(endpoint: url, credential: credential, options: options) { client in
            try await body(client, server)
        }
    }
}

/// The spec files in `../shared/specs` next to the repository (present in CI too).
enum SpecFiles {
    static var directory: URL {
        // Resolve symlinks: a dev package may link this folder in from the repository.
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // ACSChatTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .deletingLastPathComponent()
            .appendingPathComponent("shared/specs")
    }

    static func load(_ name: String) throws -> [String: Any] {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("spec file missing: \(url.path) (expected the repository's sibling ../shared/specs)")
            throw CocoaError(.fileNoSuchFile)
        }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(object as? [String: Any], "\(name) is not a JSON object")
    }
}

/// Fixed JSON helpers.
func jsonString(_ object: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}
