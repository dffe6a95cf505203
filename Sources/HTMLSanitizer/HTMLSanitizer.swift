internal import CLibXML2

/// Sanitizes the HTML of ACS and Teams chat messages for transcripts and search.
///
/// The message is parsed with libxml2's HTML parser (always as UTF-8) and the tree is rebuilt from an allowlist by
/// our own escaping writer: formatting, lists, quotes, code, tables, `http`/`https`/`mailto` links, images that
/// reference ACS attachments or `https` URLs, and mentions. Scripting elements, embedded content and form controls
/// are dropped with their content; other unknown elements are unwrapped. See `shared/sanitizer.md`.
///
/// A value type with no state: safe to use from any number of concurrent tasks. Each call parses with its own
/// libxml2 context; libxml2's global state is initialised once, on first use.
public struct HTMLSanitizer: Sendable {
    /// Inputs longer than this many UTF-8 bytes are cut (at a character boundary) and flagged as truncated.
    public static let maximumInputBytes = 32 << 20

    public init() {
        libxml2Initialization
    }

    /// Sanitizes one message.
    ///
    /// Never throws, never crashes and never hangs: any string gives a result in time linear in its length
    /// (NUL becomes U+FFFD, nesting is bounded without recursion, inputs over ``maximumInputBytes`` are cut).
    public func sanitize(_ html: String) -> SanitizedHTML {
        var html = html
        return html.withUTF8 { sanitize(bytes: $0) }
    }

    /// Sanitizes one message given as raw bytes; invalid UTF-8 sequences become U+FFFD.
    public func sanitize(utf8 bytes: some Sequence<UInt8>) -> SanitizedHTML {
        sanitize(String(decoding: Array(bytes), as: UTF8.self))
    }

    private func sanitize(bytes: UnsafeBufferPointer<UInt8>) -> SanitizedHTML {
        var prepared = PreparedInput(bytes, limit: Self.maximumInputBytes)
        var walker = TreeWalker(expectedSize: bytes.count)
        HTMLDocumentParser.forEachDocument(in: &prepared.buffer) { root in
            walker.walk(root)
        }
        return walker.finish(isTruncated: prepared.isTruncated)
    }
}

/// libxml2 must be initialised once before parsers run on several threads; a global is initialised exactly once.
private let libxml2Initialization: Void = xmlInitParser()
