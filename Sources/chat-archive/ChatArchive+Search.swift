import ArchiveModel
import ArchiveStore
import ArgumentParser
import Foundation
import SearchQuery

extension ChatArchive {
    /// `chat-archive search`: parses the query and flags, asks the store, prints hits.
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the archive: words, \"phrases\", prefix*, Japanese, operators.",
            discussion: """
                QUERY LANGUAGE
                  meeting notes      both words (AND is implicit)
                  "meeting notes"    the exact phrase
                  meet*  "re no"*    a prefix, a phrase prefix
                  a OR b  NOT a  -a  OR/AND/NOT only in upper case; implicit AND
                                     binds loosest: x a OR b = x AND (a OR b)
                  ( ... )            grouping
                  会議  東京  会      CJK of any length matches as a substring;
                                     full/half width and accents fold
                                     (ＡＢＣ = abc, ｶﾞｽ = ガス, resume = résumé)
                OPERATORS (quote values with spaces: from:"Yuki Tanaka")
                  from:WHO           raw id, or part of the display name
                                     (case-insensitive)
                  thread:ID          one thread
                  topic:TEXT         threads whose topic (now or ever) has TEXT
                  after:D before:D on:D
                                     creation time in UTC: 2024-05-01 or
                                     2024-05-01T09:30:00Z; after/before exclude
                                     the day or instant named
                  type:text|html|system  is:edited  is:deleted
                  has:link|image|mention
                Quote operator-like text to search it: "from:x". The flags --from, \
                --thread, --since (after:), --until (before:), --type, --edited and \
                --deleted add the same conditions. Put `--` before a query that starts \
                with '-'.

                Hits are the current text of messages; a deleted message's last \
                content is searched when the query asks for deleted messages \
                (is:deleted, --deleted). --all-versions also searches every earlier \
                revision; such hits are marked [earlier version] or [deleted] \
                (isCurrent false). Relevance is bm25 over the 1,000 most recently \
                archived matches; --sort newest|oldest orders every match.

                --json prints one object per line: threadId, messageId, version, \
                type, senderId, senderDisplayName, createdOn, editedOn, deletedOn, \
                topic, snippet, highlights ([start, end) character offsets into \
                snippet), isCurrent, score (higher is more relevant; null without \
                text). A malformed query prints the problem and its position and \
                exits with code 2.
                """
        )

        enum SortOrder: String, ExpressibleByArgument, CaseIterable {
            case relevance, newest, oldest
        }

        enum Kind: String, ExpressibleByArgument, CaseIterable {
            case text, html, system
        }

        @OptionGroup var archiveOptions: ArchiveOptions

        @Argument(help: ArgumentHelp("The query; several arguments are joined with spaces.", valueName: "QUERY"))
        var query: [String] = []

        @Option(help: ArgumentHelp("Only this thread.", valueName: "ID"))
        var thread: String?

        @Option(help: ArgumentHelp("Only this sender (raw id or display name).", valueName: "WHO"))
        var from: String?

        @Option(help: ArgumentHelp("Created after this day or time (UTC).", valueName: "T"))
        var since: String?

        @Option(help: ArgumentHelp("Created before this day or time (UTC).", valueName: "T"))
        var until: String?

        @Option(help: "Only this message type.")
        var type: Kind?

        @Flag(help: "Only edited messages.")
        var edited = false

        @Flag(help: "Only deleted messages (their last content is searched).")
        var deleted = false

        @Flag(help: "Also match earlier revisions and deleted content.")
        var allVersions = false

        @Option(help: "Order of hits.")
        var sort: SortOrder = .relevance

        @Option(help: "At most N hits.")
        var limit = 20

        @Option(help: "Skip the first N hits.")
        var offset = 0

        @Flag(help: "Print only the number of hits.")
        var count = false

        @Flag(help: "Print JSON Lines, one hit per line.")
        var json = false

        func validate() throws {
            guard (0...SearchOptions.maximumLimit).contains(limit) else {
                throw ValidationError("--limit must be between 0 and \(SearchOptions.maximumLimit)")
            }
            guard offset >= 0 else { throw ValidationError("--offset must not be negative") }
        }

        func run() async throws {
            try await ChatArchive.reportingErrors {
                let parsed = try makeQuery()
                let store = try archiveOptions.openExisting()
                let options = SearchOptions(
                    allVersions: allVersions,
                    sort: SearchOptions.Sort(rawValue: sort.rawValue) ?? .relevance,
                    limit: limit,
                    offset: offset
                )
                if count {
                    print(try await store.searchCount(parsed, options: options))
                    return
                }
                let hits = try await store.search(parsed, options: options)
                if json {
                    for hit in hits { print(try CLIJSON.line(SearchHitJSON(hit))) }
                    return
                }
                let style = HitStyle(isTerminal: isatty(STDOUT_FILENO) != 0)
                for hit in hits { print(style.render(hit)) }
                if hits.isEmpty { FileHandle.standardError.write(Data("no matches\n".utf8)) }
            }
        }

        /// The query with the flags as filters; problems become one line and exit code 2.
        private func makeQuery() throws -> SearchQuery {
            var filters: [SearchFilter] = []
            let flags: [(flag: String, name: String, value: String?)] = [
                ("--thread", "thread", thread), ("--from", "from", from), ("--since", "after", since),
                ("--until", "before", until), ("--type", "type", type?.rawValue),
                ("--edited", "is", edited ? "edited" : nil), ("--deleted", "is", deleted ? "deleted" : nil),
            ]
            for (flag, name, value) in flags {
                guard let value else { continue }
                do {
                    filters.append(try SearchFilter(operator: name, value: value))
                } catch let error as SearchQueryError {
                    throw CLIError("\(flag): \(error.message)" + (error.hint.map { " (\($0))" } ?? ""), exitCode: 2)
                }
            }
            do {
                return try SearchQuery(parsing: query.joined(separator: " "), filters: filters)
            } catch let error as SearchQueryError {
                throw CLIError("bad query: \(error)", exitCode: 2)
            }
        }
    }
}

