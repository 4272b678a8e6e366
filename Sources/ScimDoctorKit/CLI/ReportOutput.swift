import Foundation

/// Where `check`'s reports go once the run is done: every format is rendered from the same `RunReport`; with
/// `-o` each goes to its file and a short human summary to stderr, as it also does when another format than
/// human goes to a redirected stdout while stderr is a terminal.
extension CheckCommand {
    /// The report in one format. `streaming`: the human results were already printed on stdout as they came.
    func render(_ report: RunReport, format: OutputFormat, human: HumanReporter, streaming: Bool, token: Secret)
        -> String
    {
        switch format {
        case .human:
            guard streaming else {
                return HumanReporter(
                    style: Style(enabled: false), verbose: arguments.everyLine,
                    quiet: arguments.quiet, dependencies: dependencies
                ).report(report, token: token)
            }
            return (report.cleanup.map(human.cleanup) ?? "") + human.footer(report)
        case .json: return JSONReporter.render(report)
        case .junit: return JUnitReporter.render(report, strict: arguments.strict)
        case .markdown: return MarkdownReporter.render(report, strict: arguments.strict, dependencies: dependencies)
        }
    }

    /// Writes every report (redacted) to stdout or its file; nil when that worked, `.toolError` when a file could
    /// not be written (the others are still written).
    func deliver(
        _ report: RunReport, to destinations: [ReportDestination], human: HumanReporter, streaming: Bool,
        token: Secret
    ) -> ExitCode? {
        let brief = HumanReporter(
            style: Style.resolve(
                arguments.color, environment: console.environment, isTerminal: console.stderrIsTerminal))
        // When the report cannot reach its reader, what a write run left in the tenant must still be said.
        let leftoversOnStderr = {
            if let cleanup = report.cleanup, !cleanup.leftovers.isEmpty {
                console.writeErr(token.redact(HumanReporter(style: Style(enabled: false)).cleanup(cleanup)))
            }
        }
        var written: [(path: String, format: OutputFormat)] = []
        var failed = false
        for destination in destinations {
            let rendered = token.redact(
                render(report, format: destination.format, human: human, streaming: streaming, token: token))
            guard let path = destination.path else {
                console.writeOut(rendered)
                if console.stdoutFailure != nil {
                    leftoversOnStderr()
                } else if destination.format != .human, console.stderrIsTerminal, !console.stdoutIsTerminal {
                    console.writeErr(token.redact(brief.brief(report)))
                }
                continue
            }
            do throws(ReportFile.WriteError) {
                try ReportFile.write(Data(rendered.utf8), to: path)
                written.append((path, destination.format))
            } catch {
                console.writeErr(PrintableText.terminal("error: cannot write --output '\(path)': \(error.message)\n"))
                failed = true
            }
        }
        if failed { leftoversOnStderr() }
        if !written.isEmpty {
            let files = written.map { "\(PrintableText.line($0.path)) (\($0.format.rawValue))" }
            console.writeErr(
                token.redact(
                    brief.brief(report) + "scim-doctor: report\(written.count == 1 ? "" : "s") written to "
                        + files.joined(separator: ", ") + "\n"))
        }
        return failed ? .toolError : nil
    }

}
