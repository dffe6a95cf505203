import ArchiveModel

/// JSON Lines (`jsonl`): a `header` record, then per thread `thread`, `participant`, `message` (each followed by
/// its `revision`s with history) and `readReceipt` records, and a closing `end` record with the counts.
///
/// A file without the `end` line, or whose counts disagree with its lines, was truncated.
struct JSONLinesTranscriptWriter: TranscriptWriter {
    let options: ExportOptions
    private var phase: WriterPhase
    private var context: ThreadContext?
    private(set) var counts = ExportCounts()
    private var records = 0
    private var line: [UInt8] = []

    init(options: ExportOptions) {
        self.options = options
        phase = WriterPhase(format: "jsonl", allowsManyThreads: options.singleFile)
    }

    var format: ExportFormat { .jsonl }

    private mutating func emit(
        _ record: String,
        _ fields: [(String, JSONValue)],
        into output: inout some TextOutputStream
    ) {
        line.removeAll(keepingCapacity: true)
        JSONValue.writeObject(fields, extra: ("record", .string(record)), to: &line, indent: nil)
        line.append(0x0A)
        output.write(String(decoding: line, as: UTF8.self))
        records += 1
    }

    mutating func beginFile(into output: inout some TextOutputStream) throws {
        try phase.beginFile()
        emit(
            "header",
            [
                ("filters", ExportRecords.filters(options.filters)),
                ("formatVersion", .int(ExportRecords.formatVersion)),
                ("singleFile", .bool(options.singleFile)),
                ("toolVersion", .string(options.toolVersion)),
                ("withHistory", .bool(options.withHistory)),
            ],
            into: &output
        )
    }

    mutating func beginThread(_ input: ThreadExportInput, into output: inout some TextOutputStream) throws {
        try phase.beginThread()
        let context = ThreadContext(input)
        emit("thread", ExportRecords.thread(context), into: &output)
        for participant in context.participants {
            emit("participant", ExportRecords.participant(participant), into: &output)
        }
        self.context = context
    }

    mutating func write(_ message: ArchivedMessage, into output: inout some TextOutputStream) throws {
        try phase.message()
        guard var context else { throw ExportError(code: .invalidState, operation: "jsonl: write message") }
        let view = try context.accept(message, format: "jsonl")
        emit("message", ExportRecords.message(view), into: &output)
        if options.withHistory {
            for revision in view.earlierRevisions {
                emit("revision", ExportRecords.revision(revision), into: &output)
                context.counts.revisions += 1
            }
        }
        self.context = context
    }

    mutating func endThread(into output: inout some TextOutputStream) throws {
        try phase.endThread()
        guard let context else { throw ExportError(code: .invalidState, operation: "jsonl: end thread") }
        for receipt in context.receipts {
            emit("readReceipt", ExportRecords.readReceipt(receipt), into: &output)
        }
        counts += context.counts
        self.context = nil
    }

    mutating func endFile(into output: inout some TextOutputStream) throws {
        try phase.endFile()
        // `recordCount` counts the lines before this one, so a cut anywhere is detectable.
        emit(
            "end",
            ExportRecords.inserting(("recordCount", .count(records)), into: ExportRecords.counts(counts)),
            into: &output
        )
    }
}
