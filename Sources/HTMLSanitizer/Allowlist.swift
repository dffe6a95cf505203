/// The elements the sanitizer emits, with the content model that keeps its output a fixed point.
///
/// libxml2 closes an open element when certain tags start inside it (`<p><div>` closes the `p`), so emitting such
/// a pair would re-parse differently. The model below only nests what libxml2 (checked pair by pair in the tests)
/// and browsers keep nested: phrasing inside phrasing, blocks only in flow containers, `li` only in lists, table
/// parts only in their parents. A child that does not fit is unwrapped: its content stays, its tag goes.
enum OutputTag: UInt8, CaseIterable {
    case p, div, blockquote, ul, ol, li, h1, h2, h3, h4, h5, h6, pre, hr
    case table, caption, thead, tbody, tfoot, tr, td, th
    case b, strong, i, em, u, s, del, ins, sub, sup, small, mark, abbr, cite, q, kbd, samp, `var`, span, code, a
    case br, img

    var name: String { Self.names[Int(rawValue)] }

    /// The tag name as bytes, for the writer.
    var nameBytes: [UInt8] { Self.nameBytes[Int(rawValue)] }

    private static let names = [
        "p", "div", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th",
        "b", "strong", "i", "em", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "cite", "q", "kbd",
        "samp", "var", "span", "code", "a", "br", "img",
    ]
    private static let nameBytes = names.map { Array($0.utf8) }

    var isVoid: Bool { self == .br || self == .hr || self == .img }

    enum Category { case phrasing, block, listItem, tableSection, tableRow, tableCell, tableCaption }

    var category: Category {
        switch self {
        case .p, .div, .blockquote, .ul, .ol, .h1, .h2, .h3, .h4, .h5, .h6, .pre, .hr, .table: .block
        case .li: .listItem
        case .caption: .tableCaption
        case .thead, .tbody, .tfoot: .tableSection
        case .tr: .tableRow
        case .td, .th: .tableCell
        default: .phrasing
        }
    }

    /// Whether `child` may be emitted directly inside `self` (`nil` is the message body).
    static func allows(_ parent: OutputTag?, _ child: OutputTag) -> Bool {
        guard let parent else { return child.category == .phrasing || child.category == .block }
        switch parent {
        case .div, .blockquote, .li, .td, .th, .caption:
            return child.category == .phrasing || child.category == .block
        case .ul, .ol: return child == .li
        case .table: return child == .caption || child == .tr || child.category == .tableSection
        case .thead, .tbody, .tfoot: return child == .tr
        case .tr: return child.category == .tableCell
        case .br, .hr, .img: return false
        default: return child.category == .phrasing  // p, headings, pre and phrasing elements
        }
    }

    static let byName: [String: OutputTag] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
}

/// What the walker does with a source element.
enum ElementRule {
    case emit(OutputTag)
    case drop  // with its content
    case unwrap  // content kept, tag dropped
    case link, image, mention, emoji, attachment, span, blockquote, codeBlock

    static func rule(for name: String) -> ElementRule {
        if let rule = special[name] { return rule }
        if let tag = OutputTag.byName[name] { return .emit(tag) }
        return dropped.contains(name) ? .drop : .unwrap
    }

    /// One lookup per element: the rule and how the element shapes the plain text.
    static func info(for name: String) -> ElementInfo {
        table[name] ?? ElementInfo(name: name)
    }

    private static let table: [String: ElementInfo] = {
        var names = Set(special.keys).union(dropped).union(textBlockElements).union(OutputTag.byName.keys)
        names.formUnion(["li", "td", "th", "code", "html", "body", "font", "center", "customemoji"])
        return Dictionary(uniqueKeysWithValues: names.map { ($0, ElementInfo(name: $0)) })
    }()

    private static let special: [String: ElementRule] = [
        "a": .link, "img": .image, "msft-mention": .mention, "at": .mention, "emoji": .emoji,
        "attachment": .attachment, "span": .span, "blockquote": .blockquote, "codeblock": .codeBlock,
        "strike": .emit(.s), "tt": .emit(.code), "xmp": .drop, "listing": .emit(.pre),
    ]

