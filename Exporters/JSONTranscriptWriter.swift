import ArchiveModel

/// One JSON document per thread (pretty-printed, sorted keys), written as a stream: `messages` comes first in
/// key order, and the counts (`summary`) after it. In single-file mode the documents are the items of `threads`
/// in one combined document whose `totals` close it.
struct JSONTranscriptWriter: TranscriptWriter {
    let options: ExportOptions
    private var phase: WriterPhase
    private var context: ThreadContext?
    private(set) var counts = ExportCounts()
    private var threadsInFile = 0
    private var messagesInThread = 0
    private var buffer: [UInt8] = []

    init(options: ExportOptions) {
        self.options = options
        phase = WriterPhase(format: "json", allowsManyThreads: options.singleFile)
    }

    var format: ExportFormat { .json }

    /// Indentation depth of a thread document's own members.
    private var depth: Int { options.singleFile ? 2 : 1 }

    private func pad(_ level: Int) -> String { String(repeating: "  ", count: level) }

    private func member(_ key: String, _ value: JSONValue, level: Int, into out: inout String) {
        out += pad(level)
        JSONValue.appendString(key, to: &out)
        out += ": "
        value.write(to: &out, indent: level)
    }

    private var frame: [(String, JSONValue)] {
        [
            ("filters", ExportRecords.filters(options.filters)),
            ("formatVersion", .int(ExportRecords.formatVersion)),
        ]
    }

    mutating func beginFile(into output: inout some TextOutputStream) throws {
        try phase.beginFile()
        guard options.singleFile else { return }
        var out = "{\n"
        for (key, value) in frame {
            member(key, value, level: 1, into: &out)
            out += ",\n"
        }
        out += "  \"threads\": ["
        output.write(out)
    }

    mutating func beginThread(_ input: ThreadExportInput, into output: inout some TextOutputStream) throws {
        try phase.beginThread()
        context = ThreadContext(input)
        messagesInThread = 0
        var out = ""
        if options.singleFile { out += (threadsInFile > 0 ? ",\n" : "\n") + pad(depth - 1) }
        out += "{\n"
        for (key, value) in frame {
            member(key, value, level: depth, into: &out)
            out += ",\n"
        }
        out += pad(depth) + "\"messages\": ["
        output.write(out)
        threadsInFile += 1
    }

    mutating func write(_ message: ArchivedMessage, into output: inout some TextOutputStream) throws {
        try phase.message()
        guard var context else { throw ExportError(code: .invalidState, operation: "json: write message") }
        let view = try context.accept(message, format: "json")
        var fields = ExportRecords.message(view)
        if options.withHistory {
            let earlier = view.earlierRevisions
            let history = JSONValue.array(earlier.map { JSONValue.object(ExportRecords.revision($0)) })
            fields = ExportRecords.inserting(("earlierRevisions", history), into: fields)
            context.counts.revisions += earlier.count
        }
        buffer.removeAll(keepingCapacity: true)
        if messagesInThread > 0 { buffer.append(0x2C) }
        JSONValue.newline(&buffer, depth + 1)
        JSONValue.object(fields).write(to: &buffer, indent: depth + 1)
        output.write(String(decoding: buffer, as: UTF8.self))
        messagesInThread += 1
        self.context = context
    }

    mutating func endThread(into output: inout some TextOutputStream) throws {
        try phase.endThread()
        guard let context else { throw ExportError(code: .invalidState, operation: "json: end thread") }
        var out = messagesInThread > 0 ? "\n" + pad(depth) + "],\n" : "],\n"
        let rest: [(String, JSONValue)] = [
            ("participants", .array(context.participants.map { JSONValue.object(ExportRecords.participant($0)) })),
            ("readReceipts", .array(context.receipts.map { JSONValue.object(ExportRecords.readReceipt($0)) })),
            ("summary", .object(ExportRecords.counts(context.counts))),
            ("thread", .object(ExportRecords.thread(context))),
            ("toolVersion", .string(options.toolVersion)),
            ("withHistory", .bool(options.withHistory)),
        ]
        for index in rest.indices {
            member(rest[index].0, rest[index].1, level: depth, into: &out)
            out += index == rest.count - 1 ? "\n" : ",\n"
        }
        out += pad(depth - 1) + "}"
        if !options.singleFile { out += "\n" }
        output.write(out)
        counts += context.counts
        self.context = nil
    }

    mutating func endFile(into output: inout some TextOutputStream) throws {
        try phase.endFile()
        guard options.singleFile else { return }
        var out = threadsInFile > 0 ? "\n  ],\n" : "],\n"
        member("toolVersion", .string(options.toolVersion), level: 1, into: &out)
        out += ",\n"
        member("totals", .object(ExportRecords.counts(counts)), level: 1, into: &out)
        out += ",\n"
        member("withHistory", .bool(options.withHistory), level: 1, into: &out)
        out += "\n}\n"
        output.write(out)
    }
}
