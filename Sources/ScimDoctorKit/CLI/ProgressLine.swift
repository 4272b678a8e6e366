import Foundation
import Synchronization

/// A sign of life on a terminal: one line on stderr saying what is running and for how long against the request
/// timeout ("running users.list (+2 more), 12 s; each request times out after 30 s"), redrawn a few times a second
/// and cleared before anything else is written, so the report itself never contains it. It appears only after
/// half a second (a fast run shows none), only when the human report streams to a terminal and stderr is one too,
/// and never with `-v` (whose exchanges go to stderr).
final class ProgressLine: Sendable {
    private struct State {
        var running: [(id: ProbeID, since: ContinuousClock.Instant)] = []
        /// What the line says instead of the running probes (the write run's cleanup).
        var activity: (what: String, since: ContinuousClock.Instant)?
        var shown = false
        var stopped = false
    }

    private let state = Mutex(State())
    private let console: any Console
    private let enabled: Bool
    private let requestTimeout: Duration
    private let started = ContinuousClock.now
    private let appearsAfter: Duration
    private let ticker = Mutex<Task<Void, Never>?>(nil)
    static let clear = "\r\u{1B}[2K"

    /// `refresh: false` (tests): no ticker; `draw()` is called by hand.
    init(
        console: any Console, enabled: Bool, requestTimeout: Duration, appearsAfter: Duration = .milliseconds(500),
        refresh: Bool = true
    ) {
        self.console = console
        self.enabled = enabled
        self.requestTimeout = requestTimeout
        self.appearsAfter = appearsAfter
        guard enabled, refresh else { return }
        // A display refresh, not synchronisation: nothing waits for it.
        ticker.withLock {
            $0 = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    self?.draw()
                }
            }
        }
    }

    /// A probe started (`true`) or ended.
    func running(_ id: ProbeID, _ running: Bool) {
        guard enabled else { return }
        state.withLock { state in
            if running { state.running.append((id, .now)) } else { state.running.removeAll { $0.id == id } }
        }
    }

    /// From now on the line says `what` (e.g. "cleaning up the test resources").
    func activity(_ what: String) {
        guard enabled else { return }
        state.withLock { $0.activity = (what, .now) }
    }

    /// Writes report text on stdout, the progress line cleared first (it is redrawn at the next tick).
    func writeOut(_ text: String) {
        state.withLock { state in
            clearLine(&state)
            console.writeOut(text)
        }
    }

    /// Writes a note on stderr, the progress line cleared first.
    func writeErr(_ text: String) {
        state.withLock { state in
            clearLine(&state)
            console.writeErr(text)
        }
    }

    /// Clears the line for good: the report (or what an interrupted run says) follows.
    func stop() {
        ticker.withLock { $0?.cancel() }
        state.withLock { state in
            clearLine(&state)
            state.stopped = true
        }
    }

    private func clearLine(_ state: inout State) {
        if state.shown { console.writeProgress(Self.clear) }
        state.shown = false
    }

    func draw() {
        state.withLock { state in
            guard enabled, !state.stopped, ContinuousClock.now - started >= appearsAfter else { return }
            let text: String
            if let activity = state.activity {
                text = "\(activity.what) … \((ContinuousClock.now - activity.since).formattedSeconds)"
            } else if let oldest = state.running.first {
                let others = state.running.count > 1 ? " (+\(state.running.count - 1) more)" : ""
                text =
                    "running \(oldest.id)\(others), \((ContinuousClock.now - oldest.since).formattedSeconds); each request "
                    + "times out after \(requestTimeout.formattedSeconds)"
            } else {
                return
            }
            let width = max(20, (console.terminalWidth ?? 80) - 1)
            console.writeProgress(Self.clear + String(text.prefix(width)))
            state.shown = true
        }
    }
}
