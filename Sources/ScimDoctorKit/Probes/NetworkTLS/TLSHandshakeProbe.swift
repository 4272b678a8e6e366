import Foundation

/// `tls.handshake`: the server completes a TLS handshake at all (verification off: trust is `tls.trust`'s job).
struct TLSHandshakeProbe: Probe {
    let description = ProbeDescription(
        id: "tls.handshake", section: .network, title: "TLS handshake completes",
        checks: "The server completes a TLS handshake on the Tenant URL's port; Entra only talks to a SCIM endpoint "
            + "over TLS.",
        rationale:
            "Entra only speaks to a SCIM endpoint over TLS; a server that resets or does not answer the "
            + "handshake (a plain HTTP port, a proxy without a certificate for the name) fails every request "
            + "with a connection error.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Security requirements'",
            "Microsoft: How application provisioning works (how-provisioning-works): the channel is HTTPS TLS 1.2",
            "RFC 5246 (TLS 1.2)",
        ],
        dependencies: ["net.tcp"],
        examples: [
            ProbeExample(
                "an http:// Tenant URL on a port that speaks TLS",
                ExampleSetup(
                    tenantURL: "http://scim.example.com:8443/scim/v2",
                    routes: [Route.connect(.handshake(TLSExamples.session([TLSExamples.leaf()])))]),
                expect: .fail, finding: "port 8443 of scim.example.com speaks TLS"),
            ProbeExample(
                "an http:// Tenant URL on a plain-http port",
                ExampleSetup(
                    tenantURL: "http://scim.example.com:8080/scim/v2",
                    routes: [Route.connect(.failure(TLSExamples.plainHTTP))]),
                expect: .skip),
            ProbeExample(
                "handshake completes", ExampleSetup(routes: [Route.connect(TLSExamples.handshake())]), expect: .pass,
                finding: "TLSv1.3"),
            ProbeExample(
                "http URL", ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2"), expect: .skip,
                finding: "no TLS to check"),
            ProbeExample(
                "plain http on the https port",
                ExampleSetup(routes: [Route.connect(.failure(TLSExamples.plainHTTP))]), expect: .fail,
                finding: "does not speak TLS"),
            ProbeExample(
                "connection reset during the handshake",
                ExampleSetup(routes: [Route.connect(.failure(TLSExamples.reset))]), expect: .fail,
                finding: "closed the connection"),
            ProbeExample(
                "handshake failure alert",
                ExampleSetup(routes: [Route.connect(.failure(TLSExamples.handshakeFailure))]), expect: .fail,
                finding: "rejected the handshake"),
            ProbeExample(
                "no common protocol version",
                ExampleSetup(routes: [Route.connect(.failure(TLSExamples.protocolVersion))]), expect: .fail,
                finding: "no TLS protocol version"),
            ProbeExample(
                "handshake hangs", ExampleSetup(routes: [Route.connect(.failure(TLSExamples.handshakeTimeout))]),
                expect: .fail, finding: "timed out"),
        ])

    func prefetch(_ context: ProbeContext) async { await context.prefetchTLS([{ try await $0.tlsHarvest() }]) }

    func run(_ context: ProbeContext) async throws -> Verdict {
        let tenant = try context.requireTenant()
        if let skip = try TLSProbeSupport.skipForHTTP(context) {
            // An http:// Tenant URL whose port speaks TLS answers every request with a reset or an empty reply.
            guard
                case .success(let response) = try await context.connect(tls: TLSOptions(verify: false), scheme: "https"),
                response.tls?.version.isEmpty == false
            else { return skip }
            _ = await context.remember(.httpPortSpeaksTLS) { true }
            return .fail(
                "the Tenant URL says http://, but port \(tenant.port) of \(tenant.host) speaks TLS (a TLS handshake "
                    + "completed there), so every plain-http request gets a reset or an empty reply",
                evidence: [
                    Evidence("probe", "TLS handshake on \(tenant.host):\(tenant.port) completed"),
                    TLSProbeSupport.sessionEvidence(response.tls),
                ],
                fix: "Use https:// in the Tenant URL (\(try await context.correctedTenantURL().url)) in "
                    + "\(EntraPortal.tenantURL); Entra only "
                    + "connects over TLS anyway.")
        }
        let target = "\(tenant.host) port \(tenant.port)"
        switch try await context.tlsHarvest() {
        case .success(let response):
            var evidence = [TLSProbeSupport.sessionEvidence(response.tls)]
            if let timing = TLSProbeSupport.timingEvidence(response.timings, tls: true) { evidence.append(timing) }
            if let leaf = response.tls?.certificates.first {
                evidence.append(TLSProbeSupport.certificateEvidence(leaf, label: "server certificate"))
            }
            var finding = "TLS handshake with \(target) completed"
            if let session = response.tls, !session.version.isEmpty {
                finding += ": \(session.version)"
                if !session.cipher.isEmpty { finding += ", \(TLSProbeSupport.ianaCipherName(session.cipher))" }
            }
            if response.timings.tlsHandshake > response.timings.connect, response.timings.connect > 0 {
                finding +=
                    " in \(TLSProbeSupport.milliseconds(response.timings.tlsHandshake - response.timings.connect))"
            }
            return .pass(finding, evidence: evidence)
        case .failure(let error):
            return .fail(
                "\(classify(error, context)) on \(target)", evidence: [Evidence.transportError(error)],
                fix: "Terminate TLS on port \(tenant.port) of \(tenant.host) — on the SCIM server or on the reverse "
                    + "proxy / load balancer in front of it — with TLS 1.2, one of Entra's cipher suites and the "
                    + "server certificate. If that port serves plain http, put an https listener in front of it and "
                    + "enter its https:// URL as the Tenant URL (\(EntraPortal.tenantURL)).")
        }
    }

    /// One line on what the handshake failure means, from libcurl's kind and OpenSSL's text.
    private func classify(_ error: TransportError, _ context: ProbeContext) -> String {
        let message = error.message.lowercased()
        func has(_ needles: String...) -> Bool { needles.contains { message.contains($0) } }
        switch error.kind {
        case .timeout, .connectTimeout:
            return "the TLS handshake timed out (the server accepted the connection but never completed TLS "
                + "within the connect timeout of \(TLSProbeSupport.format(context.options.connectTimeout)), which "
                + "covers the handshake)"
        case .refused, .resolve:
            return "no connection, so no TLS handshake (see net.tcp)"
        default:
            break
        }
        if has("wrong version number", "packet length too long", "http request", "unknown protocol", "record layer") {
            return "the server does not speak TLS (plain http on an https port, or another protocol)"
        }
        if has("protocol version", "unsupported protocol", "no protocols available") {
            return
                "the server shares no TLS protocol version with this client (it may offer only versions older than TLS 1.2)"
        }
        if has("handshake failure", "no shared cipher", "insufficient security", "illegal parameter") {
            return "the server rejected the handshake (no cipher suite in common, or a server name (SNI) it does "
                + "not serve)"
        }
        if has("reset", "unexpected eof", "syscall", "connection closed", "connection was closed") {
            return "the server closed the connection during the TLS handshake (a proxy or firewall rejecting it, "
                + "an unknown server name, or a service that is not TLS)"
        }
        return "the TLS handshake failed"
    }
}
