import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT, SIGTERM and SIGHUP for a write run. While a write run is under way (`begin` … `end`), a process that
/// traps them ignores their default action and hands them to the run, which stops the probes, cleans up and exits
/// 130, 143 or 129. Outside a write run they keep their previous action (by default: ending the process). `interrupt(_:)` delivers one by hand: it is
/// what the signal sources call, and what tests call.
public final class InterruptSignals: Sendable {
    private let trapsProcessSignals: Bool
    private let handler = Mutex<(@Sendable (Int32) -> Void)?>(nil)
    private let sources = Mutex<SignalSources?>(nil)

    /// `trapsProcessSignals: false` (tests): nothing is installed; only `interrupt(_:)` delivers.
    public init(trapsProcessSignals: Bool = false) { self.trapsProcessSignals = trapsProcessSignals }

    /// What the executable uses: the process's own SIGINT and SIGTERM.
    public static func process() -> InterruptSignals { InterruptSignals(trapsProcessSignals: true) }

    /// Delivers `signal` to the running write run, as if the process had received it; ignored outside one.
    public func interrupt(_ signal: Int32 = SIGINT) {
        let current = handler.withLock { $0 }
        current?(signal)
    }

    func begin(_ handle: @escaping @Sendable (Int32) -> Void) {
        handler.withLock { $0 = handle }
        guard trapsProcessSignals else { return }
        let installed = SignalSources(signals: [SIGINT, SIGTERM, SIGHUP]) { [weak self] signal in
            self?.interrupt(signal)
        }
        sources.withLock { $0 = installed }
    }

    func end() {
        handler.withLock { $0 = nil }
        let installed = sources.withLock { sources in
            defer { sources = nil }
            return sources
        }
        installed?.cancel()
    }
}

/// The dispatch sources of the trapped signals, and the restoring of their previous action.
private final class SignalSources: @unchecked Sendable {
    // Written once in init, then only cancelled.
    private let sources: [any DispatchSourceSignal]
    private let previous: [(Int32, (@convention(c) (Int32) -> Void)?)]

    init(signals: [Int32], deliver: @escaping @Sendable (Int32) -> Void) {
        // The default action (ending the process) must not run: the dispatch source receives the signal instead.
        // (This also catches a SIGINT the process inherited as ignored, e.g. a background job's: a write run
        // asked to stop cleans up rather than going on.)
        previous = signals.map { ($0, signal($0, SIG_IGN)) }
        sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { deliver(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        for (number, action) in previous { signal(number, action) }
    }
}

/// Where a write run is, and what SIGINT/SIGTERM do there: while the probes run, a signal abandons them and
/// starts cleanup; during cleanup, a first signal (cleanup had already begun) is noted, and a second one exits
/// at once.
final class WriteRunControl: Sendable {
    enum Phase { case probing, cleaningUp, done }

    private struct State {
        var phase = Phase.probing
        var signal: Int32?
        var signalsDuringCleanup = 0
        var wakeUp: AsyncStream<Int32>.Continuation?
    }

    private let state = Mutex(State())
    /// What a signal during cleanup does that must end the process now (print the leftovers, exit).
    private let exitNow: @Sendable (Int32) -> Void
    /// Said on stderr when a signal arrives while cleanup is already running.
    private let note: @Sendable (String) -> Void

    init(note: @escaping @Sendable (String) -> Void, exitNow: @escaping @Sendable (Int32) -> Void) {
        self.note = note
        self.exitNow = exitNow
    }

    /// The first signal received, if any.
    var signal: Int32? { state.withLock { $0.signal } }
    var isProbing: Bool { state.withLock { $0.phase == .probing } }

    func handle(_ signal: Int32) {
        enum Action { case wake(AsyncStream<Int32>.Continuation?), note, exit, none }
        let action: Action = state.withLock { state in
            switch state.phase {
            case .probing:
                state.signal = signal
                state.phase = .cleaningUp
                return .wake(state.wakeUp)
            case .cleaningUp:
                state.signalsDuringCleanup += 1
                if state.signal == nil {
                    state.signal = signal
                    return .note
                }
                return .exit
            case .done:
                // Cleanup is over and the report is being written: it goes out, with the signal's exit code.
                if state.signal == nil { state.signal = signal }
                return .none
            }
        }
        switch action {
        case .wake(let continuation):
            // Said at once: cleanup can take a while, and silence after Ctrl-C reads as a hang.
            note("\nscim-doctor: \(Self.name(signal)) received: cleaning up the test resources this run created …\n")
            continuation?.yield(signal)
        case .note:
            note(
                "scim-doctor: \(Self.name(signal)) received while cleaning up: finishing the cleanup first "
                    + "(send it again to stop now and leave what is not yet deleted)\n")
        case .exit: exitNow(signal)
        case .none: break
        }
    }

    /// Runs `work` until it finishes (its value) or a signal arrives first (nil; `work` is cancelled and
    /// abandoned: it may still be running).
    func race<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T? {
        let (signals, wakeUp) = AsyncStream<Int32>.makeStream()
        let alreadySignalled = state.withLock { state in
            state.wakeUp = wakeUp
            return state.phase != .probing
        }
        if alreadySignalled { return nil }
        let finished = AsyncStream<T>.makeStream()
        let task = Task {
            finished.continuation.yield(await work())
        }
        let outcome: T? = await withTaskGroup(of: RaceEvent<T>.self) { group in
            group.addTask {
                for await value in finished.stream { return .finished(value) }
                return .nothing
            }
            group.addTask {
                for await _ in signals { return .signalled }
                return .nothing
            }
            defer { group.cancelAll() }
            while let event = await group.next() {
                switch event {
                case .finished(let value): return value
                case .signalled: return nil
                case .nothing: continue
                }
            }
            return nil
        }
        finished.continuation.finish()
        wakeUp.finish()
        if outcome == nil { task.cancel() }
        return outcome
    }

    /// The probes are over (finished or abandoned): cleanup starts.
    func beginCleanup() { state.withLock { $0.phase = .cleaningUp } }
    func finish() { state.withLock { $0.phase = .done } }

    static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP (the terminal was closed)"
        case SIGPIPE: "a closed standard output"
        default: "signal \(signal)"
        }
    }

    /// 128 + the signal, as a shell reports a process ended by it; a closed stdout counts as SIGPIPE.
    static func exitCode(_ signal: Int32) -> ExitCode {
        switch signal {
        case SIGTERM: .terminated
        case SIGHUP: .hungUp
        case SIGPIPE: .outputClosed
        default: .interrupted
        }
    }
}

private enum RaceEvent<T: Sendable>: Sendable {
    case finished(T)
    case signalled
    case nothing
}
