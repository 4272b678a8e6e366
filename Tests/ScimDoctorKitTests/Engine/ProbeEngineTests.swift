import Foundation
import Synchronization
import Testing

@testable import ScimDoctorKit

/// A probe whose behaviour is set by the test.
struct FakeProbe: Probe {
    let description: ProbeDescription
    let behaviour: @Sendable () async throws -> Verdict

    init(
        _ id: ProbeID, dependsOn: [ProbeID] = [], runsAfter: [ProbeID] = [],
        _ behaviour: @escaping @Sendable () async throws -> Verdict
    ) {
        description = ProbeDescription(
            id: id, section: .tenantURL, title: id.rawValue, checks: "test", dependencies: dependsOn,
            runsAfter: runsAfter, examples: [])
        self.behaviour = behaviour
    }

    func run(_ context: ProbeContext) async throws -> Verdict { try await behaviour() }
}

/// A probe whose prefetch is observable: it records itself and yields once on `prefetched`.
struct PrefetchingProbe: Probe {
    let description: ProbeDescription
    let prefetched: AsyncStream<String>.Continuation
    let log: StartLog

    init(
        _ id: ProbeID, dependsOn: [ProbeID] = [], writes: Bool = false,
        prefetched: AsyncStream<String>.Continuation, log: StartLog
    ) {
        description = ProbeDescription(
            id: id, section: .network, title: id.rawValue, checks: "test", dependencies: dependsOn, writes: writes,
            examples: [])
        self.prefetched = prefetched
        self.log = log
    }

    func prefetch(_ context: ProbeContext) async {
        log.record(id.rawValue)
        prefetched.yield(id.rawValue)
    }
    func run(_ context: ProbeContext) async throws -> Verdict { .pass("ran") }
}

/// Records the order in which fake probes start.
final class StartLog: Sendable {
    private let ids = Mutex<[String]>([])
    func record(_ id: String) { ids.withLock { $0.append(id) } }
    var order: [String] { ids.withLock { $0 } }
}

@Suite("Probe engine")
struct ProbeEngineTests {
    let context = ExampleSetup().makeContext()

    func run(_ probes: [any Probe], selection: ProbeSelection = ProbeSelection(), allowance: Duration = .seconds(5))
        async -> [ProbeResult]
    {
        await ProbeEngine(catalogue: probes, requestAllowance: allowance).run(context, selection: selection)
    }

    @Test("a probe run after others waits for them, and runs whatever they found")
    func runsAfter() async {
        let log = StartLog()
        let results = await run([
            FakeProbe("a.create") {
                log.record("create")
                return .pass("made")
            },
            FakeProbe("a.slow", dependsOn: ["a.create"]) {
                try await Task.sleep(for: .milliseconds(50))
                log.record("slow")
                return .fail("broken", fix: "x")
            },
            FakeProbe("a.delete", dependsOn: ["a.create"], runsAfter: ["a.slow"]) {
                log.record("delete")
                return .pass("deleted")
            },
        ])
        #expect(log.order == ["create", "slow", "delete"])
        #expect(results.map(\.status) == [.pass, .fail, .pass])
    }

    @Test("results come back in catalogue order even when a later probe finishes first")
    func catalogueOrder() async {
        let results = await run([
            FakeProbe("slow") {
                try await Task.sleep(for: .milliseconds(50))
                return .pass("slow")
            },
            FakeProbe("fast") { .pass("fast") },
        ])
        #expect(results.map(\.id) == ["slow", "fast"])
        #expect(results.map(\.status) == [.pass, .pass])
    }

    @Test("a failing prerequisite skips its dependants, transitively, with the reason")
    func failureSkipsDependants() async {
        let results = await run([
            FakeProbe("a") { .fail("broken", fix: "fix it") },
            FakeProbe("b", dependsOn: ["a"]) { .pass("never") },
            FakeProbe("c", dependsOn: ["b"]) { .pass("never") },
            FakeProbe("d") { .pass("independent") },
        ])
        #expect(results.map(\.status) == [.fail, .skip, .skip, .pass])
        #expect(results[1].finding == "a failed")
        #expect(results[2].finding == "a failed", "the root cause, not the skipped link")
    }

    @Test("a non-blocking failure and a not-applicable skip let dependants run")
    func nonBlocking() async {
        let results = await run([
            FakeProbe("a") { .fail("untrusted", fix: "fix", blocksDependants: false) },
            FakeProbe("b") { .skip("not applicable") },
            FakeProbe("c", dependsOn: ["a", "b"]) { .pass("ran") },
        ])
        #expect(results.map(\.status) == [.fail, .skip, .pass])
    }

    @Test("a throwing probe becomes an error result and the run goes on")
    func throwingProbe() async {
        let results = await run([
            FakeProbe("boom") { throw ProbeError("kaboom") },
            FakeProbe("after", dependsOn: ["boom"]) { .pass("never") },
            FakeProbe("other") { .pass("fine") },
        ])
        #expect(results[0].status == .error)
        #expect(results[0].finding.contains("kaboom"))
        #expect(results[0].remediation?.contains("scim-doctor's own failure") == true)
        #expect(results[1].status == .skip)
        #expect(results[2].status == .pass)
        #expect(ExitCode(for: results) == .toolError)
    }

