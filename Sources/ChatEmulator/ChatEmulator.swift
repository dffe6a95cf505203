import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Runs the ACS Chat + Identity emulator over HTTPS, in-process or in the foreground.
///
/// Follows Hummingbird's live test framework: the application runs in a `ServiceGroup` inside a task group, the
/// bound port comes from `onServerRunning`, and the group shuts down gracefully when the body returns or throws.
public enum ChatEmulator {
    /// Starts an emulator, runs `body` with it, then shuts it down (also when `body` throws).
    public static func withRunning<T: Sendable>(
        _ configuration: EmulatorConfiguration = .init(),
        _ body: (RunningEmulator) async throws -> T
    ) async throws -> T {
        try await serve(configuration, shutdownSignals: []) { emulator, _ in
            try await body(emulator)
        }
    }

    /// Serves in the foreground until SIGINT or SIGTERM, calling `onReady` once it is listening.
    public static func runUntilSignalled(
        _ configuration: EmulatorConfiguration,
        onReady: (RunningEmulator) async throws -> Void
    ) async throws {
        try await serve(configuration, shutdownSignals: [.sigterm, .sigint]) { emulator, serverDone in
            try await onReady(emulator)
            try await serverDone()
        }
    }

    /// Builds the state (seeding if asked) and the TLS server, runs it, and hands the running emulator over.
    private static func serve<T: Sendable>(
        _ configuration: EmulatorConfiguration,
        shutdownSignals: [UnixSignal],
        _ body: (RunningEmulator, _ waitForServer: () async throws -> Void) async throws -> T
    ) async throws -> T {
        let accessKey = configuration.accessKey ?? Credentials.generateAccessKey()
        let credentials = try Credentials(accessKey: accessKey)
        let workspace: Workspace
        var seededUsers: [SeededUser] = []
        if let plan = configuration.seed {
            try plan.validate()
            workspace = Seeder(plan: plan).makeWorkspace()
            seededUsers = workspace.users.map { SeededUser(rawID: $0.rawID, displayName: $0.displayName ?? "") }
        } else {
            var generator = SystemRandomNumberGenerator()
            workspace = Workspace(resourceID: Identifiers.uuid(using: &generator))
        }
        let state = EmulatorState(workspace: workspace, credentials: credentials)
        let faults = FaultInjector(plan: configuration.faults)
        let certificate = try EmulatorCertificate()
        let responder = EmulatorResponder(
            state: state,
            credentials: credentials,
            faults: faults,
            errorShape: configuration.errorShape
        )
        // Silent: stdout carries only the CLI's ready line, and injected resets would otherwise log errors.
        let logger = Logger(label: "chat-archive.emulator", factory: { _ in SwiftLogNoOpLogHandler() })
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server: HTTPServerBuilder
        do {
            server = try .tls(.http1(), tlsConfiguration: certificate.makeServerTLSConfiguration())
        } catch {
            throw EmulatorError(code: .certificate, message: "cannot configure TLS", underlying: error)
        }
        let app = Application(
            responder: responder,
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil
            ),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let serviceGroup = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: shutdownSignals, logger: logger)
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await serviceGroup.run()
            }
            var ports = portStream.makeAsyncIterator()
            guard let port = await ports.next(), port > 0 else {
                await serviceGroup.triggerGracefulShutdown()
                var reason = "the server stopped before listening"
                do { try await group.waitForAll() } catch { reason = "\(error)" }
                throw EmulatorError(
                    code: .serverStart,
                    message: "cannot listen on \(configuration.host):\(configuration.port): \(reason)"
                )
            }
            let emulator = RunningEmulator(
                port: port,
                accessKey: accessKey,
                certificatePEM: certificate.authorityPEM,
                seededUsers: seededUsers,
                state: state,
                faults: faults
            )
            do {
                let value = try await body(emulator) {
                    _ = try await group.next()
                }
                await serviceGroup.triggerGracefulShutdown()
                try await group.waitForAll()
                return value
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}
