import Foundation
import Testing

@testable import ScimDoctorKit

/// One cause, one failure: when the verified handshake fails because of a certificate's dates or key, the precise
/// probe (tls.validity / tls.key-size) fails and blocks, tls.trust is skipped with a pointer to it, and the probes
/// that send requests are skipped for the same reason instead of failing on the same TLS error.
@Suite("TLS: one cause, one failure")
struct TLSOneCauseTests {
    /// The network probes plus a stand-in for the HTTP probes (which depend on tls.trust and tls.hostname).
    func run(_ setup: ExampleSetup) async -> [String: ProbeResult] {
        let request = FakeProbe("http.request", dependsOn: ["tls.trust", "tls.hostname"]) { .pass("request sent") }
        let results = await ProbeEngine(catalogue: networkProbes + [request], requestAllowance: .seconds(5))
            .run(setup.makeContext())
        return Dictionary(uniqueKeysWithValues: results.map { ($0.id.rawValue, $0) })
    }

    static let expiredLeaf = TLSExamples.session([
        TLSExamples.leaf(notBefore: "May  3 12:00:00 2025 GMT", notAfter: "May  2 12:00:00 2026 GMT"),
        TLSExamples.intermediate(),
    ])
    static let expired = TLSExamples.verify("SSL certificate problem: certificate has expired", 10)

    func tlsFailures(_ results: [String: ProbeResult]) -> [String] {
        results.values.filter { $0.id.rawValue.hasPrefix("tls.") && $0.status == .fail }.map(\.id.rawValue).sorted()
    }

    @Test("an expired certificate fails tls.validity only; tls.trust and requests are skipped pointing at it")
    func expired() async {
        let results = await run(
            ExampleSetup(routes: [
                TLSExamples.verified(.failure(Self.expired)), Route.connect(.handshake(Self.expiredLeaf)),
            ]))
        #expect(tlsFailures(results) == ["tls.validity"])
        #expect(results["tls.trust"]?.status == .skip)
        #expect(results["tls.trust"]?.finding == "tls.validity failed")
        #expect(results["http.request"]?.finding == "tls.validity failed")
    }

    @Test("under --insecure the expired certificate still fails tls.validity only, and requests go ahead")
    func expiredInsecure() async {
        let results = await run(
            ExampleSetup(
                insecure: true,
                routes: [TLSExamples.verified(.failure(Self.expired)), Route.connect(.handshake(Self.expiredLeaf))]))
        #expect(tlsFailures(results) == ["tls.validity"])
        #expect(results["tls.trust"]?.status == .pass)
        #expect(results["tls.trust"]?.finding.contains("judged by tls.validity") == true)
        #expect(results["http.request"]?.status == .pass)
    }

    @Test("a chain certificate out of date that verification does not use does not stop the requests")
    func staleButVerified() async {
        let session = TLSExamples.session([
            TLSExamples.leaf(),
            TLSExamples.intermediate(notBefore: "Mar 13 00:00:00 2021 GMT", notAfter: "Mar 12 23:59:59 2026 GMT"),
        ])
        let results = await run(ExampleSetup(routes: [Route.connect(.handshake(session))]))
        #expect(tlsFailures(results) == ["tls.validity"])
        #expect(results["tls.trust"]?.status == .pass)
        #expect(results["http.request"]?.status == .pass)
    }

    @Test("a 1024-bit key the TLS library refuses fails tls.key-size only")
    func weakKey() async {
        let session = TLSExamples.session([TLSExamples.leaf(rsaKeyBits: nil, pem: TLSExamples.rsa1024PEM)])
        let weak = TLSExamples.verify("SSL certificate problem: EE certificate key too weak", 66)
        let results = await run(
            ExampleSetup(routes: [TLSExamples.verified(.failure(weak)), Route.connect(.handshake(session))]))
        #expect(tlsFailures(results) == ["tls.key-size"])
        #expect(results["tls.trust"]?.finding == "tls.key-size failed")
        #expect(results["http.request"]?.finding == "tls.key-size failed")
    }

    @Test("an untrusted expired certificate reports both causes: trust is judged before dates")
    func untrustedAndExpired() async {
        let selfSigned = TLSExamples.verify("SSL certificate problem: self-signed certificate", 18)
        let results = await run(
            ExampleSetup(routes: [
                TLSExamples.verified(.failure(selfSigned)), Route.connect(.handshake(Self.expiredLeaf)),
            ]))
        #expect(tlsFailures(results) == ["tls.trust", "tls.validity"])
        #expect(results["http.request"]?.finding == "tls.trust failed")
    }
}
