/// Builds the plain-text rendering: whitespace collapsed outside code, line breaks between blocks, at most one
/// empty line in a row, nothing leading or trailing.
struct PlainTextWriter {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false
    private var pendingBreaks = 0
    private var pendingTab = false

    /// A `br`: a line break even inside a line; two in a row leave one empty line.
    mutating func lineBreak() {
        guard !bytes.isEmpty else { return }
        pendingBreaks = min(pendingBreaks + 1, 2)
        pendingTab = false
    }

    /// The start or end of a block: the next content starts on a new line.
    mutating func blockBoundary() {
        guard !bytes.isEmpty, bytes.last != 0x0A else { return }
        pendingBreaks = max(pendingBreaks, 1)
        pendingTab = false
    }

    /// Between the cells of a row.
    mutating func cellBoundary() {
        guard !bytes.isEmpty, bytes.last != 0x0A, pendingBreaks == 0 else { return }
        pendingTab = true
    }

    /// Text that is not message content (`- `, ` (URL)`), written as is.
    mutating func writeLiteral(_ literal: String) {
        flush()
        bytes.append(contentsOf: literal.utf8)
    }

    mutating func write(_ content: UnsafeBufferPointer<UInt8>, preservingWhitespace: Bool) {
        if preservingWhitespace {
            guard !content.isEmpty else { return }
            flush()
            bytes.append(contentsOf: content)
            return
        }
        var index = 0
        while index < content.count {
            let byte = content[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                pendingSpace = true
                index += 1
            } else if byte == 0xC2, index + 1 < content.count, content[index + 1] == 0xA0 {
                pendingSpace = true  // no-break space
                index += 2
            } else {
                var runEnd = index + 1
                while runEnd < content.count, content[runEnd] > 0x20, content[runEnd] != 0xC2 { runEnd += 1 }
                flush()
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: content[index..<runEnd]))
                index = runEnd
            }
        }
    }

    private mutating func flush() {
        defer { (pendingSpace, pendingBreaks, pendingTab) = (false, 0, false) }
        guard let last = bytes.last else { return }
        if pendingBreaks > 0 {
            while let end = bytes.last, end == 0x20 || end == 0x09 { bytes.removeLast() }
            bytes.append(contentsOf: repeatElement(0x0A, count: pendingBreaks))
        } else if pendingTab {
            bytes.append(0x09)
        } else if pendingSpace, last != 0x20, last != 0x0A, last != 0x09 {
            bytes.append(0x20)
        }
    }
}
