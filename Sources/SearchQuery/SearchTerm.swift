/// A word, `"exact phrase"` or prefix (`word*`, `"a phrase"*`) as the user typed it.
public struct SearchTerm: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case word
        case phrase
    }

    public var kind: Kind
    /// The text between the quotes for a phrase, the word without a trailing `*` otherwise.
    public var text: String
    public var isPrefix: Bool
    /// Offset of the term in the query, in `Character`s from 0.
    public var position: Int

    public init(kind: Kind, text: String, isPrefix: Bool = false, position: Int = 0) {
        self.kind = kind
        self.text = text
        self.isPrefix = isPrefix
        self.position = position
    }

    /// The folded text that is matched: NFKC, lower case, control characters as spaces.
    public var normalized: String { SearchText.foldQuery(text) }
}
