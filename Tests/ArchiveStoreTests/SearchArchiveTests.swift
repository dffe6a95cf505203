import ArchiveModel
import Foundation
import SearchQuery
import Testing

@testable import ArchiveStore

/// A small seeded archive: two threads, English and Japanese text, an edit, a deletion, html with a link,
/// an image and a mention, a system message, and filler so that bm25's IDF is meaningful.
enum SearchSeed {
    static let planning = "19:planning@thread.v2"
    static let tokyo = "19:tokyo@thread.v2"
    static let alice = "8:acs:00000000-0000-0000-0000-0000000000a1"
    static let bob = "8:acs:00000000-0000-0000-0000-0000000000b2"
    static let yuki = "8:acs:00000000-0000-0000-0000-0000000000c3"
    static let names = [alice: "Alice Smith", bob: "Bob Jones", yuki: "田中 Yuki"]

    static func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_796_000_000 + Double(seconds)) }

    static func revision(
        _ id: String,
        _ text: String,
        thread: String = planning,
        sender: String? = alice,
        created: Int,
        version: Int? = nil,
        edited: Int? = nil,
        deleted: Int? = nil,
        type: MessageType = .text,
        html: String? = nil,
        topic: String? = nil,
        attachments: [MessageAttachment] = []
    ) -> MessageRevision {
        MessageRevision(
            threadID: thread,
            messageID: id,
            version: String(1_796_000_000_000 + (version ?? created) * 1000),
            sequenceID: Int64(created),
            type: type,
            senderID: sender,
            senderDisplayName: sender.flatMap { names[$0] },
            createdOn: date(created),
            editedOn: edited.map(date),
            deletedOn: deleted.map(date),
            content: deleted == nil ? (html ?? text) : "",
            sanitizedHTML: deleted == nil ? html : nil,
            text: deleted == nil ? text : "",
            topic: topic,
            attachments: attachments,
            observedOn: date(50_000)
        )
    }

    static let linkHTML =
        #"<p>see <a href="https://example.com" rel="noopener noreferrer nofollow">https://example.com</a> for details</p>"#
    static let imageHTML = #"<p><img src="https://example.com/d.png" alt="diagram"> of the café layout</p>"#
    static let mentionHTML =
        #"<p><span class="mention" data-mention-id="8:acs:b2">Bob</span> please review the résumé</p>"#

    static let planningMessages: [MessageRevision] = [
        revision("m1", "Can we move the release review to Thursday afternoon?", created: 100),
        revision("m2", "The meeting notes are in the shared folder", sender: bob, created: 200),
        revision("m3", "明日の会議は東京で行います", sender: yuki, created: 300),
        revision("m4", "会議室を予約しました meeting room booked", sender: yuki, created: 400),
        revision("m5", "Zoomで打ち合わせしましょう", sender: yuki, created: 500),
        revision("m6", "the secret password is swordfish", created: 600),
        revision("m6", "the password was removed", created: 600, version: 700, edited: 700),
        revision("m7", "confidential merger plans", sender: bob, created: 800),
        revision("m7", "", sender: bob, created: 800, version: 900, deleted: 900),
        revision("m8", "see https://example.com for details", sender: bob, created: 1000, type: .html, html: linkHTML),
        revision("m9", "diagram of the café layout", created: 1100, type: .html, html: imageHTML),
        revision("m10", "Bob please review the résumé", created: 1200, type: .html, html: mentionHTML),
        revision("m11", "", sender: nil, created: 1300, type: .topicUpdated, topic: "Release planning"),
        revision("m12", "ＡＢＣ社との契約を更新", sender: yuki, created: 1400),
        revision("m13", "ﾃｽﾄ完了しました", sender: yuki, created: 1500),
        revision("m14", "docs at http://intranet.example/wiki", created: 1600),
        revision("m15", "budget budget budget review", sender: bob, created: 1700),
        revision("m16", "the budget is one line item among many other things we track", created: 1800),
        revision(
            "m17",
            "photo attached",
            created: 1900,
            attachments: [MessageAttachment(id: "att1", type: "image", name: "photo.png")]
        ),
    ]

    static let tokyoMessages: [MessageRevision] =
        [
            revision("t1", "meeting moved to Friday", thread: tokyo, sender: bob, created: 150),
            revision("t2", "release notes drafted", thread: tokyo, created: 250),
        ]
        + (0..<20).map { index in
            revision(
                "f\(index)",
                "filler message \(index) about lunch",
                thread: tokyo,
                sender: bob,
                created: 2000 + index
            )
        }

    /// A fresh archive holding the seed (in memory unless `path` is given). The tokyo thread was first called "Old name".
    static func makeStore(path: String = ":memory:") async throws -> ArchiveStore {
        let store = try ArchiveStore(path: path)
        _ = try await store.apply(
            ThreadBatch(
                threadID: planning,
                thread: ThreadSnapshot(id: planning, topic: "Release planning"),
                revisions: planningMessages,
                observedOn: date(50_000)
            )
        )
        _ = try await store.apply(
            ThreadBatch(threadID: tokyo, thread: ThreadSnapshot(id: tokyo, topic: "Old name"), observedOn: date(40_000))
        )
        _ = try await store.apply(
            ThreadBatch(
                threadID: tokyo,
                thread: ThreadSnapshot(id: tokyo, topic: "東京オフィス"),
                revisions: tokyoMessages,
                observedOn: date(50_000)
            )
        )
        return store
    }
}

