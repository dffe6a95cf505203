import Foundation

/// Text folding and CJK segmentation shared by indexing and querying.
///
/// The archive's FTS5 table has two columns, both tokenized by `unicode61 remove_diacritics 2`:
/// - `text` holds ``normalizedForIndex(_:)``: NFKC-folded text in which CJK runs are separated from
///   adjacent non-CJK characters by a space, so `東京meeting` yields the token `meeting`.
/// - `cjk` holds ``indexTerms(for:)``: ONLY the CJK pieces (overlapping two-character pieces of every
///   CJK run plus the run's last character alone), so 1- and 2-character Japanese words are indexed.
///
/// Queries are folded the same way (see ``SearchQuery``), so full-width `ＡＢＣ` finds `abc`,
/// half-width `ｶﾀｶﾅ` finds `カタカナ`, and unicode61 folds case and Latin diacritics on both sides.
public enum SearchText {
    /// The text for the `text` column: NFKC, with a space between a CJK run and a touching non-CJK character.
    ///
    /// Token positions of this string differ from the original text when CJK touches Latin (`Zoomで`), so
    /// FTS5 `snippet()`/`highlight()` on an external-content table whose `text` column holds the original
    /// would misplace highlights there: use ``highlightRanges(of:in:)`` on the original text instead.
    public static func normalizedForIndex(_ text: String) -> String { spacingCJKRuns(fold(text)) }

    /// The text for the `cjk` column: the CJK pieces of `text`, separated by spaces, and nothing else.
    ///
    /// `会議室です` becomes `会議 議室 室で です す`; a one-character run `会` becomes `会`. Every character
    /// of a run therefore starts some piece, so the prefix query `"会" *` finds every occurrence of `会`.
    public static func indexTerms(for text: String) -> String { cjkPieces(of: fold(text)) }

    /// ``normalizedForIndex(_:)`` and ``indexTerms(for:)`` of `text`, folding it once.
    public static func indexColumns(for text: String) -> (text: String, cjk: String) {
        let folded = fold(text)
        return (spacingCJKRuns(folded), cjkPieces(of: folded))
    }

    private static func spacingCJKRuns(_ folded: String) -> String {
        let scalars = folded.unicodeScalars
        var output = ""
        var copiedUpTo = scalars.startIndex
        var previous: (isCJK: Bool, isSpace: Bool)?
        for index in scalars.indices {
            let scalar = scalars[index]
            let isCJK = isCJKScalar(scalar)
            let isSpace = !isCJK && !isTokenScalar(scalar)
            if let previous, previous.isCJK != isCJK, !previous.isSpace, !isSpace {
                output.unicodeScalars.append(contentsOf: scalars[copiedUpTo..<index])
                output.append(" ")
                copiedUpTo = index
            }
            previous = (isCJK, isSpace)
        }
        // Most messages need no space at all: return the folded text as it is.
        guard copiedUpTo != scalars.startIndex else { return folded }
        output.unicodeScalars.append(contentsOf: scalars[copiedUpTo...])
        return output
    }

