public import ArchiveModel

/// The export formats, named as `--format` spells them.
public enum ExportFormat: String, CaseIterable, Sendable, Hashable {
    case json
    case jsonl
    case markdown
    case mbox
    case html

    /// The file name extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .json: "json"
        case .jsonl: "jsonl"
        case .markdown: "md"
        case .mbox: "mbox"
        case .html: "html"
        }
    }

    /// A fresh writer for one output file.
    public func makeWriter(options: ExportOptions) -> any TranscriptWriter {
        switch self {
        case .json: JSONTranscriptWriter(options: options)
        case .jsonl: JSONLinesTranscriptWriter(options: options)
        case .markdown: MarkdownTranscriptWriter(options: options)
        case .mbox: MboxTranscriptWriter(options: options)
        case .html: HTMLTranscriptWriter(options: options)
        }
    }

    /// Writes one thread as a complete file in this format and returns what was written.
    ///
    /// `messages` is iterated once, in order, and never collected.
    @discardableResult
    public func export(
        _ input: ThreadExportInput,
        messages: some Sequence<ArchivedMessage>,
        options: ExportOptions,
        into output: inout some TextOutputStream
    ) throws -> ExportCounts {
        var writer = makeWriter(options: options)
        try writer.beginFile(into: &output)
        try writer.writeThread(input, messages: messages, into: &output)
        try writer.endFile(into: &output)
        return writer.counts
    }
}
