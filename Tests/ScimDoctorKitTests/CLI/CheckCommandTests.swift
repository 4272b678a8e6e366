import Foundation
import Synchronization
import Testing

@testable import ScimDoctorKit

/// A console that captures what the command writes, and answers prompts from a script.
final class FakeConsole: Console {
    let environment: [String: String]
    let stdinIsTerminal: Bool
    let stdoutIsTerminal = false
    private let input: Data
    private let out = Mutex("")
    private let err = Mutex("")
    private let answers: Mutex<[String]>
    /// What is typed at the hidden prompt, one entry per prompt; nil when it runs out (end of input).
    private let hidden: Mutex<[String]>
    private let asked = Mutex<[String]>([])

    /// `terminal`: standard input is a terminal; `answers`: the lines typed at `readLine` prompts, in order.
    init(
        environment: [String: String] = [:], stdin: String = "", terminal: Bool = false, answers: [String] = [],
        stdoutClosesAfter: Int? = nil, hidden: [String] = []
    ) {
        self.hidden = Mutex(hidden)
        self.stdoutClosesAfter = stdoutClosesAfter
        self.environment = environment
        self.input = Data(stdin.utf8)
        self.stdinIsTerminal = terminal
        self.answers = Mutex(answers)
    }

    /// The prompts shown by `readLine`.
    var prompts: [String] { asked.withLock { $0 } }
    func readLine(prompt: String) -> String? {
        asked.withLock { $0.append(prompt) }
        writeErr(prompt)
        return answers.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    var stdout: String { out.withLock { $0 } }
    var stderr: String { err.withLock { $0 } }
    /// After this many writes, stdout behaves as a closed pipe (EPIPE): nothing more arrives.
    private let stdoutClosesAfter: Int?
    private let writes = Mutex(0)
    func writeOut(_ text: String) {
        let count = writes.withLock {
            $0 += 1
            return $0
        }
        if let limit = stdoutClosesAfter, count > limit { return }
        out.withLock { $0 += text }
    }
    var stdoutFailure: OutputFailure? {
        guard let limit = stdoutClosesAfter else { return nil }
        return writes.withLock { $0 } > limit ? .closed : nil
    }
    func writeErr(_ text: String) { err.withLock { $0 += text } }
    func readStandardInput(upTo limit: Int) -> Data {
        lastLimit.withLock { $0 = limit }
        return Data(input.prefix(limit))
    }
    private let lastLimit = Mutex<Int?>(nil)
    /// The limit the last `readStandardInput` was called with.
    var readLimit: Int? { lastLimit.withLock { $0 } }
    /// What `writeProgress` wrote (the progress line, with its control sequences).
    private let progressText = Mutex("")
    var progress: String { progressText.withLock { $0 } }
    func writeProgress(_ text: String) { progressText.withLock { $0 += text } }

    func readHidden(prompt: String) -> String? {
        asked.withLock { $0.append(prompt) }
        return hidden.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}

@Suite("check command")
struct CheckCommandTests {
    static let canary = "canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    let transport = ScriptedTransport([])

    func command(
        _ arguments: [String], console: FakeConsole, catalogue: [any Probe] = [FakeProbe("url.x") { .pass("ok") }]
    ) throws -> CheckCommand {
        guard case .check(let parsed) = try ArgumentParser.parse(["check"] + arguments) else {
            throw ProbeError("not a check invocation")
        }
        return CheckCommand(
            arguments: parsed, console: console, transport: transport, resolver: ScriptedResolver(.success([])),
            libcurlVersion: "libcurl/test", catalogue: catalogue)
    }

    @Test("no token is a usage error, reported before any request")
    func noToken() async throws {
        let console = FakeConsole()
        let code = try await command(["https://a.example/scim"], console: console).run()
        #expect(code == .usage)
        #expect(console.stderr.contains("no Secret Token: set SCIM_TOKEN"))
        #expect(await transport.requests.isEmpty)
    }

    @Test(
        "configuration errors exit 2 with a one-line message",
        arguments: [
            (["--only", "nope.*"], "unknown probe id 'nope.*'"),
            (["--ca-file", "/nonexistent/ca.pem"], "cannot read --ca-file"),
            (["--output", "/nonexistent-dir/report.json"], "cannot write --output"),
            (["--expected-url", " "], "--expected-url is empty"),
            (["--token-file", "/nonexistent/token"], "cannot read --token-file"),
        ])
    func configurationErrors(extra: [String], message: String) async throws {
        let console = FakeConsole(environment: ["SCIM_TOKEN": Self.canary])
        let code = try await command(["https://a.example/scim"] + extra, console: console).run()
        #expect(code == .usage)
        #expect(console.stderr.hasPrefix("error: "))
        #expect(console.stderr.contains(message))
        #expect(console.stderr.split(separator: "\n").count == 1)
    }

    @Test(
        "exit codes follow the worst result",
        arguments: [(Status, Int32)]([(.pass, 0), (.warn, 0), (.fail, 1), (.error, 3)]))
    func exitCodes(status: Status, code: Int32) async throws {
        let console = FakeConsole(environment: ["SCIM_TOKEN": Self.canary])
        let probe = FakeProbe("url.x") {
            switch status {
            case .error: throw ProbeError("cannot")
            case .fail: return .fail("bad", fix: "fix")
            case .warn: return .warn("meh", fix: "fix")
            default: return .pass("fine")
            }
        }
        let result = try await command(["https://a.example/scim"], console: console, catalogue: [probe]).run()
        #expect(result.rawValue == code)
    }

    @Test("JSON report: versioned, per-result fields, and the token only as a fingerprint")
    func jsonReport() async throws {
        let console = FakeConsole(environment: ["SCIM_TOKEN": Self.canary])
        let probe = FakeProbe("url.x") {
            .fail("server echoed \(Self.canary)", evidence: [Evidence("body", Self.canary)], fix: "f")
        }
        let code = try await command(
            ["https://a.example/scim", "--format", "json"], console: console, catalogue: [probe]
        ).run()
        #expect(code == .failures)
        #expect(!console.stdout.contains(Self.canary))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["exitCode"] as? Int == 1)
        let target = try #require(object["target"] as? [String: Any])
        #expect(target["tokenFingerprint"] as? String == "…e1f0 (39 characters)")
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == 1)
        for key in ["id", "section", "title", "status", "finding", "evidence", "remediation", "durationMs"] {
            #expect(results[0][key] != nil, "missing \(key)")
        }
        #expect(results[0]["status"] as? String == "fail")
    }

    @Test("--token is refused; --token-file - reads stdin without its final newline; an oversized token is refused")
    func tokenSources() async throws {
        #expect(throws: UsageError.self) {
            try ArgumentParser.parse(["check", "https://a.example/scim", "--token", Self.canary])
        }
        #expect(throws: UsageError.self) {
            try ArgumentParser.parse(["cleanup", "https://a.example/scim", "--token=\(Self.canary)"])
        }
        let huge = FakeConsole(stdin: String(repeating: "a", count: 100_000))
        let hugeCode = try await command(["https://a.example/scim", "--token-file", "-"], console: huge).run()
        #expect(hugeCode == .usage)
        #expect(huge.stderr.contains("longer than 16384 bytes"))
        #expect(huge.readLimit == 16385)
        let longEnv = FakeConsole(environment: ["SCIM_TOKEN": String(repeating: "b", count: 16385)])
        #expect(try await command(["https://a.example/scim"], console: longEnv).run() == .usage)

