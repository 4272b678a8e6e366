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
                return HumanReporter(
                    style: Style(enabled: false), verbose: arguments.verbose || arguments.allLines,
                    quiet: arguments.quiet,
                    dependencies: dependencies
                ).report(report, token: token)
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
        // When the report cannot reach its reader, what a write run left in the tenant must still be said.
        let leftoversOnStderr = {
            if let cleanup = report.cleanup, !cleanup.leftovers.isEmpty {
                console.writeErr(token.redact(HumanReporter(style: Style(enabled: false)).cleanup(cleanup)))
            }
        }
        guard let path = arguments.output else {
            console.writeOut(token.redact(rendered))
            if console.stdoutFailure != nil {
                leftoversOnStderr()
            } else if arguments.format != .human, console.stderrIsTerminal, !console.stdoutIsTerminal {
                console.writeErr(token.redact(brief.brief(report)))
            }
            return nil
        }
        do throws(ReportFile.WriteError) {
            try ReportFile.write(Data(token.redact(rendered).utf8), to: path)
        } catch {
            console.writeErr(PrintableText.terminal("error: cannot write --output '\(path)': \(error.message)\n"))
            leftoversOnStderr()
            return .toolError
        }
        console.writeErr(token.redact(brief.brief(report) + "scim-doctor: report written to \(path)\n"))
        return nil
    }
}
