import Foundation

/// The terminal report: sections in troubleshooting-list order, then "What to fix" and the summary line last.
/// A section whose probes all pass is one line; skipped probes fold into one line per reason; under each warning
/// or failure its evidence and the fix. `-v` shows every probe on its own line. Built to be read top to bottom,
/// and pasted into a ticket as is.
public struct HumanReporter: Sendable {
    public let style: Style
    /// `-v`/`--all`: every probe on its own line, with its evidence.
    public let verbose: Bool
    /// `--quiet`: the header line, only warnings, failures and errors (without section titles), the cleanup's
    /// confirmation and the summary line.
    public let quiet: Bool
    /// Each probe's prerequisites (from the catalogue), to put root causes first in "What to fix".
    public let dependencies: [ProbeID: [ProbeID]]
    /// The terminal's width, to wrap lines with hanging indents; nil for a pipe or a file (never wrapped).
    public let width: Int?

    public init(
        style: Style, verbose: Bool = false, quiet: Bool = false, dependencies: [ProbeID: [ProbeID]] = [:],
        width: Int? = nil
    ) {
        self.style = style
        self.verbose = verbose
        self.quiet = quiet
        self.dependencies = dependencies
        self.width = width
    }

    /// `prefix` then `text`, wrapped to the terminal with the text's first column as hanging indent; one line.
    private func wrapped(_ prefix: String, _ text: String) -> String {
        TextWrap.wrap(text, prefix: prefix, width: width) + "\n"
    }

    public func header(tenantURL: String, token: Secret, toolVersion: String, entra: RunReport.EntraSide? = nil)
        -> String
    {
        let side = entra.map {
            "the Entra side of \(PrintableText.quoted($0.application)) in \(PrintableText.line($0.tenant)) through "
                + PrintableText.line($0.graph)
        }
        let subject =
            tenantURL.isEmpty
            ? "reading \(side ?? "nothing") with \(token.description)"
            : "checking \(PrintableText.quoted(token.redact(tenantURL))) with token \(token.fingerprint)"
                + (side.map { ", and \($0)" } ?? "")
        var text = PrintableText.terminal(wrapped(style.apply("scim-doctor \(toolVersion)", .bold) + " ", subject))
        if let entra, !entra.overrides.isEmpty {
            text += style.apply(
                "! \(entra.overrides.joined(separator: " and ")) in effect: requests go to \(entra.graph), not "
                    + "Microsoft's \(entra.cloud.rawValue) cloud\n", .yellow, .bold)
        }
        return text
    }

    /// The one note a local endpoint gets, under the header (instead of a warning per probe).
    public func localEndpointNote() -> String {
        wrapped(
            "  " + style.apply("local endpoint", .bold) + ": ",
            "every address is loopback; fine for testing here, but Entra cannot reach it (the Tenant URL in Entra "
                + "needs a public https:// host)")
    }

    /// Why a probe did not run because of `--only`/`--skip`: such probes are left out of the report (but `-v`).
    static func notSelected(_ result: ProbeResult) -> Bool {
        result.status == .skip && result.finding.hasPrefix(ProbeSelection.notSelected)
    }

    /// Whether a section folds into one line (nothing in it failed, warned or erred, and no `-v`).
    func foldsToOneLine(_ results: [ProbeResult]) -> Bool {
        !verbose && !quiet && !results.contains { [.fail, .warn, .error].contains($0.status) }
    }

