/// The names of the FTS5 columns the MATCH expressions target.
///
/// Names come from the store (trusted) and must be plain identifiers; they are never taken from user input.
public struct FTSColumns: Sendable, Hashable {
    /// Column for non-CJK terms; nil searches them in all columns (the `cjk` column holds no Latin tokens).
    public let text: String?
    /// Column holding ``SearchText/indexTerms(for:)``.
    public let cjk: String

    public init(text: String? = nil, cjk: String = "cjk") {
        precondition(
            text.map(Self.isIdentifier) ?? true && Self.isIdentifier(cjk),
            "FTS5 column names must be identifiers"
        )
        self.text = text
        self.cjk = cjk
    }

    public static let standard = FTSColumns()

    /// Letters, digits and `_`, not starting with a digit: a bareword FTS5 reads as a column name.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
        }
    }
}
