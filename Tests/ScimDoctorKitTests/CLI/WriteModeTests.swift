import Foundation
import Synchronization
import Testing

@testable import ScimDoctorKit

#if canImport(Glibc)
    import Glibc
#endif

/// A lifecycle probe whose behaviour is set by the test (`writes: true`).
struct WriteProbe: Probe {
    let description: ProbeDescription
    let behaviour: @Sendable (ProbeContext) async throws -> Verdict

    init(
        _ id: ProbeID, dependsOn: [ProbeID] = [],
        _ behaviour: @escaping @Sendable (ProbeContext) async throws -> Verdict
    ) {
        description = ProbeDescription(
            id: id, section: id.rawValue.hasPrefix("group-") ? .groupsLifecycle : .usersLifecycle, title: id.rawValue,
            checks: "test", dependencies: dependsOn,
            writes: true, examples: [])
        self.behaviour = behaviour
    }

    func run(_ context: ProbeContext) async throws -> Verdict { try await behaviour(context) }

    /// Creates one tagged test user and returns its id.
    @discardableResult
    static func createUser(_ context: ProbeContext, _ name: String = "ada") async throws -> String {
        let identity = TestIdentity.user(tag: context.writes.tag, handle: name)
        let body = try JSONSerialization.data(
            withJSONObject: ["userName": identity.name, "externalId": identity.externalId ?? ""])
        guard let id = try await context.create(.users, body: body, identity: identity).ownedID else {
            throw ProbeError("create failed")
        }
        return id
    }
}

/// Records the code a "terminate at once" would have exited with.
final class TerminateLog: Sendable {
    private let codes = Mutex<[Int32]>([])
    func record(_ code: Int32) { codes.withLock { $0.append(code) } }
    var recorded: [Int32] { codes.withLock { $0 } }

    /// Waits (up to 2 s) for a code: the immediate exit runs in its own task.
    func first() async -> Int32? {
        for _ in 0..<200 {
            if let code = recorded.first { return code }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}

@Suite("Write mode (check --allow-writes)")
struct WriteModeTests {
    static let token = "canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    static let runID = "0e0e0e0e"
    static let environment = ["SCIM_TOKEN": token, "NO_COLOR": "1"]

    func command(
        _ arguments: [String], console: FakeConsole, catalogue: [any Probe], transport: any HTTPTransport,
        interrupts: InterruptSignals = InterruptSignals(), terminate: TerminateLog = TerminateLog()
    ) throws -> CheckCommand {
        guard case .check(let parsed) = try ArgumentParser.parse(["check", FakeTenant.url] + arguments) else {
            throw ProbeError("not a check invocation")
        }
        return CheckCommand(
            arguments: parsed, console: console, transport: transport, resolver: ScriptedResolver(.success([])),
            libcurlVersion: "libcurl/test", catalogue: catalogue, interrupts: interrupts,
            terminate: { terminate.record($0) }, runID: Self.runID)
    }

    static let createsOne: [any Probe] = [
        FakeProbe("url.x") { .pass("ok") },
        WriteProbe("user-lifecycle.create", dependsOn: ["url.x"]) { context in
            try await WriteProbe.createUser(context)
            return .pass("created")
        },
    ]

    // MARK: - Arguments

    @Test("the write options parse into CheckArguments")
    func parsesWriteOptions() throws {
        let invocation = try ArgumentParser.parse([
            "check", "https://a.example/scim", "--allow-writes", "--yes", "--patch-style", "both",
        ])
        var expected = CheckArguments(tenantURL: "https://a.example/scim")
        expected.allowWrites = true
        expected.assumeYes = true
        expected.patchStyle = .both
        #expect(invocation == .check(expected))
        guard case .check(let short) = try ArgumentParser.parse(["check", "x", "--allow-writes", "-y"]) else {
            Issue.record("not a check")
            return
        }
        #expect(short.assumeYes && short.patchStyle == nil)
    }

    @Test(
        "write options without --allow-writes, or a bad --patch-style, are usage errors",
        arguments: [
            (["--yes"], "--yes confirms writes, and only --allow-writes writes"),
            (["-y"], "--yes confirms writes"),
            (["--patch-style", "flag"], "--patch-style only matters with --allow-writes"),
            (["--allow-writes", "--patch-style", "sideways"], "--patch-style takes one of auto, default, flag, both"),
        ])
    func writeUsageErrors(extra: [String], message: String) {
        #expect {
            _ = try ArgumentParser.parse(["check", "https://a.example/scim"] + extra)
        } throws: { error in
            (error as? UsageError)?.message.contains(message) == true
        }
    }

    @Test("--allow-writes with no terminal and no --yes: exit 2 before any request")
    func needsYesWithoutTerminal() async throws {
        let transport = ScriptedTransport([FakeTenant().route])
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes"], console: console, catalogue: Self.createsOne, transport: transport
        ).run()
        #expect(code == .usage)
        #expect(console.stderr == "error: --allow-writes needs --yes when there is no terminal to confirm on\n")
        #expect(await transport.requests.isEmpty)
    }

