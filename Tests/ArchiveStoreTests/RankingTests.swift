import ArchiveModel
import Foundation
import Testing

@testable import ArchiveStore

/// `archive_bm25` (CSQLite's shim.h) against FTS5's own bm25: the same scores while every phrase has fewer
/// matches than the sample, close scores and the same order beyond it.
@Suite struct RankingTests {
    /// Each row's (bm25, archive_bm25) for `match` on the current-text index.
    private static func scores(_ path: String, _ match: String) throws -> [(exact: Double, sampled: Double)] {
        try withRawConnection(path) { connection in
            try connection.withStatement(
                """
                SELECT bm25(messages_fts, 1.0, 1.0, 0.0),
                    archive_bm25(messages_fts, (SELECT max(id) FROM messages), 1.0, 1.0, 0.0)
                FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid
                """
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, match)
                var rows: [(Double, Double)] = []
                while try statement.step() { rows.append((statement.double(0), statement.double(1))) }
                return rows
            }
        }
    }

    /// `scores` of `match` over a fresh copy of the seeded search archive.
    private static func seededScores(_ match: String) async throws -> [(exact: Double, sampled: Double)] {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        _ = try await SearchSeed.makeStore(path: path)
        return try scores(path, match)
    }

    @Test(arguments: [
        #"text : "meeting" AND text : "notes""#, #"text : "budget" OR text : "review""#,
        #"text : "meeting" NOT text : "room""#, #"text : "meeting" AND cjk : "会議""#,
    ])
    func belowTheSampleScoresAreBM25s(match: String) async throws {
        let rows = try await Self.seededScores(match)
        #expect(!rows.isEmpty)
        for row in rows { #expect(abs(row.exact - row.sampled) < 1e-9, "\(row)") }
    }

    /// One phrase needs no document frequency: every score is bm25's divided by the phrase's IDF, so the order
    /// is bm25's.
    @Test(arguments: [#"text : "budget""#, #"text : "meet" *"#, #"text : "release review""#, #"cjk : "会議""#])
    func onePhraseScoresAreProportionalToBM25s(match: String) async throws {
        let rows = try await Self.seededScores(match)
        #expect(!rows.isEmpty)
        let ratio = rows[0].exact / rows[0].sampled
        #expect(ratio > 0)
        for row in rows { #expect(abs(row.exact - ratio * row.sampled) < 1e-9, "\(row)") }
    }

    @Test func aboveTheSampleScoresAreCloseAndOneWordRanksTheSame() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try ArchiveStore(path: path)
        // "common" in every other message (5,000 > the 4,096 sample), "rare" in every 97th, lengths varying.
        let messages = (0..<10_000).map { index in
            var words = ["note", "\(index)"]
            if index % 2 == 0 { words.append("common") }
            if index % 97 == 0 { words.append("rare") }
            words += Array(repeating: "filler", count: index % 7)
            if index % 3 == 0 { words.append("common") }
            return Fixtures.message("\(index)", text: words.joined(separator: " "), created: index)
        }
        _ = try await store.apply(Fixtures.batch(messages))

        let one = try Self.scores(path, #"text : "common""#)
        #expect(one.count == 6_667)
        let exactOrder = one.indices.sorted { (one[$0].exact, $0) < (one[$1].exact, $1) }
        let sampledOrder = one.indices.sorted { (one[$0].sampled, $0) < (one[$1].sampled, $1) }
        #expect(exactOrder == sampledOrder)

        for row in try Self.scores(path, #"text : "common" OR text : "rare" OR text : "note""#) {
            #expect(abs(row.sampled - row.exact) <= 0.02 * abs(row.exact), "\(row)")
        }
    }
}
