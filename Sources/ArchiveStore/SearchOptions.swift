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

    public static let maximumLimit = 10_000

    public init(
        allVersions: Bool = false,
        sort: Sort = .relevance,
        limit: Int = 20,
        offset: Int = 0,
        snippetLength: Int = 120
    ) {
        self.allVersions = allVersions
        self.sort = sort
        self.limit = limit
        self.offset = offset
        self.snippetLength = snippetLength
    }
}
