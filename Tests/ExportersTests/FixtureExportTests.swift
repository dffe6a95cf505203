import ArchiveModel
import Exporters
import Foundation
import Testing

/// Writes the fixture exports the way `chat-archive export` lays them out, for Tests/ExportValidation to check
/// with real consumers. Runs only when `EXPORT_FIXTURE_DIR` is set (CI sets it).
@Suite struct FixtureExportTests {
    static let directory = ProcessInfo.processInfo.environment["EXPORT_FIXTURE_DIR"]

    private struct Thread {
        let input: ThreadExportInput
        let messages: [ArchivedMessage]
    }

    private static let threads = [
        Thread(input: Fixtures.input, messages: Fixtures.messages),
        Thread(input: Fixtures.otherInput, messages: Fixtures.otherMessages),
    ]

    private func write(
        _ format: ExportFormat,
        options: ExportOptions,
        to directory: URL
    ) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [ExportManifest.File] = []
        var counts = ExportCounts()
        func open(_ name: String) throws -> FileHandle {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ExportError(code: .writeFailed, operation: "create \(name)")
            }
            return try FileHandle(forWritingTo: url)
        }
        if options.singleFile {
            let name = "chat-export." + format.fileExtension
            let handle = try open(name)
            var output = HashingFileOutput(handle: handle)
            var writer = format.makeWriter(options: options)
            try writer.beginFile(into: &output)
            for thread in Self.threads {
                try writer.writeThread(thread.input, messages: thread.messages, into: &output)
            }
            try writer.endFile(into: &output)
            let (sha, bytes) = try output.finish()
            try handle.close()
            files.append(.init(name: name, sha256: sha, byteCount: bytes))
            counts = writer.counts
        } else {
            for thread in Self.threads {
                let name = ExportFileName.make(
                    threadID: thread.input.thread.id,
                    topic: thread.input.thread.topic,
                    format: format
                )
                let handle = try open(name)
                var output = HashingFileOutput(handle: handle)
                counts += try format.export(thread.input, messages: thread.messages, options: options, into: &output)
                let (sha, bytes) = try output.finish()
                try handle.close()
                files.append(.init(name: name, sha256: sha, byteCount: bytes, threadID: thread.input.thread.id))
            }
        }
        let manifest = ExportManifest(
            format: format,
            options: options,
            counts: counts,
            files: files,
            chainHeads: Self.threads.compactMap { thread in
                thread.input.chainHead.map { ExportManifest.ChainHead(threadID: thread.input.thread.id, hash: $0) }
            }
        )
        try manifest.encodedJSON().write(to: directory.appendingPathComponent("manifest.json"))
    }

    @Test(.enabled(if: directory != nil, "set EXPORT_FIXTURE_DIR to write the fixture exports"))
    func writeFixtureExports() throws {
        let root = URL(fileURLWithPath: try #require(Self.directory))
        for layout in ["thread", "history", "single"] {  // only what this test writes: no stale files
            try? FileManager.default.removeItem(at: root.appendingPathComponent(layout))
        }
        for format in ExportFormat.allCases {
            try write(format, options: Fixtures.options(), to: root.appendingPathComponent("thread/\(format.rawValue)"))
            try write(
                format,
                options: Fixtures.options(withHistory: true),
                to: root.appendingPathComponent("history/\(format.rawValue)")
            )
            try write(
                format,
                options: Fixtures.options(singleFile: true),
                to: root.appendingPathComponent("single/\(format.rawValue)")
            )
        }
        let written = try FileManager.default.subpathsOfDirectory(atPath: root.path)
        #expect(written.filter { $0.hasSuffix("manifest.json") }.count == 15)
    }
}
