import ArgumentParser
import ChatEmulator
import Foundation

extension ChatArchive {
    /// Serves the ACS Chat + Identity emulator in the foreground until SIGINT or SIGTERM.
    struct Emulator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a local ACS Chat + Identity emulator over HTTPS.",
            discussion: """
                Serves the ACS Chat and Identity REST APIs with a self-signed certificate for localhost, 127.0.0.1 \
                and ::1 (write the root certificate with --cert-out and trust it, e.g. REQUESTS_CA_BUNDLE for the \
                Python SDK). When listening it prints one line to stdout:
                  ready endpoint=https://localhost:PORT/;accesskey=KEY
                and runs until SIGINT or SIGTERM. --seed-messages counts every message in the workspace, system \
                messages included, spread over --seed-threads threads.
                """
        )

        @Option(help: "The address to bind.")
        var host = "127.0.0.1"

        @Option(help: "The port to bind (0 picks a free port; the ready line tells which).")
        var port = 8443

        @Option(name: .customLong("access-key"), help: "The base64 access key (generated when absent).")
        var accessKey: String?

        @Option(name: .customLong("cert-out"), help: "Write the root certificate (PEM) clients must trust here.")
        var certOut: String?

        @Option(name: .customLong("seed-threads"), help: "Seed this many threads.")
        var seedThreads: Int?

        @Option(name: .customLong("seed-messages"), help: "Seed this many messages in all (with --seed-threads).")
        var seedMessages: Int?

        @Option(help: "The seed for deterministic seeding.")
        var seed: UInt64 = 1

        @Option(name: .customLong("seed-out"), help: "Write the seeded users as {\"users\":[{rawId,displayName}]}.")
        var seedOut: String?

        @Option(help: "Inject faults, e.g. 429=0.05,503=0.02,reset=0.01,latency=20ms,seed=7.")
        var faults: String?

        @Option(
            name: .customLong("error-shape"),
            help: "Error bodies: spec ({\"error\":…}) or live ({\"CommunicationError\":…})."
        )
        var errorShape = "spec"

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
            guard (seedThreads == nil) == (seedMessages == nil) else {
                throw ValidationError("--seed-threads and --seed-messages go together.")
            }
            if let plan = try seedPlan() {
                do { try plan.validate() } catch let error as EmulatorError { throw ValidationError(error.message) }
            }
            if let faults {
                do { _ = try FaultPlan(parsing: faults) } catch let error as EmulatorError {
                    throw ValidationError(error.message)
                }
            }
            guard EmulatorConfiguration.ErrorShape(rawValue: errorShape) != nil else {
                throw ValidationError("--error-shape must be spec or live.")
            }
            if let accessKey, Data(base64Encoded: accessKey).map({ $0.count >= 16 }) != true {
                throw ValidationError("--access-key must be standard base64 of at least 16 bytes.")
            }
        }

        private func seedPlan() throws -> SeedPlan? {
            guard let seedThreads, let seedMessages else { return nil }
            return SeedPlan(threads: seedThreads, totalMessages: seedMessages, seed: seed)
        }

        func run() async throws {
            let configuration = EmulatorConfiguration(
                host: host,
                port: port,
                accessKey: accessKey,
                seed: try seedPlan(),
                faults: try faults.map { try FaultPlan(parsing: $0) },
                errorShape: EmulatorConfiguration.ErrorShape(rawValue: errorShape) ?? .spec
            )
            try await ChatEmulator.runUntilSignalled(configuration) { emulator in
                if let certOut {
                    try Data(emulator.certificatePEM.utf8).write(to: URL(fileURLWithPath: certOut), options: .atomic)
                }
                if let seedOut {
                    struct SeedFile: Encodable { var users: [SeededUser] }
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    let data = try encoder.encode(SeedFile(users: emulator.seededUsers))
                    try data.write(to: URL(fileURLWithPath: seedOut), options: .atomic)
                }
                // One unbuffered write: scripts block on this line, so it must not sit in a stdio buffer.
                FileHandle.standardOutput.write(Data("ready \(emulator.connectionString)\n".utf8))
            }
        }
    }
}
