internal import CLibXML2

/// Walks libxml2 documents without recursion and writes the safe HTML, the plain text and the references.
///
/// The walk follows `children`/`next` pointers with an explicit stack of open source elements, so depth costs heap,
/// not C stack. HTML is written only from allowlisted tags, validated attribute values and escaped text.
struct TreeWalker {
    /// Most elements open at once in the output; deeper elements are unwrapped (their text stays).
    static let maximumOutputDepth = 128

    private var html: [UInt8] = []
    private var text = PlainTextWriter()
    private var links: [String] = []
    private var images: [SanitizedImage] = []
    private var mentions: [SanitizedMention] = []

    private typealias TextRole = ElementInfo.TextRole

    private struct Frame {
        let node: UnsafeMutablePointer<xmlNode>
        var tag: OutputTag?  // emitted for this element
        var textRole = TextRole.none
        var flattens = false  // descendants contribute text only (mentions, emoji)
        var preservesWhitespace = false
        var linkURL: String?
        var mentionID: String?
    }

    private var stack: [Frame] = []
    private var openTags: [OutputTag] = []
    private var linkText: [UInt8]?
    private var mentionName: [UInt8]?

    init(expectedSize: Int) {
        html.reserveCapacity(min(expectedSize, 1 << 20) + 64)
    }

    private var isFlattening: Bool { stack.isEmpty ? false : stack[stack.count - 1].flattens }
    private var preservesWhitespace: Bool { stack.isEmpty ? false : stack[stack.count - 1].preservesWhitespace }

    /// Writes the content of `root` (the `html` element of one parsed document).
    mutating func walk(_ root: UnsafeMutablePointer<xmlNode>) {
        var current = root.pointee.children
        while true {
            if let node = current {
                if enter(node), let child = node.pointee.children {
                    current = child
                    continue
                }
                if !stack.isEmpty, stack[stack.count - 1].node == node { leave() }
                current = node.pointee.next
            } else {
                guard !stack.isEmpty else { return }
                let node = stack[stack.count - 1].node
                leave()
                current = node.pointee.next
            }
        }
    }

    func finish(isTruncated: Bool) -> SanitizedHTML {
        SanitizedHTML(
            html: String(decoding: html, as: UTF8.self),
            text: String(decoding: text.bytes, as: UTF8.self),
            links: links,
            images: images,
            mentions: mentions,
            isTruncated: isTruncated
        )
    }

    // MARK: - Nodes

    /// Handles one node; returns true when its children should be walked (a frame was pushed).
    private mutating func enter(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
        switch node.pointee.type {
        case XML_TEXT_NODE:
            writeText(node.pointee.content)
            return false
        case XML_ELEMENT_NODE:
            return enterElement(node)
        default:
            return false  // comments, CDATA (script/style bodies), PIs, DTD nodes: never emitted
        }
    }

    private mutating func enterElement(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
        let info = ElementRule.info(for: node.pointee.name.map { String(cString: $0) } ?? "")
        var frame = Frame(node: node)
        frame.flattens = isFlattening
        frame.preservesWhitespace = preservesWhitespace || info.preservesWhitespace
        frame.textRole = info.textRole
        let rule = info.rule
        if case .drop = rule { return false }
        if frame.flattens {
            // Inside a mention or emoji: text only.
            return push(frame)
        }
        switch rule {
        case .drop, .unwrap:
            break
        case .emit(let tag):
            if tag.isVoid {
                writeVoid(tag, node: node)
                return false
            }
            open(tag, attributes: attributes(for: tag, node), in: &frame)
        case .codeBlock:
            open(.pre, attributes: languageClass(node), in: &frame)
        case .link:
            if let href = attribute(node, "href").flatMap(URLRule.link), !openTags.contains(.a),
                open(.a, attributes: [("href", href), ("rel", "noopener noreferrer nofollow")], in: &frame)
            {
                frame.linkURL = href
                links.append(href)
                linkText = []
            }
        case .image:
            writeImage(node)
            return false
        case .mention:
            if let id = attribute(node, "id").flatMap(AttributeRules.identifier) {
                openMention(id: id, in: &frame)
            }
        case .emoji:
            writeEmoji(alt: attribute(node, "alt"), title: attribute(node, "title"))
            return false
        case .attachment:
            writeAttachment(node, idAttribute: "id")
            return false
        case .span:
            return enterSpan(node, frame: &frame)
        case .blockquote:
            if attribute(node, "itemtype")?.hasSuffix("schema.skype.com/Reply") == true
                || attribute(node, "class") == "reply",
                let id = (attribute(node, "itemid") ?? attribute(node, "data-reply-to")).flatMap(AttributeRules.digits)
            {
                open(.blockquote, attributes: [("class", "reply"), ("data-reply-to", id)], in: &frame)
            } else {
                open(.blockquote, attributes: attributes(for: .blockquote, node), in: &frame)
            }
        }
        return push(frame)
    }

