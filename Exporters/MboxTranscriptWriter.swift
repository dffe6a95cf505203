import ArchiveModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// mboxrd (formats.md §2): one RFC 5322 message per chat message, LF line ends, an asctime `From_` line,
/// multipart/alternative text + HTML in quoted-printable, stable Message-IDs and a star of `References` to the
/// thread's first archived message. Single-file mode is plain concatenation.
struct MboxTranscriptWriter: TranscriptWriter {
    let options: ExportOptions
    private var phase: WriterPhase
    private var context: ThreadContext?
    private(set) var counts = ExportCounts()
    private var threadHash = ""
    private var subject: [String] = []
    private var threadIDTokens: [String] = []
    private var toBySender: [String: [String]] = [:]
    private var mailboxes: [String: [String]] = [:]
    private var buffer: [UInt8] = []

    init(options: ExportOptions) {
        self.options = options
        phase = WriterPhase(format: "mbox", allowsManyThreads: options.singleFile)
    }

    var format: ExportFormat { .mbox }

    mutating func beginFile(into output: inout some TextOutputStream) throws {
        try phase.beginFile()
    }

    mutating func beginThread(_ input: ThreadExportInput, into output: inout some TextOutputStream) throws {
        try phase.beginThread()
        let context = ThreadContext(input)
        threadHash = Hashing.sha256Hex(input.thread.id, length: 24)
        var topic = input.thread.topic.singleLine.trimmingCharacters(in: .whitespaces)
        if topic.isEmpty {
            topic =
                "Chat with " + context.participants.map { context.name(of: $0.identity.rawID) }.joined(separator: ", ")
        }
        subject = MailHeaders.unstructured(topic)
        threadIDTokens = MailHeaders.unstructured(input.thread.id)
        toBySender = [:]
        mailboxes = [:]
        self.context = context
    }

    private func messageID(_ id: String) -> String {
        let plain = Hashing.isSimpleToken(id)
        return "<" + (plain ? id : Hashing.sha256Hex(id, length: 24)) + "." + threadHash + "@chat-archive.invalid>"
    }

    /// `phrase <address>` tokens, cached per (raw id, name): hashing and encoding once per sender.
    private mutating func mailbox(rawID: String, name: String?) -> [String] {
        let key = rawID + "\u{0}" + (name ?? "")
        if let cached = mailboxes[key] { return cached }
        var tokens = MailHeaders.phrase(name ?? rawID)
        tokens.append("<" + MailHeaders.address(rawID: rawID) + ">")
        if mailboxes.count < 10_000 { mailboxes[key] = tokens }
        return tokens
    }

    /// Every current member but the sender, computed once per sender.
    private mutating func recipients(excluding sender: String?, context: ThreadContext) -> [String] {
        let key = sender ?? ""
        if let cached = toBySender[key] { return cached }
        let members = context.participants.filter { $0.removedOn == nil && $0.identity.rawID != sender }
        var tokens: [String] = []
        for (index, member) in members.enumerated() {
            var box = mailbox(rawID: member.identity.rawID, name: context.name(of: member.identity.rawID))
            if index < members.count - 1 { box[box.count - 1] += "," }
            tokens += box
        }
        if tokens.isEmpty { tokens = ["undisclosed-recipients:;"] }
        toBySender[key] = tokens
        return tokens
    }

    mutating func write(_ message: ArchivedMessage, into output: inout some TextOutputStream) throws {
        try phase.message()
        guard var context else { throw ExportError(code: .invalidState, operation: "mbox: write message") }
        let view = try context.accept(message, format: "mbox")
        let shown = view.shown
        let threadID = context.threadID
        let from: [String] =
            if let sender = shown.senderID {
                mailbox(rawID: sender, name: context.name(of: sender, fallback: shown.senderDisplayName))
            } else {
                ["System", "<system@chat-archive.invalid>"]
            }
        let senderAddress = from[from.count - 1].dropFirst().dropLast()
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: "From \(senderAddress) \(MailHeaders.asctime(shown.createdOn))\n".utf8)
        MailHeaders.append("From", from, into: &buffer)
        MailHeaders.append("To", recipients(excluding: shown.senderID, context: context), into: &buffer)
        MailHeaders.append("Subject", subject, into: &buffer)
        MailHeaders.append("Date", [MailHeaders.rfc5322Date(shown.createdOn)], into: &buffer)
        MailHeaders.append("Message-ID", [messageID(message.messageID)], into: &buffer)
        if let root = context.rootMessageID, root != message.messageID {
            MailHeaders.append("In-Reply-To", [messageID(root)], into: &buffer)
            MailHeaders.append("References", [messageID(root)], into: &buffer)
        }
        let boundary = "=_chat_" + Hashing.sha256Hex(threadID + "\u{0}" + message.messageID, length: 16)
        MailHeaders.append("MIME-Version", ["1.0"], into: &buffer)
        MailHeaders.append("Content-Type", ["multipart/alternative;", "boundary=\"\(boundary)\""], into: &buffer)
        MailHeaders.append("X-Chat-Thread-Id", threadIDTokens, into: &buffer)
        MailHeaders.append("X-Chat-Message-Id", MailHeaders.unstructured(message.messageID), into: &buffer)
        MailHeaders.append("X-Chat-Type", MailHeaders.unstructured(shown.type.rawValue), into: &buffer)
        if let sender = shown.senderID {
            MailHeaders.append("X-Chat-From-Id", MailHeaders.unstructured(sender), into: &buffer)
        }
        if let edited = view.editedOn {
            MailHeaders.append("X-Chat-Edited", [Timestamp.format(edited)], into: &buffer)
        }
        if let deleted = view.deletedOn {
            MailHeaders.append("X-Chat-Deleted", [Timestamp.format(deleted)], into: &buffer)
        }
        for receipt in context.receiptsByMessage[message.messageID] ?? [] {
            var tokens = MailHeaders.unstructured(receipt.readerID)
            tokens[tokens.count - 1] += ";"
            tokens.append(Timestamp.format(receipt.readOn))
            MailHeaders.append("X-Chat-Read-By", tokens, into: &buffer)
        }
        buffer.append(0x0A)

