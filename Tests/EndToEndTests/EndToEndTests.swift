import ChatEmulator
import Foundation
import Testing

/// The CLI against an in-process emulator over HTTPS, as a user would run it: real files, real exit codes.
@Suite(.timeLimit(.minutes(5)))
struct EndToEndTests {
    /// A temporary directory with the emulator's CA certificate and a users file in it.
    struct Workspace {
        let directory: URL
        let caCert: String
        let usersFile: String
        let connectionString: String
        var archive: String { directory.appendingPathComponent("archive.sqlite").path }

        init(emulator: RunningEmulator) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            caCert = directory.appendingPathComponent("ca.pem").path
            try emulator.certificatePEM.write(toFile: caCert, atomically: true, encoding: .utf8)
            usersFile = directory.appendingPathComponent("users.txt").path
            try emulator.seededUsers.map(\.rawID).joined(separator: "\n").write(
                toFile: usersFile,
                atomically: true,
                encoding: .utf8
            )
            connectionString = emulator.connectionString
        }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        func syncArguments(archive: String? = nil, extra: [String] = []) -> [String] {
            [
                "sync", "--archive", archive ?? self.archive, "--connection-string", connectionString,
                "--users-file", usersFile, "--ca-cert", caCert,
            ] + extra
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }

        /// Runs the CLI and checks that neither the access key nor any token appears in what it printed.
        func run(_ arguments: [String]) async throws -> CLI.Result {
            let result = try await CLI.run(arguments)
            for (name, output) in [("stdout", result.stdout), ("stderr", result.stderr)] {
                #expect(!output.contains(accessKey), "the access key leaked to \(name)")
                #expect(!output.contains("eyJ"), "a token leaked to \(name)")
            }
            return result
        }

