import ArchiveModel
import ArchiveStore
import ArgumentParser
import Exporters
import Foundation

extension ChatArchive {
    /// Writes transcripts of the archive, never of the service.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export transcripts: json, jsonl, markdown, mbox or html.",
            discussion: """
                Writes one file per thread into the --out directory (names from the thread id and a safe slug of \
                the topic), or one file with --single-file, plus a manifest (manifest.json, or FILE.manifest.json \
                beside a single file) with each file's SHA-256 and the archive's hash-chain heads. Files are \
                written as NAME.partial and renamed when complete. The same archive and arguments give the same bytes.
                --participant RAWID exports every thread the person was in, limited to what they could see \
                (from their share-history time until they left).
                """
        )

        @OptionGroup var archiveOptions: ArchiveOptions

        @Option(name: .long, help: "json, jsonl, markdown, mbox or html.")
        var format: String

        @Option(name: .long, help: ArgumentHelp("Output directory (or file with --single-file).", valueName: "PATH"))
        var out: String

        @Option(name: .long, help: ArgumentHelp("Only this thread; repeatable.", valueName: "ID"))
        var thread: [String] = []

        @Option(name: .long, help: ArgumentHelp("Data-subject export for this raw id.", valueName: "RAWID"))
        var participant: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Messages created at or after (date or RFC 3339, UTC).", valueName: "T")
        )
        var since: String?

        @Option(name: .long, help: ArgumentHelp("Messages created before (date or RFC 3339, UTC).", valueName: "T"))
        var until: String?

        @Flag(name: .long, help: "Add every earlier revision of each message.")
        var withHistory = false

        @Flag(name: .long, help: "Write all threads into one file.")
        var singleFile = false

        func validate() throws {
            guard ExportFormat(rawValue: format) != nil else {
                throw ValidationError("--format must be one of json, jsonl, markdown, mbox, html")
            }
            if let since, Timestamp.parse(since) == nil {
                throw ValidationError("--since: '\(since)' is not a date (YYYY-MM-DD) or RFC 3339 time")
            }
            if let until, Timestamp.parse(until) == nil {
                throw ValidationError("--until: '\(until)' is not a date (YYYY-MM-DD) or RFC 3339 time")
            }
            if out.isEmpty { throw ValidationError("--out must not be empty") }
        }

        func run() async throws {
            try await ChatArchive.reportingErrors {
                let store = try archiveOptions.openExisting()
                guard let exportFormat = ExportFormat(rawValue: format) else { throw CLIError("unknown format") }
                let request = ExportRequest(
                    format: exportFormat,
                    output: URL(fileURLWithPath: out),
                    options: ExportOptions(
                        withHistory: withHistory,
                        toolVersion: "chat-archive \(ChatArchive.version)",
                        filters: ExportFilters(
                            threadIDs: thread,
                            participantID: participant,
                            since: since.flatMap(Timestamp.parse),
                            until: until.flatMap(Timestamp.parse)
                        ),
                        singleFile: singleFile
                    ),
                    showProgress: isatty(2) == 1
                )
                let result = try await writeExport(store, request)
                let counts = result.counts
                print(
                    "exported \(counts.threads) threads, \(counts.messages) messages (\(format)) to \(out); "
                        + "manifest \(result.manifestPath)"
                )
            }
        }
    }
}

/// What to export and where; everything `writeExport` needs, as a Sendable value.
struct ExportRequest: Sendable {
    var format: ExportFormat
    var output: URL
    var options: ExportOptions
    var showProgress: Bool
}

struct ExportResult: Sendable {
    var counts: ExportCounts
    var manifestPath: String
}

