import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Human report")
struct HumanReporterTests {
    typealias R = ReportSamples
    let plain = HumanReporter(style: Style(enabled: false))

    static let healthy: [ProbeResult] = [
        R.result("url.syntax", .tenantURL, .pass, "https"),
        R.result("url.path", .tenantURL, .pass, "path /scim/v2"),
        R.result("url.expected-match", .tenantURL, .skip, "no --expected-url given"),
        R.result("users.list", .users, .pass, "ListResponse"),
        R.result("user-lifecycle.create", .usersLifecycle, .skip, "needs --allow-writes"),
        R.result("user-lifecycle.delete", .usersLifecycle, .skip, "needs --allow-writes"),
    ]

    @Test("a section that passes is one line; skips fold into one line per reason")
    func healthySectionsFold() {
        let text = plain.report(R.report(results: Self.healthy), token: R.token)
        #expect(text.contains("\nTenant URL          ✓ 2 checks passed, 1 skipped: no --expected-url given\n"))
        #expect(text.contains("\nUsers               ✓ 1 check passed\n"))
        #expect(text.contains("\nUsers lifecycle     – 2 skipped: needs --allow-writes\n"))
        #expect(!text.contains("url.path") && !text.contains("What to fix"))
        #expect(text.hasSuffix("3 passed, 3 skipped in 0.8 s. No failures. (exit code 0)\n"))
    }

    @Test("a section with a problem lists its probes; the fix is under the problem")
    func problemSectionIsDetailed() {
        let results = [
            R.result("url.syntax", .tenantURL, .pass, "https"),
            R.result("url.path", .tenantURL, .fail, "ends in /Users", fix: "Remove /Users. Then save."),
            R.result("url.query", .tenantURL, .skip, "url.path failed"),
            R.result("url.expected-match", .tenantURL, .skip, "url.path failed"),
        ]
        let text = plain.report(R.report(results: results), token: R.token)
        #expect(text.contains("\nTenant URL\n  ✓ url.syntax "))
        #expect(
            text.contains(
                "  ✗ url.path                     ends in /Users\n      fix       Remove /Users. Then save.\n"))
        #expect(text.contains("  – 2 skipped                    url.path failed\n"))
    }

    @Test("What to fix: root causes first, one line per change, the summary line last")
    func whatToFixOrdersRootCauses() throws {
        let results = [
            R.result("tls.validity", .network, .warn, "expires soon", fix: "Renew the certificate. It expires."),
            R.result(
                "auth.token-accepted", .authentication, .fail, "401", fix: "Generate a new token (admin). Paste it."),
            R.result("users.filter", .users, .fail, "500", fix: "On the server: support filter=userName eq \"x.y\"."),
            R.result("groups.filter", .groups, .fail, "500", fix: "On the server: support filter=userName eq \"x.y\"."),
        ]
        let reporter = HumanReporter(
            style: Style(enabled: false),
            dependencies: [
                "users.filter": ["auth.token-accepted"],
                "auth.token-accepted": ["tls.validity"],
            ])
        let text = reporter.report(R.report(results: results), token: R.token)
        let block = try #require(text.components(separatedBy: "\nWhat to fix\n").last)
        let lines = block.split(separator: "\n").map(String.init)
        // Roots first (failures before warnings); users.filter and groups.filter ask for the same change: one line.
        #expect(lines[0] == "  1. ✗ auth.token-accepted: Generate a new token (admin).")
        #expect(lines[1] == "  2. ✗ groups.filter, users.filter: On the server: support filter=userName eq \"x.y\".")
        #expect(lines[2] == "  3. ! tls.validity: Renew the certificate.")
        #expect(lines[3].contains("Changes take time"))
        #expect(lines.last?.hasPrefix("3 failed, 1 warning, 0 passed in 0.8 s.") == true)
    }

    @Test("a problem behind a failing prerequisite is listed after it, saying so")
    func followsFromAFailure() {
        let results = [
            R.result("tls.handshake", .network, .fail, "no TLS", fix: "Terminate TLS on 443."),
            R.result("tls.validity", .network, .warn, "expires", fix: "Renew it."),
            R.result("users.list", .users, .fail, "error", fix: "Answer with a ListResponse."),
        ]
        let fixes = FixList(
            results,
            dependencies: [
                "tls.validity": ["tls.handshake"],
                "users.list": ["tls.validity"],
            ])
        #expect(fixes.items.map(\.probes) == [["tls.handshake"], ["users.list"], ["tls.validity"]])
        #expect(fixes.items.map(\.followsFrom) == [[], ["tls.handshake"], ["tls.handshake"]])
    }

    @Test("-v shows every probe on its own line; --only's leftovers are one line")
    func verboseAndNotSelected() {
        var results = Self.healthy
        results.append(R.result("groups.list", .groups, .skip, "not selected (--only)"))
        let verbose = HumanReporter(style: Style(enabled: false), verbose: true)
            .report(R.report(results: results), token: R.token)
        for result in results { #expect(verbose.contains("  \(result.status.symbol) \(result.id.rawValue) ")) }
        let folded = plain.report(R.report(results: results), token: R.token)
        #expect(!folded.contains("Groups") && folded.contains("\n1 probe not selected (--only/--skip)\n"))
    }

    @Test(
        "the change is the remediation's first sentence",
        arguments: [
            ("Renew it. Then install it.", "Renew it."),
            ("Use a key (e.g. RSA 2048). Then go.", "Use a key (e.g. RSA 2048)."),
            ("Send \"a. B\" as is. Next.", "Send \"a. B\" as is."),
            ("1. Generate a token. 2. Check the URL.", "1. Generate a token."),
            ("Use e.g. Ada here. Then more.", "Use e.g. Ada here."),
            ("Set version 2.0 of the API", "Set version 2.0 of the API"),
        ])
    func firstSentence(_ text: String, _ expected: String) {
        #expect(FixList.firstSentence(text) == expected)
    }

    @Test("on a terminal, lines wrap to its width with a hanging indent; a URL is never broken; pipes stay unwrapped")
    func wrapsToTheTerminal() {
        let url = "https://app.example.com/scim/v2/Users?filter=userName+eq+%22someone%40example.com%22"
        let result = R.result(
            "users.filter", .users, .fail, "the filter for a listed user answered 500, see " + url + " for the request",
            fix: "On the server: support filter=userName eq \"…\" on /Users and answer 200 with the matching user.")
        let wide = HumanReporter(style: Style(enabled: true), width: 60).render(section: [result], after: nil)
        let lines = wide.split(separator: "\n").map(String.init)
        for line in lines where !line.contains("://") {
            #expect(TextWrap.visibleWidth(line) <= 60, "\(line)")
        }
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces) == url }, "the URL is whole on a line")
        // The hanging indent: continuation lines of the finding start under its first column (33).
        let findingStart = String(repeating: " ", count: 33)
        #expect(lines.filter { $0.hasPrefix(findingStart) && !$0.hasPrefix(findingStart + " ") }.count >= 2)
        let piped = HumanReporter(style: Style(enabled: false)).render(section: [result], after: nil)
        #expect(piped.contains(" users.filter                 the filter for a listed user answered 500, see " + url))
    }

    @Test("a word longer than a line is cut, unless it is a URL", arguments: [true, false])
    func longWords(isURL: Bool) {
        let word = (isURL ? "https://" : "") + String(repeating: "x", count: 50)
        let text = TextWrap.wrap("a " + word + " b", prefix: "> ", width: 30)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "> a")
        #expect(isURL ? lines.contains("  " + word) : lines.allSatisfy { $0.count <= 30 })
    }
}