        let piped = FakeConsole(stdin: Self.canary + "\n")
        _ = try await command(["https://a.example/scim", "--token-file", "-"], console: piped).run()
        #expect(piped.stdout.contains("…e1f0 (39 characters)"))
    }

    @Test("the hidden prompt asks again after an empty Enter, and stops after three with a clear message")
    func emptyPrompt() async throws {
        let retyped = FakeConsole(terminal: true, hidden: ["", "  ", Self.canary])
        #expect(try await command(["https://a.example/scim"], console: retyped).run() == .success)
        #expect(retyped.prompts.count == 3 && retyped.stdout.contains("…e1f0 (39 characters)"))
        #expect(retyped.stderr.contains("no token entered; paste the Secret Token and press Enter"))

        let empty = FakeConsole(terminal: true, hidden: ["", "", "", Self.canary])
        #expect(try await command(["https://a.example/scim"], console: empty).run() == .usage)
        #expect(empty.prompts.count == 3)
        #expect(empty.stderr.contains("error: no Secret Token entered at the prompt"))
    }

    @Test("--output writes the report to the file and a summary to stderr")
    func outputFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scim-doctor-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let console = FakeConsole(environment: ["SCIM_TOKEN": Self.canary])
        let code = try await command(["https://a.example/scim", "--format", "json", "-o", path], console: console).run()
        #expect(code == .success)
        #expect(console.stdout.isEmpty)
        #expect(console.stderr.contains("report written to \(path)"))
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\"schemaVersion\" : 1"))
    }

    @Test("human report: sections, marks, evidence and fix under a failure, closing summary and timing note")
    func humanReport() async throws {
        let console = FakeConsole(environment: ["SCIM_TOKEN": Self.canary, "NO_COLOR": "1"])
        let probes: [any Probe] = [
            FakeProbe("url.ok") { .pass("fine") },
            FakeProbe("url.bad") {
                .fail("it is broken", evidence: [Evidence("response", "HTTP 404")], fix: "change X")
            },
        ]
        let code = try await command(
            ["https://a.example/scim", "--color", "always"], console: console, catalogue: probes
        ).run()
        #expect(code == .failures)
        let out = console.stdout
        #expect(out.contains("Tenant URL"))
        #expect(out.contains("HTTP 404"))
        #expect(out.contains("change X"))
        #expect(out.contains("1 failed"))
        #expect(out.contains("40 minutes"))
        #expect(out.contains("\u{1B}["), "--color always wins over NO_COLOR")

        let plain = FakeConsole(environment: ["SCIM_TOKEN": Self.canary, "NO_COLOR": "1"])
        _ = try await command(["https://a.example/scim"], console: plain, catalogue: probes).run()
        #expect(!plain.stdout.contains("\u{1B}["), "NO_COLOR turns colour off")
        #expect(plain.stdout.contains("✓ url.ok"))
        #expect(plain.stdout.contains("✗ url.bad"))
    }
}

@Suite("Colour policy")
struct StyleTests {
    @Test("flag, then NO_COLOR, then TERM=dumb, then the terminal")
    func policy() {
        #expect(Style.resolve(.always, environment: ["NO_COLOR": "1"], isTerminal: false).enabled)
        #expect(!Style.resolve(.never, environment: [:], isTerminal: true).enabled)
        #expect(!Style.resolve(.auto, environment: ["NO_COLOR": "1"], isTerminal: true).enabled)
        #expect(Style.resolve(.auto, environment: ["NO_COLOR": ""], isTerminal: true).enabled)
        #expect(!Style.resolve(.auto, environment: ["TERM": "dumb"], isTerminal: true).enabled)
        #expect(!Style.resolve(.auto, environment: [:], isTerminal: false).enabled)
    }
}