    @Test("--patch-style reaches the probes; auto is the default")
    func patchStyleReachesProbes() async throws {
        let seen = Mutex<[PatchStyle]>([])
        let probe = WriteProbe("user-lifecycle.create") { context in
            seen.withLock { $0.append(context.options.patchStyle) }
            return .pass("ok")
        }
        for (extra, _) in [([String](), PatchStyle.fromTenantURL), (["--patch-style", "both"], .both)] {
            _ = try await command(
                ["--allow-writes", "--yes"] + extra, console: FakeConsole(environment: Self.environment),
                catalogue: [probe], transport: ScriptedTransport([FakeTenant().route])
            ).run()
        }
        #expect(seen.withLock { $0 } == [.fromTenantURL, .both])
    }

    // MARK: - Confirmation

    @Test("on a terminal, anything but y or yes: exit 2, nothing sent", arguments: ["n", "", "no", "yess", nil])
    func notConfirmed(answer: String?) async throws {
        let transport = ScriptedTransport([FakeTenant().route])
        let console = FakeConsole(environment: Self.environment, terminal: true, answers: answer.map { [$0] } ?? [])
        let code = try await command(
            ["--allow-writes"], console: console, catalogue: Self.createsOne, transport: transport
        ).run()
        #expect(code == .usage)
        #expect(console.prompts == ["Continue? [y/N] "])
        #expect(
            console.stderr.contains(
                "test users and groups named scim-doctor-0e0e0e0e… (usually 2 users and 1 group; at most 7 user and 5 group creates"
            ))
        #expect(console.stderr.contains("in \(FakeTenant.url); only these are changed, and all are deleted at the end"))
        #expect(console.stderr.hasSuffix("not confirmed; nothing was sent\n"))
        #expect(console.stdout.isEmpty)
        #expect(await transport.requests.isEmpty)
    }

    @Test("on a terminal, y or yes runs the write probes", arguments: ["y", "YES", " yes "])
    func confirmed(answer: String) async throws {
        let tenant = FakeTenant()
        let console = FakeConsole(environment: Self.environment, terminal: true, answers: [answer])
        let code = try await command(
            ["--allow-writes"], console: console, catalogue: Self.createsOne,
            transport: ScriptedTransport([tenant.route])
        ).run()
        #expect(code == .success)
        #expect(console.stdout.contains("Users lifecycle     ✓ 1 check passed"))
        #expect(tenant.ids("Users").isEmpty)
    }

    @Test("--yes on a terminal does not ask; no write probe selected does not ask either")
    func noPrompt() async throws {
        let yes = FakeConsole(environment: Self.environment, terminal: true)
        _ = try await command(
            ["--allow-writes", "--yes"], console: yes, catalogue: Self.createsOne,
            transport: ScriptedTransport([FakeTenant().route])
        ).run()
        #expect(yes.prompts.isEmpty)
        let readOnly = FakeConsole(environment: Self.environment, terminal: true)
        let code = try await command(
            ["--allow-writes", "--only", "url"], console: readOnly, catalogue: Self.createsOne,
            transport: ScriptedTransport([FakeTenant().route])
        ).run()
        #expect(code == .success)
        #expect(readOnly.prompts.isEmpty)
    }

    // MARK: - Skips and cleanup in the report

    @Test("without --allow-writes the write probes are skipped and the report has no cleanup")
    func skippedWithoutFlag() async throws {
        let transport = ScriptedTransport([FakeTenant().route])
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--format", "json"], console: console, catalogue: Self.createsOne, transport: transport
        ).run()
        #expect(code == .success)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results[1]["status"] as? String == "skip")
        #expect(results[1]["finding"] as? String == "needs --allow-writes")
        #expect(object["cleanup"] == nil)
        #expect(await transport.requests.allSatisfy { $0.method == "GET" })

        let human = FakeConsole(environment: Self.environment)
        _ = try await command([], console: human, catalogue: Self.createsOne, transport: transport).run()
        #expect(human.stdout.contains("Users lifecycle     – 1 skipped: needs --allow-writes"))
        #expect(!human.stdout.contains("Cleanup"))
    }

    @Test("human report: a Cleanup block after the results, newest first")
    func humanCleanupBlock() async throws {
        let tenant = FakeTenant()
        let probes: [any Probe] = [
            WriteProbe("user-lifecycle.create") { context in
                try await WriteProbe.createUser(context, "ada")
                try await WriteProbe.createUser(context, "grace")
                return .pass("created")
            }
        ]
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes", "--yes"], console: console, catalogue: probes,
            transport: ScriptedTransport([tenant.route])
        ).run()
        #expect(code == .success)
        let out = console.stdout
        let expected =
            "Cleanup (run scim-doctor-0e0e0e0e)\n  ✓ deleted 2 test resources (user "
            + "\"scim-doctor-0e0e0e0e-grace@example.com\" (id u2), user \"scim-doctor-0e0e0e0e-ada@example.com\" (id u1))\n"
        #expect(out.contains(expected))
        let cleanup = try #require(out.range(of: "Cleanup"))
        let result = try #require(out.range(of: "Users lifecycle     ✓ 1 check passed"))
        let summary = try #require(out.range(of: "1 passed in"))
        #expect(result.lowerBound < cleanup.lowerBound && cleanup.lowerBound < summary.lowerBound)
        #expect(tenant.ids("Users").isEmpty)
    }

    @Test("--quiet keeps the cleanup's confirmation, in one line")
    func quietCleanup() async throws {
        let tenant = FakeTenant()
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes", "--yes", "--quiet"], console: console, catalogue: Self.createsOne,
            transport: ScriptedTransport([tenant.route])
        ).run()
        #expect(code == .success)
        #expect(
            console.stdout.contains(
                "✓ cleanup (run scim-doctor-0e0e0e0e): deleted 1 test resource, nothing left in the tenant\n"))
        #expect(!console.stdout.contains("Cleanup (run"))
    }

    @Test("JSON report: a top-level cleanup with runID, tag, deleted and leftovers")
    func jsonCleanup() async throws {
        let tenant = FakeTenant()
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes", "--yes", "--format", "json"], console: console, catalogue: Self.createsOne,
            transport: ScriptedTransport([tenant.route])
        ).run()
        #expect(code == .success)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        let cleanup = try #require(object["cleanup"] as? [String: Any])
        #expect(cleanup["runID"] as? String == "0e0e0e0e")
        #expect(cleanup["tag"] as? String == "scim-doctor-0e0e0e0e")
        let deleted = try #require(cleanup["deleted"] as? [[String: Any]])
        #expect(deleted.count == 1)
        #expect(deleted.first?["kind"] as? String == "Users")
        #expect(deleted.first?["id"] as? String == "u1")
        #expect(deleted.first?["label"] as? String == "scim-doctor-0e0e0e0e-ada@example.com")
        #expect((cleanup["leftovers"] as? [Any])?.isEmpty == true)
    }

    @Test("a resource that survives its DELETE is a leftover: listed with the command, and exit 1")
    func leftoversExitOne() async throws {
        let tenant = FakeTenant(sticky: ["u1"])
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes", "--yes"], console: console, catalogue: Self.createsOne,
            transport: ScriptedTransport([tenant.route])
        ).run()
        #expect(code == .failures)
        let out = console.stdout
        #expect(
            out.contains(
                "✗ left in the tenant: user \"scim-doctor-0e0e0e0e-ada@example.com\" (id u1): DELETE answered HTTP 204 "
                    + "but the resource is still there (a soft delete)"))
        #expect(out.contains("remove    # no command: DELETE only deactivates this user on this server"))
        #expect(out.contains("Test resources were left in the tenant (see Cleanup). (exit code 1)"))
        #expect(!out.contains(Self.token))

        let json = FakeConsole(environment: Self.environment)
        _ = try await command(
            ["--allow-writes", "--yes", "--format", "json"], console: json, catalogue: Self.createsOne,
            transport: ScriptedTransport([FakeTenant(sticky: ["u1"]).route])
        ).run()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["exitCode"] as? Int == 1)
        let leftovers = try #require((object["cleanup"] as? [String: Any])?["leftovers"] as? [[String: Any]])
        #expect(leftovers.first?["id"] as? String == "u1")
        #expect((leftovers.first?["command"] as? String)?.hasPrefix("# no command: DELETE only deactivates") == true)
    }

    @Test("cleanup runs when the probe that created fails or throws")
    func cleanupAfterFailure() async throws {
        let tenant = FakeTenant()
        let probes: [any Probe] = [
            WriteProbe("user-lifecycle.create") { context in
                try await WriteProbe.createUser(context)
                throw ProbeError("boom")
            },
            WriteProbe("user-lifecycle.read-back", dependsOn: ["user-lifecycle.create"]) { _ in .pass("never") },
        ]
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes", "--yes"], console: console, catalogue: probes,
            transport: ScriptedTransport([tenant.route])
        ).run()
        #expect(code == .toolError)
        #expect(console.stdout.contains("deleted 1 test resource (user"))
        #expect(tenant.ids("Users").isEmpty)
    }

    // MARK: - Signals

    @Test("SIGINT while the probes run: abandon them, clean up, refuse new writes, exit 130")
    func interruptDuringProbes() async throws {
        let tenant = FakeTenant()
        let scripted = ScriptedTransport([tenant.route])
        let deleting = Mutex(false)
        let transport = HookedTransport(inner: scripted) { request in
            if request.method == "DELETE" { deleting.withLock { $0 = true } }
        }
        let interrupts = InterruptSignals()
        let probes: [any Probe] = [
            WriteProbe("user-lifecycle.create") { context in
                try await WriteProbe.createUser(context)
                interrupts.interrupt(SIGINT)
                for _ in 0..<500 where !deleting.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
                // Cleanup has begun: this create must never reach the server.
                _ = try? await WriteProbe.createUser(context, "late")
                try await Task.sleep(for: .seconds(30))
                return .pass("never reported")
            },
            WriteProbe("user-lifecycle.read-back", dependsOn: ["user-lifecycle.create"]) { _ in .pass("never") },
        ]
        let console = FakeConsole(environment: Self.environment)
        let clock = ContinuousClock()
        let started = clock.now
        let code = try await command(
            ["--allow-writes", "--yes"], console: console, catalogue: probes, transport: transport,
            interrupts: interrupts
        ).run()
        #expect(code == .interrupted)
        #expect(clock.now - started < .seconds(10), "the run did not wait for the abandoned probe")
        let out = console.stdout
        #expect(out.contains("SIGINT received: the probes still running were abandoned"))
        #expect(out.contains("✓ deleted 1 test resource (user \"scim-doctor-0e0e0e0e-ada@example.com\" (id u1))"))
        #expect(out.contains("Nothing was left behind. (exit code 130)"))
        #expect(!out.contains("never reported"))
        #expect(tenant.ids("Users").isEmpty)
        try await Task.sleep(for: .milliseconds(200))
        let posts = await scripted.requests.filter { $0.method == "POST" }
        #expect(posts.count == 1, "no write leaves once cleanup has started")
        #expect(tenant.ids("Users").isEmpty)
    }

    @Test("SIGTERM exits 143; with --format json the cleanup goes to stderr")
    func terminateDuringProbes() async throws {
        let tenant = FakeTenant()
        let interrupts = InterruptSignals()
        let probes: [any Probe] = [
            WriteProbe("user-lifecycle.create") { context in
                try await WriteProbe.createUser(context)
                interrupts.interrupt(SIGTERM)
                try await Task.sleep(for: .seconds(30))
                return .pass("never")
            }
        ]
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes", "--yes", "--format", "json"], console: console, catalogue: probes,
            transport: ScriptedTransport([tenant.route]), interrupts: interrupts
        ).run()
        #expect(code == .terminated)
        #expect(code.rawValue == 143)
        #expect(console.stdout.isEmpty)
        #expect(console.stderr.contains("SIGTERM received"))
        #expect(console.stderr.contains("deleted 1 test resource"))
        #expect(tenant.ids("Users").isEmpty)
    }

    @Test("SIGHUP (the terminal closed) cleans up like SIGTERM and exits 129")
    func hangUp() async throws {
        let tenant = FakeTenant()
        let interrupts = InterruptSignals()
        let probes: [any Probe] = [
            WriteProbe("user-lifecycle.create") { context in
                try await WriteProbe.createUser(context)
                interrupts.interrupt(SIGHUP)
                try await Task.sleep(for: .seconds(30))
                return .pass("never")
            }
        ]
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes", "--yes"], console: console, catalogue: probes,
            transport: ScriptedTransport([tenant.route]), interrupts: interrupts
        ).run()
        #expect(code == .hungUp && code.rawValue == 129)
        #expect(tenant.ids("Users").isEmpty)
    }

    @Test("stdout closing during a write run (| head) stops the probes, cleans up, exits 141, says it on stderr")
    func stdoutClosed() async throws {
        let tenant = FakeTenant()
        let probes: [any Probe] = [
            WriteProbe("user-lifecycle.create") { context in
                try await WriteProbe.createUser(context)
                return .pass("created")
            },
            // In the next section: the first one is printed (and the write fails) while this one still runs.
            WriteProbe("group-lifecycle.create", dependsOn: ["user-lifecycle.create"]) { _ in
                try await Task.sleep(for: .seconds(30))
                return .pass("never")
            },
        ]
        let console = FakeConsole(environment: Self.environment, stdoutClosesAfter: 1)
        let code = try await command(
            ["--allow-writes", "--yes"], console: console, catalogue: probes,
            transport: ScriptedTransport([tenant.route])
        ).run()
        #expect(code == .outputClosed && code.rawValue == 141)
        #expect(tenant.ids("Users").isEmpty)
        #expect(console.stderr.contains("a closed standard output received"))
        #expect(console.stderr.contains("deleted 1 test resource"))
    }

    @Test("a second signal during cleanup exits at once, listing what is still there")
    func secondSignalExitsAtOnce() async throws {
        let tenant = FakeTenant()
        let interrupts = InterruptSignals()
        let terminate = TerminateLog()
        let transport = HookedTransport(inner: ScriptedTransport([tenant.route])) { request in
            guard request.method == "DELETE" else { return }
            interrupts.interrupt(SIGINT)
            // The process would be gone by now; here the DELETE waits until the leftovers have been printed.
            _ = await terminate.first()
        }
        let probes: [any Probe] = [
            WriteProbe("user-lifecycle.create") { context in
                try await WriteProbe.createUser(context)
                interrupts.interrupt(SIGINT)
                try await Task.sleep(for: .seconds(30))
                return .pass("never")
            }
        ]
        let console = FakeConsole(environment: Self.environment)
        _ = try await command(
            ["--allow-writes", "--yes"], console: console, catalogue: probes, transport: transport,
            interrupts: interrupts, terminate: terminate
        ).run()
        #expect(await terminate.first() == 130)
        let err = console.stderr
        #expect(err.contains("SIGINT again: stopping now, cleanup unfinished."))
        #expect(err.contains("left in the tenant: user \"scim-doctor-0e0e0e0e-ada@example.com\" (id u1)"))
        #expect(err.contains("curl -X DELETE"))
        #expect(err.contains("scim-doctor cleanup '\(FakeTenant.url)' --yes"))
    }

    @Test("a first signal during the final cleanup lets it finish, then exits 130 with the report")
    func signalDuringFinalCleanup() async throws {
        let tenant = FakeTenant()
        let interrupts = InterruptSignals()
        let terminate = TerminateLog()
        let transport = HookedTransport(inner: ScriptedTransport([tenant.route])) { request in
            if request.method == "DELETE" { interrupts.interrupt(SIGINT) }
        }
        let console = FakeConsole(environment: Self.environment)
        let code = try await command(
            ["--allow-writes", "--yes"], console: console, catalogue: Self.createsOne, transport: transport,
            interrupts: interrupts, terminate: terminate
        ).run()
        #expect(code == .interrupted)
        #expect(terminate.recorded.isEmpty)
        #expect(console.stderr.contains("SIGINT received while cleaning up: finishing the cleanup first"))
        #expect(console.stdout.contains("deleted 1 test resource"))
        #expect(console.stdout.contains("2 passed"))
        #expect(tenant.ids("Users").isEmpty)
    }

    @Test("outside a write run a delivered signal does nothing; the process trap reaches the handler")
    func signalWiring() async throws {
        InterruptSignals().interrupt(SIGINT)  // no run: ignored

        let signals = InterruptSignals.process()
        let received = Mutex<Int32?>(nil)
        signals.begin { signal in received.withLock { $0 = signal } }
        // The dispatch source registers asynchronously; until then the signal is ignored, so send it until it
        // arrives.
        var got: Int32?
        for _ in 0..<100 {
            kill(getpid(), SIGTERM)
            try await Task.sleep(for: .milliseconds(30))
            got = received.withLock { $0 }
            if got != nil { break }
        }
        #expect(got == SIGTERM)
        // Restoring the default action is safe only once the signal has been consumed.
        if got != nil { signals.end() }
    }
}