    /// Elements that can run script, embed content, take input or change parsing, and whose text is not message
    /// text: dropped with everything inside. Everything not named here or in the allowlist is unwrapped.
    private static let dropped: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "noframes", "object", "embed", "applet", "param",
        "template", "noscript", "noembed", "svg", "math", "form", "input", "button", "select", "option", "optgroup",
        "textarea", "datalist", "output", "keygen", "isindex", "canvas", "audio", "video", "source", "track",
        "picture", "map", "area", "head", "title", "meta", "link", "base", "basefont", "bgsound", "plaintext",
        "marquee", "portal", "fencedframe", "slot", "dialog", "menu", "menuitem", "command", "xml",
    ]
}

/// What the walker needs to know about a source element name.
struct ElementInfo {
    enum TextRole { case none, block, listItem, cell }

    var rule: ElementRule
    var textRole: TextRole
    var preservesWhitespace: Bool

    init(name: String) {
        rule = ElementRule.rule(for: name)
        textRole =
            name == "li"
            ? .listItem
            : (name == "td" || name == "th")
                ? .cell
                : textBlockElements.contains(name) ? .block : .none
        preservesWhitespace = name == "pre" || name == "code" || name == "codeblock" || name == "listing"
    }
}

/// Source elements that start a new line in the plain text.
let textBlockElements: Set<String> = [
    "p", "div", "blockquote", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "codeblock",
    "listing", "table", "tr", "caption", "thead", "tbody", "tfoot", "hr", "address", "article", "aside", "section",
    "header", "footer", "nav", "main", "figure", "figcaption", "details", "summary", "center", "fieldset", "legend",
]

/// Attribute checks: each returns the value to emit, or nil to drop the attribute.
enum AttributeRules {
    /// Collapses whitespace runs to one space and trims; caps the length (text attributes such as `title`, `alt`).
    static func text(_ value: String, limit: Int = 1000) -> String? {
        var result = ""
        var pendingSpace = false
        var count = 0
        for scalar in value.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.unicodeScalars.append(" ")
                pendingSpace = false
            }
            result.unicodeScalars.append(scalar)
            count += 1
            if count >= limit { break }
        }
        return result.isEmpty ? nil : result
    }

    static func integer(_ value: String, in range: ClosedRange<Int>) -> String? {
        let trimmed = value.trimmingBlanks
        guard let number = Int(trimmed), range.contains(number) else { return nil }
        return String(number)
    }

    /// Image dimensions: Teams writes fractional pixels (`166.5625`); rounded to an integer in 1…4096.
    static func dimension(_ value: String) -> String? {
        guard let number = Double(value.trimmingBlanks), number.isFinite, number >= 0.5, number < 4096.5 else {
            return nil
        }
        return String(Int(number + 0.5))  // no `rounded()`: it needs libm, which nothing else links
    }

    static func keyword(_ value: String, in allowed: Set<String>) -> String? {
        let lowered = value.trimmingBlanks.lowercased()
        return allowed.contains(lowered) ? lowered : nil
    }

    /// `language-xyz` code classes (Teams `codeblock`, Markdown renderers).
    static func codeLanguage(_ value: String) -> String? {
        for word in value.split(separator: " ") where word.hasPrefix("language-") {
            let language = word.dropFirst("language-".count)
            guard (1...32).contains(language.utf8.count),
                language.utf8.allSatisfy({ $0.isLowercaseLetterOrDigit || $0 == 0x2B || $0 == 0x23 || $0 == 0x2D })
            else { return nil }
            return "language-" + language
        }
        return nil
    }

    /// Ids of mentions and attachments: `[A-Za-z0-9:._@-]{1,256}`.
    static func identifier(_ value: String) -> String? {
        let trimmed = value.trimmingBlanks
        guard (1...256).contains(trimmed.utf8.count),
            trimmed.utf8.allSatisfy({
                $0.isLowercaseLetterOrDigit || ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x3A || $0 == 0x2E || $0 == 0x5F
                    || $0 == 0x40 || $0 == 0x2D
            })
        else { return nil }
        return trimmed
    }

    static func digits(_ value: String) -> String? {
        let trimmed = value.trimmingBlanks
        guard (1...32).contains(trimmed.utf8.count), trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return trimmed
    }
}

extension UInt8 {
    fileprivate var isLowercaseLetterOrDigit: Bool { (self >= 0x61 && self <= 0x7A) || (self >= 0x30 && self <= 0x39) }
}

extension String {
    /// Without ASCII blanks at either end.
    var trimmingBlanks: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 > 0x20 }), let last = utf8.lastIndex(where: { $0 > 0x20 }) else {
            return ""
        }
        return String(self[first...last])
    }
}
