import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Markdown report")
struct MarkdownReporterTests {
    /// A GitHub table row's cells: split on every `|` that no backslash escapes.
    func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in row {
            if character == "|", !escaped {
                cells.append(current)
                current = ""
            } else {
                current.append(character)
            }
            escaped = character == "\\" && !escaped
        }
        cells.append(current)
        return Array(cells.dropFirst().dropLast()).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test("the result first, then the header: Tenant URL as host and path, time, tool version, token fingerprint")
    func header() {
        let text = MarkdownReporter.render(ReportSamples.report())
        #expect(
            text.hasPrefix(
                "# scim-doctor report\n\n**2 failed, 1 could not run, 1 warning, 1 passed, 1 skipped; exit code 1**\n\n"
            ))
        #expect(text.contains("- **Tenant URL:** `app.example.com/scim/v2` (https; query string shown as ?…)\n"))
        #expect(!text.contains("aadOptscim062020"))
        #expect(text.contains("- **Time:** \(ReportSamples.report().startedAt), 0.8 s\n"))
        #expect(text.contains("- **Tool:** scim-doctor 0.1.0 (libcurl/test)\n"))
        #expect(text.contains("- **Secret Token:** …e1f0 (39 characters) (its fingerprint"))
    }

    @Test("What to fix and the failures come before the table of every probe, which is folded")
    func failuresFirst() throws {
        let text = MarkdownReporter.render(ReportSamples.report())
        let fix = try #require(text.range(of: "\n## What to fix\n\n1. ✗ fail `url.path`: In Entra, remove /Users"))
        let failures = try #require(text.range(of: "\n## Failures and warnings\n"))
        let table = try #require(text.range(of: "\n## All probes\n\n<details>\n<summary>6 probes: 2 failed"))
        #expect(fix.lowerBound < failures.lowerBound && failures.lowerBound < table.lowerBound)
        #expect(text.contains("| --- | --- | --- |\n") && text.contains("\n</details>\n"))
    }

    @Test("the Tenant URL's query string is shown as ?… in findings, evidence and fixes too")
    func queryHidden() {
        let url = "https://app.example.com/scim/v2?tenant=acme-prod"
        let result = ReportSamples.result(
            "url.query", .tenantURL, .fail, "unknown parameter in \(url)",
            evidence: [Evidence("request", "GET https://app.example.com/scim/v2/Users?tenant=acme-prod")],
            fix: "Remove ?tenant=acme-prod.")
        let text = MarkdownReporter.render(ReportSamples.report(results: [result], tenantURL: url))
        #expect(!text.contains("acme-prod"))
        #expect(text.contains("/scim/v2?…"))
    }

    @Test(
        "the Tenant URL keeps host (with port) and path only",
        arguments: [
            (
                "https://user:secret@app.example.com:8443/scim/v2?x=1#top", "app.example.com:8443/scim/v2", "https",
                "x=1"
            ),
            ("  http://127.0.0.1:4000/scim/v2/  ", "127.0.0.1:4000/scim/v2/", "http", nil),
            ("app.example.com/scim#frag", "app.example.com/scim", nil, nil),
        ])
    func tenantURL(raw: String, hostAndPath: String, scheme: String?, query: String?) {
        let parsed = MarkdownReporter.tenantURL(raw)
        #expect(parsed.hostAndPath == hostAndPath)
        #expect(parsed.scheme == scheme)
        #expect(parsed.query == query)
    }

    @Test("invisible characters of a pasted Tenant URL are shown")
    func invisibleURL() {
        let text = MarkdownReporter.render(ReportSamples.report(tenantURL: "https://app.example.com/scim\u{200B}/v2"))
        #expect(text.contains("`app.example.com/scim<U+200B>/v2`"))
    }

    @Test("the summary table: one row per probe, three cells each, whatever the finding holds")
    func summaryTable() throws {
        let text = MarkdownReporter.render(ReportSamples.report())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "| Status | Probe | Finding |"))
        #expect(lines[start + 1] == "| --- | --- | --- |")
        let rows = lines[(start + 2)...].prefix { $0.hasPrefix("|") }
        #expect(rows.count == ReportSamples.results.count)
        for row in rows { #expect(cells(row).count == 3, "\(row)") }
        #expect(rows.first == "| ✓ pass | `url.syntax` | the Tenant URL parses |")
        let hostile = try #require(rows.last)
        #expect(
            hostile.hasPrefix("| ✗ fail | `groups.filter` | \\<b\\>\\&amp;\\</b\\> \"q\" 'a' \\| \\`x\\` \\`\\`\\` ␛"))
        #expect(!hostile.contains("\n") && hostile.contains("line 2"))
    }

    @Test("one section per failing, warning or erroring probe, with evidence in a code block and the fix")
    func sections() throws {
        let text = MarkdownReporter.render(ReportSamples.report())
        #expect(text.contains("### ✗ fail: `url.path`\n\n*Tenant URL — Title of url.path*\n\n**Finding:** the path"))
        #expect(text.contains("### ! warning: `users.content-type`"))
        #expect(text.contains("### ? error: `users.count`"))
        #expect(!text.contains("### ✓") && !text.contains("### –"))
        #expect(
            text.contains(
                "**Evidence:**\n\n```text\npath      \"/scim/v2/Users\"\nrequest   GET /scim/v2/Users/Users\n```\n"))
        #expect(text.contains("**Fix:** In Entra, remove /Users from the Tenant URL.\n"))
        // The hostile evidence holds a run of three backticks: its block is fenced with four.
        #expect(text.contains("````text\nbody      <b>&amp;</b>"))
        #expect(text.contains("          line 2\n"))
        #expect(!text.contains("\u{1B}") && !text.contains("\u{0}"))
    }

    @Test("no failure: says so")
    func healthy() {
        let text = MarkdownReporter.render(ReportSamples.report(results: [ReportSamples.results[0]]))
        #expect(text.contains("No probe failed, warned or could not run."))
    }

    @Test("a write run's cleanup: deleted resources, leftovers with their commands")
    func cleanup() throws {
        let text = MarkdownReporter.render(ReportSamples.report(cleanup: ReportSamples.cleanup))
        #expect(text.contains("## Cleanup (run `scim-doctor-0e0e0e0e`)"))
        #expect(text.contains("- group `scim-doctor-0e0e0e0e Group` (id `g1`)"))
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("| user |") })
        #expect(
            cells(String(row)) == [
                "user", "`scim-doctor-0e0e0e0e-ada@example.com`", "u\\|1",
                "DELETE answered HTTP 204 but the resource is still there",
            ])
        #expect(text.contains("```sh\ncurl -X DELETE -H \"Authorization: Bearer $SCIM_TOKEN\""))
    }

    @Test("two runs differ only in times and durations")
    func stable() {
        let first = MarkdownReporter.render(ReportSamples.report())
        let second = MarkdownReporter.render(
            ReportSamples.report(
                results: ReportSamples.retimed(ReportSamples.results), startedAt: Date(timeIntervalSince1970: 1),
                durationMs: 5))
        let time = /- \*\*Time:\*\* [^\n]*/
        #expect(first != second)
        #expect(first.replacing(time, with: "") == second.replacing(time, with: ""))
    }

    @Test("code spans outlast any backtick run inside")
    func codeSpans() {
        #expect(MarkdownReporter.code("a`b") == "``a`b``")
        #expect(MarkdownReporter.code("`a") == "`` `a ``")
        #expect(MarkdownReporter.code("a|b", inTable: true) == "`a\\|b`")
        #expect(MarkdownReporter.codeBlock("x\n````\ny", language: "text") == "`````text\nx\n````\ny\n`````\n")
    }
}