extension ArchiveStore {
    /// Message ids of the hits of `query`, in result order.
    fileprivate func ids(_ query: String, _ options: SearchOptions = SearchOptions(limit: 100)) throws -> [String] {
        try search(SearchQuery(parsing: query), options: options).map(\.messageID)
    }
}

@Suite struct SearchArchiveTests {
    @Test(arguments: [
        ("meeting", ["m2", "m4", "t1"]),
        ("\"meeting notes\"", ["m2"]),
        ("notes meeting", ["m2"]),
        ("\"notes meeting\"", []),
        ("meet*", ["m2", "m4", "t1"]),
        ("\"release no\"*", ["t2"]),
        ("password OR merger", ["m6"]),
        ("meeting -notes", ["m4", "t1"]),
        ("meeting NOT room", ["m2", "t1"]),
        ("(notes OR room) meeting", ["m2", "m4"]),
        ("resume", ["m10"]),
        ("CAFE", ["m9"]),
    ])
    func englishWordsPhrasesPrefixesAndBooleans(query: String, expected: [String]) async throws {
        let store = try await SearchSeed.makeStore()
        #expect(try await store.ids(query).sorted() == expected.sorted())
    }

    @Test(arguments: [
        ("会議", ["m3", "m4"]),
        ("東京", ["m3"]),
        ("議", ["m3", "m4"]),
        ("会", ["m3", "m4"]),
        ("京", ["m3"]),
        ("会議室", ["m4"]),
        ("打ち合わせ", ["m5"]),
        ("東京で行います", ["m3"]),
        ("\"会議室を予約\"", ["m4"]),
        ("会議室 meeting", ["m4"]),
        ("zoomで", ["m5"]),
        ("ABC", ["m12"]),
        ("ａｂｃ社", ["m12"]),
        ("テスト", ["m13"]),
        ("ﾃｽﾄ", ["m13"]),
        ("会議 -東京", ["m4"]),
        ("東京 OR 打ち合わせ", ["m3", "m5"]),
        ("京都", []),
    ])
    func japaneseQueriesOfAnyLengthAndMixedScripts(query: String, expected: [String]) async throws {
        let store = try await SearchSeed.makeStore()
        #expect(try await store.ids(query).sorted() == expected.sorted())
    }

