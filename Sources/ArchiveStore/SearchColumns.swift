import SearchQuery

/// The derived FTS5 column values of a revision's plain text (see the schema header).
enum SearchColumns {
    /// `search_text` (NULL when equal to `text`) and `cjk` (NULL when empty). ASCII text needs neither,
    /// which keeps the common case free of Unicode normalization.
    static func make(for text: String) -> (searchText: String?, cjk: String?) {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return (nil, nil) }
        let (normalized, cjk) = SearchText.indexColumns(for: text)
        return (normalized == text ? nil : normalized, cjk.isEmpty ? nil : cjk)
    }
}

/// Service versions are epoch milliseconds as strings: shorter is older, then lexicographic order.
func versionPrecedes(_ lhs: String, _ rhs: String) -> Bool {
    let (left, right) = (lhs.utf8.count, rhs.utf8.count)
    return left != right ? left < right : lhs < rhs
}
