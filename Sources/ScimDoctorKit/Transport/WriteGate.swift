import Foundation
import Synchronization

/// Wraps the transport of a write run: once closed, no new POST, PUT or PATCH leaves (only the GETs and DELETEs
/// of cleanup do), and `close()` waits for the ones already on the wire, so that no resource can be created
/// after cleanup has looked.
final class WriteGate: HTTPTransport {
    private struct State {
        var closed = false
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let inner: any HTTPTransport
    private let state = Mutex(State())

    init(_ inner: any HTTPTransport) { self.inner = inner }

    static func isWrite(_ request: HTTPRequest) -> Bool { ["POST", "PUT", "PATCH"].contains(request.method) }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        guard Self.isWrite(request) else { return try await inner.send(request) }
        let admitted = state.withLock { state in
            guard !state.closed else { return false }
            state.inFlight += 1
            return true
        }
        guard admitted else {
            throw TransportError(kind: .other, message: "not sent: the write run is stopping and cleaning up")
        }
        defer {
            let waiters = state.withLock { state in
                state.inFlight -= 1
                guard state.inFlight == 0 else { return [CheckedContinuation<Void, Never>]() }
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        return try await inner.send(request)
    }

    /// Refuses every later write, and returns once the writes already sent have been answered (each is bounded
    /// by the request timeouts).
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                state.closed = true
                if state.inFlight == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
