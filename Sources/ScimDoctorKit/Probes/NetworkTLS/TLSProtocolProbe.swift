import Foundation

/// `tls.protocol`: the server accepts a TLS 1.2 handshake, the only version Entra documents accepting.
struct TLSProtocolProbe: Probe {
    let description = ProbeDescription(
        id: "tls.protocol", section: .network, title: "TLS 1.2 is offered",
        checks: "The server completes a handshake capped at TLS 1.2: \"The only acceptable protocol version is "
            + "TLS 1.2\" for Entra's provisioning service, so a TLS 1.3-only server is at risk (inferred).",
        rationale:
            "Microsoft: \"The only acceptable protocol version is TLS 1.2. No other SSL/TLS version is "
            + "permitted.\" A server that refuses TLS 1.2 (TLS 1.3 only, or older versions only) cannot be "
            + "reached by the provisioning service; the TLS 1.3-only case is inferred from that statement.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Security requirements' ('TLS Protocol Versions')",
            "RFC 5246 (TLS 1.2), RFC 8446 (TLS 1.3)",
        ],
        dependencies: ["tls.handshake"],
        examples: [
            ProbeExample(
                "TLS 1.2 offered",
                ExampleSetup(routes: [TLSExamples.tls12(.handshake(TLSExamples.tls12Session()))]), expect: .pass,
                finding: "TLS 1.2 offered"),
            ProbeExample(
                "TLS 1.3 by default, 1.2 still offered", ExampleSetup(routes: TLSExamples.healthy()), expect: .pass,
                finding: "negotiated TLSv1.3"),
            ProbeExample(
                "TLS 1.3 only",
                ExampleSetup(routes: [
                    TLSExamples.tls12(.failure(TLSExamples.protocolVersion)),
                    Route.connect(.handshake(TLSExamples.tls13)),
                ]), expect: .fail, finding: "does not offer TLS 1.2"),
            ProbeExample(
                "TLS 1.2 handshake hangs",
                ExampleSetup(routes: [TLSExamples.tls12(.failure(TLSExamples.handshakeTimeout))]), expect: .fail,
                finding: "timed out"),
            ProbeExample(
                "http URL", ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2"), expect: .skip,
                finding: "no TLS to check"),
        ])

    func prefetch(_ context: ProbeContext) async { await context.prefetchTLS([{ try await $0.tls12() }]) }

    func run(_ context: ProbeContext) async throws -> Verdict {
        if let skip = try TLSProbeSupport.skipForHTTP(context) { return skip }
        let fix =
            "Enable TLS 1.2 in the TLS policy of whatever terminates TLS for the SCIM endpoint (the server, reverse "
            + "proxy or load balancer), with at least one of Entra's cipher suites; TLS 1.3 may stay enabled too."
        switch try await context.tls12() {
        case .success(let response):
            var evidence = [TLSProbeSupport.sessionEvidence(response.tls)]
            var finding = "TLS 1.2 offered"
            if case .success(let preferred) = try await context.tlsHarvest(),
                let version = preferred.tls?.version, !version.isEmpty, version != "TLSv1.2"
            {
                finding += " (a default handshake negotiated \(version), which is fine as long as TLS 1.2 is offered)"
                evidence.append(Evidence("default handshake", version))
            }
            return .pass(finding, evidence: evidence)
        case .failure(let error) where error.kind == .timeout || error.kind == .connectTimeout:
            return .fail(
                "a TLS 1.2 handshake timed out: the server does not complete TLS 1.2",
                evidence: [Evidence("offered", "TLS 1.2 only"), .transportError(error)], fix: fix)
        case .failure(let error):
            var evidence = [Evidence("offered", "TLS 1.2 only"), Evidence.transportError(error)]
            if case .success(let preferred) = try await context.tlsHarvest(), let version = preferred.tls?.version,
                !version.isEmpty
            {
                evidence.append(Evidence("default handshake", "negotiated \(version)"))
            }
            return .fail(
                "the server does not offer TLS 1.2 (TLS 1.3 only?): Entra's provisioning service says \"The only "
                    + "acceptable protocol version is TLS 1.2\"",
                evidence: evidence, fix: fix)
        }
    }
}
