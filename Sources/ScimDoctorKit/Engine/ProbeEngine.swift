import Foundation
import Synchronization

/// Which probes the user asked for (`--only`, `--skip`). A pattern is an id (`tls.validity`),
/// a prefix ending in `.` or `.*` (`tls.*`), or a section id (`users`).
public struct ProbeSelection: Sendable {
    public var only: [String]
    public var skip: [String]

    public init(only: [String] = [], skip: [String] = []) {
        self.only = only
        self.skip = skip
    }

    static func matches(_ pattern: String, _ description: ProbeDescription) -> Bool {
        let id = description.id.rawValue
        if pattern.hasSuffix(".*") { return id.hasPrefix(String(pattern.dropLast())) }
        if pattern.hasSuffix(".") { return id.hasPrefix(pattern) }
        return id == pattern || description.section.rawValue == pattern || id.hasPrefix(pattern + ".")
    }

    /// How the reason of a probe left out by `--only`/`--skip` begins (the human report folds those).
    public static let notSelected = "not selected ("

    /// Nil when the probe runs; otherwise why it does not.
    func exclusionReason(_ description: ProbeDescription) -> String? {
        if !only.isEmpty, !only.contains(where: { Self.matches($0, description) }) {
            return Self.notSelected + "--only)"
        }
        if skip.contains(where: { Self.matches($0, description) }) { return Self.notSelected + "--skip)" }
        return nil
    }

    /// Patterns that match no probe of `catalogue` (a typo in `--only`/`--skip` is a usage error).
    public func unknownPatterns(in catalogue: [any Probe]) -> [String] {
        (only + skip).filter { pattern in !catalogue.contains { Self.matches(pattern, $0.description) } }
    }
}

/// Runs a catalogue: independent probes concurrently, dependants after their prerequisites,
/// results in catalogue order. A probe that throws or overruns its deadline becomes an `error` result.
public struct ProbeEngine: Sendable {
    public let catalogue: [any Probe]
    /// How long one request may take (connect plus transfer); a probe's deadline is a multiple of it.
    public let requestAllowance: Duration

    public init(catalogue: [any Probe], requestAllowance: Duration) {
        self.catalogue = catalogue
        self.requestAllowance = requestAllowance
    }

    /// The description's request count times the allowance, plus a margin for the probe's own work.
    func deadline(for description: ProbeDescription) -> Duration {
        requestAllowance * max(1, description.timeoutInRequests) + .seconds(2)
    }

    /// Runs the selected probes; `onActivity` is told when a probe starts running (true; not one skipped) and
    /// when it ends (false), `onResult` in catalogue order as soon as each result is final.
    public func run(
        _ context: ProbeContext, selection: ProbeSelection = ProbeSelection(),
        onActivity: @escaping @Sendable (ProbeID, _ running: Bool) -> Void = { _, _ in },
        onResult: @Sendable (ProbeResult) -> Void = { _ in }
    ) async -> [ProbeResult] {
        var tasks: [ProbeID: Task<Outcome, Never>] = [:]
        let running = Set(
            catalogue.filter {
                selection.exclusionReason($0.description) == nil
                    && (!$0.description.writes || context.options.allowWrites)
            }.map(\.id))
        _ = await context.remember(.runningProbes) { running }
        // Network observations the selected probes will need, started now (see Probe.prefetch).
        for probe in catalogue where running.contains(probe.id) && !probe.description.writes {
            Task { await ProbeScope.$current.withValue(probe.id) { await probe.prefetch(context) } }
        }
        for probe in Self.dependencyOrder(catalogue) {
            let description = probe.description
            let prerequisites = description.dependencies.compactMap { id in tasks[id].map { (id, $0) } }
            let predecessors = description.runsAfter.compactMap { tasks[$0] }
            let excluded = selection.exclusionReason(description)
            let deadline = deadline(for: description)
            tasks[description.id] = Task {
                let outcome: Outcome = await {
                    if let excluded { return Outcome(verdict: .skip(excluded), durationMs: 0, blocks: false) }
                    if description.writes, !context.options.allowWrites {
                        return Outcome(verdict: .skip("needs --allow-writes"), durationMs: 0, blocks: false)
                    }
                    for (id, prerequisite) in prerequisites {
                        let outcome = await prerequisite.value
                        if outcome.blocks {
                            // Name the failure at the root of the chain, not the probe skipped because of it.
                            let reason = outcome.skippedFor ?? "\(id) \(outcome.verdict.status.rawValue)ed"
                            return Outcome(verdict: .skip(reason), durationMs: 0, blocks: true, skippedFor: reason)
                        }
                    }
                    for predecessor in predecessors { _ = await predecessor.value }
                    onActivity(description.id, true)
                    defer { onActivity(description.id, false) }
                    return await Self.runOne(probe, context, deadline: deadline)
                }()
                await context.record(outcome.verdict, of: description.id)
                return outcome
            }
        }
        var results: [ProbeResult] = []
        for probe in catalogue {
            guard let task = tasks[probe.id] else { continue }
            let outcome = await task.value
            let description = probe.description
            let verdict = outcome.verdict
            let result = ProbeResult(
                id: description.id, section: description.section, title: description.title, status: verdict.status,
                finding: context.token.redact(verdict.finding),
                evidence: verdict.evidence.map {
                    Evidence(context.token.redact($0.label), context.token.redact($0.value))
                },
                remediation: verdict.remediation.map(context.token.redact), durationMs: outcome.durationMs)
            onResult(result)
            results.append(result)
        }
        return results
    }

