import Foundation
import Synchronization

/// Runs the built `chat-archive` executable as a subprocess, the way users and scripts do.
struct CLI {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable next to the test bundle (`swift build --build-tests` builds both).
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test binary is `.build/<config>/chat-archivePackageTests.xctest`.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("chat-archive").path),
            directory.pathComponents.count > 1
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("chat-archive")
    }

    /// Runs to completion and captures both streams.
    static func run(
        _ arguments: [String],
        executable: URL = executable,
        environment: [String: String] = [:]
    ) async throws -> Result {
        let process = try start(arguments, executable: executable, environment: environment)
        return try await process.wait()
    }

    /// Starts `executable` (`chat-archive` unless told otherwise) without the ACS_* variables of the environment.
    static func start(
        _ arguments: [String],
        executable: URL = executable,
        environment: [String: String] = [:]
    ) throws -> RunningCLI {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["ACS_ENDPOINT", "ACS_TOKEN", "ACS_CONNECTION_STRING"] { env[key] = nil }
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let running = RunningCLI(process: process, out: out, err: err)
        try process.run()
        running.closeWriteEnds()
        return running
    }
}

/// A started subprocess; its output is drained concurrently so it never blocks on a full pipe.
final class RunningCLI: Sendable {
    private let box: ProcessBox
    private let stdoutData = OutputBuffer()
    private let stderrData = OutputBuffer()
    private let exited: AsyncStream<Int32>

    fileprivate init(process: Process, out: Pipe, err: Pipe) {
        box = ProcessBox(process: process)
        let (exited, exit) = AsyncStream.makeStream(of: Int32.self)
        self.exited = exited
        process.terminationHandler = { finished in
            exit.yield(finished.terminationStatus)
            exit.finish()
        }
        let stdoutData = stdoutData
        let stderrData = stderrData
        out.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            stdoutData.append(chunk)
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            stderrData.append(chunk)
        }
        box.pipes = (out, err)
    }

    var processIdentifier: Int32 { box.process.processIdentifier }

    var isRunning: Bool { box.process.isRunning }

    func kill(signal: Int32 = SIGKILL) {
        Foundation.kill(box.process.processIdentifier, signal)
    }

    fileprivate func closeWriteEnds() {
        try? box.pipes?.0.fileHandleForWriting.close()
        try? box.pipes?.1.fileHandleForWriting.close()
    }

    /// Suspends until the process exits, then returns everything it printed.
    func wait() async throws -> CLI.Result {
        var status: Int32 = -1
        for await code in exited { status = code }
        if let pipes = box.pipes {
            pipes.0.fileHandleForReading.readabilityHandler = nil
            pipes.1.fileHandleForReading.readabilityHandler = nil
            let restOut = pipes.0.fileHandleForReading.readDataToEndOfFile()
            let restErr = pipes.1.fileHandleForReading.readDataToEndOfFile()
            stdoutData.append(restOut)
            stderrData.append(restErr)
        }
        return CLI.Result(
            status: status,
            stdout: String(decoding: stdoutData.contents, as: UTF8.self),
            stderr: String(decoding: stderrData.contents, as: UTF8.self)
        )
    }
}

/// Bytes a subprocess printed, appended from the pipe's reader thread.
private final class OutputBuffer: Sendable {
    private let data = Mutex(Data())

    func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }
    var contents: Data { data.withLock { $0 } }
}

/// `Process` is not Sendable; it is only touched through this box by one test at a time.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    var pipes: (Pipe, Pipe)?
    init(process: Process) { self.process = process }
}
