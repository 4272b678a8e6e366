import Foundation
import Synchronization

/// One HTTP exchange as the wrapped transport saw it: the request, when it started, and its answer or failure.
/// The request still carries the token as a `Secret` (only its fingerprint prints); `HARWriter` redacts the rest.
public struct RecordedExchange: Sendable {
    public var request: HTTPRequest
    public var startedAt: Date
    public var outcome: Result<HTTPResponse, TransportError>
    /// The probe that sent it ("cleanup" when none did).
    public var sentBy: String

    public init(
        request: HTTPRequest, startedAt: Date, outcome: Result<HTTPResponse, TransportError>,
        sentBy: String = ProbeScope.name
    ) {
        self.request = request
        self.startedAt = startedAt
        self.outcome = outcome
        self.sentBy = sentBy
    }
}

/// `--har`: keeps every HTTP exchange that goes through it, for `HARWriter`. Connect-only requests (the TCP and
/// TLS handshakes of the Network and TLS probes) send no HTTP at all, so they pass through unrecorded.
/// It sits directly on the real transport, so it sees exactly what went on the wire (retries and cleanup too).
public final class RecordingTransport: HTTPTransport, Sendable {
    let wrapped: any HTTPTransport
    private let now: @Sendable () -> Date
    private let log = Mutex<[(sequence: Int, exchange: RecordedExchange)]>([])

    public init(_ wrapped: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }) {
        self.wrapped = wrapped
        self.now = now
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        guard !request.connectOnly else { return try await wrapped.send(request) }
        let started = now()
        let sentBy = ProbeScope.name
        let outcome: Result<HTTPResponse, TransportError>
        do throws(TransportError) {
            outcome = .success(try await wrapped.send(request))
        } catch {
            outcome = .failure(error)
        }
        log.withLock { log in
            log.append(
                (log.count, RecordedExchange(request: request, startedAt: started, outcome: outcome, sentBy: sentBy)))
        }
        return try outcome.get()
    }

    /// Every exchange so far, oldest first (by start; completion order breaks ties).
    public var exchanges: [RecordedExchange] {
        log.withLock { $0 }.sorted { ($0.exchange.startedAt, $0.sequence) < ($1.exchange.startedAt, $1.sequence) }
            .map(\.exchange)
    }
}