    struct Outcome: Sendable {
        let verdict: Verdict
        let durationMs: Int
        /// Whether dependants must be skipped.
        let blocks: Bool
        /// For a probe skipped because a prerequisite failed: the reason, passed on to its own dependants.
        var skippedFor: String? = nil
    }

    static func runOne(_ probe: any Probe, _ context: ProbeContext, deadline: Duration) async -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let verdict: Verdict
        do {
            verdict = try await ProbeScope.$current.withValue(probe.id) {
                try await withDeadline(deadline) { try await probe.run(context) }
            }
        } catch let error as DeadlineExceeded {
            verdict = Self.toolError("the probe did not finish within \(error.deadline.formattedSeconds)")
        } catch {
            verdict = Self.toolError("the probe could not complete: \(error)")
        }
        let elapsed = clock.now - start
        let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let blocks = verdict.status == .error || (verdict.status == .fail && verdict.blocksDependants)
        return Outcome(verdict: verdict, durationMs: ms, blocks: blocks)
    }

    static func toolError(_ message: String) -> Verdict {
        Verdict(
            status: .error, finding: message, evidence: [],
            remediation:
                "This is scim-doctor's own failure, not a finding about the server: rerun with -v, and report it with the output if it persists.",
            blocksDependants: true)
    }

    /// Catalogue order, except that every probe comes after its dependencies. Unknown dependencies are ignored
    /// (the catalogue test rejects them); a cycle falls back to catalogue order.
    static func dependencyOrder(_ catalogue: [any Probe]) -> [any Probe] {
        let known = Set(catalogue.map(\.id))
        var placed: Set<ProbeID> = []
        var ordered: [any Probe] = []
        var remaining = catalogue
        while !remaining.isEmpty {
            guard
                let index = remaining.firstIndex(where: { probe in
                    (probe.description.dependencies + probe.description.runsAfter).allSatisfy {
                        placed.contains($0) || !known.contains($0)
                    }
                })
            else { return ordered + remaining }
            let probe = remaining.remove(at: index)
            placed.insert(probe.id)
            ordered.append(probe)
        }
        return ordered
    }
}

struct DeadlineExceeded: Error {
    let deadline: Duration
}

/// Runs `body` but returns (throwing `DeadlineExceeded`) once `deadline` has passed, without waiting for
/// `body` to notice: a blocked network call can never hold the run past its deadline.
func withDeadline<T: Sendable>(
    _ deadline: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let gate = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        let work = Task {
            do { gate.resume(continuation, with: .success(try await body())) } catch {
                gate.resume(continuation, with: .failure(error))
            }
        }
        let timer = Task {
            guard (try? await Task.sleep(for: deadline)) != nil else { return }  // cancelled: the work finished
            if gate.resume(continuation, with: .failure(DeadlineExceeded(deadline: deadline))) { work.cancel() }
        }
        // Stop the timer as soon as the work ends, so no task outlives its probe by a whole deadline.
        Task {
            await work.value
            timer.cancel()
        }
    }
}

/// Lets exactly one of several racers resume a continuation.
final class ResumeOnce<T: Sendable>: Sendable {
    private let done = Mutex(false)

    @discardableResult
    func resume(_ continuation: CheckedContinuation<T, any Error>, with result: Result<T, any Error>) -> Bool {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first { continuation.resume(with: result) }
        return first
    }
}

extension Duration {
    /// "2.5 s"
    public var formattedSeconds: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(NumberText.oneDecimal(seconds)) s"
    }
}
