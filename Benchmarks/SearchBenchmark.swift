import ArchiveModel
import ArchiveStore
import Foundation
import SearchQuery
import SeededRandom

/// Search latency over a generated English + Japanese archive, per query kind, plus the index size overhead.
///
/// `chat-archive-bench search [--messages N] [--threads N] [--runs N] [--window N] [--path FILE] [--per-query]`
/// (release build; `--per-query` adds each query's p50/p99 under its kind).
/// With `--path`, an existing archive at FILE is reused (built there first when missing), so the slow
/// build happens once. Text is deterministic (fixed seed): Zipf-like English words with common phrases,
/// Japanese sentences of kanji compounds, kana and katakana loanwords, a little code-switching; one
/// message in 50 is edited and one in 200 deleted.
enum SearchBenchmark {
    static func run(arguments: [String]) async throws {
        let total = option("messages", in: arguments).flatMap(Int.init) ?? 1_000_000
        let threadCount = max(1, option("threads", in: arguments).flatMap(Int.init) ?? 500)
        let runs = max(1, option("runs", in: arguments).flatMap(Int.init) ?? 100)
        // `--window N` sets SearchOptions.rankingWindow (0 = rank every match, exact bm25).
        let window = option("window", in: arguments).flatMap(Int.init) ?? SearchOptions().rankingWindow ?? 0
        let options = SearchOptions(rankingWindow: window > 0 ? window : nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("search-bench-\(UUID())")
        let keep = option("path", in: arguments) != nil
        let path = option("path", in: arguments) ?? directory.appendingPathComponent("search.sqlite").path
        if !keep { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }

        let store = try ArchiveStore(path: path)
        let existing = try await store.stats().messages
        if existing == 0 {
            let start = ContinuousClock.now
            try await build(store, total: total, threadCount: threadCount)
            let seconds = (ContinuousClock.now - start).seconds
            print("built \(total) messages in \(String(format: "%.1f", seconds)) s")
        } else {
            print("reusing \(path): \(existing) messages")
        }

        let size = try await store.searchIndexSize()
        let mib = { (bytes: Int64) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        var sizeLine = "file \(mib(size.totalBytes))"
        if let index = size.indexBytes {
            sizeLine += ", FTS5 tables \(mib(index)) (\(percent(index, of: size.totalBytes)))"
        }
        sizeLine += ", derived search_text/cjk columns \(mib(size.derivedColumnBytes))"
        sizeLine += " (\(percent(size.derivedColumnBytes, of: size.totalBytes)))"
        print(sizeLine)

        let firstThread = "19:search-bench-0@thread.v2"
        let mix: [(kind: String, target: Double, queries: [String])] = [
            ("common word", 20, ["meeting", "release", "review", "team", "update"]),
            ("rare word", 20, [100, 300, 700, 1500, 2900].map { TextGenerator.rare[$0] }),
            ("phrase", 20, ["\"release review\"", "\"build is green\"", "\"customer feedback\"", "\"action items\""]),
            ("prefix", 20, ["meet*", "rel*", "cust*", "deploy*"]),
            ("Japanese 2-char", 60, ["会議", "東京", "資料", "確認", "予算"]),
            ("Japanese 4-char", 60, ["会議資料", "東京本社", "品質管理", "予算会議"]),
            (
                "operator-filtered", 60,
                [
                    "from:\"User 17\" release", "release after:2027-06-01", "会議 type:text", "meeting is:edited",
                    "thread:\(firstThread) review", "customer -feedback from:user",
                ]
            ),
        ]
        print("top 20 with snippets, relevance, ranking window \(window > 0 ? String(window) : "off (exact)")")
        print("kind                 p50 ms   p99 ms   target p99   hits/query (top 20 of)")
        for (kind, target, queries) in mix {
            let parsed = try queries.map { try SearchQuery(parsing: $0) }
            var totals: [Int] = []
            for query in parsed {
                _ = try await store.search(query, options: options)  // warm the page cache and statement cache
                totals.append(try await store.searchCount(query))
            }
            var latencies: [Double] = []
            var perQuery = [[Double]](repeating: [], count: parsed.count)
            for run in 0..<runs {
                for (index, query) in parsed.enumerated() {
                    let start = ContinuousClock.now
                    let hits = try await store.search(query, options: options)
                    let milliseconds = (ContinuousClock.now - start).seconds * 1000
                    latencies.append(milliseconds)
                    perQuery[index].append(milliseconds)
                    if run == 0 && hits.isEmpty { print("  warning: no hits for a \(kind) query") }
                }
            }
            let p99 = percentile(latencies, 0.99)
            let columns = [
                kind.padding(toLength: 20, withPad: " ", startingAt: 0),
                String(format: "%7.2f", median(latencies)),
                String(format: "%8.2f", p99),
                String(format: "%8.0f ", target) + (p99 < target ? "ok" : "MISS"),
                "   " + totals.map(String.init).joined(separator: "/"),
            ]
            print(columns.joined(separator: " "))
            if arguments.contains("--per-query") {
                for (query, times) in zip(queries, perQuery) {
                    print(String(format: "    %7.2f %8.2f   ", median(times), percentile(times, 0.99)) + query)
                }
            }
        }
        print(String(format: "peak RSS %.0f MiB", peakRSSMebibytes()))
    }

    private static func build(_ store: ArchiveStore, total: Int, threadCount: Int) async throws {
        var generator = TextGenerator(seed: 0x5EED)
        let base = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28
        // Whatever the size, the archive spans two years, so date filters select a similar share.
        let spacing = max(1, 63_072_000_000 / Int64(max(total, 1)))  // milliseconds between messages
        let batchSize = 1000
        var made = 0
        var batch = 0
        while made < total {
            let count = min(batchSize, total - made)
            let thread = "19:search-bench-\(batch % threadCount)@thread.v2"
            var revisions: [MessageRevision] = []
            revisions.reserveCapacity(count + count / 40)
            for offset in 0..<count {
                let n = made + offset
                let offsetMillis = Int64(n) * spacing
                let created = base.addingTimeInterval(Double(offsetMillis) / 1000)
                let user = generator.next(below: 200)
                let id = String(1_780_000_000_000 + offsetMillis)
                var revision = MessageRevision(
                    threadID: thread,
                    messageID: id,
                    version: id,
                    sequenceID: Int64(n),
                    type: .text,
                    senderID: "8:acs:bench-user-\(user)",
                    senderDisplayName: "User \(user)",
                    createdOn: created,
                    content: "",
                    text: "",
                    observedOn: created
                )
                let text = generator.message()
                revision.content = text
                revision.text = text
                revisions.append(revision)
                if n % 50 == 7 {
                    var edit = revision
                    edit.version = String(1_780_000_000_000 + offsetMillis + 5)
                    edit.editedOn = created.addingTimeInterval(0.005)
                    edit.text = text + " (edited) " + generator.message()
                    edit.content = edit.text
                    revisions.append(edit)
                } else if n % 200 == 11 {
                    var deletion = revision
                    deletion.version = String(1_780_000_000_000 + offsetMillis + 9)
                    deletion.deletedOn = created.addingTimeInterval(0.009)
                    deletion.text = ""
                    deletion.content = ""
                    revisions.append(deletion)
                }
            }
            _ = try await store.apply(ThreadBatch(threadID: thread, revisions: revisions, observedOn: base))
            made += count
            batch += 1
            if batch % 100 == 0 { print("  \(made) messages", terminator: "\r") }
        }
    }

    private static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }

    private static func percent(_ part: Int64, of whole: Int64) -> String {
        whole > 0 ? String(format: "%.0f%%", Double(part) * 100 / Double(whole)) : "-"
    }
}

/// Deterministic chat text: SplitMix64 over fixed word lists.
private struct TextGenerator {
    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Roughly Zipf: index i is picked with probability about 1 / ((i + 1) · ln n).
    mutating func zipf(_ count: Int) -> Int {
        let u = Double(next() >> 11) / Double(1 << 53)
        return min(count - 1, Int(pow(Double(count), u)) - 1)
    }