    @Test(arguments: [
        ("from:alice release", ["m1", "t2"]),
        ("from:\"ALICE SMITH\" release", ["m1", "t2"]),
        ("from:\(SearchSeed.bob) meeting", ["m2", "t1"]),
        ("from:田中 会議", ["m3", "m4"]),
        ("thread:\(SearchSeed.tokyo) release", ["t2"]),
        ("topic:planning release", ["m1"]),
        ("topic:\"old name\" release", ["t2"]),
        ("topic:東京 meeting", ["t1"]),
        ("after:2026-11-30 meeting", []),
        ("before:2030-01-01 meeting", ["m2", "m4", "t1"]),
        ("type:html review", ["m10"]),
        ("type:text review", ["m1", "m15"]),
        ("type:system", ["m11"]),
        ("is:edited", ["m6"]),
        ("is:deleted", ["m7"]),
        ("is:deleted merger", ["m7"]),
        ("has:link", ["m8", "m14"]),
        ("has:image", ["m9", "m17"]),
        ("has:mention", ["m10"]),
        ("review (has:mention OR from:bob)", ["m10", "m15"]),
        ("review -from:bob", ["m1", "m10"]),
        ("from:nobody OR budget", ["m15", "m16"]),
    ])
    func everyOperator(query: String, expected: [String]) async throws {
        let store = try await SearchSeed.makeStore()
        #expect(try await store.ids(query).sorted() == expected.sorted())
    }

    /// `thread:`, `topic:` and `from:` narrow the FTS5 walk with facet terms (schema 3); results stay exactly
    /// the filter's, in both indexes, also for no match at all and for filters too broad to narrow.
    @Test(arguments: [
        ("thread:\(SearchSeed.planning) password", false, ["m6"]),
        ("thread:\(SearchSeed.planning) swordfish", true, ["m6"]),
        ("thread:\(SearchSeed.tokyo) swordfish", true, []),
        ("from:alice swordfish", true, ["m6"]),
        ("from:bob swordfish", true, []),
        ("from:bob merger", true, ["m7"]),
        ("topic:release swordfish", true, ["m6"]),
        ("thread:19:missing@thread.v2 meeting", false, []),
        ("topic:nowhere meeting", false, []),
        ("from:nobody meeting", false, []),
        ("from:o meeting", false, ["m2", "t1"]),
        ("thread:\(SearchSeed.tokyo) thread:\(SearchSeed.planning) meeting", false, []),
    ])
    func narrowFiltersGiveExactlyTheFiltersHits(query: String, allVersions: Bool, expected: [String]) async throws {
        let store = try await SearchSeed.makeStore()
        let options = SearchOptions(allVersions: allVersions, limit: 100)
        #expect(try await store.ids(query, options).sorted() == expected.sorted())
        #expect(try await store.searchCount(SearchQuery(parsing: query), options: options) == expected.count)
    }

    @Test func narrowFiltersBecomeFacetTerms() async throws {
        let store = try await SearchSeed.makeStore()
        let planning = try SearchFilter(operator: "thread", value: SearchSeed.planning)
        let missing = try SearchFilter(operator: "thread", value: "19:missing@thread.v2")
        #expect(try await store.facetNarrowing(for: [planning, .isEdited]) == #"(facets : "t1")"#)
        #expect(try await store.facetNarrowing(for: [missing]) == #"(facets : "t0")"#)
        #expect(try await store.facetNarrowing(for: [.from(SearchSeed.bob)]) == #"(facets : "s2" OR facets : "s0")"#)
        #expect(try await store.facetNarrowing(for: [.isEdited, .type(.text)]) == nil)
    }

