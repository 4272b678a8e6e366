import Foundation
import Testing

@testable import ScimDoctorKit

/// `--format junit|markdown`, `--output` with every format, `--strict` and `--quiet`, through the whole command.
@Suite("report options")
struct ReportOptionsTests {
    static let canary = CheckCommandTests.canary
    let transport = ScriptedTransport([])

    /// A catalogue with a pass, a warning and a failure (whose finding and evidence echo the token).
    static let mixed: [any Probe] = [
        FakeProbe("url.a") { .pass("fine") },
        FakeProbe("url.b") { .warn("meh", evidence: [Evidence("header", "X: 1")], fix: "tune it") },
        FakeProbe("url.c") {
            .fail("server echoed \(canary)", evidence: [Evidence("body", "<\(canary)>")], fix: "rotate it")
        },
    ]
    static let warnOnly: [any Probe] = [
        FakeProbe("url.a") { .pass("fine") }, FakeProbe("url.b") { .warn("meh", fix: "tune it") },
    ]

    func run(
        _ arguments: [String], catalogue: [any Probe] = mixed, console: FakeConsole? = nil
    ) async throws -> (ExitCode, FakeConsole) {
        let console = console ?? FakeConsole(environment: ["SCIM_TOKEN": Self.canary])
        guard case .check(let parsed) = try ArgumentParser.parse(["check", "https://a.example/scim"] + arguments)
        else { throw ProbeError("not a check invocation") }
        let command = CheckCommand(
            arguments: parsed, console: console, transport: transport, resolver: ScriptedResolver(.success([])),
            libcurlVersion: "libcurl/test", catalogue: catalogue)
        return (await command.run(), console)
    }

    func temporaryPath(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("scim-doctor-\(UUID())\(suffix)").path
    }