/// Streams the selected threads from the archive into files, on the store's actor (messages never pile up).
func writeExport(_ store: isolated ArchiveStore, _ request: ExportRequest) throws -> ExportResult {
    let filters = request.options.filters
    let fileManager = FileManager.default
    var threads = try store.threads()
    if !filters.threadIDs.isEmpty {
        let known = Set(threads.map(\.id))
        if let missing = filters.threadIDs.first(where: { !known.contains($0) }) {
            throw CLIError("no thread \(missing) in the archive")
        }
        let wanted = Set(filters.threadIDs)
        threads = threads.filter { wanted.contains($0.id) }
    }
    var windows: [String: VisibilityWindow] = [:]
    if let subject = filters.participantID {
        threads = try threads.filter { thread in
            guard
                let member = try store.participants(threadID: thread.id).first(where: { $0.identity.rawID == subject })
            else { return false }
            windows[thread.id] = VisibilityWindow(from: member.shareHistoryTime, to: member.removedOn)
            return true
        }
        if threads.isEmpty { throw CLIError("\(subject) is not a participant of any archived thread") }
    }
    let heads = try store.chainHeads()

    var files: [ExportManifest.File] = []
    var totals = ExportCounts()
    let singleFile = request.options.singleFile
    let directory = singleFile ? request.output.deletingLastPathComponent() : request.output
    do {
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
        throw CLIError("cannot create the directory \(directory.path)")
    }

    var progress = StandardError()
    var writer = request.format.makeWriter(options: request.options)
    var file: OpenExportFile?
    if singleFile {
        file = try OpenExportFile(directory: directory, name: request.output.lastPathComponent)
        try writer.beginFile(into: &file!.output)
    }
    for (index, thread) in threads.enumerated() {
        if file == nil {  // one file per thread
            let name = ExportFileName.make(threadID: thread.id, topic: thread.topic, format: request.format)
            file = try OpenExportFile(directory: directory, name: name)
            writer = request.format.makeWriter(options: request.options)
            try writer.beginFile(into: &file!.output)
        }
        let input = ThreadExportInput(
            thread: thread,
            participants: try store.participants(threadID: thread.id),
            readReceipts: try store.readReceipts(threadID: thread.id),
            chainHead: heads[thread.id]
        )
        try writer.beginThread(input, into: &file!.output)
        let window = windows[thread.id]
        try store.forEachMessage(threadID: thread.id, since: filters.since, until: filters.until) { message in
            if let window, !window.contains(message.latest.createdOn) { return }
            try writer.write(message, into: &file!.output)
        }
        try writer.endThread(into: &file!.output)
        if !singleFile {
            try writer.endFile(into: &file!.output)
            files.append(try file!.finish(threadID: thread.id))
            totals += writer.counts
            file = nil
        }
        if request.showProgress {
            print("\u{1B}[K\(index + 1)/\(threads.count) threads\r", terminator: "", to: &progress)
        }
    }
    if singleFile {
        try writer.endFile(into: &file!.output)
        files.append(try file!.finish(threadID: nil))
        totals = writer.counts
    }
    if request.showProgress { print("", to: &progress) }

    let manifest = ExportManifest(
        format: request.format,
        options: request.options,
        counts: totals,
        files: files,
        chainHeads: threads.compactMap { thread in
            heads[thread.id].map { ExportManifest.ChainHead(threadID: thread.id, hash: $0) }
        }
    )
    let manifestName = singleFile ? request.output.lastPathComponent + ".manifest.json" : "manifest.json"
    var manifestFile = try OpenExportFile(directory: directory, name: manifestName)
    manifestFile.output.write(String(decoding: try manifest.encodedJSON(), as: UTF8.self))
    _ = try manifestFile.finish(threadID: nil)
    return ExportResult(counts: totals, manifestPath: directory.appendingPathComponent(manifestName).path)
}

/// The part of a thread a data subject could see.
private struct VisibilityWindow {
    var from: Date?
    var to: Date?

    func contains(_ date: Date) -> Bool {
        if let from, date < from { return false }
        if let to, date > to { return false }
        return true
    }
}

/// One export file, written as `NAME.partial` (mode 0600) and renamed to `NAME` by `finish` once complete.
private struct OpenExportFile {
    let partialURL: URL
    let finalURL: URL
    let handle: FileHandle
    var output: HashingFileOutput

    init(directory: URL, name: String) throws {
        finalURL = directory.appendingPathComponent(name)
        partialURL = directory.appendingPathComponent(name + ".partial")
        let created = FileManager.default.createFile(
            atPath: partialURL.path,
            contents: nil,
            attributes: [.posixPermissions: 0o600]
        )
        guard created, let handle = FileHandle(forWritingAtPath: partialURL.path) else {
            throw CLIError("cannot create \(partialURL.path)")
        }
        self.handle = handle
        output = HashingFileOutput(handle: handle)
    }

    mutating func finish(threadID: String?) throws -> ExportManifest.File {
        let digest: (sha256: String, byteCount: Int)
        do {
            digest = try output.finish()
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partialURL)
            throw CLIError("cannot write \(finalURL.path): \(error)")
        }
        if rename(partialURL.path, finalURL.path) != 0 {
            throw CLIError("cannot rename \(partialURL.lastPathComponent) to \(finalURL.lastPathComponent)")
        }
        return ExportManifest.File(
            name: finalURL.lastPathComponent,
            sha256: digest.sha256,
            byteCount: digest.byteCount,
            threadID: threadID
        )
    }
}
