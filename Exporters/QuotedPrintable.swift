/// RFC 2045 quoted-printable with LF line ends, lines of at most 76 octets, and one addition from formats.md §2:
/// an output line that would start with `>*From ` gets its first octet encoded (`=46`/`=3E`), so no encoded line
/// ever needs mbox quoting and mboxo and mboxrd readers agree.
enum QuotedPrintable {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Appends the encoding of `text`; hard line breaks (LF) stay LF, a CR is kept as `=0D`.
    static func encode(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { encode($0, into: &out) }
    }

    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var lineStart = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            encodeLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<index]), into: &out)
            out.append(0x0A)
            lineStart = index + 1
        }
        encodeLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<bytes.count]), into: &out)
    }

    private static func encodeLine(_ line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var column = 0
        var index = 0
        let count = line.count
        while index < count {
            let byte = line[index]
            let isLast = index == count - 1
            var encoded: Bool
            switch byte {
            case 0x3D: encoded = true  // "="
            case 0x20, 0x09: encoded = isLast  // trailing blanks would be stripped in transit
            case 0x21...0x7E: encoded = false
            default: encoded = true
            }
            if column == 0, !encoded, byte == 0x46 || byte == 0x3E, startsWithFrom(line, at: index) { encoded = true }
            let width = encoded ? 3 : 1
            // Leave room for the soft break's "=" unless this is the line's last token.
            if column + width > (isLast ? 76 : 75) {
                out.append(0x3D)
                out.append(0x0A)
                column = 0
                continue  // re-decide: the token now starts a line
            }
            if encoded {
                out.append(0x3D)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            } else {
                out.append(byte)
            }
            column += width
            index += 1
        }
    }

    /// True when `bytes[index...]` matches `^>*From `.
    static func startsWithFrom(_ bytes: some RandomAccessCollection<UInt8>, at index: Int) -> Bool {
        var position = bytes.index(bytes.startIndex, offsetBy: index)
        while position < bytes.endIndex, bytes[position] == 0x3E { position = bytes.index(after: position) }
        for expected in "From ".utf8 {
            guard position < bytes.endIndex, bytes[position] == expected else { return false }
            position = bytes.index(after: position)
        }
        return true
    }
}
