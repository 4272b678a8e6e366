import Foundation

@testable import ScimDoctorKit

/// Run reports for the reporter tests: every status, several sections, hostile text, a write run's cleanup.
enum ReportSamples {
    static let token = Secret("canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    /// Markup of every format, a control character XML 1.0 cannot hold, a backtick run, a pipe, a newline.
    static let hostile = "<b>&amp;</b> \"q\" 'a' | `x` ``` \u{1B}[31m\u{0}\u{FFFE} $a$ *b* _c_ [d](e)\nline 2"

    static func result(
        _ id: String, _ section: Section, _ status: Status, _ finding: String, evidence: [Evidence] = [],
        fix: String? = nil, durationMs: Int = 12
    ) -> ProbeResult {
        ProbeResult(
            id: ProbeID(rawValue: id), section: section, title: "Title of \(id)", status: status, finding: finding,
            evidence: evidence, remediation: fix, durationMs: durationMs)
    }

    static let results: [ProbeResult] = [
        result("url.syntax", .tenantURL, .pass, "the Tenant URL parses"),
        result(
            "url.path", .tenantURL, .fail, "the path ends in /Users",
            evidence: [Evidence("path", "\"/scim/v2/Users\""), Evidence("request", "GET /scim/v2/Users/Users")],
            fix: "In Entra, remove /Users from the Tenant URL."),
        result("tls.trust", .network, .skip, "http:// URL: no TLS to check"),
        result(
            "users.content-type", .users, .warn, "application/json instead of application/scim+json",
            evidence: [Evidence("header", "Content-Type: application/json")], fix: "Label responses scim+json."),
        result("users.count", .users, .error, "the probe did not finish within 40 s"),
        result(
            "groups.filter", .groups, .fail, hostile, evidence: [Evidence("body", hostile), Evidence(hostile, "v")],
            fix: hostile),
    ]

    static func report(
        results: [ProbeResult] = results, cleanup: RunReport.Cleanup? = nil, strict: Bool = false,
        startedAt: Date = Date(timeIntervalSince1970: 1_790_000_000), durationMs: Int = 812,
        tenantURL: String = "https://app.example.com/scim/v2?aadOptscim062020"
    ) -> RunReport {
        RunReport(
            toolVersion: "0.1.0", libcurl: "libcurl/test", tenantURL: tenantURL, token: token, insecure: false,
            startedAt: startedAt, durationMs: durationMs, results: results, cleanup: cleanup, strict: strict)
    }

    static let cleanup = RunReport.Cleanup(
        runID: "0e0e0e0e", tag: "scim-doctor-0e0e0e0e",
        deleted: [CreatedResource(kind: .groups, id: "g1", label: "scim-doctor-0e0e0e0e Group")],
        leftovers: [
            Leftover(
                kind: .users, id: "u|1", label: "scim-doctor-0e0e0e0e-ada@example.com",
                reason: "DELETE answered HTTP 204 but the resource is still there",
                command:
                    "curl -X DELETE -H \"Authorization: Bearer $SCIM_TOKEN\" 'https://app.example.com/scim/v2/Users/u|1'"
            )
        ])

    /// The same results with other durations: what a second run against the same server gives.
    static func retimed(_ results: [ProbeResult]) -> [ProbeResult] {
        results.map { result in
            var copy = result
            copy.durationMs = result.durationMs * 7 + 3
            return copy
        }
    }
}