    /// A filter matching more identities than `facetLimit` is left to the WHERE clause, with the same hits.
    @Test func broadFiltersAreNotNarrowed() async throws {
        let store = try ArchiveStore(path: ":memory:")
        let count = ArchiveStore.facetLimit + 6
        let messages = (0..<count).map { index in
            var message = Fixtures.message("\(index)", text: "hello", sender: "8:acs:user-\(index)", created: index)
            message.senderDisplayName = "User \(index)"
            return message
        }
        _ = try await store.apply(Fixtures.batch(messages))
        #expect(try await store.facetNarrowing(for: [.from("8:acs:user-3")]) == #"(facets : "s4" OR facets : "s0")"#)
        #expect(try await store.facetNarrowing(for: [.from("User")]) == nil)
        #expect(try await store.searchCount(SearchQuery(parsing: "from:user hello")) == count)
        #expect(
            try await store.ids("from:\"user 6\" hello").sorted() == [
                "6", "60", "61", "62", "63", "64", "65", "66", "67", "68", "69",
            ]
        )
    }

    /// Words that look like facet terms are the user's text: they never match the `facets` column.
    @Test(arguments: ["t1", "s1", "s0", "t2 s2", "facets"])
    func facetTermsAreNotSearchableText(query: String) async throws {
        let store = try await SearchSeed.makeStore()
        #expect(try await store.ids(query, SearchOptions(allVersions: true, limit: 100)).isEmpty)
    }

    /// `from:` finds a message by the name it was sent under even after the identity was renamed, because
    /// sender_names lists every name an identity sent under; verify checks that list.
    @Test func fromFindsOldSenderNamesAfterARename() async throws {
        let store = try await SearchSeed.makeStore()
        _ = try await store.apply(
            ThreadBatch(
                threadID: SearchSeed.planning,
                identities: [ArchivedIdentity(rawID: SearchSeed.alice, displayName: "Alice Cooper")],
                observedOn: SearchSeed.date(60_000)
            )
        )
        #expect(try await store.ids("from:smith release").sorted() == ["m1", "t2"])
        #expect(try await store.ids("from:cooper release").sorted() == ["m1", "t2"])
        #expect(try await store.verify().isIntact)
    }

    @Test func timeOperatorsUseCreationTimeInUTC() async throws {
        let store = try await SearchSeed.makeStore()
        // m2 is created at 1_796_000_200 = 2026-11-30T00:56:40Z, t1 50 s earlier, m4 200 s later.
        #expect(try await store.ids("meeting after:2026-11-30T00:56:40Z") == ["m4"])
        #expect(try await store.ids("meeting before:2026-11-30T00:56:40Z") == ["t1"])
        #expect(try await store.ids("meeting on:2026-11-30").sorted() == ["m2", "m4", "t1"])
        #expect(try await store.ids("meeting on:2026-12-01").isEmpty)
        let flags = [try SearchFilter(operator: "after", value: "2026-11-30T00:56:00Z")]
        let query = try SearchQuery(parsing: "meeting", filters: flags)
        #expect(try await store.search(query, options: SearchOptions(sort: .oldest)).map(\.messageID) == ["m2", "m4"])
    }

    @Test func editedAwayAndDeletedWordsNeedAllVersions() async throws {
        let store = try await SearchSeed.makeStore()
        #expect(try await store.ids("swordfish").isEmpty)
        #expect(try await store.ids("merger").isEmpty)

        let all = SearchOptions(allVersions: true, sort: .oldest)
        let sword = try await store.search(SearchQuery(parsing: "swordfish"), options: all)
        #expect(sword.map(\.messageID) == ["m6"])
        #expect(sword.first?.isCurrent == false)
        #expect(sword.first?.version == "1796000600000")
        #expect(sword.first?.editedOn == nil)
        #expect(sword.first?.text == "the secret password is swordfish")

        let merger = try await store.search(SearchQuery(parsing: "merger"), options: all)
        #expect(merger.map(\.messageID) == ["m7"])
        #expect(merger.first?.isCurrent == false)
        #expect(merger.first?.deletedOn == SearchSeed.date(900))

        // Both versions of m6 say "password": one hit each, the current one marked current.
        let password = try await store.search(SearchQuery(parsing: "password"), options: all)
        #expect(password.map(\.version).sorted() == ["1796000600000", "1796000700000"])
        #expect(password.filter(\.isCurrent).map(\.version) == ["1796000700000"])
        #expect(try await store.searchCount(SearchQuery(parsing: "password"), options: all) == 2)
        #expect(try await store.ids("password") == ["m6"])
    }

    @Test func hitsCarryTheMessageFields() async throws {
        let store = try await SearchSeed.makeStore()
        let hit = try #require(try await store.search(SearchQuery(parsing: "Thursday")).first)
        #expect(hit.threadID == SearchSeed.planning)
        #expect(hit.messageID == "m1")
        #expect(hit.version == "1796000100000")
        #expect(hit.type == .text)
        #expect(hit.senderID == SearchSeed.alice)
        #expect(hit.senderDisplayName == "Alice Smith")
        #expect(hit.createdOn == SearchSeed.date(100))
        #expect(hit.editedOn == nil && hit.deletedOn == nil)
        #expect(hit.topic == "Release planning")
        #expect(hit.isCurrent)
        #expect(hit.score != nil)

        let edited = try #require(try await store.search(SearchQuery(parsing: "removed")).first)
        #expect(edited.editedOn == SearchSeed.date(700))
        let tokyo = try #require(try await store.search(SearchQuery(parsing: "drafted")).first)
        #expect(tokyo.topic == "東京オフィス")
        let system = try #require(try await store.search(SearchQuery(parsing: "type:system")).first)
        #expect(system.senderID == nil && system.score == nil)
    }

    @Test(arguments: [
        ("Thursday", ["Thursday"]),
        ("会議", ["会議"]),
        ("meet*", ["meeting"]),
        ("resume", ["résumé"]),
        ("\"meeting notes\"", ["meeting", "notes"]),
        ("ABC", ["ＡＢＣ"]),
    ])
    func snippetsHighlightTheMatchedTerms(query: String, highlighted: [String]) async throws {
        let store = try await SearchSeed.makeStore()
        let hits = try await store.search(SearchQuery(parsing: query))
        #expect(!hits.isEmpty)
        for hit in hits {
            let characters = Array(hit.snippet.text)
            let marked = hit.snippet.highlights.map { String(characters[$0]) }
            #expect(!marked.isEmpty)
            #expect(marked.allSatisfy { highlighted.contains($0) }, "\(marked)")
        }
    }

    @Test func longTextIsCutAroundTheMatch() async throws {
        let store = try await SearchSeed.makeStore()
        let options = SearchOptions(snippetLength: 20)
        let hit = try #require(try await store.search(SearchQuery(parsing: "track"), options: options).first)
        #expect(hit.snippet.text.hasPrefix("…"))
        #expect(hit.snippet.text.count <= 22)
        let range = try #require(hit.snippet.highlights.first)
        #expect(String(Array(hit.snippet.text)[range]) == "track")
    }

    @Test func matchesBeyondTheSnippetAreNotHighlighted() async throws {
        // Regression: SearchText.snippet trapped when a later match fell outside the excerpt.
        let store = try ArchiveStore(path: ":memory:")
        let filler = String(repeating: "word ", count: 60)
        let long = "kickoff " + filler + "kickoff " + filler + "kickoff"
        _ = try await store.apply(
            ThreadBatch(
                threadID: SearchSeed.planning,
                revisions: [SearchSeed.revision("long", long, created: 1)],
                observedOn: SearchSeed.date(50_000)
            )
        )
        let hit = try #require(try await store.search(SearchQuery(parsing: "kickoff")).first)
        let characters = Array(hit.snippet.text)
        #expect(hit.snippet.highlights.map { String(characters[$0]) } == ["kickoff"])
    }

    @Test func sortOrders() async throws {
        let store = try await SearchSeed.makeStore()
        #expect(try await store.ids("meeting", SearchOptions(sort: .newest)) == ["m4", "m2", "t1"])
        #expect(try await store.ids("meeting", SearchOptions(sort: .oldest)) == ["t1", "m2", "m4"])
        // Three occurrences in a short message rank above one in a long one.
        let ranked = try await store.search(SearchQuery(parsing: "budget"), options: SearchOptions(sort: .relevance))
        #expect(ranked.map(\.messageID) == ["m15", "m16"])
        let scores = ranked.compactMap(\.score)
        #expect(scores.count == 2 && scores[0] > scores[1])
        // Without text, relevance means newest first.
        #expect(try await store.ids("is:edited OR is:deleted", SearchOptions(allVersions: true)).first == "m7")
    }

    @Test func theRankingWindowNeverShortensAPage() async throws {
        let store = try await SearchSeed.makeStore()
        let query = try SearchQuery(parsing: "lunch OR meeting")
        let exact = try await store.search(query, options: SearchOptions(limit: 100, rankingWindow: nil))
        #expect(exact.count == 23)
        #expect(
            try await store.search(query, options: SearchOptions(limit: 100)).map(\.messageID) == exact.map(\.messageID)
        )
        // A window of 1 still fills the page (the window grows to offset + limit) with the newest matches.
        let windowed = try await store.search(query, options: SearchOptions(limit: 5, offset: 2, rankingWindow: 1))
        #expect(windowed.count == 5)
        #expect(Set(windowed.map(\.messageID)).isSubset(of: (13..<20).map { "f\($0)" }))
    }

    @Test func limitOffsetAndCount() async throws {
        let store = try await SearchSeed.makeStore()
        let query = try SearchQuery(parsing: "lunch")
        #expect(try await store.searchCount(query) == 20)
        let first = try await store.search(query, options: SearchOptions(sort: .oldest, limit: 8))
        let second = try await store.search(query, options: SearchOptions(sort: .oldest, limit: 8, offset: 8))
        let last = try await store.search(query, options: SearchOptions(sort: .oldest, limit: 8, offset: 16))
        #expect(first.count == 8 && second.count == 8 && last.count == 4)
        #expect((first + second + last).map(\.messageID) == (0..<20).map { "f\($0)" })
        #expect(try await store.search(query, options: SearchOptions(limit: 0)).isEmpty)
        let fromBob = try SearchQuery(parsing: "from:bob")
        #expect(try await store.searchCount(fromBob) == 24)
        #expect(try await store.searchCount(fromBob, options: SearchOptions(allVersions: true)) == 25)
    }

    @Test(arguments: [
        "\"unbalanced", "(meeting", "meeting)", "()", "meeting OR", "NOT", "form:alice", "after:2024-13-45",
        "type:foo", "is:new", "has:", "a*", "!!!", "-lunch", String(repeating: "x ", count: 600),
    ])
    func malformedQueriesAreRejectedBeforeSQL(query: String) {
        #expect(throws: SearchQueryError.self) { try SearchQuery(parsing: query) }
    }

    @Test(arguments: [
        "text:swordfish", "cjk:会議", "facets:t1", "{facets}: s1", "NEAR(meeting notes)", "{text cjk}: swordfish",
        "^meeting", "meeting\"*",
        "x\" OR rowid>0 OR \"", "from:\"' OR 1=1 --\"", "thread:\"x'); DROP TABLE messages; --\"",
        "'; DELETE FROM revisions; --", "topic:\"%\" meeting", "from:_ meeting", "meeting AND AND notes",
        "\"\"\"\" meeting", "会議\" OR \"", "-- comment", "/* c */ meeting", "\u{0}meeting",
    ])
    func injectionAttemptsAreJustText(query: String) async throws {
        let store = try await SearchSeed.makeStore()
        let before = try await store.stats()
        do {
            let parsed = try SearchQuery(parsing: query)
            let hits = try await store.search(parsed, options: SearchOptions(allVersions: true))
            _ = try await store.searchCount(parsed)
            // None of these may reach the edited-away text through FTS5 column syntax.
            #expect(!hits.contains { $0.messageID == "m6" && !$0.isCurrent })
        } catch is SearchQueryError {
            // Rejected by the parser with a position: fine.
        }
        let after = try await store.stats()
        #expect(after.messages == before.messages && after.revisions == before.revisions)
    }
}