    private mutating func enterSpan(_ node: UnsafeMutablePointer<xmlNode>, frame: inout Frame) -> Bool {
        let spanClass = attribute(node, "class")
        if attribute(node, "itemtype")?.hasSuffix("schema.skype.com/Mention") == true {
            if let id = attribute(node, "itemid").flatMap(AttributeRules.identifier) {
                openMention(id: id, in: &frame)
            }
        } else if spanClass == "mention", let id = attribute(node, "data-mention-id").flatMap(AttributeRules.identifier)
        {
            openMention(id: id, in: &frame)
        } else if spanClass == "attachment" {
            writeAttachment(node, idAttribute: "data-attachment-id")
            return false
        } else if spanClass == "emoji" {
            var attributes = [("class", "emoji")]
            if let title = attribute(node, "title").flatMap({ AttributeRules.text($0) }) {
                attributes.append(("title", title))
            }
            if open(.span, attributes: attributes, in: &frame) { frame.flattens = true }
        } else {
            open(.span, attributes: attributes(for: .span, node), in: &frame)
        }
        return push(frame)
    }

    private mutating func openMention(id: String, in frame: inout Frame) {
        guard open(.span, attributes: [("class", "mention"), ("data-mention-id", id)], in: &frame) else { return }
        frame.flattens = true
        frame.mentionID = id
        mentionName = []
    }

    /// Pushes the frame and starts its text role; returns true so that the children are walked.
    private mutating func push(_ frame: Frame) -> Bool {
        switch frame.textRole {
        case .none: break
        case .block: text.blockBoundary()
        case .listItem:
            text.blockBoundary()
            text.writeLiteral("- ")
        case .cell: text.cellBoundary()
        }
        stack.append(frame)
        return true
    }

    private mutating func leave() {
        guard let frame = stack.popLast() else { return }
        if let tag = frame.tag {
            html.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
            html.append(contentsOf: tag.nameBytes)
            html.append(UInt8(ascii: ">"))
            openTags.removeLast()
        }
        if let url = frame.linkURL {
            let shown = AttributeRules.text(String(decoding: linkText ?? [], as: UTF8.self)) ?? ""
            if shown != url && "mailto:" + shown != url {
                text.writeLiteral(shown.isEmpty ? url : " (\(url))")
            }
            linkText = nil
        }
        if let id = frame.mentionID {
            let name = AttributeRules.text(String(decoding: mentionName ?? [], as: UTF8.self)) ?? ""
            mentions.append(SanitizedMention(id: id, displayName: name))
            mentionName = nil
        }
        if frame.textRole == .block || frame.textRole == .listItem { text.blockBoundary() }
    }

    // MARK: - Writing

    /// Emits a start tag when the content model and the depth cap allow it; returns whether it did.
    @discardableResult
    private mutating func open(_ tag: OutputTag, attributes: [(String, String)], in frame: inout Frame) -> Bool {
        guard frame.tag == nil, openTags.count < Self.maximumOutputDepth, OutputTag.allows(openTags.last, tag) else {
            return false
        }
        writeStartTag(tag, attributes)
        openTags.append(tag)
        frame.tag = tag
        return true
    }