    @Test("a probe that overruns its deadline becomes an error without holding the run")
    func deadline() async {
        let clock = ContinuousClock()
        let start = clock.now
        let results = await run(
            [
                FakeProbe("stuck") {
                    try await Task.sleep(for: .seconds(30)); return .pass("late")
                }
            ],
            allowance: .milliseconds(100))
        #expect(results[0].status == .error)
        #expect(results[0].finding.contains("did not finish within"))
        #expect(clock.now - start < .seconds(15))
    }

    @Test("dependencies start after their prerequisites even when listed first")
    func dependencyOrder() async {
        let log = StartLog()
        let results = await run([
            FakeProbe("late", dependsOn: ["early"]) {
                log.record("late"); return .pass("")
            },
            FakeProbe("early") {
                log.record("early"); return .pass("")
            },
        ])
        #expect(log.order == ["early", "late"])
        #expect(results.map(\.id) == ["late", "early"])
    }

    @Test("--only and --skip deselect probes without blocking their dependants")
    func selection() async {
        let results = await run(
            [
                FakeProbe("tls.a") { .fail("x", fix: "y") },
                FakeProbe("tls.b", dependsOn: ["tls.a"]) { .pass("ran") },
                FakeProbe("users.a") { .pass("ran") },
            ], selection: ProbeSelection(only: ["tls.*"], skip: ["tls.a"]))
        #expect(results.map(\.status) == [.skip, .pass, .skip])
        #expect(results[0].finding == "not selected (--skip)")
        #expect(results[2].finding == "not selected (--only)")
    }

    @Test("the token is redacted from every result field")
    func redaction() async {
        let token = ExampleSetup.defaultToken
        let results = await run([
            FakeProbe("leaky") {
                .fail("echoed \(token)", evidence: [Evidence("body", "x\(token)y")], fix: "not \(token)")
            }
        ])
        let text = [results[0].finding, results[0].remediation ?? ""] + results[0].evidence.map(\.value)
        #expect(!text.joined().contains(token))
        #expect(results[0].finding.contains("[token "))
    }

    @Test("exit codes: fail wins over error, error over pass")
    func exitCodes() {
        func result(_ status: Status) -> ProbeResult {
            ProbeResult(
                id: "x", section: .users, title: "", status: status, finding: "", evidence: [], remediation: nil,
                durationMs: 0)
        }
        #expect(ExitCode(for: [result(.pass), result(.warn), result(.skip)]) == .success)
        #expect(ExitCode(for: [result(.pass), result(.error)]) == .toolError)
        #expect(ExitCode(for: [result(.error), result(.fail)]) == .failures)
    }

    @Test(
        "prefetch starts as the run begins, before the probe's prerequisites finish; not for excluded or write probes")
    func prefetchStartsEarly() async {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let log = StartLog()
        let firstPrefetch = Task {
            var prefetches = stream.makeAsyncIterator()
            return await prefetches.next()
        }
        let probes: [any Probe] = [
            // The prerequisite finishes only once the dependant's prefetch has been seen: no prefetch, no end.
            FakeProbe("tls.gate") {
                let seen = await firstPrefetch.value
                return seen == "tls.dependant" ? .pass("prefetch seen first") : .fail("no prefetch", fix: "x")
            },
            PrefetchingProbe("tls.dependant", dependsOn: ["tls.gate"], prefetched: continuation, log: log),
            PrefetchingProbe("tls.excluded", prefetched: continuation, log: log),
            PrefetchingProbe("tls.writes", writes: true, prefetched: continuation, log: log),
        ]
        let results = await run(probes, selection: ProbeSelection(skip: ["tls.excluded"]))
        #expect(results[0].finding == "prefetch seen first")
        #expect(results[1].status == .pass)
        #expect(log.order == ["tls.dependant"])
    }

    @Test("manager-query asks its queries while user-lifecycle.manager has the manager set, when both run")
    func managerQueryRidesOnManager() async {
        let ids: [ProbeID] = ["user-lifecycle.create", "user-lifecycle.manager", "user-lifecycle.manager-query"]
        let probes = catalogue.filter { ids.contains($0.id) }
        let both = await ProbeEngine(catalogue: probes, requestAllowance: .seconds(5))
            .run(LifecycleExampleServer.setup().makeContext())
        #expect(both.map(\.status) == [.pass, .pass, .pass], "\(both.map(\.finding))")
        #expect(both[2].evidence.contains { $0.value.contains("set and read back by user-lifecycle.manager") })
        #expect(!both[2].evidence.contains { $0.label == "manager removed" })
        // Alone, it sets and removes the manager itself.
        let alone = await ProbeEngine(catalogue: probes, requestAllowance: .seconds(5))
            .run(
                LifecycleExampleServer.setup().makeContext(),
                selection: ProbeSelection(skip: ["user-lifecycle.manager"]))
        #expect(alone[2].status == .pass)
        #expect(alone[2].evidence.contains { $0.label == "manager removed" })
        // Its queries go out beside the Replace's read-back: when that shows the manager gone, they are not
        // kept, and it sets the manager itself.
        var clearing = LifecycleExampleServer.Behaviour()
        clearing.replaceClearsManager = true
        let cleared = await ProbeEngine(catalogue: probes, requestAllowance: .seconds(5))
            .run(LifecycleExampleServer.setup(clearing).makeContext())
        #expect(cleared[1].status == .fail && cleared[1].finding.contains("left manager none"), "\(cleared[1].finding)")
        #expect(cleared[2].status == .pass, "\(cleared[2].finding)")
        #expect(cleared[2].evidence.contains { $0.label == "manager removed" })
        #expect(!cleared[2].evidence.contains { $0.value.contains("set and read back by user-lifecycle.manager") })
    }
}
