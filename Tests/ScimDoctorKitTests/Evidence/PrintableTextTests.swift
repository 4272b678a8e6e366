import Foundation
import Testing

@testable import ScimDoctorKit

/// What a hostile server puts in ids, names, details, headers and certificate names never acts on the terminal:
/// the human report, `-v` and `cleanup` show it as `\u{…}`.
@Suite("Printable text")
struct PrintableTextTests {
    /// Title set (OSC 0), clipboard write (OSC 52), hyperlink (OSC 8), clear screen, BEL, CR, BS, NUL, CSI as
    /// one C1 byte, a bidi override, zero-width characters, a line separator.
    static let poisons: [(String, String)] = [
        ("OSC 0 title", "\u{1B}]0;pwned\u{07}"), ("OSC 52 clipboard", "\u{1B}]52;c;Y3VybCBldmls\u{07}"),
        ("OSC 8 link", "\u{1B}]8;;https://evil.example\u{1B}\\click\u{1B}]8;;\u{1B}\\"),
        ("clear screen", "\u{1B}[2J\u{1B}[H"), ("colour", "\u{1B}[31m"), ("BEL", "\u{07}"), ("CR", "fake\r"),
        ("BS", "ab\u{08}\u{08}"), ("NUL", "a\u{0}b"), ("C1 CSI", "\u{9B}2J"), ("NEL", "a\u{85}b"),
        ("bidi override", "user\u{202E}gpj.exe"), ("zero width", "ad\u{200B}min\u{FEFF}"),
        ("line separator", "a\u{2028}b"), ("newline", "ok\n  ✓ all good"),
    ]

    @Test("every control and invisible character is made visible on one line", arguments: poisons.map(\.0))
    func line(name: String) throws {
        let text = try #require(Self.poisons.first { $0.0 == name }?.1)
        let shown = PrintableText.line(text)
        #expect(!shown.unicodeScalars.contains { PrintableText.isUnprintable($0) })
        #expect(shown.contains("\\u{"))
    }

    @Test("the terminal layer keeps line breaks and scim-doctor's own colours, and nothing else")
    func terminal() {
        let own = "\u{1B}[1;31m✗\u{1B}[0m url.path\n\tnext"
        #expect(PrintableText.terminal(own) == own)
        let hostile = "a\u{1B}]0;title\u{07}b\u{9B}c\u{1B}[2Jd"
        #expect(PrintableText.terminal(hostile) == "a\\u{1b}]0;title\\u{7}b\\u{9b}c\\u{1b}[2Jd")
    }

    @Test("the human report shows a poisoned finding, evidence, fix and cleanup label escaped, in colour too")
    func humanReport() {
        let poison = "x\u{1B}]52;c;ZXZpbA==\u{07}\u{202E}\ny"
        let result = ProbeResult(
            id: ProbeID(rawValue: "users.filter"), section: .users, title: "t", status: .fail, finding: poison,
            evidence: [Evidence(poison, poison)], remediation: poison, durationMs: 1)
        for style in [Style(enabled: true), Style(enabled: false)] {
            let reporter = HumanReporter(style: style)
            let text = reporter.render(section: [result], after: nil)
            let cleanup = reporter.cleanup(
                RunReport.Cleanup(
                    runID: "0e0e0e0e", tag: "scim-doctor-0e0e0e0e", deleted: [],
                    leftovers: [
                        Leftover(kind: .users, id: poison, label: poison, reason: poison, command: "curl")
                    ]))
            for output in [text, cleanup] {
                #expect(!output.contains("\u{07}") && !output.contains("\u{202E}") && !output.contains("\u{1B}]"))
                #expect(output.contains("\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{202e}\\u{a}y"))
            }
        }
    }

    @Test("Markdown: server URLs are code, never links; C1 controls are made visible")
    func markdown() {
        let text = MarkdownReporter.inline("moved to https://evil.example/login and www.evil.example \u{9B}")
        #expect(text.contains("`https://evil.example/login`") && text.contains("`www.evil.example`"))
        #expect(text.contains("U+009B") && !text.contains("\u{9B}"))
    }
}
