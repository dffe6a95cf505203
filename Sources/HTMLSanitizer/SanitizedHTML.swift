/// The result of sanitizing one chat message: safe HTML, plain text and the references found in it.
///
/// Every field is derived from libxml2's parse of the message and rebuilt by our own writers; nothing is copied
/// from the input bytes. `html` contains only allowlisted elements and attributes and is a fixed point:
/// sanitizing it again returns the same `html`.
public struct SanitizedHTML: Sendable, Hashable {
    /// Safe HTML: allowlisted elements, validated attributes, every text and attribute value escaped.
    public var html: String
    /// Plain text for the search index and text exports: blocks as line breaks, `- ` list items, tab-separated
    /// cells, `link text (URL)`, image alt text (or `[image]`), mention display names.
    public var text: String
    /// The `http`, `https` and `mailto` URLs of the links kept, in document order.
    public var links: [String]
    /// The images kept (ACS attachment references or `https` URLs), in document order.
    public var images: [SanitizedImage]
    /// The mentions found (ACS `msft-mention`, Teams mention spans, Graph `at`), in document order.
    public var mentions: [SanitizedMention]
    /// Whether the input exceeded ``HTMLSanitizer/maximumInputBytes`` and only its start was sanitized.
    public var isTruncated: Bool

    public init(
        html: String,
        text: String,
        links: [String] = [],
        images: [SanitizedImage] = [],
        mentions: [SanitizedMention] = [],
        isTruncated: Bool = false
    ) {
        self.html = html
        self.text = text
        self.links = links
        self.images = images
        self.mentions = mentions
        self.isTruncated = isTruncated
    }
}

/// An image reference kept by the sanitizer.
public struct SanitizedImage: Sendable, Hashable {
    /// Where the image bytes live.
    public enum Source: Sendable, Hashable {
        /// An ACS inline image: the id of the message's attachment (`attachments[].id`), fetched with the ACS token.
        case attachment(id: String)
        /// An absolute `https` URL (Teams AMS images need the service token too).
        case url(String)
    }

    public var source: Source
    /// The `alt` text as written by the sender, if any (Teams writes `"image"` by default).
    public var alt: String?

    public init(source: Source, alt: String?) {
        self.source = source
        self.alt = alt
    }
}

/// A mention of a participant.
public struct SanitizedMention: Sendable, Hashable {
    /// The mention id as written in the markup: an ACS user id for `msft-mention`, or the index into the
    /// message's `mentions` property for Teams (`itemid`) and Graph (`at id`).
    public var id: String
    /// The display name shown in the message.
    public var displayName: String

    public init(id: String, displayName: String) {
        self.id = id
        self.displayName = displayName
    }
}
