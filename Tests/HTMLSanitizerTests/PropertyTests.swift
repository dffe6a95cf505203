import HTMLSanitizer
import PropertyBased
import Testing

/// Fragments of hostile and ordinary markup; random sequences of them make tag soup in every combination.
let markupFragments: [String] = [
    "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<i>", "<a href=\"https://x.example/?a=1&b=2\">", "</a>",
    "<a href=\"javascript:alert(1)\">", "<ul>", "<li>", "</li>", "</ul>", "<ol>", "<table>", "<tr>", "<td>", "</td>",
    "<th>", "</table>", "<pre>", "</pre>", "<code>", "<blockquote>", "</blockquote>", "<br>", "<hr>", "<h2>", "</h2>",
    "<span title=\"t\">", "</span>", "<img src=x onerror=alert(1)>", "<img src=\"https://i.example/a.png\" alt=a>",
    "<script>alert(1)</script>", "<style>", "</style>", "<svg onload=alert(1)>", "<math>", "<noscript>", "<template>",
    "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<msft-mention id=\"8:acs:1\">", "</msft-mention>",
    "<codeblock class=\"language-c\">", "<foo>", "</foo>", "<caption>", "<thead>", "<tbody>", "<strike>",
    "text", " ", "\n", "&amp;", "&lt;", "&#0;", "&colon;", "\u{0}", "é", "🙂", "\"", "'", "<", ">", "=", "/",
    "<p title=\"</p><img src=x onerror=1>\">", "<emoji alt=\"🙂\">", "<attachment id=\"a1\">",
    "<span itemtype=\"http://schema.skype.com/Mention\" itemid=\"0\">", "<a href=\"mailto:a@b.example\">",
]

let tagSoup = Gen<String?>.element(of: markupFragments).array(of: 0...40)

let plainCharacters = Gen<String?>.element(of: ["a", "Z", "é", "中", "🙂", " ", "  ", "\t", "\n", "1", ".", "-", "?"])
    .array(of: 0...60)

@Suite struct PropertyTests {
    @Test func sanitizingIsIdempotent() async {
        await propertyCheck(count: 400, input: tagSoup) { fragments in
            let input = fragments.compactMap { $0 }.joined()
            let once = HTMLSanitizer().sanitize(input).html
            #expect(HTMLSanitizer().sanitize(once).html == once, "input: \(input.debugDescription)")
        }
    }

    @Test func outputStaysInsideTheAllowlist() async {
        await propertyCheck(count: 400, input: tagSoup) { fragments in
            let input = fragments.compactMap { $0 }.joined()
            let html = HTMLSanitizer().sanitize(input).html
            #expect(OutputGrammar.violations(in: html) == [], "input: \(input.debugDescription)")
        }
    }

    /// Text without markup keeps every word, in order; whitespace runs become one space.
    @Test func plainTextIsPreserved() async {
        await propertyCheck(count: 300, input: plainCharacters) { pieces in
            let input = pieces.compactMap { $0 }.joined()
            let result = HTMLSanitizer().sanitize(input)
            let words = input.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            #expect(result.text == words.joined(separator: " "))
            #expect(result.html == input)
        }
    }
}