    private mutating func writeStartTag(_ tag: OutputTag, _ attributes: [(String, String)]) {
        html.append(UInt8(ascii: "<"))
        html.append(contentsOf: tag.nameBytes)
        for (name, value) in attributes {
            html.append(UInt8(ascii: " "))
            html.append(contentsOf: name.utf8)
            html.append(contentsOf: "=\"".utf8)
            appendEscaped(value.utf8, attribute: true)
            html.append(UInt8(ascii: "\""))
        }
        html.append(UInt8(ascii: ">"))
    }

    private mutating func writeText(_ content: UnsafeMutablePointer<xmlChar>?) {
        guard let content else { return }
        let bytes = UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content)))
        writeText(bytes)
    }

    private mutating func writeText(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        appendEscaped(bytes, attribute: false)
        text.write(bytes, preservingWhitespace: preservesWhitespace)
        if linkText != nil { linkText?.append(contentsOf: bytes) }
        if mentionName != nil { mentionName?.append(contentsOf: bytes) }
    }

    private mutating func writeVoid(_ tag: OutputTag, node: UnsafeMutablePointer<xmlNode>) {
        if tag == .br {
            text.lineBreak()
        } else {
            text.blockBoundary()
        }
        guard !isFlattening, openTags.count < Self.maximumOutputDepth, OutputTag.allows(openTags.last, tag) else {
            return
        }
        writeStartTag(tag, [])
    }

    private mutating func writeImage(_ node: UnsafeMutablePointer<xmlNode>) {
        let alt = attribute(node, "alt").flatMap { AttributeRules.text($0) }
        if attribute(node, "itemtype")?.hasSuffix("schema.skype.com/Emoji") == true {
            writeEmoji(alt: alt, title: attribute(node, "title"))
            return
        }
        let source: SanitizedImage.Source
        if let url = attribute(node, "src").flatMap(URLRule.image) {
            source = .url(url)
        } else if let id = attribute(node, "data-attachment-id").flatMap(AttributeRules.identifier) {
            source = .attachment(id: id)
        } else if (attribute(node, "src") ?? "").trimmingBlanks.isEmpty,
            let id = attribute(node, "id").flatMap(AttributeRules.identifier)
        {
            source = .attachment(id: id)  // ACS inline image: empty src, id = attachments[].id
        } else {
            if let alt, alt != "image" { writeText(alt) }
            return
        }
        guard !isFlattening, openTags.count < Self.maximumOutputDepth, OutputTag.allows(openTags.last, .img) else {
            if let alt, alt != "image" { writeText(alt) }
            return
        }
        images.append(SanitizedImage(source: source, alt: alt))
        var attributes: [(String, String)] = []
        switch source {
        case .url(let url): attributes.append(("src", url))
        case .attachment(let id): attributes.append(("data-attachment-id", id))
        }
        if let alt { attributes.append(("alt", alt)) }
        for name in ["width", "height"] {
            if let value = attribute(node, name).flatMap(AttributeRules.dimension) { attributes.append((name, value)) }
        }
        writeStartTag(.img, attributes)
        text.writeLiteral(alt.map { $0 == "image" ? "[image]" : $0 } ?? "[image]")
    }

    private mutating func writeEmoji(alt: String?, title: String?) {
        guard let alt = alt.flatMap({ AttributeRules.text($0) }) else { return }
        var attributes = [("class", "emoji")]
        if let title = title.flatMap({ AttributeRules.text($0) }) { attributes.append(("title", title)) }
        let canOpen =
            !isFlattening && openTags.count < Self.maximumOutputDepth && OutputTag.allows(openTags.last, .span)
        if canOpen { writeStartTag(.span, attributes) }
        writeText(alt)
        if canOpen { html.append(contentsOf: "</span>".utf8) }
    }

    private mutating func writeAttachment(_ node: UnsafeMutablePointer<xmlNode>, idAttribute: String) {
        guard !isFlattening, openTags.count < Self.maximumOutputDepth, OutputTag.allows(openTags.last, .span),
            let id = attribute(node, idAttribute).flatMap(AttributeRules.identifier)
        else { return }
        writeStartTag(.span, [("class", "attachment"), ("data-attachment-id", id)])
        html.append(contentsOf: "</span>".utf8)
    }

    private mutating func writeText(_ string: String) {
        var string = string
        string.withUTF8 { writeText($0) }
    }

    private mutating func appendEscaped(_ string: String.UTF8View, attribute: Bool) {
        var string = String(string)
        string.withUTF8 { appendEscaped($0, attribute: attribute) }
    }

    /// Appends `bytes` with `& < >` (and `"` in attribute values) escaped; other bytes are copied in runs.
    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, attribute: Bool) {
        var index = 0
        while index < bytes.count {
            var runEnd = index
            while runEnd < bytes.count {
                let byte = bytes[runEnd]
                if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                    || (attribute && byte == UInt8(ascii: "\""))
                {
                    break
                }
                runEnd += 1
            }
            if runEnd > index {
                html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<runEnd]))
                index = runEnd
                continue
            }
            switch bytes[index] {
            case UInt8(ascii: "&"): html.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): html.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): html.append(contentsOf: "&gt;".utf8)
            default: html.append(contentsOf: "&quot;".utf8)
            }
            index += 1
        }
    }

    // MARK: - Attributes

    /// The attributes kept on a plainly allowlisted element, already validated.
    private func attributes(for tag: OutputTag, _ node: UnsafeMutablePointer<xmlNode>) -> [(String, String)] {
        var result: [(String, String)] = []
        switch tag.category {
        case .phrasing:
            if tag == .code { result += languageClass(node) }
            if let title = attribute(node, "title").flatMap({ AttributeRules.text($0) }) {
                result.append(("title", title))
            }
        case .tableCell:
            for name in ["colspan", "rowspan"] {
                if let value = attribute(node, name).flatMap({ AttributeRules.integer($0, in: 1...100) }) {
                    result.append((name, value))
                }
            }
            if tag == .th,
                let scope = attribute(node, "scope").flatMap({
                    AttributeRules.keyword($0, in: ["row", "col", "rowgroup", "colgroup"])
                })
            {
                result.append(("scope", scope))
            }
        default:
            if tag == .pre { result += languageClass(node) }
            if tag == .ol, let start = attribute(node, "start").flatMap({ AttributeRules.integer($0, in: 0...99_999) })
            {
                result.append(("start", start))
            }
        }
        if tag.category != .phrasing,
            let dir = attribute(node, "dir").flatMap({ AttributeRules.keyword($0, in: ["ltr", "rtl", "auto"]) })
        {
            result.append(("dir", dir))
        }
        return result
    }

    private func languageClass(_ node: UnsafeMutablePointer<xmlNode>) -> [(String, String)] {
        attribute(node, "class").flatMap(AttributeRules.codeLanguage).map { [("class", $0)] } ?? []
    }

    /// Compares a NUL-terminated C name with an ASCII Swift name without making a String.
    private static func equals(_ cName: UnsafePointer<xmlChar>, _ name: String) -> Bool {
        var index = 0
        for byte in name.utf8 {
            guard cName[index] == byte else { return false }
            index += 1
        }
        return cName[index] == 0
    }

    /// The decoded value of an attribute (first occurrence), or nil.
    private func attribute(_ node: UnsafeMutablePointer<xmlNode>, _ name: String) -> String? {
        var property = node.pointee.properties
        while let attribute = property {
            if let attributeName = attribute.pointee.name, Self.equals(attributeName, name) {
                var value: [UInt8] = []
                var child = attribute.pointee.children
                while let text = child {
                    if let content = text.pointee.content {
                        value.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                    }
                    child = text.pointee.next
                }
                return String(decoding: value, as: UTF8.self)
            }
            property = attribute.pointee.next
        }
        return nil
    }
}
