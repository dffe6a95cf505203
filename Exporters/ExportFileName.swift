import Foundation

/// File names for per-thread exports: `{thread id, sanitized}-{hash}-{topic slug}.{ext}`.
///
/// The hash (48 bits of SHA-256 of the exact thread id) makes names unique per thread id even when ids sanitize
/// alike or topics collide. Names contain only letters, digits (any script), `-`, `_` and the extension dot;
/// never path separators, control or bidi-override characters, or a leading dot; at most 160 UTF-8 bytes; and
/// never a Windows device name, because the hash always follows the id part.
public enum ExportFileName {
    public static func make(threadID: String, topic: String, format: ExportFormat) -> String {
        var idPart = sanitize(threadID, keepUnicode: false, maxBytes: 48)
        if idPart.isEmpty { idPart = "thread" }
        var name = idPart + "-" + Hashing.sha256Hex(threadID, length: 12)
        let slug = sanitize(topic.lowercased(), keepUnicode: true, maxBytes: 80)
        if !slug.isEmpty { name += "-" + slug }
        return name + "." + format.fileExtension
    }

    /// Keeps ASCII letters, digits and `_` (plus, with `keepUnicode`, letters, marks and digits of any script,
    /// NFC-normalized); runs of anything else become one `-`; no leading or trailing `-`; cut at `maxBytes`.
    static func sanitize(_ text: String, keepUnicode: Bool, maxBytes: Int) -> String {
        var out = ""
        var bytes = 0
        var pendingDash = false
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            let keep: Bool
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: keep = true
            case 0..<0x80: keep = false
            default:
                guard keepUnicode else {
                    keep = false
                    break
                }
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                    .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark:
                    keep = true
                default: keep = false
                }
            }
            guard keep else {
                pendingDash = !out.isEmpty
                continue
            }
            let width = (pendingDash ? 1 : 0) + String(scalar).utf8.count
            if bytes + width > maxBytes { break }
            if pendingDash { out += "-" }
            out.unicodeScalars.append(scalar)
            bytes += width
            pendingDash = false
        }
        // A slug must not start with a combining mark that would attach to the "-" before it.
        while let first = out.unicodeScalars.first,
            first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .spacingMark
        {
            out.unicodeScalars.removeFirst()
        }
        return out
    }
}
