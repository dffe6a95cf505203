/// A term to highlight in the original text of a hit: folded (NFKC, lower case) as the index sees it.
public struct SearchHighlightTerm: Sendable, Hashable {
    /// One Latin token (`meeting`) or one CJK run (`会議室`).
    public var text: String
    /// Highlight tokens that start with `text` (Latin only).
    public var isPrefix: Bool
    /// CJK runs match anywhere (substring); Latin terms match whole tokens.
    public var isCJK: Bool

    public init(text: String, isPrefix: Bool = false, isCJK: Bool = false) {
        self.text = text
        self.isPrefix = isPrefix
        self.isCJK = isCJK
    }
}
