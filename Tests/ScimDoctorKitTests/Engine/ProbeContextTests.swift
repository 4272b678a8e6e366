import Foundation
import Synchronization
import Testing

@testable import ScimDoctorKit

/// Answers 429 to the first `limited` requests, then 200; counts what it was sent.
final class RateLimitedTransport: HTTPTransport {
    let retryAfter: String
    let limited: Int
    private let count = Mutex(0)

    init(retryAfter: String, limited: Int) {
        self.retryAfter = retryAfter
        self.limited = limited
    }

    var requests: Int { count.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let number = count.withLock { count in
            count += 1
            return count
        }
        if number <= limited {
            return HTTPResponse(status: 429, headers: [("Retry-After", retryAfter)])
        }
        return HTTPResponse(status: 200, body: Data(ScimSamples.emptyList.utf8))
    }
}

@Suite("Probe context")
struct ProbeContextTests {
    func context(_ transport: any HTTPTransport, timeout: Duration = .seconds(5)) -> ProbeContext {
        ProbeContext(
            options: CheckOptions(tenantURL: "https://scim.example.com/scim/v2", timeout: timeout),
            token: Secret("t"), transport: transport, resolver: ScriptedResolver(.success([])),
            now: ExampleSetup.defaultNow)
    }

    @Test("a 429 is retried once after its Retry-After, and the answer says it waited")
    func retriesOnce() async throws {
        let transport = RateLimitedTransport(retryAfter: "0", limited: 1)
        let exchange = try await context(transport).get("Users")
        #expect(transport.requests == 2)
        #expect(exchange.response?.status == 200)
        #expect(exchange.response?.retriedAfterSeconds == 0)
    }

    @Test("still 429 after the retry: no third attempt")
    func retriesOnlyOnce() async throws {
        let transport = RateLimitedTransport(retryAfter: "0", limited: 10)
        let exchange = try await context(transport).get("Users")
        #expect(transport.requests == 2)
        #expect(exchange.response?.status == 429)
    }

    @Test("a Retry-After longer than the request timeout is not waited for")
    func longWaitNotHonoured() async throws {
        let transport = RateLimitedTransport(retryAfter: "120", limited: 1)
        let exchange = try await context(transport, timeout: .seconds(5)).get("Users")
        #expect(transport.requests == 1)
        #expect(exchange.response?.status == 429)
        #expect(exchange.response?.retriedAfterSeconds == nil)
    }

    @Test("the same request is sent once per run, however many probes ask")
    func memoized() async throws {
        let transport = RateLimitedTransport(retryAfter: "0", limited: 0)
        let shared = context(transport)
        async let first = shared.get("Users")
        async let second = shared.get("Users")
        _ = try await (first, second)
        #expect(transport.requests == 1)
    }

    @Test(
        "Retry-After: seconds or an HTTP date",
        arguments: [
            ("3", 3), ("0", 0), ("-1", nil), ("soon", nil), ("", nil),
            ("Mon, 01 Jun 2026 00:00:10 GMT", 10), ("Sun, 31 May 2026 23:00:00 GMT", 0),
        ] as [(String, Int?)])
    func retryAfterParsing(value: String, seconds: Int?) {
        #expect(RetryAfter.seconds(value, now: ExampleSetup.defaultNow) == seconds)
    }
}
