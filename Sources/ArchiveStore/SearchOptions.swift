/// How `ArchiveStore.search` orders, pages and widens its hits.
public struct SearchOptions: Sendable, Hashable {
    /// Hit order. `relevance` is bm25 (best first, then newest); queries without text fall back to `newest`.
    public enum Sort: String, Sendable, Hashable, CaseIterable {
        case relevance
        case newest
        case oldest
    }

    /// Also match earlier revisions and deleted content (`--all-versions`); such hits have `isCurrent == false`.
    public var allVersions: Bool
    public var sort: Sort
    /// At most this many hits (clamped to 0 ... 10,000).
    public var limit: Int
    /// Hits to skip first (`--offset`).
    public var offset: Int
    /// Longest snippet, in characters (plus `…` marks).
    public var snippetLength: Int
    /// `relevance` ranks (bm25) at most this many matches per index: the most recently archived ones, and never
    /// fewer than `offset + limit`. Computing bm25 costs a lookup per match, so ranking every one of a common
    /// word's 100,000 matches would take a second; nil ranks them all.
    public var rankingWindow: Int?

    public static let maximumLimit = 10_000

    public init(
        allVersions: Bool = false,
        sort: Sort = .relevance,
        limit: Int = 20,
        offset: Int = 0,
        snippetLength: Int = 120,
        rankingWindow: Int? = 1_000
    ) {
        self.allVersions = allVersions
        self.sort = sort
        self.limit = limit
        self.offset = offset
        self.snippetLength = snippetLength
        self.rankingWindow = rankingWindow
    }
}
