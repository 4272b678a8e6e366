import Foundation

/// `--format junit`: the report as JUnit XML, the format CI systems (GitHub Actions, GitLab, Jenkins) publish.
///
/// One `<testsuite>` per report section (in report order), one `<testcase classname="<section id>"
/// name="<probe id>">` per probe. A failure is `<failure>` (finding as the message; evidence and fix in the text),
/// scim-doctor's own error is `<error>`, a skip is `<skipped>` with the reason, a warning passes with the warning
/// in `<system-out>` (under `--strict` it is a `<failure type="warning">`, as the exit code counts it), and each
/// suite's properties count the warnings (`warnings` in the suite, `warnings-total` in the run). A write
/// run adds a "Cleanup" suite whose one test case fails when test resources were left in the tenant.
/// Only the times differ between two runs against the same server.
public enum JUnitReporter {
    public static func render(_ report: RunReport, strict: Bool = false) -> String {
        var suites: [Suite] = []
        for result in report.results {
            if suites.last?.id != result.section.rawValue {
                suites.append(Suite(id: result.section.rawValue, name: result.section.title))
            }
            suites[suites.count - 1].cases.append(testCase(result, strict: strict))
            if result.status == .warn { suites[suites.count - 1].warnings += 1 }
        }
        if let cleanup = report.cleanup { suites.append(cleanupSuite(cleanup)) }

        let properties =
            [
                ("tenant-url", report.target.tenantURL), ("token-fingerprint", report.target.tokenFingerprint),
                ("tool-version", report.tool.version), ("libcurl", report.tool.libcurl),
                ("insecure", String(report.target.insecure)), ("local-endpoint", String(report.target.localEndpoint)),
                ("strict", String(strict)), ("exit-code", String(report.exitCode)),
                ("warnings-total", String(report.summary.warn)),
            ]
            + (report.target.entra.map {
                [("entra-tenant", $0.tenant), ("entra-application", $0.application), ("graph", $0.graph)]
            } ?? [])
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        // The root's time is the run's wall time: probes run concurrently, so the suites' times overlap.
        var rootAttributes = totals(suites.flatMap(\.cases), name: "scim-doctor")
        rootAttributes[rootAttributes.count - 1] = ("time", seconds(report.durationMs))
        xml += "<testsuites\(attributes(rootAttributes))>\n"
        for suite in suites {
            var suiteAttributes = totals(suite.cases, name: suite.name)
            suiteAttributes.insert(("timestamp", report.startedAt), at: suiteAttributes.count - 1)
            xml += "  <testsuite\(attributes(suiteAttributes))>\n"
            xml += "    <properties>\n"
            // Warnings pass (without --strict): the count says they are there, in the suite and in the run.
            for (name, value) in properties + [("warnings", String(suite.warnings))] {
                xml += "      <property\(attributes([("name", name), ("value", value)]))/>\n"
            }
            xml += "    </properties>\n"
            for testCase in suite.cases { xml += testCase.xml }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    struct Suite {
        let id: String
        let name: String
        var cases: [Case] = []
        var warnings = 0
    }

    struct Case {
        enum Outcome { case passed, failure, error, skipped }
        let outcome: Outcome
        let durationMs: Int
        let xml: String
    }

    static func testCase(_ result: ProbeResult, strict: Bool) -> Case {
        let open =
            "    <testcase"
            + attributes([
                ("classname", result.section.rawValue), ("name", result.id.rawValue),
                ("time", seconds(result.durationMs)),
            ])
        let details = detail(result)
        switch result.status {
        case .pass:
            return Case(outcome: .passed, durationMs: result.durationMs, xml: open + "/>\n")
        case .skip:
            let body = "      <skipped\(attributes([("message", result.finding)]))/>\n"
            return Case(
                outcome: .skipped, durationMs: result.durationMs, xml: open + ">\n" + body + "    </testcase>\n")
        case .warn where strict:
            let body = element("failure", [("message", result.finding), ("type", "warning")], details)
            return Case(
                outcome: .failure, durationMs: result.durationMs, xml: open + ">\n" + body + "    </testcase>\n")
        case .warn:
            let body = element("system-out", [], "warning: \(result.finding)\n" + details)
            return Case(outcome: .passed, durationMs: result.durationMs, xml: open + ">\n" + body + "    </testcase>\n")
        case .fail:
            let body = element("failure", [("message", result.finding), ("type", "fail")], details)
            return Case(
                outcome: .failure, durationMs: result.durationMs, xml: open + ">\n" + body + "    </testcase>\n")
        case .error:
            let body = element(
                "error", [("message", result.finding), ("type", "scim-doctor error")],
                "scim-doctor could not complete this probe (its own error, not a finding about the server)\n"
                    + details)
            return Case(outcome: .error, durationMs: result.durationMs, xml: open + ">\n" + body + "    </testcase>\n")
        }
    }

    /// Evidence, then the fix: what a CI reader needs to act without opening another report.
    static func detail(_ result: ProbeResult) -> String {
        var text = ""
        for evidence in result.evidence {
            text += HumanReporter.pad(evidence.label, 9) + " " + evidence.value + "\n"
        }
        if let remediation = result.remediation { text += "fix       " + remediation + "\n" }
        return text
    }

    /// The Cleanup block of a write run as one test case: it fails when test resources were left behind.
    static func cleanupSuite(_ cleanup: RunReport.Cleanup) -> Suite {
        var suite = Suite(id: "cleanup", name: "Cleanup")
        let open = "    <testcase" + attributes([("classname", "cleanup"), ("name", cleanup.tag), ("time", "0.000")])
        var out = ""
        for resource in cleanup.deleted { out += "deleted   \(HumanReporter.describe(resource))\n" }
        if cleanup.deleted.isEmpty { out += "nothing was created, so nothing had to be deleted\n" }
        if cleanup.leftovers.isEmpty {
            let body = element("system-out", [], out)
            suite.cases.append(Case(outcome: .passed, durationMs: 0, xml: open + ">\n" + body + "    </testcase>\n"))
            return suite
        }
        var text = ""
        for leftover in cleanup.leftovers {
            text +=
                "left in the tenant: \(leftover.kind.singular) \(leftover.label.debugDescription) (id \(leftover.id)): "
                + "\(leftover.reason)\nremove    \(leftover.command)\n"
        }
        text += "or        scim-doctor cleanup <tenant-url> --yes (finds every resource tagged scim-doctor-<run id>)\n"
        let count = cleanup.leftovers.count
        let message = "\(count) test resource\(count == 1 ? " was" : "s were") left in the tenant"
        let body =
            element("failure", [("message", message), ("type", "leftover")], text) + element("system-out", [], out)
        suite.cases.append(Case(outcome: .failure, durationMs: 0, xml: open + ">\n" + body + "    </testcase>\n"))
        return suite
    }

    /// name, tests, failures, errors, skipped, time (a suite inserts its timestamp before time).
    static func totals(_ cases: [Case], name: String) -> [(String, String)] {
        [
            ("name", name), ("tests", String(cases.count)),
            ("failures", String(cases.count { $0.outcome == .failure })),
            ("errors", String(cases.count { $0.outcome == .error })),
            ("skipped", String(cases.count { $0.outcome == .skipped })),
            ("time", seconds(cases.reduce(0) { $0 + $1.durationMs })),
        ]
    }

    static func seconds(_ milliseconds: Int) -> String {
        let clamped = max(0, milliseconds)
        let fraction = String(clamped % 1000)
        return "\(clamped / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    static func element(_ name: String, _ attributes: [(String, String)], _ text: String) -> String {
        "      <\(name)\(Self.attributes(attributes))>\(escape(text, attribute: false))</\(name)>\n"
    }

    static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1, attribute: true))\"" }.joined()
    }

    /// Escapes the markup characters, and replaces what XML 1.0 cannot hold at all (C0 controls other than tab,
    /// newline and carriage return; U+FFFE, U+FFFF) by visible stand-ins: ␀…␟ (Unicode's control pictures) and
    /// U+FFFD. In attributes, tab, newline and carriage return are written as character references, which
    /// attribute-value normalisation would otherwise turn into spaces; a carriage return is one in text too.
    static func escape(_ text: String, attribute: Bool) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&apos;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            case "\r": out += "&#13;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}":
                out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}")
            case "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
