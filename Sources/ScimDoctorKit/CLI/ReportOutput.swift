import Foundation

/// Where `check`'s report goes once the run is done: every format is rendered from the same `RunReport`; with
/// `--output` it goes to the file and a short human summary to stderr, as it also does when another format than
/// human goes to a redirected stdout while stderr is a terminal.
extension CheckCommand {
    /// The report in the chosen format. `streaming`: the human results were already printed as they came.
    func render(_ report: RunReport, human: HumanReporter, streaming: Bool, token: Secret) -> String {
        switch arguments.format {
        case .human:
            guard streaming else {
                return HumanReporter(style: Style(enabled: false), quiet: arguments.quiet).report(report, token: token)
            }
            let cleanup = report.cleanup.flatMap { !arguments.quiet || !$0.leftovers.isEmpty ? human.cleanup($0) : nil }
            return (cleanup ?? "") + human.footer(report)
        case .json: return JSONReporter.render(report)
        case .junit: return JUnitReporter.render(report, strict: arguments.strict)
        case .markdown: return MarkdownReporter.render(report, strict: arguments.strict)
        }
    }

    /// Writes the report (redacted) to `--output` or stdout; nil when that worked, `.toolError` when the file
    /// could not be written.
    func deliver(_ rendered: String, report: RunReport, token: Secret) -> ExitCode? {
        let brief = HumanReporter(
            style: Style.resolve(
                arguments.color, environment: console.environment, isTerminal: console.stderrIsTerminal))
        guard let path = arguments.output else {
            console.writeOut(token.redact(rendered))
            if arguments.format != .human, console.stderrIsTerminal, !console.stdoutIsTerminal {
                console.writeErr(token.redact(brief.brief(report)))
            }
            return nil
        }
        do {
            try Data(token.redact(rendered).utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            console.writeErr("error: cannot write --output '\(path)': \(error.localizedDescription)\n")
            return .toolError
        }
        console.writeErr(token.redact(brief.brief(report) + "scim-doctor: report written to \(path)\n"))
        return nil
    }
}
