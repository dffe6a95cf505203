/// HTML escaping for text placed in element content or double-quoted attributes.
enum HTMLText {
    static func escape(_ text: String) -> String {
        guard
            text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0 })
        else { return text }
        var out: [UInt8] = []
        append(text, breaks: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes `text` and turns each line break (LF, CR or CRLF) into `<br>` plus a newline.
    static func escapeWithBreaks(_ text: String) -> String {
        var out: [UInt8] = []
        append(text, breaks: true, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let amp = Array("&amp;".utf8)
    private static let lt = Array("&lt;".utf8)
    private static let gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8)
    private static let apos = Array("&#39;".utf8)
    private static let replacement = Array("\u{FFFD}".utf8)
    private static let lineBreak = Array("<br>\n".utf8)

    /// Appends `text` escaped (`& < > " '`, NUL as U+FFFD); with `breaks`, line breaks become `<br>` + LF.
    static func append(_ text: String, breaks: Bool, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let replacementBytes: [UInt8]?
                var consumed = 1
                switch byte {
                case 0x26: replacementBytes = amp
                case 0x3C: replacementBytes = lt
                case 0x3E: replacementBytes = gt
                case 0x22: replacementBytes = quot
                case 0x27: replacementBytes = apos
                case 0x00: replacementBytes = replacement
                case 0x0A where breaks: replacementBytes = lineBreak
                case 0x0D where breaks:
                    replacementBytes = lineBreak
                    if index + 1 < bytes.count, bytes[index + 1] == 0x0A { consumed = 2 }
                default: replacementBytes = nil
                }
                if let replacementBytes {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    out.append(contentsOf: replacementBytes)
                    index += consumed
                    runStart = index
                } else {
                    index += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }
}
