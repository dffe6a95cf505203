import Foundation

/// An excerpt of a message with the matched terms marked.
public struct SearchSnippet: Sendable, Hashable {
    /// The excerpt, with `…` where it was cut and control characters (newlines, tabs) shown as spaces.
    public var text: String
    /// Highlighted ranges as `Character` offsets into `text`, ascending and not overlapping.
    public var highlights: [Range<Int>]

    public init(text: String, highlights: [Range<Int>]) {
        self.text = text
        self.highlights = highlights
    }
}

extension SearchText {
    /// The ranges of the ORIGINAL `text` that match `terms`, ascending and merged when they touch.
    ///
    /// Matching follows the index: NFKC, case-insensitive; Latin terms match whole tokens (or token prefixes)
    /// ignoring diacritics; CJK terms match anywhere, keeping dakuten (ガ is not カ).
    public static func highlightRanges(of terms: [SearchHighlightTerm], in text: String) -> [Range<String.Index>] {
        let characterIndices = Array(text.indices) + [text.endIndex]
        return characterRanges(of: terms, in: text).map {
            characterIndices[$0.lowerBound]..<characterIndices[$0.upperBound]
        }
    }

    /// An excerpt of at most `maxCharacters` characters (plus `…` marks) around the first match in `text`.
    public static func snippet(
        of text: String,
        highlighting terms: [SearchHighlightTerm],
        maxCharacters: Int = 120
    ) -> SearchSnippet {
        let characters = Array(text).map {
            $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } ? " " : $0
        }
        let ranges = characterRanges(of: terms, in: text)
        let limit = max(maxCharacters, 1)
        var start = 0
        if let first = ranges.first, characters.count > limit {
            // Some context before the first match, but keep the match (or as much of it as fits) visible.
            start = max(0, min(first.lowerBound - limit / 4, characters.count - limit))
        }
        let end = min(characters.count, start + limit)
        var excerpt = start > 0 ? "…" : ""
        let shift = excerpt.count - start
        excerpt += String(characters[start..<end])
        if end < characters.count { excerpt += "…" }
        let highlights = ranges.compactMap { range -> Range<Int>? in
            // Matches past the excerpt's end (or before its start) have lower > upper: skip them, don't trap.
            let (lower, upper) = (max(range.lowerBound, start), min(range.upperBound, end))
            return lower < upper ? (lower + shift)..<(upper + shift) : nil
        }
        return SearchSnippet(text: excerpt, highlights: highlights)
    }

    /// Matches as `Character` offsets into `text`.
    static func characterRanges(of terms: [SearchHighlightTerm], in text: String) -> [Range<Int>] {
        guard !terms.isEmpty else { return [] }
        // Fold character by character so every folded scalar remembers the character it came from.
        var folded: [Unicode.Scalar] = []
        var owners: [Int] = []
        for (offset, character) in text.enumerated() {
            for scalar in fold(String(character)).lowercased().unicodeScalars {
                folded.append(scalar)
                owners.append(offset)
            }
        }
        var found: [Range<Int>] = []
        func record(_ scalarRange: Range<Int>) {
            found.append(owners[scalarRange.lowerBound]..<(owners[scalarRange.upperBound - 1] + 1))
        }
        let latinTerms = terms.filter { !$0.isCJK }.map { (text: stripMarks($0.text), isPrefix: $0.isPrefix) }
        if !latinTerms.isEmpty {
            var tokenStart: Int?
            for index in 0...folded.count {
                let isToken = index < folded.count && isTokenScalar(folded[index]) && !isCJKScalar(folded[index])
                if isToken, tokenStart == nil { tokenStart = index }
                guard !isToken, let start = tokenStart else { continue }
                tokenStart = nil
                let token = stripMarks(String(String.UnicodeScalarView(folded[start..<index])))
                if latinTerms.contains(where: { $0.isPrefix ? token.hasPrefix($0.text) : token == $0.text }) {
                    record(start..<index)
                }
            }
        }
        for term in terms where term.isCJK {
            let needle = Array(fold(term.text).unicodeScalars)
            guard !needle.isEmpty, needle.count <= folded.count else { continue }
            for start in 0...(folded.count - needle.count)
            where folded[start..<(start + needle.count)].elementsEqual(needle) {
                record(start..<(start + needle.count))
            }
        }
        found.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in found {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Latin text without diacritics, as unicode61 `remove_diacritics 2` compares it.
    static func stripMarks(_ text: String) -> String {
        let kept = text.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .nonspacingMark
        }
        return String(String.UnicodeScalarView(kept))
    }
}
