import HTMLSanitizer
import Testing

/// Every pair of output elements, nested: the output must be a fixed point and inside the allowlist. This pins the
/// content model against libxml2's auto-closing rules (e.g. `<p><div>` closes the `p`).
@Suite struct ContentModelTests {
    static let containers = OutputGrammar.elements.subtracting(OutputGrammar.voidElements).sorted()

    @Test(arguments: containers)
    func nestedPairsAreFixedPoints(parent: String) {
        let sanitizer = HTMLSanitizer()
        for child in OutputGrammar.elements.sorted() {
            let childMarkup = OutputGrammar.voidElements.contains(child) ? "<\(child)>" : "<\(child)>x</\(child)>"
            for input in [
                "<\(parent)>\(childMarkup)y</\(parent)>",
                "<\(parent)><foo>\(childMarkup)</foo><\(parent)>\(childMarkup)</\(parent)></\(parent)>",
                "<\(parent)>a<div>\(childMarkup)</div><table><tr><td>\(childMarkup)</td></tr></table></\(parent)>",
            ] {
                let html = sanitizer.sanitize(input).html
                #expect(sanitizer.sanitize(html).html == html, "\(input)")
                #expect(OutputGrammar.violations(in: html) == [], "\(input)")
            }
        }
    }
}
