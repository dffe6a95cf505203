import HTMLSanitizer
import Testing

/// Our own adversarial corpus: XSS cheat-sheet families, mutation-XSS shapes and Teams/ACS samples, each with the
/// exact safe HTML expected (and the plain text where it matters).
struct CorpusCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var html: String
    var text: String?
    var testDescription: String { name }
}

let rel = "rel=\"noopener noreferrer nofollow\""

let xssFamilies: [CorpusCase] = [
    .init(name: "script element", input: "a<script>alert(1)</script>b", html: "ab", text: "ab"),
    .init(name: "script in caps", input: "<SCRIPT SRC=//x.js></SCRIPT>ok", html: "ok"),
    .init(name: "event handler", input: "<b onclick=\"alert(1)\" onmouseover=x>bold</b>", html: "<b>bold</b>"),
    .init(name: "img onerror", input: "<img src=x onerror=alert(1)>", html: ""),
    .init(name: "svg onload", input: "<svg onload=alert(1)><circle/></svg>after", html: "after"),
    .init(name: "javascript href", input: "<a href=\"javascript:alert(1)\">x</a>", html: "x"),
    .init(name: "javascript mixed case", input: "<a href=\"JaVaScRiPt:alert(1)\">x</a>", html: "x"),
    .init(name: "javascript with tab entity", input: "<a href=\"java&#9;script:alert(1)\">x</a>", html: "x"),
    .init(name: "javascript with newline", input: "<a href=\"java\nscript:alert(1)\">x</a>", html: "x"),
    .init(name: "javascript leading space", input: "<a href=\" &#14; javascript:alert(1)\">x</a>", html: "x"),
    .init(name: "javascript hex entities", input: "<a href=\"&#x6A;avascript&#x3A;alert(1)\">x</a>", html: "x"),
    .init(name: "javascript decimal no semicolon", input: "<a href=\"&#106&#97vascript:alert(1)\">x</a>", html: "x"),
    .init(name: "html5 named colon", input: "<a href=\"javascript&colon;alert(1)\">x</a>", html: "x"),
    .init(name: "vbscript", input: "<a href=\"vbscript:msgbox(1)\">x</a>", html: "x"),
    .init(name: "data url link", input: "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", html: "x"),
    .init(name: "data url image", input: "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">", html: ""),
    .init(name: "protocol relative", input: "<a href=\"//evil.example/x\">x</a>", html: "x"),
    .init(name: "style attribute", input: "<p style=\"background:url(javascript:alert(1))\">p</p>", html: "<p>p</p>"),
    .init(name: "style element", input: "<style>*{x:expression(alert(1))}</style>t", html: "t"),
    .init(name: "iframe srcdoc", input: "<iframe srcdoc=\"<script>alert(1)</script>\">in</iframe>o", html: "o"),
    .init(name: "object and embed", input: "<object data=x.swf><embed src=x.swf></object>o", html: "o"),
    .init(name: "form controls", input: "<form action=x><input value=v><button>b</button></form>o", html: "o"),
    .init(name: "meta refresh", input: "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">o", html: "o"),
    .init(
        name: "base href",
        input: "<base href=\"javascript:/\"><a href=\"https://x.example\">l</a>",
        html: "<a href=\"https://x.example\" \(rel)>l</a>"
    ),
    .init(name: "template", input: "<template><img src=x onerror=alert(1)></template>o", html: "o"),
    .init(name: "unknown element with handler", input: "<foo onclick=alert(1)>text</foo>", html: "text"),
    .init(name: "image element", input: "<image src=x onerror=alert(1)>t", html: "t"),
    .init(name: "form feed separators", input: "<img\u{0C}src=x\u{0C}onerror=alert(1)>", html: ""),
    .init(name: "id and name clobbering", input: "<b id=location name=cookie>x</b>", html: "<b>x</b>"),
    .init(
        name: "target and rel from input",
        input: "<a href=\"https://x.example\" target=_blank rel=opener>l</a>",
        html: "<a href=\"https://x.example\" \(rel)>l</a>"
    ),
]

let mutationShapes: [CorpusCase] = [
    .init(
        name: "noscript title",
        input: "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        html: ""
    ),
    .init(name: "xmp", input: "<xmp><p title=\"</xmp><img src=x onerror=alert(1)>\"></xmp>o", html: "o"),
    .init(
        name: "textarea",
        input: "<textarea><p title=\"</textarea><img src=x onerror=1>\"></textarea>o",
        html: "o"
    ),
    .init(
        name: "title in attribute",
        input: "<b title=\"</title><img src=x onerror=alert(1)>\">x</b>",
        html: "<b title=\"&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;\">x</b>"
    ),
    .init(name: "svg style", input: "<svg><style><img src=x onerror=alert(1)></style></svg>o", html: "o"),
    .init(name: "math mglyph", input: "<math><mtext><table><mglyph><style><img src=x onerror=1>", html: ""),
    .init(
        name: "form math namespace confusion",
        input: "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        html: ""
    ),
    .init(name: "svg cdata", input: "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>o", html: "o"),
    .init(name: "comment with img", input: "a<!--><img src=x onerror=alert(1)>-->b", html: "ab"),
    .init(name: "bogus comment", input: "a<!-- x --!><b>b</b>", html: "a<b>b</b>"),
    .init(name: "doctype", input: "<!DOCTYPE x PUBLIC \"a>\"<img src=x onerror=alert(1)>\">o", html: "\"&gt;o"),
    .init(name: "processing instruction", input: "<?xml version=\"1.0\"?><b>x</b>", html: "<b>x</b>"),
    .init(name: "NUL in scheme", input: "<a href=\"java\u{0}script:alert(1)\">x</a>y", html: "xy"),
    .init(name: "NUL in tag name", input: "<scr\u{0}ipt>alert(1)</scr\u{0}ipt>y", html: "alert(1)y"),
    .init(
        name: "meta charset utf-7",
        input: "<meta charset=\"utf-7\">+ADw-img src=x onerror=alert(1)+AD4-",
        html: "+ADw-img src=x onerror=alert(1)+AD4-"
    ),
    .init(name: "meta charset latin-1", input: "<meta charset=\"iso-8859-1\">café", html: "café", text: "café"),
    .init(name: "unterminated tag", input: "ok<img src=x onerror=alert(1)", html: "ok"),
    .init(name: "unterminated attribute", input: "ok<a href=\"https://x.example>text", html: "ok"),
    .init(
        name: "nested links",
        input: "<a href=\"https://a.example\">x<a href=\"https://b.example\">y</a></a>",
        html: "<a href=\"https://a.example\" \(rel)>x</a><a href=\"https://b.example\" \(rel)>y</a>"
    ),
    .init(name: "block in paragraph", input: "<p>x<div>y</div>z</p>", html: "<p>x</p><div>y</div>z"),
    .init(name: "block in unknown in paragraph", input: "<p>a<foo><div>b</div></foo>c</p>", html: "<p>abc</p>"),
    .init(name: "list item outside list", input: "<li>a</li><b><li>c</li></b>", html: "a<b>c</b>"),
    .init(name: "cell outside table", input: "<td>a</td>b", html: "ab"),
    .init(
        name: "attribute escaping",
        input: "<b title='a\"b<c>&amp;'>x</b>",
        html: "<b title=\"a&quot;b&lt;c&gt;&amp;\">x</b>"
    ),
    .init(
        name: "text escaping",
        input: "1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot;",
        html: "1 &lt; 2 &amp;&amp; 3 &gt; 2 \"q\"",
        text: "1 < 2 && 3 > 2 \"q\""
    ),
]

let teamsSamples: [CorpusCase] = [
    .init(
        name: "ACS mention",
        input: "Hey <msft-mention id=\"8:acs:abc-1\">Bob Li</msft-mention>!",
        html: "Hey <span class=\"mention\" data-mention-id=\"8:acs:abc-1\">Bob Li</span>!",
        text: "Hey Bob Li!"
    ),
    .init(
        name: "Teams mention",
        input: "<p><span itemtype=\"http://schema.skype.com/Mention\" itemscope itemid=\"0\">"
            + "Alice</span> hi</p>",
        html: "<p><span class=\"mention\" data-mention-id=\"0\">Alice</span> hi</p>",
        text: "Alice hi"
    ),
    .init(
        name: "Graph mention",
        input: "<at id=\"1\">Carol</at>",
        html: "<span class=\"mention\" data-mention-id=\"1\">Carol</span>"
    ),
    .init(
        name: "mention with markup inside",
        input: "<msft-mention id=\"x\"><b>Bo</b><script>1</script>b</msft-mention>",
        html: "<span class=\"mention\" data-mention-id=\"x\">Bob</span>"
    ),
    .init(
        name: "ACS inline image",
        input: "<p><img alt=\"image\" src=\"\" itemscope=\"png\" width=\"166.5625\" height=\"250\" id=\"SomeImageId1\" "
            + "style=\"vertical-align:bottom\"></p>",
        html: "<p><img data-attachment-id=\"SomeImageId1\" alt=\"image\" width=\"167\" height=\"250\"></p>",
        text: "[image]"
    ),
    .init(
        name: "Teams AMS image",
        input: "<img itemtype=\"http://schema.skype.com/AMSImage\" src=\"https://eu-api.asm.skype.com/v1/objects/0-x/"
            + "views/imgo\" alt=\"chart\" width=\"250\">",
        html: "<img src=\"https://eu-api.asm.skype.com/v1/objects/0-x/views/imgo\" alt=\"chart\" width=\"250\">",
        text: "chart"
    ),
    .init(name: "http image dropped", input: "<img src=\"http://x.example/a.png\" alt=\"pic\">", html: "pic"),
    .init(
        name: "Teams emoji",
        input: "<span class=\"animated-emoticon-20-smile\" title=\"Smile\" type=\"(smile)\"><img itemscope "
            + "itemtype=\"http://schema.skype.com/Emoji\" itemid=\"smile\" src=\"https://statics.teams.cdn.office.net/"
            + "evergreen-assets/personal-expressions/v2/assets/emoticons/smile/default/20_f.png\" title=\"Smile\" "
            + "alt=\"🙂\" style=\"width:20px;height:20px\"></span>",
        html: "<span title=\"Smile\"><span class=\"emoji\" title=\"Smile\">🙂</span></span>",
        text: "🙂"
    ),
    .init(
        name: "Graph emoji and attachment",
        input: "<emoji id=\"cool\" alt=\"😎\" title=\"Cool\"></emoji>"
            + "<attachment id=\"1617\"></attachment>",
        html:
            "<span class=\"emoji\" title=\"Cool\">😎</span><span class=\"attachment\" data-attachment-id=\"1617\"></span>"
    ),
    .init(
        name: "Teams code block",
        input: "<codeblock class=\"language-go\"><code>func main() {\n\tprintln(\"&lt;hi&gt;\")\n}</code></codeblock>",
        html: "<pre class=\"language-go\"><code>func main() {\n\tprintln(\"&lt;hi&gt;\")\n}</code></pre>",
        text: "func main() {\n\tprintln(\"<hi>\")\n}"
    ),
    .init(
        name: "Teams reply",
        input: "<blockquote itemscope itemtype=\"http://schema.skype.com/Reply\" itemid=\"1700000000000\">"
            + "<strong itemprop=\"mri\" itemid=\"8:orgid:x\">Dana</strong><span itemprop=\"time\" itemid=\"1\"></span>"
            + "<p itemprop=\"preview\">earlier</p></blockquote><p>answer</p>",
        html: "<blockquote class=\"reply\" data-reply-to=\"1700000000000\"><strong>Dana</strong><span></span>"
            + "<p>earlier</p></blockquote><p>answer</p>",
        text: "Dana\nearlier\nanswer"
    ),
    .init(
        name: "copy-paste table",
        input: "<table itemprop=\"copy-paste-table\"><tbody><tr><th scope=col>A</th><td colspan=\"2\" style=x>1</td>"
            + "</tr></tbody></table>",
        html: "<table><tbody><tr><th scope=\"col\">A</th><td colspan=\"2\">1</td></tr></tbody></table>",
        text: "A\t1"
    ),
    .init(
        name: "lists",
        input: "<ol start=3><li>one<li>two</ol><ul><li>x<ul><li>y</li></ul></li></ul>",
        html: "<ol start=\"3\"><li>one</li><li>two</li></ol><ul><li>x<ul><li>y</li></ul></li></ul>",
        text: "- one\n- two\n- x\n- y"
    ),
    .init(
        name: "links keep text and URL",
        input: "<p>See <a href=\"https://learn.example/x?a=1&amp;b=2\" "
            + "title=\"Docs\" target=\"_blank\">the docs</a> or <a href=\"mailto:help@x.example\">help@x.example</a></p>",
        html: "<p>See <a href=\"https://learn.example/x?a=1&amp;b=2\" \(rel)>the docs</a> or "
            + "<a href=\"mailto:help@x.example\" \(rel)>help@x.example</a></p>",
        text: "See the docs (https://learn.example/x?a=1&b=2) or help@x.example"
    ),
    .init(
        name: "formatting and breaks",
        input: "<div><b>Bold</b> <i>it</i><br>next&nbsp;line<strike>gone</strike></div>",
        html: "<div><b>Bold</b> <i>it</i><br>next\u{A0}line<s>gone</s></div>",
        text: "Bold it\nnext linegone"
    ),
    .init(
        name: "font and colour spans",
        input: "<font color=red><span style=\"color:rgb(1,2,3)\">c</span></font>",
        html: "<span>c</span>"
    ),
]

@Suite struct AdversarialCorpusTests {
    @Test(arguments: xssFamilies + mutationShapes + teamsSamples)
    func sanitizesToExpectedOutput(_ sample: CorpusCase) {
        let result = HTMLSanitizer().sanitize(sample.input)
        #expect(result.html == sample.html)
        if let text = sample.text { #expect(result.text == text) }
        #expect(OutputGrammar.violations(in: result.html) == [])
        #expect(HTMLSanitizer().sanitize(result.html).html == result.html, "not idempotent")
    }

    @Test func recordsReferences() {
        let result = HTMLSanitizer().sanitize(
            "<msft-mention id=\"8:acs:1\">Bob</msft-mention> <a href=\"HTTPS://x.example/a b\">x</a>"
                + "<img src=\"\" id=\"att-1\" alt=\"image\"><img src=\"https://cdn.example/p.png\" alt=\"P\">"
                + "<a href=\"javascript:alert(1)\">no</a>"
        )
        #expect(result.mentions == [SanitizedMention(id: "8:acs:1", displayName: "Bob")])
        #expect(result.links == ["https://x.example/a%20b"])
        #expect(
            result.images == [
                SanitizedImage(source: .attachment(id: "att-1"), alt: "image"),
                SanitizedImage(source: .url("https://cdn.example/p.png"), alt: "P"),
            ]
        )
        #expect(result.text == "Bob x (https://x.example/a%20b)[image]Pno")
    }
}
