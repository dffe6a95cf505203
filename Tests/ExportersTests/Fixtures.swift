import ArchiveModel
import Exporters
import Foundation

/// A fixed archive: Japanese text, emoji, sanitized HTML, edits, a deletion, membership changes, a body line
/// starting with "From ", and hostile text (HTML, Markdown injection, header injection in topics and names).
enum Fixtures {
    static let threadID = "19:acsV1_q0Fz8BdXc2l1bVd2ZQ@thread.v2"
    static let yamada = "8:acs:b6aada1f-0b1d-47ac-866f-91aae00a1d01_00000005-1bd7-1c8e-f40f-343a0d00b4b2"
    static let alice = "8:acs:b6aada1f-0b1d-47ac-866f-91aae00a1d01_00000005-1bd7-1c8e-f40f-343a0d00b4b3"
    static let sato = "4:+14255550123"
    static let mallory = "8:teamsvisitor:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    static let malloryName = "Mal\r\nBcc: victim@example.com <script>alert(1)</script> # `x`"
    static let toolVersion = "chat-archive 0.1.0"

    static func time(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }
    static let base: TimeInterval = 1_700_000_000  // 2023-11-14T22:13:20Z

    static var thread: ArchivedThread {
        ArchivedThread(
            id: threadID,
            topic: "週次定例 / Weekly sync 🗓",
            createdOn: time(base - 3600),
            createdBy: yamada,
            metadata: ["project": "release"],
            retentionPolicy: .threadCreationDate(deleteThreadAfterDays: 90),
            topicHistory: [
                TopicChange(topic: "Weekly sync", changedOn: time(base - 3600), observedOn: time(base - 3000)),
                TopicChange(topic: "週次定例 / Weekly sync 🗓", changedOn: time(base + 400), observedOn: time(base + 500)),
            ],
            firstSeen: time(base - 3000),
            lastSeen: time(base + 90000)
        )
    }

    static var participants: [ArchivedParticipant] {
        [
            participant(yamada, "山田 太郎"),
            participant(alice, "Alice Smith"),
            participant(sato, "佐藤 花子"),
            ArchivedParticipant(
                threadID: threadID,
                identity: ArchivedIdentity(rawID: mallory, displayName: malloryName),
                displayName: malloryName,
                firstSeen: time(base + 200),
                lastSeen: time(base + 600),
                removedOn: time(base + 700)
            ),
        ]
    }

    static func participant(_ rawID: String, _ name: String) -> ArchivedParticipant {
        ArchivedParticipant(
            threadID: threadID,
            identity: ArchivedIdentity(rawID: rawID, displayName: name),
            displayName: name,
            firstSeen: time(base - 3000),
            lastSeen: time(base + 90000)
        )
    }

    static var readReceipts: [ArchivedReadReceipt] {
        [
            ArchivedReadReceipt(
                threadID: threadID,
                readerID: sato,
                messageID: "1700000000000",
                readOn: time(base + 70),
                observedOn: time(base + 100)
            ),
            ArchivedReadReceipt(
                threadID: threadID,
                readerID: alice,
                messageID: "1700000000000",
                readOn: time(base + 40),
                observedOn: time(base + 100)
            ),
            ArchivedReadReceipt(
                threadID: threadID,
                readerID: yamada,
                messageID: "1700086400000",
                readOn: time(base + 86500),
                observedOn: time(base + 90000)
            ),
        ]
    }

    static var input: ThreadExportInput {
        ThreadExportInput(
            thread: thread,
            participants: participants,
            readReceipts: readReceipts,
            rootMessageID: "1700000000000",
            chainHead: String(repeating: "ab", count: 32)
        )
    }

    static func revision(
        _ messageID: String,
        version: String,
        type: MessageType = .text,
        sender: String?,
        name: String?,
        created: TimeInterval,
        edited: TimeInterval? = nil,
        deleted: TimeInterval? = nil,
        content: String,
        html: String? = nil,
        text: String? = nil,
        topic: String? = nil,
        participants: [MessageParticipant] = [],
        initiator: String? = nil,
        sequence: Int64
    ) -> MessageRevision {
        MessageRevision(
            threadID: threadID,
            messageID: messageID,
            version: version,
            sequenceID: sequence,
            type: type,
            senderID: sender,
            senderDisplayName: name,
            createdOn: time(created),
            editedOn: edited.map(time),
            deletedOn: deleted.map(time),
            content: content,
            sanitizedHTML: html,
            text: text ?? content,
            topic: topic,
            participants: participants,
            initiatorID: initiator,
            observedOn: time((deleted ?? edited ?? created) + 30)
        )
    }

    static let hostileText = """
        # Heading?
        > quote
        - item
        + plus
        1. one
        2) two
        ```swift
        code
        ```
        ~~~
        | a | b |
        |---|---|
        [link](javascript:alert(1)) ![img](https://evil.example/x.png) [ref]: /url
        <script>alert('x')</script> <img src=x onerror=alert(1)>
            indented code
        *emph* _under_ **strong** ~~strike~~ $math$ &copy; &#x3C;
        trailing\\
        ***
        ===
        ---
        www.evil.example ftp://files.example/a http://ok.example/path_(x).
        From me to you
        >From quoted
        \tTab\tseparated\t
        """

