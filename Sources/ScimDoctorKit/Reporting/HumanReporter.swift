import Foundation

/// The terminal report: sections in troubleshooting-list order, one line per probe, and under each warning
/// or failure its evidence and the fix. Built to be read top to bottom, and pasted into a ticket as is.
public struct HumanReporter: Sendable {
    public let style: Style
    public let verbose: Bool
    /// `--quiet`: only warnings, failures and errors (without section titles), and the summary line.
    public let quiet: Bool

    public init(style: Style, verbose: Bool = false, quiet: Bool = false) {
        self.style = style
        self.verbose = verbose
        self.quiet = quiet
    }

    public func header(tenantURL: String, token: Secret, toolVersion: String) -> String {
        PrintableText.terminal(
            style.apply("scim-doctor \(toolVersion)", .bold)
                + " checking \(PrintableText.quoted(token.redact(tenantURL))) with token \(token.fingerprint)\n")
    }

    /// The lines of one result; `previous` is the section printed last, to know when to start a new one.
    public func render(_ result: ProbeResult, previous: Section?) -> String {
        var text = ""
        if quiet {
            guard result.status == .fail || result.status == .warn || result.status == .error else { return "" }
        } else if result.section != previous {
            text += "\n" + style.apply(result.section.title, .bold) + "\n"
        }
        let finding = result.status == .skip ? style.apply(line(result.finding), .dim) : line(result.finding)
        text +=
            "  \(style.mark(result.status)) \(Self.pad(result.id.rawValue, 28)) \(finding)\n"
        let detailed = result.status == .fail || result.status == .warn || result.status == .error
        if detailed || (verbose && !result.evidence.isEmpty) {
            for evidence in result.evidence {
                text +=
                    "      " + style.apply(Self.pad(line(evidence.label), 9), .dim)
                    + " \(line(evidence.value))\n"
            }
        }
        if detailed, let remediation = result.remediation {
            text += "      " + style.apply("fix      ", .cyan, .bold) + " \(line(remediation))\n"
        }
        return PrintableText.terminal(text)
    }

    private func line(_ text: String) -> String { PrintableText.line(text) }

    /// Pads to `width` without ever cutting a longer text.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    public func footer(_ report: RunReport) -> String {
        if quiet { return "\n" + summaryLine(report) + "\n" }
        return """

            \(summaryLine(report))

            \(EntraMessages.changesTakeTime)

            """
    }

    /// "4 failed, 2 warnings, 8 passed, 20 skipped in 0.0 s. Entra would run into the failures above. (exit code 1)"
    public func summaryLine(_ report: RunReport) -> String {
        let summary = report.summary
        var parts: [String] = []
        if summary.fail > 0 { parts.append(style.apply("\(summary.fail) failed", .red, .bold)) }
        if summary.error > 0 { parts.append(style.apply("\(summary.error) could not run", .magenta, .bold)) }
        if summary.warn > 0 {
            parts.append(style.apply("\(summary.warn) warning\(summary.warn == 1 ? "" : "s")", .yellow))
        }
        parts.append("\(summary.pass) passed")
        if summary.skip > 0 { parts.append("\(summary.skip) skipped") }
        let seconds = String(format: "%.1f", Double(report.durationMs) / 1000)
        let verdict: String
        let leftBehind = report.cleanup.map { !$0.leftovers.isEmpty } ?? false
        switch ExitCode(rawValue: report.exitCode) {
        case .failures where summary.fail == 0 && leftBehind:
            verdict = "Test resources were left in the tenant (see Cleanup)."
        case .failures where summary.fail == 0:
            verdict = "--strict: the warnings above count as failures."
        case .failures where leftBehind:
            verdict =
                "Entra would run into the failures above, and test resources were left in the tenant (see Cleanup)."
        case .failures: verdict = "Entra would run into the failures above."
        case .toolError: verdict = "Some probes could not complete; the report is incomplete."
        default: verdict = "No failures."
        }
        return "\(parts.joined(separator: ", ")) in \(seconds) s. \(verdict) (exit code \(report.exitCode))"
    }

    /// What goes to stderr when the report itself goes elsewhere (`--output`, or another format on stdout):
    /// each warning, failure and error on one line, then the summary line.
    public func brief(_ report: RunReport) -> String {
        var text = ""
        for result in report.results where [.fail, .warn, .error].contains(result.status) {
            text += "  \(style.mark(result.status)) \(Self.pad(result.id.rawValue, 28)) \(line(result.finding))\n"
        }
        if let leftovers = report.cleanup?.leftovers, !leftovers.isEmpty {
            text += "  \(style.mark(.fail)) \(leftovers.count) test resource(s) left in the tenant (see Cleanup)\n"
        }
        return PrintableText.terminal(text + "scim-doctor: " + summaryLine(report) + "\n")
    }

    /// The whole report at once (for `--output`).
    public func report(_ report: RunReport, token: Secret) -> String {
        var text =
            quiet ? "" : header(tenantURL: report.target.tenantURL, token: token, toolVersion: report.tool.version)
        var previous: Section?
        for result in report.results {
            text += render(result, previous: previous)
            previous = result.section
        }
        if let cleanup = report.cleanup, !quiet || !cleanup.leftovers.isEmpty { text += self.cleanup(cleanup) }
        return text + footer(report)
    }

    /// The block after the results of a write run: what was deleted, and each leftover with the command that
    /// removes it.
    public func cleanup(_ cleanup: RunReport.Cleanup) -> String {
        var text = "\n" + style.apply("Cleanup", .bold) + style.apply(" (run \(cleanup.tag))", .dim) + "\n"
        if cleanup.deleted.isEmpty, cleanup.leftovers.isEmpty {
            text += "  \(style.mark(.pass)) nothing was created, so nothing had to be deleted\n"
        }
        if !cleanup.deleted.isEmpty {
            let count = cleanup.deleted.count
            let list = cleanup.deleted.map(Self.describe).joined(separator: ", ")
            text += "  \(style.mark(.pass)) deleted \(count) test resource\(count == 1 ? "" : "s") (\(list))\n"
        }
        for leftover in cleanup.leftovers {
            text +=
                "  \(style.mark(.fail)) left in the tenant: \(leftover.kind.singular) "
                + "\(PrintableText.quoted(leftover.label)) (id \(line(leftover.id))): \(line(leftover.reason))\n"
            text += "      " + style.apply("remove   ", .cyan, .bold) + " \(line(leftover.command))\n"
        }
        if !cleanup.leftovers.isEmpty {
            text +=
                "      " + style.apply("or       ", .cyan, .bold)
                + " scim-doctor cleanup <tenant-url> --yes (finds every resource tagged scim-doctor-<run id>)\n"
        }
        return PrintableText.terminal(text)
    }

    /// `user "scim-doctor-0e0e0e0e-ada@example.com" (id 2819c223)`
    static func describe(_ resource: CreatedResource) -> String {
        "\(resource.kind.singular) \(PrintableText.quoted(resource.label)) (id \(PrintableText.line(resource.id)))"
    }
}