    @Test("the options parse; list and cleanup refuse the formats they cannot make")
    func parsing() throws {
        guard case .check(let check) = try ArgumentParser.parse(["check", "u", "--strict", "-q", "--format=junit"])
        else { throw ProbeError("not check") }
        #expect(check.strict && check.quiet && check.format == .junit)
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["list", "--format", "junit"]) }
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["cleanup", "u", "--format", "markdown"]) }
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["check", "u", "--format", "xml"]) }
    }

    @Test(
        "--output works with every format: the file has the report, stderr a short summary",
        arguments: OutputFormat.allCases)
    func output(format: OutputFormat) async throws {
        let path = temporaryPath("." + format.rawValue)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (code, console) = try await run(["--format", format.rawValue, "--output", path])
        #expect(code == .failures)
        #expect(console.stdout.isEmpty)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!written.contains(Self.canary) && !console.stderr.contains(Self.canary))
        #expect(written.contains("…e1f0 (39 characters)"))
        let marker: String =
            switch format {
            case .human: "scim-doctor 0.1.0 checking"
            case .json: "\"schemaVersion\" : 1"
            case .junit: "<testsuites name=\"scim-doctor\""
            case .markdown: "# scim-doctor report"
            }
        #expect(written.contains(marker))
        // The summary: each warning and failure on a line, the summary line, where the report went.
        let lines = console.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(console.stderr)")
        #expect(lines[0].contains("! url.b") && lines[0].contains("meh"))
        #expect(lines[1].contains("✗ url.c"))
        #expect(lines[2].hasPrefix("scim-doctor: 1 failed, 1 warning, 1 passed in "))
        #expect(lines[3] == "scim-doctor: report written to \(path) (\(format.rawValue))")
        #expect(!console.stderr.contains("\u{1B}["))
    }

    @Test("several -o: one run writes each file in the format of its extension")
    func severalOutputs() async throws {
        let paths = [".xml", ".md", ".json", ".log"].map(temporaryPath)
        defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
        let (code, console) = try await run(paths.flatMap { ["-o", $0] })
        #expect(code == .failures)
        #expect(console.stdout.isEmpty)
        let texts = try paths.map { try String(contentsOfFile: $0, encoding: .utf8) }
        #expect(texts[0].contains("<testsuites name=\"scim-doctor\""))
        #expect(texts[1].hasPrefix("# scim-doctor report"))
        #expect(texts[2].contains("\"schemaVersion\" : 1"))
        #expect(texts[3].hasPrefix("scim-doctor 0.1.0 checking"))
        #expect(texts.allSatisfy { !$0.contains(Self.canary) })
        #expect(console.stderr.contains("reports written to \(paths[0]) (junit), \(paths[1]) (markdown)"))
    }

    @Test(
        "-o and --format: an unknown extension or --format with several files is a usage error that says the rule",
        arguments: [
            (["-o", "report.pdf"], "cannot tell the report format of -o 'report.pdf' from its extension"),
            (["-o", "a.xml", "-o", "b.md", "--format", "junit"], "--format junit with 2 -o files"),
            (["-o", "a.xml", "-o", "./a.xml"], "-o names the same file twice"),
        ])
    func outputRules(_ arguments: [String], _ message: String) async throws {
        let (code, console) = try await run(arguments)
        #expect(code == .usage)
        #expect(console.stderr.contains(message), "\(console.stderr)")
        #expect(console.stderr.contains(arguments.count == 2 ? "or add --format" : "-o"))
    }

    @Test("--format with one -o wins over the extension")
    func formatWithOneOutput() throws {
        #expect(
            try ReportDestination.resolve(format: .json, outputs: ["report.txt"])
                == [ReportDestination(path: "report.txt", format: .json)])
        #expect(
            try ReportDestination.resolve(format: nil, outputs: []) == [ReportDestination(path: nil, format: .human)])
    }

    @Test("JUnit: warnings are counted in the suite's properties and their text is in system-out")
    func junitWarnings() async throws {
        let (_, console) = try await run(["--format", "junit"], catalogue: Self.warnOnly)
        let xml = console.stdout
        #expect(xml.contains("<property name=\"warnings\" value=\"1\"/>"))
        #expect(xml.contains("<property name=\"warnings-total\" value=\"1\"/>"))
        #expect(xml.contains("<system-out>warning: meh"))
        #expect(!xml.contains("<failure"))
    }

    @Test("junit and markdown on stdout, free of the token", arguments: [OutputFormat.junit, .markdown])
    func stdout(format: OutputFormat) async throws {
        let (code, console) = try await run(["--format", format.rawValue])
        #expect(code == .failures)
        #expect(!console.stdout.isEmpty && !console.stdout.contains(Self.canary))
        #expect(console.stderr.isEmpty)  // stderr is no terminal here: no summary
        if format == .junit {
            #expect(console.stdout.contains("<failure message=\"server echoed [token …e1f0 (39 characters)]\""))
            #expect(console.stdout.contains("body      &lt;[token …e1f0 (39 characters)]&gt;"))
        } else {
            #expect(console.stdout.contains("| ✗ fail | `url.c` | server echoed \\[token …e1f0 (39 characters)\\] |"))
        }
    }

    @Test("--strict: warnings count as failures, in the exit code and in every report")
    func strict() async throws {
        let (plain, _) = try await run([], catalogue: Self.warnOnly)
        #expect(plain == .success)
        let (strict, console) = try await run(["--strict", "--color", "never"], catalogue: Self.warnOnly)
        #expect(strict == .failures)
        #expect(console.stdout.contains("--strict: the warnings above count as failures. (exit code 1)"))
        let (_, json) = try await run(["--strict", "--format", "json"], catalogue: Self.warnOnly)
        #expect(json.stdout.contains("\"exitCode\" : 1"))
        let (_, junit) = try await run(["--strict", "--format", "junit"], catalogue: Self.warnOnly)
        #expect(junit.stdout.contains("<failure message=\"meh\" type=\"warning\">"))
        let (_, markdown) = try await run(["--strict", "--format", "markdown"], catalogue: Self.warnOnly)
        #expect(markdown.stdout.contains("`--strict`: warnings count as failures"))
        #expect(markdown.stdout.contains("exit code 1"))
    }

    @Test("--quiet: the header line, only the warnings and failures (with evidence and fix) and the summary line")
    func quiet() async throws {
        let (code, console) = try await run(["--quiet", "--color", "never"])
        #expect(code == .failures)
        let out = console.stdout
        #expect(out.hasPrefix("scim-doctor 0.1.0 checking"))
        #expect(!out.contains("url.a") && !out.contains("Tenant URL\n"))
        #expect(out.contains("! url.b") && out.contains("tune it"))
        #expect(out.contains("✗ url.c") && out.contains("rotate it"))
        #expect(out.contains("1 failed, 1 warning, 1 passed in "))
        #expect(!out.contains("Changes take time"))
        // The same in a file.
        let path = temporaryPath(".txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await run(["--quiet", "-o", path])
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!written.contains("url.a") && written.contains("✗ url.c") && written.contains("1 failed"))
        // Nothing to say but the header and the summary line on a healthy run.
        let (_, healthy) = try await run(["--quiet"], catalogue: [FakeProbe("url.a") { .pass("fine") }])
        #expect(healthy.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 2)
    }

    @Test("another format on a redirected stdout, with stderr on a terminal: the summary goes to stderr")
    func terminalSummary() async throws {
        let console = TerminalStderrConsole(environment: ["SCIM_TOKEN": Self.canary, "NO_COLOR": "1"])
        guard
            case .check(let parsed) = try ArgumentParser.parse(
                ["check", "https://a.example/scim", "--format", "junit"])
        else { throw ProbeError("not check") }
        let code = await CheckCommand(
            arguments: parsed, console: console, transport: transport, resolver: ScriptedResolver(.success([])),
            libcurlVersion: "libcurl/test", catalogue: Self.mixed
        ).run()
        #expect(code == .failures)
        #expect(console.stdout.hasPrefix("<?xml"))
        #expect(console.stderr.contains("✗ url.c") && console.stderr.contains("scim-doctor: 1 failed"))
        #expect(!console.stderr.contains(Self.canary))
    }
}

/// A console whose stderr is a terminal and whose stdout is redirected.
final class TerminalStderrConsole: Console {
    let inner: FakeConsole
    init(environment: [String: String]) { inner = FakeConsole(environment: environment) }
    var environment: [String: String] { inner.environment }
    var stdinIsTerminal: Bool { false }
    var stdoutIsTerminal: Bool { false }
    var stderrIsTerminal: Bool { true }
    var stdout: String { inner.stdout }
    var stderr: String { inner.stderr }
    func writeOut(_ text: String) { inner.writeOut(text) }
    func writeErr(_ text: String) { inner.writeErr(text) }
    func readStandardInput(upTo limit: Int) -> Data { Data() }
    func readHidden(prompt: String) -> String? { nil }
    func readLine(prompt: String) -> String? { nil }
}