        let (plain, html) = bodies(view, context: &context)
        buffer.append(contentsOf: "--\(boundary)\n".utf8)
        buffer.append(contentsOf: "Content-Type: text/plain; charset=utf-8\n".utf8)
        buffer.append(contentsOf: "Content-Transfer-Encoding: quoted-printable\n\n".utf8)
        QuotedPrintable.encode(plain, into: &buffer)
        buffer.append(contentsOf: "\n--\(boundary)\n".utf8)
        buffer.append(contentsOf: "Content-Type: text/html; charset=utf-8\n".utf8)
        buffer.append(contentsOf: "Content-Transfer-Encoding: quoted-printable\n\n".utf8)
        html.withUnsafeBufferPointer { QuotedPrintable.encode($0, into: &buffer) }
        buffer.append(contentsOf: "\n--\(boundary)--\n\n".utf8)
        Self.quoteFromLines(&buffer)
        output.write(String(decoding: buffer, as: UTF8.self))
        self.context = context
    }

    private static let htmlHead = Array("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n".utf8)
    private static let htmlTail = Array("\n</body></html>".utf8)

    /// The text/plain and text/html bodies: the last archived content (marked when deleted), then the edit
    /// history when asked for.
    private func bodies(_ view: MessageView, context: inout ThreadContext) -> (String, [UInt8]) {
        var plain = ""
        var html = Self.htmlHead
        if let deleted = view.deletedOn {
            let note =
                view.shown.isDeleted
                ? "[This message was deleted at \(Timestamp.format(deleted)).]"
                : "[This message was deleted at \(Timestamp.format(deleted)). Last archived content:]"
            plain += note + (view.shown.isDeleted ? "" : "\n\n")
            html += Array("<p><em>".utf8)
            HTMLText.append(note, breaks: false, to: &html)
            html += Array("</em></p>\n".utf8)
        }
        if !view.shown.isDeleted { append(view.shown, context: context, plain: &plain, html: &html) }
        if options.withHistory {
            for revision in view.earlierRevisions {
                var note = "--- Earlier revision \(revision.version)"
                if let edited = revision.editedOn { note += ", edited \(Timestamp.format(edited))" }
                note += " ---"
                plain += "\n\n" + note + "\n"
                html += Array("\n<hr>\n<p><em>".utf8)
                HTMLText.append(note, breaks: false, to: &html)
                html += Array("</em></p>\n".utf8)
                append(revision, context: context, plain: &plain, html: &html)
                context.counts.revisions += 1
            }
        }
        html += Self.htmlTail
        return (plain, html)
    }

    private static let divOpen = Array("<div dir=\"auto\">".utf8)
    private static let divClose = Array("</div>".utf8)

    private func append(_ revision: MessageRevision, context: ThreadContext, plain: inout String, html: inout [UInt8]) {
        let text = context.systemSummary(revision) ?? revision.text
        plain += text
        html += Self.divOpen
        if revision.type == .html, let sanitized = revision.sanitizedHTML {
            html += Array(sanitized.utf8)
        } else {
            HTMLText.append(text, breaks: true, to: &html)
        }
        html += Self.divClose
    }

    /// mboxrd safety net: quotes any body line matching `^>*From ` (the QP encoder already avoids them).
    static func quoteFromLines(_ buffer: inout [UInt8]) {
        let starts: [Int] = buffer.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return [] }
            var found: [Int] = []
            var inBody = false
            var position = 0
            // Jump from line feed to line feed; only a line start can need quoting.
            while position < bytes.count, let hit = memchr(base + position, 0x0A, bytes.count - position) {
                let lineFeed = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let next = lineFeed + 1
                guard next < bytes.count else { break }
                if !inBody {
                    inBody = bytes[next] == 0x0A  // the empty line after the headers
                } else if bytes[next] == 0x46 || bytes[next] == 0x3E, QuotedPrintable.startsWithFrom(bytes, at: next) {
                    found.append(next)
                }
                position = next
            }
            return found
        }
        for index in starts.reversed() { buffer.insert(0x3E, at: index) }
    }

    mutating func endThread(into output: inout some TextOutputStream) throws {
        try phase.endThread()
        guard let context else { throw ExportError(code: .invalidState, operation: "mbox: end thread") }
        counts += context.counts
        self.context = nil
    }

    mutating func endFile(into output: inout some TextOutputStream) throws {
        try phase.endFile()
    }
}
