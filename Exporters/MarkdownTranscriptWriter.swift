import ArchiveModel
import Foundation

/// CommonMark transcript (formats.md §4): `#` topic, a banner list, `##` per UTC day, `###` per message.
/// User text only ever lands in paragraphs, list items and headings, escaped by `MarkdownText`.
/// In single-file mode the threads follow each other, each starting at its own `#` heading.
struct MarkdownTranscriptWriter: TranscriptWriter {
    let options: ExportOptions
    private var phase: WriterPhase
    private var context: ThreadContext?
    private(set) var counts = ExportCounts()
    private var currentDay: Substring?
    private var threadsInFile = 0
    private var buffer = ""

    init(options: ExportOptions) {
        self.options = options
        phase = WriterPhase(format: "markdown", allowsManyThreads: options.singleFile)
    }

    var format: ExportFormat { .markdown }

    mutating func beginFile(into output: inout some TextOutputStream) throws {
        try phase.beginFile()
    }

    mutating func beginThread(_ input: ThreadExportInput, into output: inout some TextOutputStream) throws {
        try phase.beginThread()
        let context = ThreadContext(input)
        var out = threadsInFile > 0 ? "\n" : ""
        let topic = MarkdownText.inline(input.thread.topic)
        out += "# " + (topic.isEmpty ? "Untitled thread" : topic) + "\n\n"
        out += "- Thread: " + MarkdownText.codeSpan(input.thread.id) + "\n"
        out += "- Times: UTC\n"
        if let created = input.thread.createdOn { out += "- Created: " + Timestamp.format(created) + "\n" }
        if let deleted = input.thread.deletedOn { out += "- Thread deleted: " + Timestamp.format(deleted) + "\n" }
        out += "- Exported by: " + MarkdownText.inline(options.toolVersion)
        out += options.withHistory ? " (with history)\n" : "\n"
        if context.participants.isEmpty {
            out += "- Participants: none archived\n"
        } else {
            out += "- Participants:\n"
            for participant in context.participants {
                let rawID = participant.identity.rawID
                out += "  - " + MarkdownText.inline(context.name(of: rawID)) + " (" + MarkdownText.codeSpan(rawID) + ")"
                out += ", first seen " + Timestamp.format(participant.firstSeen)
                if let removed = participant.removedOn { out += ", removed " + Timestamp.format(removed) }
                out += "\n"
            }
        }
        output.write(out)
        self.context = context
        currentDay = nil
        threadsInFile += 1
    }

    mutating func write(_ message: ArchivedMessage, into output: inout some TextOutputStream) throws {
        try phase.message()
        guard var context else { throw ExportError(code: .invalidState, operation: "markdown: write message") }
        let view = try context.accept(message, format: "markdown")
        let shown = view.shown
        let created = Timestamp.format(shown.createdOn)
        buffer.removeAll(keepingCapacity: true)
        let day = created.prefix(10)
        if day != currentDay {
            buffer += "\n## " + day + "\n"
            currentDay = day
        }
        let name = MarkdownText.inline(context.senderName(shown))
        buffer += "\n### " + created.dropFirst(11).prefix(8) + " \u{2014} " + (name.isEmpty ? "\\(no name\\)" : name)
        buffer += " (" + MarkdownText.inline(shown.type.rawValue)
        if let edited = view.editedOn { buffer += ", edited " + Timestamp.format(edited) }
        if let deleted = view.deletedOn { buffer += ", deleted " + Timestamp.format(deleted) }
        buffer += ")\n\n"
        if view.deletedOn != nil {
            buffer += view.shown.isDeleted ? "*This message was deleted.*\n\n" : "*Deleted. Last archived content:*\n\n"
        }
        if !view.shown.isDeleted { appendBody(shown, context: context) }
        if options.withHistory {
            for revision in view.earlierRevisions {
                buffer += "*Earlier revision " + MarkdownText.inline(revision.version)
                if let edited = revision.editedOn { buffer += ", edited " + Timestamp.format(edited) }
                buffer += ":*\n\n"
                appendBody(revision, context: context)
                context.counts.revisions += 1
            }
        }
        if let receipts = context.receiptsByMessage[message.messageID] {
            let readers = receipts.map { receipt in
                MarkdownText.inline(context.name(of: receipt.readerID)) + " (" + Timestamp.format(receipt.readOn) + ")"
            }
            buffer += "Read by " + readers.joined(separator: ", ") + "\n\n"
        }
        buffer.removeLast()  // one blank line between blocks, none after the last
        output.write(buffer)
        self.context = context
    }

    private mutating func appendBody(_ revision: MessageRevision, context: ThreadContext) {
        let text = context.systemSummary(revision) ?? revision.text
        buffer += (MarkdownText.paragraphs(text) ?? "*(no text)*") + "\n\n"
        for attachment in revision.attachments {
            buffer += "Attachment: " + MarkdownText.inline(attachment.name ?? attachment.id)
            buffer += " (" + MarkdownText.inline(attachment.type) + ")\n\n"
        }
    }

    mutating func endThread(into output: inout some TextOutputStream) throws {
        try phase.endThread()
        guard let context else { throw ExportError(code: .invalidState, operation: "markdown: end thread") }
        let messages = context.counts.messages
        output.write("\n---\n\n*End of thread: \(messages) message\(messages == 1 ? "" : "s").*\n")
        counts += context.counts
        self.context = nil
    }

    mutating func endFile(into output: inout some TextOutputStream) throws {
        try phase.endFile()
    }
}
