import Foundation
import HTMLSanitizer
import Testing

/// Writes the pages that `Tests/BrowserCheck/run.sh` renders in headless Chromium, when `BROWSER_CHECK_OUTPUT`
/// names a directory (skipped otherwise).
///
/// `sanitized.html` holds the sanitized output of every vector inline, as a transcript would, between a script that
/// turns `alert`/`confirm`/`prompt`/`print` into a `data-executed` mark on `<html>` and a final script that sets
/// `data-finished`. `control.html` holds our own corpus unsanitized (each vector in its own `srcdoc` frame, so
/// one that swallows the rest of a document cannot hide the others); it must report executions, which shows the
/// detector works. (Raw vectors that open nested frames are left out: a dialog there would block Chromium.)
@Suite struct BrowserPageTests {
    static let outputDirectory = ProcessInfo.processInfo.environment["BROWSER_CHECK_OUTPUT"]

    /// Turns the dialog functions the vectors call into a mark on the top document's `html` element.
    static let hook =
        "<script>function __hit(what) { const root = window.top.document.documentElement; "
        + "root.setAttribute('data-executed', String(Number(root.getAttribute('data-executed') || 0) + 1)); } "
        + "for (const name of ['alert', 'confirm', 'prompt', 'print']) { window[name] = function () { __hit(name); }; }"
        + "</script>"

    /// Fires handler-style events on every case element (no clicks: links would navigate), then marks that the
    /// page ran to its end.
    static let report = """
        <div id="end">END-OF-CASES</div>
        <script>
        for (const element of document.querySelectorAll("#cases *")) {
          for (const type of ["mouseover", "mouseenter", "focus", "focusin", "load", "error", "animationstart",
                              "pointerdown", "keydown", "toggle", "input", "change"]) {
            try { element.dispatchEvent(new Event(type)); } catch (e) {}
          }
        }
        if (document.title !== "sanitizer browser check") { __hit("title"); }
        document.documentElement.setAttribute("data-finished", "yes");
        </script>
        """

    static func vectors() throws -> [String] {
        try PublicCorpus.vectors() + (xssFamilies + mutationShapes + teamsSamples).map(\.input)
    }

    @Test(.enabled(if: outputDirectory != nil)) func writeBrowserCheckPages() throws {
        let directory = URL(fileURLWithPath: try #require(Self.outputDirectory))
        let vectors = try Self.vectors()
        let sanitizer = HTMLSanitizer()
        let head = "<!doctype html><html><head><meta charset=\"utf-8\"><title>sanitizer browser check</title>"
        var sanitized = head + Self.hook + "</head><body><div id=\"cases\">\n"
        var control = head + Self.hook + "</head><body><div id=\"cases\">\n"
        for (index, vector) in vectors.enumerated() {
            sanitized += "<div class=\"case\" id=\"case-\(index)\">\(sanitizer.sanitize(vector).html)</div>\n"
        }
        // Nested frames get no hook, and a real dialog blocks headless Chromium until it is killed.
        let controlVectors = (xssFamilies + mutationShapes).map(\.input).filter {
            !["iframe", "srcdoc", "<object", "<embed", "<frame"].contains(where: $0.lowercased().contains)
        }
        for (index, vector) in controlVectors.enumerated() {
            control += "<iframe id=\"case-\(index)\" srcdoc=\"\(Self.escapeAttribute(Self.hook + vector))\"></iframe>\n"
        }
        sanitized += "</div>" + Self.report + "</body></html>\n"
        control += "</div>" + Self.report + "</body></html>\n"
        try sanitized.write(to: directory.appendingPathComponent("sanitized.html"), atomically: true, encoding: .utf8)
        try control.write(to: directory.appendingPathComponent("control.html"), atomically: true, encoding: .utf8)
        #expect(vectors.count >= 300)
    }

    static func escapeAttribute(_ value: String) -> String {
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