    static let common = [
        "the", "we", "to", "and", "a", "is", "for", "on", "it", "can", "this", "of", "in", "with", "please",
        "meeting", "release", "review", "team", "update", "build", "test", "customer", "deploy", "plan", "today",
        "tomorrow", "check", "fix", "issue", "report", "data", "server", "client", "design", "budget", "schedule",
        "feedback", "notes", "project", "sprint", "ticket", "change", "branch", "staging", "production", "logs",
        "latency", "error", "morning", "afternoon", "Thursday", "Friday", "invoice", "contract", "compliance",
    ]
    static let phrases = [
        "release review", "build is green", "customer feedback", "action items", "see you tomorrow",
        "sounds good to me", "let me check", "quarterly report", "on call rotation", "merge request",
    ]
    /// Rare words: invented, so that their frequency is set by the Zipf tail alone.
    static let rare: [String] = {
        let onsets = ["z", "qu", "v", "pl", "dr", "br", "k", "st", "gl", "fr", "m", "t"]
        let vowels = ["o", "i", "a", "e", "u"]
        let codas = ["rv", "lbr", "xt", "m", "zz", "nd", "sk", "r", "l", "n"]
        var words: [String] = []
        for onset in onsets {
            for vowel in vowels {
                for coda in codas {
                    for ending in ["at", "endo", "ari", "uk", "le"] { words.append(onset + vowel + coda + ending) }
                }
            }
        }
        return words
    }()
    static let japaneseWords = [
        "会議", "東京", "資料", "確認", "予算", "明日", "本社", "品質", "管理", "開発", "リリース", "テスト", "レビュー",
        "お客様", "報告", "大阪", "営業", "来週", "打ち合わせ", "スケジュール", "サーバー", "障害", "対応", "契約", "更新",
        "会議資料", "東京本社", "品質管理", "予算会議", "進捗", "共有", "連絡",
    ]
    static let particles = ["の", "は", "を", "に", "で", "と", "が", "も"]
    static let endings = ["です。", "します。", "お願いします。", "しました。", "を確認してください。", "はありますか？"]

    mutating func message() -> String {
        switch next(below: 10) {
        case 0..<6: english()
        case 6..<9: japanese()
        default: japanese() + " " + english()
        }
    }

    private mutating func english() -> String {
        var words: [String] = []
        for _ in 0..<(5 + next(below: 10)) {
            if next(below: 12) == 0 {
                words.append(Self.rare[zipf(Self.rare.count)])
            } else {
                words.append(Self.common[zipf(Self.common.count)])
            }
        }
        if next(below: 4) == 0 {
            words.insert(Self.phrases[zipf(Self.phrases.count)], at: next(below: words.count + 1))
        }
        return words.joined(separator: " ")
    }

    private mutating func japanese() -> String {
        var text = ""
        for _ in 0..<(2 + next(below: 4)) {
            text += Self.japaneseWords[zipf(Self.japaneseWords.count)]
            text += Self.particles[next(below: Self.particles.count)]
        }
        return text + Self.japaneseWords[next(below: Self.japaneseWords.count)] + Self.endings[next(below: 6)]
    }
}

extension Duration {
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