        var accessKey: String {
            connectionString.components(separatedBy: "accesskey=").last ?? connectionString
        }
    }

    /// Runs `body` with a fresh emulator and a workspace for it, removed afterwards.
    static func withWorkspace(
        _ configuration: EmulatorConfiguration,
        _ body: (RunningEmulator, Workspace) async throws -> Void
    ) async throws {
        try await ChatEmulator.withRunning(configuration) { emulator in
            let workspace = try Workspace(emulator: emulator)
            defer { workspace.remove() }
            try await body(emulator, workspace)
        }
    }

    static func jsonObject(_ line: String) throws -> [String: Any] {
        let data = Data(line.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func syncStatsVerifyAndExportThroughTheCommandLine() async throws {
        let plan = SeedPlan(threads: 5, messagesPerThread: 40, seed: 21)
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan)) { emulator, workspace in
            let total = await emulator.totalMessageCount()

            let sync = try await workspace.run(workspace.syncArguments(extra: ["--json"]))
            #expect(sync.status == 0, "\(sync.stderr)")
            let summary = try Self.jsonObject(sync.stdout)
            for key in ["threads", "messagesNew", "revisionsNew", "failedThreads", "seconds"] {
                #expect(summary[key] != nil, "sync --json lacks \(key)")
            }
            #expect(summary["messagesNew"] as? Int == total)
            #expect(summary["failedThreads"] as? Int == 0)

            let mode = try FileManager.default.attributesOfItem(atPath: workspace.archive)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let stats = try await workspace.run(["stats", "--archive", workspace.archive, "--json"])
            #expect(stats.status == 0)
            let counts = try Self.jsonObject(stats.stdout)
            for key in [
                "schemaVersion", "threads", "messages", "revisions", "editedMessages", "deletedMessages",
                "participants", "readReceipts", "syncRuns",
            ] {
                #expect(counts[key] != nil, "stats --json lacks \(key)")
            }
            #expect(counts["messages"] as? Int == total)
            #expect(counts["syncRuns"] as? Int == 1)

            let again = try await workspace.run(workspace.syncArguments(extra: ["--json"]))
            #expect(again.status == 0)
            #expect(try Self.jsonObject(again.stdout)["messagesNew"] as? Int == 0)

            let verify = try await workspace.run(["verify", "--archive", workspace.archive])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

            for format in ["json", "jsonl", "markdown", "mbox", "html"] {
                let first = workspace.path("export-\(format)-1")
                let second = workspace.path("export-\(format)-2")
                for out in [first, second] {
                    let export = try await workspace.run([
                        "export", "--archive", workspace.archive, "--format", format, "--out", out, "--with-history",
                    ])
                    #expect(export.status == 0, "\(format): \(export.stderr)")
                }
                let names = try FileManager.default.contentsOfDirectory(atPath: first).sorted()
                #expect(names.contains("manifest.json"))
                #expect(names.count == plan.threads + 1)
                #expect(!names.contains { $0.hasSuffix(".partial") })
                for name in names {
                    let lhs = try Data(contentsOf: URL(fileURLWithPath: first).appendingPathComponent(name))
                    let rhs = try Data(contentsOf: URL(fileURLWithPath: second).appendingPathComponent(name))
                    #expect(lhs == rhs, "\(format)/\(name) differs between two exports")
                }
            }

            // The access key and tokens never reach outputs or the archive.
            let archiveBytes = try Data(contentsOf: URL(fileURLWithPath: workspace.archive))
            #expect(archiveBytes.range(of: Data(emulator.accessKey.utf8)) == nil)
            let exported =
                FileManager.default.enumerator(atPath: workspace.directory.path)?.allObjects as? [String] ?? []
            for name in exported where name.hasPrefix("export-") && name.contains("/") {
                let bytes = try Data(contentsOf: workspace.directory.appendingPathComponent(name))
                #expect(bytes.range(of: Data(emulator.accessKey.utf8)) == nil, "\(name)")
                #expect(bytes.range(of: Data("eyJ".utf8)) == nil, "\(name)")
            }
        }
    }

    @Test func badInputGivesOneClearLineAndANonZeroExit() async throws {
        let missing = try await CLI.run(["stats", "--archive", "/nonexistent/archive.sqlite"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no archive at /nonexistent/archive.sqlite"))
        #expect(missing.stderr.split(separator: "\n").count == 1)

        let notAnArchive = FileManager.default.temporaryDirectory.appendingPathComponent("junk-\(UUID().uuidString)")
        try Data("this is not sqlite".utf8).write(to: notAnArchive)
        defer { try? FileManager.default.removeItem(at: notAnArchive) }
        let junk = try await CLI.run(["verify", "--archive", notAnArchive.path])
        #expect(junk.status == 1)
        #expect(junk.stderr.hasPrefix("chat-archive: error:"))

        let noCredentials = try await CLI.run(["sync", "--archive", notAnArchive.path])
        #expect(noCredentials.status == 2)
        #expect(noCredentials.stderr.contains("no credentials"))
    }

    @Test func tamperingMakesVerifyFail() async throws {
        let plan = SeedPlan(threads: 2, messagesPerThread: 20, seed: 4)
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan)) { emulator, workspace in
            #expect(try await workspace.run(workspace.syncArguments()).status == 0)
            // Someone with write access drops the append-only triggers and rewrites one revision.
            let script = """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
                    db.execute(f'DROP TRIGGER "{name}"')
                db.execute("UPDATE revisions SET text = text || ' (altered)' WHERE rowid = (SELECT max(rowid) FROM revisions)")
                db.commit()
                """
            try await Self.python(script, workspace.archive)

            let verify = try await workspace.run(["verify", "--archive", workspace.archive])
            #expect(verify.status == 1)
            #expect(verify.stdout.contains("FAIL"))
            #expect(verify.stderr.contains("failed verification"))
        }
    }

    /// SIGKILL at several moments of a sync; each time a re-run finishes the job, and the archive ends up with the
    /// same logical content as an uninterrupted sync.
    @Test func killedSyncResumesWithoutLossOrDuplicates() async throws {
        let plan = SeedPlan(threads: 24, messagesPerThread: 250, seed: 8)
        let faults = try FaultPlan(parsing: "429=0.02,503=0.01,reset=0.01,latency=2ms,seed=3")
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan, faults: faults)) { emulator, workspace in
            let reference = workspace.path("reference.sqlite")
            let full = try await workspace.run(
                workspace.syncArguments(archive: reference, extra: ["--page-size", "50"])
            )
            #expect(full.status == 0, "\(full.stderr)")

            let killed = workspace.path("killed.sqlite")
            // The kill moments are the test's input; the sync must survive any of them.
            for delay in [150, 400, 900] {
                let run = try CLI.start(workspace.syncArguments(archive: killed, extra: ["--page-size", "50"]))
                try await Task.sleep(for: .milliseconds(delay))
                run.kill()
                _ = try await run.wait()
            }
            let resumed = try await workspace.run(
                workspace.syncArguments(archive: killed, extra: ["--page-size", "50"])
            )
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try await workspace.run(["verify", "--archive", killed]).status == 0)

            let lhs = try await Self.logicalContent(of: reference, workspace: workspace)
            let rhs = try await Self.logicalContent(of: killed, workspace: workspace)
            #expect(lhs.count > 1000)
            #expect(lhs == rhs)
        }
    }

    /// The archive's jsonl export without observation times (when a row was first seen differs between runs).
    static func logicalContent(of archive: String, workspace: Workspace) async throws -> [String] {
        let out = workspace.path("content-\(UUID().uuidString).jsonl")
        let export = try await workspace.run([
            "export", "--archive", archive, "--format", "jsonl", "--single-file", "--with-history", "--out", out,
        ])
        try #require(export.status == 0, "\(export.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let data = try JSONSerialization.data(withJSONObject: withoutVolatileKeys(object), options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }.sorted()
    }

    /// Drops, at any depth, what records when and in which order rows were observed: it differs between runs.
    static func withoutVolatileKeys(_ value: Any) -> Any {
        let volatile: Set<String> = [
            "observedOn", "firstSeen", "lastSeen", "removedOn", "chainHead", "chainHeads", "hash", "prevHash",
            "exportedAt",
        ]
        if let object = value as? [String: Any] {
            return object.filter { !volatile.contains($0.key) }.mapValues(withoutVolatileKeys)
        }
        if let array = value as? [Any] { return array.map(withoutVolatileKeys) }
        return value
    }

    @Test func anArchiveFromANewerVersionIsRefusedClearly() async throws {
        let plan = SeedPlan(threads: 1, messagesPerThread: 5, seed: 2)
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan)) { emulator, workspace in
            #expect(try await workspace.run(workspace.syncArguments()).status == 0)
            try await Self.python(
                "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('PRAGMA user_version = 999'); "
                    + "db.commit()",
                workspace.archive
            )
            for command in [["stats"], ["verify"]] {
                let result = try await workspace.run(command + ["--archive", workspace.archive])
                #expect(result.status == 1)
                #expect(result.stderr.contains("newer"), "\(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1)
            }
            let sync = try await workspace.run(workspace.syncArguments())
            #expect(sync.status == 1)
        }
    }

    @Test func aFullDiskFailsTheExportWithoutACompleteLookingFile() async throws {
        let plan = SeedPlan(threads: 2, messagesPerThread: 400, seed: 6)
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan)) { emulator, workspace in
            #expect(try await workspace.run(workspace.syncArguments()).status == 0)
            let out = workspace.path("limited")
            // `ulimit -f 100`: files may not grow past 100 blocks (SQLite's 32 KiB shared-memory file still fits).
            let command = "ulimit -f 100; exec \"$0\" export --archive \"$1\" --format json --out \"$2\""
            let export = try await Self.shell(command, CLI.executable.path, workspace.archive, out)
            #expect(export.status == 1)
            #expect(export.stderr.hasPrefix("chat-archive: error: cannot write"), "\(export.stderr)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            #expect(!names.contains("manifest.json"))
            #expect(!names.contains { $0.hasSuffix(".json") }, "\(names)")
        }
    }

    @Test func anArchiveThatCannotGrowStopsTheSyncAndANewRunCompletesIt() async throws {
        let plan = SeedPlan(threads: 8, messagesPerThread: 600, seed: 7)
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan)) { emulator, workspace in
            // The archive (and its WAL) may not grow past 600 KiB: the writer fails while fetchers are still
            // sending it batches; the run must end with one clear line, not hang or report success.
            let arguments = workspace.syncArguments().map { "'\($0)'" }.joined(separator: " ")
            let limited = try await Self.shell("ulimit -f 600; exec \"$0\" \(arguments)", CLI.executable.path)
            #expect(limited.status == 1, "\(limited.stderr)")
            let lines = limited.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(limited.stderr)")
            #expect(lines.first?.hasPrefix("chat-archive: error:") == true, "\(limited.stderr)")
            // The writer's own error, not the cancellation of the fetchers it causes.
            #expect(!limited.stderr.contains("cancel"), "\(limited.stderr)")
            #expect(try await workspace.run(["verify", "--archive", workspace.archive]).status == 0)

            let resumed = try await workspace.run(workspace.syncArguments(extra: ["--json"]))
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let stats = try Self.jsonObject(
                try await workspace.run(["stats", "--archive", workspace.archive, "--json"]).stdout
            )
            #expect(stats["messages"] as? Int == (await emulator.totalMessageCount()), "\(stats)")
            #expect(try await workspace.run(["verify", "--archive", workspace.archive]).status == 0)
        }
    }

    @Test func revokedTokensMidSyncAreReMintedFromTheConnectionString() async throws {
        let plan = SeedPlan(threads: 12, messagesPerThread: 150, seed: 12)
        let faults = try FaultPlan(parsing: "latency=10ms,seed=1")
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan, faults: faults)) { emulator, workspace in
            let run = try CLI.start(workspace.syncArguments(extra: ["--page-size", "10", "--json"]))
            // Revoke every user's tokens while the sync is under way: each client must re-mint once and go on.
            try await Task.sleep(for: .milliseconds(400))
            #expect(run.isRunning, "the sync ended before the revocation; the test would prove nothing")
            for user in emulator.seededUsers { await emulator.revokeTokens(for: user.rawID) }
            let result = try await run.wait()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Self.jsonObject(result.stdout)["messagesNew"] as? Int == (await emulator.totalMessageCount()))
        }
    }

    @Test func corruptServiceResponsesFailOnlyTheirThreadWithExitStatus3() async throws {
        let plan = SeedPlan(threads: 3, messagesPerThread: 30, seed: 13)
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan)) { emulator, workspace in
            let broken = try #require(await emulator.threadIDs().last)
            for mode in ResponseCorruption.allCases {
                await emulator.corruptResponses(threadID: broken, mode: mode)
                let partial = try await workspace.run(workspace.syncArguments())
                #expect(partial.status == 3, "\(mode): \(partial.stderr)")
                let lines = partial.stderr.split(separator: "\n")
                #expect(lines.count == 1, "\(mode): \(partial.stderr)")
                #expect(lines.first?.hasPrefix("chat-archive: error: thread \(broken):") == true)
                #expect(try await workspace.run(["verify", "--archive", workspace.archive]).status == 0)
            }
            await emulator.corruptResponses(threadID: broken, mode: nil)
            #expect(try await workspace.run(workspace.syncArguments()).status == 0)
        }
    }

    @Test func aKilledExportRerunGivesTheSameFiles() async throws {
        let plan = SeedPlan(threads: 6, messagesPerThread: 400, seed: 14)
        try await Self.withWorkspace(EmulatorConfiguration(seed: plan)) { emulator, workspace in
            #expect(try await workspace.run(workspace.syncArguments()).status == 0)
            let reference = workspace.path("reference")
            let arguments = ["export", "--archive", workspace.archive, "--format", "mbox", "--with-history", "--out"]
            #expect(try await workspace.run(arguments + [reference]).status == 0)

            let retried = workspace.path("retried")
            let killed = try CLI.start(arguments + [retried])
            try await Task.sleep(for: .milliseconds(150))
            killed.kill()
            _ = try await killed.wait()
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: retried)) ?? []
            #expect(!leftovers.contains("manifest.json") || leftovers.count == 7)
            #expect(try await workspace.run(arguments + [retried]).status == 0)

            let expected = try FileManager.default.contentsOfDirectory(atPath: reference).sorted()
            let listing = try FileManager.default.contentsOfDirectory(atPath: retried).sorted()
            #expect(listing == expected, "left by the killed run: \(leftovers.sorted())")
            for name in expected {
                let lhs = try Data(contentsOf: URL(fileURLWithPath: reference).appendingPathComponent(name))
                let rhs = try Data(contentsOf: URL(fileURLWithPath: retried).appendingPathComponent(name))
                #expect(lhs == rhs, "\(name)")
            }
        }
    }

    static func python(_ script: String, _ arguments: String...) async throws {
        let result = try await CLI.run(
            ["python3", "-c", script] + arguments,
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        try #require(result.status == 0, "\(result.stderr)")
    }

    static func shell(_ command: String, _ arguments: String...) async throws -> CLI.Result {
        try await CLI.run(["-c", command] + arguments, executable: URL(fileURLWithPath: "/bin/sh"))
    }
}