    /// Works on the UTF-8 bytes: every message with Japanese goes through here when it is archived.
    private static func cjkPieces(of folded: String) -> String {
        var folded = folded
        return folded.withUTF8 { bytes in
            var out: [UInt8] = []
            var previous: Range<Int>?  // the bytes of the previous CJK scalar
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                guard lead >= 0x80 else {
                    if let last = previous {
                        out.append(contentsOf: bytes[last])
                        out.append(0x20)
                        previous = nil
                    }
                    index += 1
                    continue
                }
                let (scalar, length) = decodeScalar(bytes, at: index, lead: lead)
                let current = index..<(index + length)
                if isCJKScalar(scalar) {
                    if let last = previous {
                        out.append(contentsOf: bytes[last])
                        out.append(contentsOf: bytes[current])
                        out.append(0x20)
                    } else if out.isEmpty {
                        out.reserveCapacity(bytes.count * 2)
                    }
                    previous = current
                } else if let last = previous {
                    out.append(contentsOf: bytes[last])
                    out.append(0x20)
                    previous = nil
                }
                index += length
            }
            if let last = previous {
                out.append(contentsOf: bytes[last])
            } else if !out.isEmpty {
                out.removeLast()
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The scalar starting at `index` of valid UTF-8 (a Swift string's bytes) and its length in bytes.
    private static func decodeScalar(
        _ bytes: UnsafeBufferPointer<UInt8>,
        at index: Int,
        lead: UInt8
    ) -> (Unicode.Scalar, Int) {
        var value: UInt32
        let length: Int
        if lead < 0xE0 {
            (value, length) = (UInt32(lead & 0x1F), 2)
        } else if lead < 0xF0 {
            (value, length) = (UInt32(lead & 0x0F), 3)
        } else {
            (value, length) = (UInt32(lead & 0x07), 4)
        }
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// NFKC compatibility folding (full-width Latin to ASCII, half-width katakana to full-width).
    static func fold(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(isNFKCStable) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            var mapped = scalar
            if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                mapped = ascii  // full-width ASCII: NFKC maps it one to one
            } else if scalar.value == 0x3000 {
                mapped = " "  // ideographic space
            } else if !isNFKCStable(scalar) {
                // swift-corelibs-foundation's NFKC leaves ｶﾞ as カ + U+3099; composing again gives true NFKC (ガ).
                return text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
            }
            UTF8.encode(mapped) { bytes.append($0) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether NFKC leaves `scalar` unchanged whatever surrounds it, for the common scripts of the archive
    /// (ASCII, kana, Han, Hangul syllables, common Japanese punctuation); others take the Foundation path.
    static func isNFKCStable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x7F, 0xC0...0x131, 0x134...0x13E, 0x141...0x148, 0x14A...0x17E, 0x2018...0x2019,
            0x201C...0x201D, 0x3001...0x3002, 0x3008...0x3011, 0x301C, 0x30FB, 0x3005...0x3007, 0x300C...0x300F,
            0x3041...0x3096, 0x30A1...0x30FA,
            0x30FC...0x30FE, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3:
            true
        default:
            false
        }
    }

    /// The folding applied to query text: NFKC, lower case, and control characters turned into spaces.
    static func foldQuery(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in fold(text).lowercased().unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(scalars)
    }

    /// The overlapping two-character pieces of a run (none for a one-character run).
    static func bigrams(of run: [Unicode.Scalar]) -> [String] {
        guard run.count >= 2 else { return [] }
        return (0..<(run.count - 1)).map { index in
            var piece = String.UnicodeScalarView()
            piece.append(run[index])
            piece.append(run[index + 1])
            return String(piece)
        }
    }

    /// The maximal runs of CJK scalars in `text`, in order.
    static func cjkRuns(in text: String) -> [[Unicode.Scalar]] {
        var runs: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if isCJKScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Whether `scalar` is a CJK letter: Han, kana (full- and half-width), Hangul or Bopomofo.
    ///
    /// Only letters and letter numbers count (々, ー, 〇 do; ・, 「, ゛ and radicals do not), because
    /// unicode61 treats the others as separators and a piece must stay a single unicode61 token.
    static func isCJKScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        guard value >= 0x1100 else { return false }
        switch value {
        case 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC, 0x4E00...0x9FFF, 0xAC00...0xD7A3: return true
        default: break
        }
        let inBlock =
            (0x1100...0x11FF).contains(value)  // Hangul Jamo
            || (0x3005...0x3007).contains(value)  // 々 〆 〇
            || (0x3021...0x3029).contains(value) || (0x3031...0x3035).contains(value)
            || (0x3038...0x303C).contains(value)
            || (0x3040...0x31FF).contains(value)  // kana, Bopomofo, Hangul compatibility jamo, kana extensions
            || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value)
            || (0xA960...0xA97F).contains(value) || (0xAC00...0xD7FF).contains(value)  // Hangul
            || (0xF900...0xFAFF).contains(value)  // compatibility ideographs
            || (0xFF66...0xFFDC).contains(value)  // half-width katakana and Hangul
            || (0x1B000...0x1B16F).contains(value)  // kana supplement
            || (0x20000...0x3FFFF).contains(value)  // Han extensions B and later
        guard inBlock else { return false }
        switch scalar.properties.generalCategory {
        case .otherLetter, .modifierLetter, .letterNumber: return true
        default: return false
        }
    }

    /// Whether unicode61 (default categories `L* N* Co`, marks folded into tokens) keeps `scalar` in a token.
    static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .privateUse, .nonspacingMark, .spacingMark,
            .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` alone makes a unicode61 token (a letter, digit or private-use character; not a mark).
    static func isContentScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: false
        default: isTokenScalar(scalar)
        }
    }

    /// The unicode61-style tokens of non-CJK text (used for highlighting and prefix checks).
    static func latinTokens(in text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isTokenScalar(scalar) && !isCJKScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }
}