    /// The lines of one section's results (all of one section, in catalogue order). A section of several lines
    /// is set off by a blank line; one-line sections follow each other directly. `previous`: the section printed
    /// before this one, if any.
    public func render(section results: [ProbeResult], after previous: [ProbeResult]?) -> String {
        guard let section = results.first?.section else { return "" }
        if quiet { return PrintableText.terminal(results.map(problemLines).joined()) }
        let blank = !foldsToOneLine(results) || previous.map { !foldsToOneLine($0) } ?? true ? "\n" : ""
        if verbose {
            return PrintableText.terminal(
                blank + style.apply(section.title, .bold) + "\n" + results.map(probeLines).joined())
        }
        let shown = results.filter { !Self.notSelected($0) }
        guard !shown.isEmpty else { return "" }
        let skips = Self.skipGroups(shown)
        let ran = shown.filter { $0.status != .skip }
        let title = style.apply(Self.pad(section.title, max(20, section.title.count + 1)), .bold)
        if foldsToOneLine(results) {
            // All good: one line, with the count of what passed and what was skipped, and why.
            var parts: [String] = []
            if !ran.isEmpty {
                parts.append("\(style.mark(.pass)) \(ran.count) check\(ran.count == 1 ? "" : "s") passed")
            }
            let skipped = skips.map { "\($0.ids.count) skipped: \(line($0.reason))" }
            if !skipped.isEmpty {
                parts.append(
                    (ran.isEmpty ? style.mark(.skip) + " " : "") + style.apply(skipped.joined(separator: "; "), .dim))
            }
            return PrintableText.terminal(blank + wrapped(title, parts.joined(separator: ", ")))
        }
        var text = blank + style.apply(section.title, .bold) + "\n" + ran.map(probeLines).joined()
        for group in skips {
            let what =
                group.ids.count == 1
                ? Self.pad(group.ids[0].rawValue, 28) : Self.pad("\(group.ids.count) skipped", 28)
            text += wrapped("  \(style.mark(.skip)) \(what) ", style.apply(line(group.reason), .dim))
        }
        return PrintableText.terminal(text)
    }

    /// Skipped probes grouped by their reason, in the order the reasons first appear.
    static func skipGroups(_ results: [ProbeResult]) -> [(reason: String, ids: [ProbeID])] {
        var groups: [(reason: String, ids: [ProbeID])] = []
        for result in results where result.status == .skip {
            if let index = groups.firstIndex(where: { $0.reason == result.finding }) {
                groups[index].ids.append(result.id)
            } else {
                groups.append((result.finding, [result.id]))
            }
        }
        return groups
    }

    private func problemLines(_ result: ProbeResult) -> String {
        [.fail, .warn, .error].contains(result.status) ? probeLines(result) : ""
    }

    /// One probe's line; under a warning, failure or error (and with `-v`, any result) its evidence and fix.
    private func probeLines(_ result: ProbeResult) -> String {
        let finding = result.status == .skip ? style.apply(line(result.finding), .dim) : line(result.finding)
        var text = wrapped("  \(style.mark(result.status)) \(Self.pad(result.id.rawValue, 28)) ", finding)
        let detailed = result.status == .fail || result.status == .warn || result.status == .error
        if detailed || (verbose && !result.evidence.isEmpty) {
            for evidence in result.evidence {
                text += wrapped(
                    "      " + style.apply(Self.pad(line(evidence.label), 9), .dim) + " ", line(evidence.value))
            }
        }
        if detailed, let remediation = result.remediation {
            text += wrapped("      " + style.apply("fix      ", .cyan, .bold) + " ", line(remediation))
        }
        return text
    }

    private func line(_ text: String) -> String { PrintableText.line(text) }

    /// Pads to `width` without ever cutting a longer text.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// After the results (and the Cleanup block): "What to fix" when anything failed or warned, a line for the
    /// probes `--only`/`--skip` left out, and the summary line last.
    public func footer(_ report: RunReport) -> String {
        if quiet { return "\n" + summaryLine(report) + "\n" }
        var text = ""
        let leftOut = report.results.filter(Self.notSelected).count
        if leftOut > 0, !verbose {
            text +=
                "\n" + style.apply("\(leftOut) probe\(leftOut == 1 ? "" : "s") not selected (--only/--skip)", .dim)
                + "\n"
        }
        text += whatToFix(report)
        return PrintableText.terminal(text + "\n" + wrapped("", summaryLine(report)))
    }

