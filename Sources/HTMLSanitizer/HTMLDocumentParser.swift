internal import CLibXML2

/// Runs libxml2's HTML parser over a prepared buffer, one bounded-depth document at a time.
///
/// libxml2's parser keeps a stack of open elements and scans it for every end tag, so depth is capped at
/// ``depthLimit``: the start-element hook in `shim.h` stops the parse there and records the offset, and the rest of
/// the buffer is parsed as a new document (its first bytes are overwritten with `<html><body>`; they were already
/// consumed). Each document is freed before the next one is parsed; nodes never escape `body`.
enum HTMLDocumentParser {
    /// Open elements allowed in one document, `html` and `body` included.
    static let depthLimit: Int32 = 256

    /// Always UTF-8 (`IGNORE_ENC`: `<meta charset>` is ignored), no network, no errors on stderr, no implied DTD.
    /// `HUGE` lifts the 10,000,000-byte text node limit; depth is bounded by ``depthLimit`` instead.
    static let options =
        Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
        ) | Int32(XML_PARSE_HUGE.rawValue)

    /// Parses `buffer` (which starts with `<html><body>`) and calls `body` with the root element of each document.
    static func forEachDocument(
        in buffer: inout [UInt8],
        _ body: (UnsafeMutablePointer<xmlNode>) -> Void
    ) {
        let prefixLength = PreparedInput.prefix.count
        let end = buffer.count
        var start = 0
        while start < end - prefixLength {
            var state = clibxml2_parse_state(depthLimit: depthLimit, resumeOffset: -1)
            let length = end - start
            let document = buffer.withUnsafeBufferPointer { bytes in
                bytes.baseAddress!.advanced(by: start).withMemoryRebound(to: CChar.self, capacity: length) {
                    clibxml2_parse_html($0, Int32(length), options, &state)
                }
            }
            if let document {
                if let root = xmlDocGetRootElement(document) {
                    body(root)
                }
                xmlFreeDoc(document)
            }
            guard state.resumeOffset > prefixLength, state.resumeOffset < length else { return }
            // Resume after the start tag that hit the limit (`>` or `/>`); its element is not kept.
            var resume = start + Int(state.resumeOffset)
            if buffer[resume] == UInt8(ascii: ">") {
                resume += 1
            } else if buffer[resume] == UInt8(ascii: "/"), resume + 1 < end,
                buffer[resume + 1] == UInt8(ascii: ">")
            {
                resume += 2
            }
            start = resume - prefixLength
            buffer.replaceSubrange(start..<resume, with: PreparedInput.prefix)
        }
    }
}