/// The `search --json` line: the ARCHITECTURE.md keys (never renamed) plus `highlights`.
private struct SearchHitJSON: Encodable {
    var threadId: String
    var messageId: String
    var version: String
    var type: String
    var senderId: String?
    var senderDisplayName: String?
    var createdOn: Date
    var editedOn: Date?
    var deletedOn: Date?
    var topic: String?
    var snippet: String
    /// `[start, end)` pairs of Character offsets into `snippet`.
    var highlights: [[Int]]
    var isCurrent: Bool
    var score: Double?

    init(_ hit: SearchHit) {
        threadId = hit.threadID
        messageId = hit.messageID
        version = hit.version
        type = hit.type.rawValue
        senderId = hit.senderID
        senderDisplayName = hit.senderDisplayName
        createdOn = hit.createdOn
        editedOn = hit.editedOn
        deletedOn = hit.deletedOn
        topic = hit.topic
        snippet = hit.snippet.text
        highlights = hit.snippet.highlights.map { [$0.lowerBound, $0.upperBound] }
        isCurrent = hit.isCurrent
        score = hit.score
    }

    enum CodingKeys: String, CodingKey {
        case threadId, messageId, version, type, senderId, senderDisplayName, createdOn, editedOn, deletedOn, topic
        case snippet, highlights, isCurrent, score
    }

    // Absent values are written as null, not left out: scripts may rely on every key being there.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(threadId, forKey: .threadId)
        try container.encode(messageId, forKey: .messageId)
        try container.encode(version, forKey: .version)
        try container.encode(type, forKey: .type)
        try container.encode(senderId, forKey: .senderId)
        try container.encode(senderDisplayName, forKey: .senderDisplayName)
        try container.encode(createdOn, forKey: .createdOn)
        try container.encode(editedOn, forKey: .editedOn)
        try container.encode(deletedOn, forKey: .deletedOn)
        try container.encode(topic, forKey: .topic)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(highlights, forKey: .highlights)
        try container.encode(isCurrent, forKey: .isCurrent)
        try container.encode(score, forKey: .score)
    }
}

/// Human output: a header line per hit, then the snippet with matches in bold (terminal) or «marked».
struct HitStyle {
    var isTerminal: Bool

    func render(_ hit: SearchHit) -> String {
        var header = [Timestamp.format(hit.createdOn), clean(hit.senderDisplayName ?? hit.senderID ?? "(system)")]
        if let topic = hit.topic, !topic.isEmpty { header.append("#" + clean(topic)) }
        header.append(clean(hit.messageID))
        if hit.editedOn != nil { header.append("[edited]") }
        if hit.deletedOn != nil { header.append("[deleted]") }
        if !hit.isCurrent && hit.deletedOn == nil { header.append("[earlier version]") }
        let headerLine = header.joined(separator: "  ")
        return (isTerminal ? "\u{1B}[2m\(headerLine)\u{1B}[0m" : headerLine) + "\n    " + marked(hit.snippet)
    }

    private func marked(_ snippet: SearchSnippet) -> String {
        let (open, close) = isTerminal ? ("\u{1B}[1m", "\u{1B}[0m") : ("«", "»")
        var output = ""
        var position = 0
        let characters = Array(snippet.text)
        for range in snippet.highlights where range.lowerBound >= position && range.upperBound <= characters.count {
            output += String(characters[position..<range.lowerBound]) + open
            output += String(characters[range]) + close
            position = range.upperBound
        }
        return output + String(characters[position...])
    }

    /// Names, topics and ids come from the service: no control characters reach the terminal.
    private func clean(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map {
                    $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? "?" : $0
                }
            )
        )
    }
}