    /// One line per change to make (failures first, root causes first); then what "changes take time" means for the
    /// retest.
    func whatToFix(_ report: RunReport) -> String {
        let fixes = FixList(report.results, dependencies: dependencies)
        let leftovers = report.cleanup?.leftovers.count ?? 0
        guard !fixes.isEmpty || leftovers > 0 else { return "" }
        var text = "\n" + style.apply("What to fix", .bold) + "\n"
        var number = 0
        for item in fixes.items {
            number += 1
            let probes = item.probes.map(\.rawValue).joined(separator: ", ")
            let follows =
                item.followsFrom.isEmpty
                ? ""
                : style.apply(" (may follow from \(item.followsFrom.map(\.rawValue).joined(separator: ", ")))", .dim)
            text += wrapped("  \(number). \(style.mark(item.status)) ", "\(probes)\(follows): \(line(item.change))")
        }
        if leftovers > 0 {
            number += 1
            text +=
                "  \(number). \(style.mark(.fail)) cleanup: \(leftovers) test resource\(leftovers == 1 ? "" : "s") left "
                + "in the tenant: remove \(leftovers == 1 ? "it" : "them") with the commands under Cleanup\n"
        }
        if !fixes.isEmpty { text += wrapped("  ", style.apply(EntraMessages.changesTakeTime, .dim)) }
        return text
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
        let seconds = NumberText.oneDecimal(Double(max(0, report.durationMs)) / 1000)
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
        var text = header(
            tenantURL: report.target.tenantURL, token: token, toolVersion: report.tool.version,
            entra: report.target.entra)
        if !quiet, report.target.localEndpoint { text += localEndpointNote() }
        var previous: [ProbeResult]?
        for section in Self.sections(report.results) {
            text += render(section: section, after: previous)
            previous = section
        }
        if let cleanup = report.cleanup { text += self.cleanup(cleanup) }
        return text + footer(report)
    }

    /// The results cut into runs of one section each (they come in catalogue order).
    static func sections(_ results: [ProbeResult]) -> [[ProbeResult]] {
        var sections: [[ProbeResult]] = []
        for result in results {
            if sections.last?.last?.section == result.section {
                sections[sections.count - 1].append(result)
            } else {
                sections.append([result])
            }
        }
        return sections
    }

    /// The block after the results of a write run: what was deleted, and each leftover with the command that
    /// removes it (commands are never wrapped: they are for copying). With `--quiet` and nothing left behind, one
    /// line that says the tenant is clean.
    public func cleanup(_ cleanup: RunReport.Cleanup) -> String {
        if quiet, cleanup.leftovers.isEmpty {
            let count = cleanup.deleted.count
            return PrintableText.terminal(
                "\(style.mark(.pass)) cleanup (run \(cleanup.tag)): deleted \(count) test resource\(count == 1 ? "" : "s"), "
                    + "nothing left in the tenant\n")
        }
        var text = "\n" + style.apply("Cleanup", .bold) + style.apply(" (run \(cleanup.tag))", .dim) + "\n"
        if cleanup.deleted.isEmpty, cleanup.leftovers.isEmpty {
            text += "  \(style.mark(.pass)) nothing was created, so nothing had to be deleted\n"
        }
        if !cleanup.deleted.isEmpty {
            let count = cleanup.deleted.count
            let list = cleanup.deleted.map(Self.describe).joined(separator: ", ")
            text += wrapped(
                "  \(style.mark(.pass)) ", "deleted \(count) test resource\(count == 1 ? "" : "s") (\(list))")
        }
        for leftover in cleanup.leftovers {
            text += wrapped(
                "  \(style.mark(.fail)) ",
                "left in the tenant: \(leftover.kind.singular) \(PrintableText.quoted(leftover.label)) "
                    + "(id \(line(leftover.id))): \(line(leftover.reason))")
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
