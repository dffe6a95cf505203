import ArchiveModel
import Foundation

/// A self-contained HTML transcript: inline CSS, no script, a CSP that forbids scripts and remote loads, the
/// archive's sanitized HTML for `html` messages (never raw content), everything else escaped, and one anchor
/// per message. In single-file mode every thread is a `<section>` of one document.
struct HTMLTranscriptWriter: TranscriptWriter {
    let options: ExportOptions
    private var phase: WriterPhase
    private var context: ThreadContext?
    private(set) var counts = ExportCounts()
    private var threadKey = ""
    private var currentDay: Substring?
    private var buffer = ""

    init(options: ExportOptions) {
        self.options = options
        phase = WriterPhase(format: "html", allowsManyThreads: options.singleFile)
    }

    var format: ExportFormat { .html }

    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.45;margin:0 auto;\
        max-width:48rem;padding:1rem;color:#1d1d1f;background:#fff;overflow-wrap:anywhere}
        h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;color:#444}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;font-size:.9rem}
        dl.meta dt{font-weight:600}dl.meta dd{margin:0}
        ul.participants{padding-left:1.2rem;font-size:.9rem}code{font-size:.85em;word-break:break-all}
        .msg{border-left:3px solid #c8c8cc;margin:.8rem 0;padding:.3rem .8rem}
        .msg .head{font-size:.85rem;color:#555}.msg .sender{font-weight:600;color:#1d1d1f}
        .msg .type,.msg .marker{color:#777}.msg.edited .marker{color:#9a5b00}
        .msg.deleted{border-left-color:#c0392b;background:#fdf3f2}.msg.deleted .marker{color:#c0392b}
        .msg.system{border-left-color:#8e8e93;color:#555;font-style:italic}
        .note{font-size:.85rem;color:#c0392b;margin:.2rem 0}.body{margin:.3rem 0}.body img{max-width:100%}
        .body.text,.body pre{white-space:pre-wrap}details.history{font-size:.9rem;color:#555}
        .rev{border-top:1px dashed #ccc;margin-top:.4rem;padding-top:.3rem}.read{font-size:.8rem;color:#666;margin:.2rem 0}
        a.time{color:inherit;text-decoration:none}footer{margin-top:2rem;font-size:.85rem;color:#666}
        @media (prefers-color-scheme:dark){body{background:#1c1c1e;color:#f2f2f7}.msg .sender{color:#f2f2f7}\
        h2,.msg .head,.msg.system,details.history,.read,footer{color:#aeaeb2}.msg.deleted{background:#3a1d1b}}
        """

    private func head(title: String) -> String {
        var out = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none'; "
        out += "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
        out += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"" + HTMLText.escape(options.toolVersion.singleLine) + "\">\n"
        out += "<title>" + HTMLText.escape(title) + "</title>\n<style>\n" + Self.style + "\n</style>\n</head>\n<body>\n"
        return out
    }

    private static func topic(_ thread: ArchivedThread) -> String {
        let topic = thread.topic.singleLine.trimmingCharacters(in: .whitespaces)
        return topic.isEmpty ? "Untitled thread" : topic
    }

    mutating func beginFile(into output: inout some TextOutputStream) throws {
        try phase.beginFile()
        if options.singleFile { output.write(head(title: "Chat archive export")) }
    }

    mutating func beginThread(_ input: ThreadExportInput, into output: inout some TextOutputStream) throws {
        try phase.beginThread()
        let context = ThreadContext(input)
        threadKey = "t-" + Hashing.sha256Hex(input.thread.id, length: 12)
        currentDay = nil
        let topic = Self.topic(input.thread)
        var out = options.singleFile ? "" : head(title: topic)
        out += "<section class=\"thread\" id=\"\(threadKey)\">\n<header>\n<h1>" + HTMLText.escape(topic) + "</h1>\n"
        out += "<dl class=\"meta\">\n<dt>Thread</dt><dd><code>" + HTMLText.escape(input.thread.id) + "</code></dd>\n"
        out += "<dt>Times</dt><dd>UTC</dd>\n"
        if let created = input.thread.createdOn {
            out += "<dt>Created</dt><dd>" + Timestamp.format(created) + "</dd>\n"
        }
        if let deleted = input.thread.deletedOn {
            out += "<dt>Thread deleted</dt><dd>" + Timestamp.format(deleted) + "</dd>\n"
        }
        out += "<dt>Exported by</dt><dd>" + HTMLText.escape(options.toolVersion.singleLine)
        out += (options.withHistory ? " (with history)" : "") + "</dd>\n</dl>\n"
        out += "<h2>Participants</h2>\n<ul class=\"participants\">\n"
        for participant in context.participants {
            let rawID = participant.identity.rawID
            out += "<li><span class=\"name\">" + HTMLText.escape(context.name(of: rawID)) + "</span> <code>"
            out += HTMLText.escape(rawID) + "</code> first seen " + Timestamp.format(participant.firstSeen)
            if let removed = participant.removedOn {
                out += ", <strong>removed " + Timestamp.format(removed) + "</strong>"
            }
            out += "</li>\n"
        }
        if context.participants.isEmpty { out += "<li>None archived</li>\n" }
        out += "</ul>\n</header>\n"
        output.write(out)
        self.context = context
    }

    private func anchor(_ messageID: String) -> String {
        let plain = Hashing.isSimpleToken(messageID)
        return threadKey + "-m-" + (plain ? messageID : Hashing.sha256Hex(messageID, length: 24))
    }

    mutating func write(_ message: ArchivedMessage, into output: inout some TextOutputStream) throws {
        try phase.message()
        guard var context else { throw ExportError(code: .invalidState, operation: "html: write message") }
        let view = try context.accept(message, format: "html")
        let shown = view.shown
        let created = Timestamp.format(shown.createdOn)
        buffer.removeAll(keepingCapacity: true)
        let day = created.prefix(10)
        if day != currentDay {
            buffer += "<h2 class=\"day\" id=\"\(threadKey)-d-\(day)\">\(day)</h2>\n"
            currentDay = day
        }
        let id = anchor(message.messageID)
        var classes = "msg"
        if shown.type.isSystem { classes += " system" }
        if view.editedOn != nil { classes += " edited" }
        if view.deletedOn != nil { classes += " deleted" }
        buffer += "<article class=\"\(classes)\" id=\"\(id)\">\n<div class=\"head\"><a class=\"time\" href=\"#\(id)\">"
        buffer += "<time datetime=\"\(created)\">\(created.dropFirst(11).prefix(8))</time></a> "
        buffer += "<span class=\"sender\">" + HTMLText.escape(context.senderName(shown)) + "</span> "
        buffer += "<span class=\"type\">" + HTMLText.escape(shown.type.rawValue) + "</span>"
        if let edited = view.editedOn {
            buffer += " <span class=\"marker\">(edited \(Timestamp.format(edited)))</span>"
        }
        if let deleted = view.deletedOn {
            buffer += " <span class=\"marker\">(deleted \(Timestamp.format(deleted)))</span>"
        }
        buffer += "</div>\n"
        if view.deletedOn != nil {
            buffer +=
                shown.isDeleted
                ? "<p class=\"note\">This message was deleted.</p>\n"
                : "<p class=\"note\">Deleted. Last archived content:</p>\n"
        }
        if !shown.isDeleted { appendBody(shown, context: context) }
        if options.withHistory {
            let earlier = view.earlierRevisions
            if !earlier.isEmpty {
                buffer += "<details class=\"history\" open><summary>Earlier revisions (\(earlier.count))</summary>\n"
                for revision in earlier {
                    buffer += "<div class=\"rev\"><div class=\"head\">Version " + HTMLText.escape(revision.version)
                    if let edited = revision.editedOn { buffer += ", edited " + Timestamp.format(edited) }
                    buffer += "</div>\n"
                    appendBody(revision, context: context)
                    buffer += "</div>\n"
                    context.counts.revisions += 1
                }
                buffer += "</details>\n"
            }
        }
        if let receipts = context.receiptsByMessage[message.messageID] {
            let readers = receipts.map { receipt in
                HTMLText.escape(context.name(of: receipt.readerID)) + " (" + Timestamp.format(receipt.readOn) + ")"
            }
            buffer += "<p class=\"read\">Read by " + readers.joined(separator: ", ") + "</p>\n"
        }
        buffer += "</article>\n"
        output.write(buffer)
        self.context = context
    }

    private mutating func appendBody(_ revision: MessageRevision, context: ThreadContext) {
        if let summary = context.systemSummary(revision) {
            buffer += "<div class=\"body\" dir=\"auto\">" + HTMLText.escape(summary)
        } else if revision.type == .html, let sanitized = revision.sanitizedHTML {
            buffer += "<div class=\"body\" dir=\"auto\">" + sanitized  // sanitizer output; never raw `content`
        } else {
            // pre-wrap keeps the text's own line breaks and indentation exactly.
            buffer += "<div class=\"body text\" dir=\"auto\">"
            buffer += HTMLText.escape(MarkdownText.normalizeLineEnds(revision.text))
        }
        buffer += "</div>\n"
        for attachment in revision.attachments {
            buffer += "<p class=\"read\">Attachment: " + HTMLText.escape(attachment.name ?? attachment.id) + " ("
            buffer += HTMLText.escape(attachment.type) + ")</p>\n"
        }
    }

    mutating func endThread(into output: inout some TextOutputStream) throws {
        try phase.endThread()
        guard let context else { throw ExportError(code: .invalidState, operation: "html: end thread") }
        let messages = context.counts.messages
        output.write("<footer>End of thread: \(messages) message\(messages == 1 ? "" : "s").</footer>\n</section>\n")
        if !options.singleFile { output.write("</body>\n</html>\n") }
        counts += context.counts
        self.context = nil
    }

    mutating func endFile(into output: inout some TextOutputStream) throws {
        try phase.endFile()
        if options.singleFile { output.write("</body>\n</html>\n") }
    }
}