    static var messages: [ArchivedMessage] {
        let base = base
        return [
            ArchivedMessage(revisions: [
                revision(
                    "1700000000000",
                    version: "1700000000000",
                    sender: yamada,
                    name: "山田 太郎",
                    created: base,
                    content: "おはようございます。\n今日の議題は「リリース計画」です。",
                    sequence: 1
                )
            ]),
            ArchivedMessage(revisions: [
                revision(
                    "1700000061000",
                    version: "1700000061000",
                    sender: alice,
                    name: "Alice Smith",
                    created: base + 61,
                    content: "From the release notes:\nSee <https://example.com/a?b=c&d=e> # not a heading",
                    sequence: 2
                ),
                revision(
                    "1700000061000",
                    version: "1700000400000",
                    sender: alice,
                    name: "Alice Smith",
                    created: base + 61,
                    edited: base + 400,
                    content:
                        "From the release notes:\n>From here on, quoting matters.\nSee <https://example.com/a?b=c&d=e> # not a heading 🎉",
                    sequence: 2
                ),
            ]),
            ArchivedMessage(revisions: [
                revision(
                    "1700000122000",
                    version: "1700000122000",
                    type: .html,
                    sender: sato,
                    name: "佐藤 花子",
                    created: base + 122,
                    content: "<p>資料は<b>こちら</b> <a href=\"https://example.com/doc\">doc</a><script>alert(1)</script>"
                        + "<img src=x onerror=alert(2)></p>",
                    html:
                        "<p>資料は<b>こちら</b> <a href=\"https://example.com/doc\" rel=\"noopener noreferrer\">doc</a></p>",
                    text: "資料はこちら doc",
                    sequence: 3
                )
            ]),
            ArchivedMessage(revisions: [
                revision(
                    "1700000150000",
                    version: "1700000150000",
                    sender: sato,
                    name: "佐藤 花子",
                    created: base + 150,
                    content: "間違えました 🙈 password: hunter2",
                    sequence: 4
                ),
                revision(
                    "1700000150000",
                    version: "1700000160000",
                    sender: sato,
                    name: "佐藤 花子",
                    created: base + 150,
                    deleted: base + 160,
                    content: "",
                    text: "",
                    sequence: 4
                ),
            ]),
            ArchivedMessage(revisions: [
                revision(
                    "1700000200000",
                    version: "1700000200000",
                    type: .participantAdded,
                    sender: nil,
                    name: nil,
                    created: base + 200,
                    content: "",
                    text: "",
                    participants: [MessageParticipant(rawID: mallory, displayName: malloryName)],
                    initiator: yamada,
                    sequence: 5
                )
            ]),
            ArchivedMessage(revisions: [
                revision(
                    "1700000300000",
                    version: "1700000300000",
                    sender: mallory,
                    name: malloryName,
                    created: base + 300,
                    content: hostileText,
                    sequence: 6
                )
            ]),
            ArchivedMessage(revisions: [
                revision(
                    "1700000400000",
                    version: "1700000400000",
                    type: .topicUpdated,
                    sender: nil,
                    name: nil,
                    created: base + 400,
                    content: "",
                    text: "",
                    topic: "週次定例 / Weekly sync 🗓",
                    initiator: yamada,
                    sequence: 7
                )
            ]),
            ArchivedMessage(revisions: [
                revision(
                    "1700000700000",
                    version: "1700000700000",
                    type: .participantRemoved,
                    sender: nil,
                    name: nil,
                    created: base + 700,
                    content: "",
                    text: "",
                    participants: [MessageParticipant(rawID: mallory, displayName: malloryName)],
                    initiator: yamada,
                    sequence: 8
                )
            ]),
            ArchivedMessage(revisions: [
                revision(
                    "1700086400000",
                    version: "1700086400000",
                    sender: alice,
                    name: "Alice Smith",
                    created: base + 86400,
                    content: "Price = 100€ =?UTF-8?B?SGk=?= tail   \nFrom: not a header\n\n"
                        + String(repeating: "長", count: 60)
                        + " https://example.com/\(String(repeating: "x", count: 90))",
                    sequence: 9
                )
            ]),
        ]
    }

    /// A second thread whose topic and names try header injection; for single-file exports.
    static let otherThreadID = "19:meeting_ZmE3@thread.v2"
    static var otherInput: ThreadExportInput {
        ThreadExportInput(
            thread: ArchivedThread(
                id: otherThreadID,
                topic: "Ops\r\nBcc: evil@example.com\r\n\r\n<script>x</script>",
                firstSeen: time(base),
                lastSeen: time(base + 1000)
            ),
            participants: [participant(alice, "Alice Smith")]
        )
    }

    static var otherMessages: [ArchivedMessage] {
        [
            ArchivedMessage(revisions: [
                MessageRevision(
                    threadID: otherThreadID,
                    messageID: "1700000500000",
                    version: "1700000500000",
                    type: .text,
                    senderID: alice,
                    senderDisplayName: "Alice\nSmith",
                    createdOn: time(base + 500),
                    content: "deploy done ✅",
                    text: "deploy done ✅",
                    observedOn: time(base + 530)
                )
            ])
        ]
    }

    static func options(withHistory: Bool = false, singleFile: Bool = false) -> ExportOptions {
        ExportOptions(
            withHistory: withHistory,
            toolVersion: toolVersion,
            filters: ExportFilters(threadIDs: [], participantID: nil, since: nil, until: nil),
            singleFile: singleFile
        )
    }

    /// Exports the main fixture thread as one file.
    static func export(_ format: ExportFormat, withHistory: Bool = false) throws -> String {
        var output = ""
        try format.export(input, messages: messages, options: options(withHistory: withHistory), into: &output)
        return output
    }

    /// Exports both fixture threads into one file.
    static func exportSingleFile(_ format: ExportFormat) throws -> String {
        var output = ""
        var writer = format.makeWriter(options: options(singleFile: true))
        try writer.beginFile(into: &output)
        try writer.writeThread(input, messages: messages, into: &output)
        try writer.writeThread(otherInput, messages: otherMessages, into: &output)
        try writer.endFile(into: &output)
        return output
    }
}
