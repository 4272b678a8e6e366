import Foundation

/// `net.tcp`: a TCP connection to the Tenant URL's port opens (connect-only: no HTTP request, no token).
struct TCPProbe: Probe {
    let description = ProbeDescription(
        id: "net.tcp", section: .network, title: "TCP connection opens",
        checks: "A TCP connection to the Tenant URL's host and port opens: Entra must be able to connect from "
            + "Microsoft's cloud (the AzureActiveDirectory service tag) before anything else can work.",
        rationale:
            "Before any TLS or SCIM exchange, Entra must open a TCP connection from Microsoft's IP ranges "
            + "(the AzureActiveDirectory service tag); a firewall that drops or refuses it shows up in Entra "
            + "only as \"An error occurred while sending the request\" (CredentialValidationUnavailable).",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'IP Ranges'",
            "Microsoft: Troubleshoot on-premises application provisioning (on-premises-ecma-troubleshoot), "
                + "'Understand incoming SCIM requests' (CredentialValidationUnavailable detail text)",
            "3rd-party: bitwarden/server#7309 (CredentialValidationUnavailable on a connection failure)",
        ],
        dependencies: ["net.dns"],
        examples: [
            ProbeExample(
                "connects", ExampleSetup(routes: [Route.connect(TLSExamples.handshake())]), expect: .pass,
                finding: "port 443"),
            ProbeExample(
                "plain http on loopback",
                ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2", routes: [Route.connect(.handshake(nil))]),
                expect: .pass, finding: "port 8080"),
            ProbeExample(
                "TCP connects but TLS fails",
                ExampleSetup(routes: [Route.connect(.failure(TLSExamples.plainHTTP))]), expect: .pass,
                finding: "TCP connection"),
            ProbeExample(
                "connection refused", ExampleSetup(routes: [Route.connect(.failure(TLSExamples.refused))]),
                expect: .fail, finding: "connection refused on port 443"),
            ProbeExample(
                "no answer", ExampleSetup(routes: [Route.connect(.failure(TLSExamples.connectTimeout))]),
                expect: .fail, finding: "timed out after 2 s"),
            ProbeExample(
                "name does not resolve", ExampleSetup(routes: [Route.connect(.failure(TLSExamples.resolve))]),
                expect: .fail, finding: "does not resolve"),
            ProbeExample(
                "network unreachable",
                ExampleSetup(
                    routes: [
                        Route.connect(
                            .failure(
                                TransportError(
                                    kind: .other, code: 7,
                                    message: "Failed to connect to scim.example.com port 443: Network is unreachable")))
                    ]), expect: .fail, finding: "could not connect"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let tenant = try context.requireTenant()
        let target = "\(tenant.host) port \(tenant.port)"
        let firewall =
            "allow inbound connections from Entra's egress, the AzureActiveDirectory service tag (this test runs "
            + "from this machine; Entra connects from Microsoft's cloud)"
        switch try await context.tcpConnect() {
        case .success(let response):
            var finding = "TCP connection to \(target) opened"
            if !response.primaryIP.isEmpty, response.primaryIP != tenant.host { finding += " (\(response.primaryIP))" }
            if response.timings.connect > 0 {
                finding += " in \(TLSProbeSupport.milliseconds(response.timings.connect - response.timings.nameLookup))"
            }
            return .pass(finding, evidence: connected(response, tenant))
        case .failure(let error):
            let evidence = [Evidence("target", target), Evidence.transportError(error)]
            switch error.kind {
            case .refused:
                return .fail(
                    "connection refused on port \(tenant.port) of \(tenant.host) (nothing listens there, or a "
                        + "firewall rejects the connection)",
                    evidence: evidence,
                    fix: "Make the SCIM server (or its reverse proxy / load balancer) listen on port \(tenant.port), "
                        + "or correct the port in the Tenant URL "
                        + "(\(EntraPortal.tenantURL)); in the firewall, \(firewall).")
            case .connectTimeout:
                return .fail(
                    "connecting to \(target) timed out after \(TLSProbeSupport.format(context.options.connectTimeout)) "
                        + "(no answer: a firewall dropping packets, a wrong port, or the host is down)",
                    evidence: evidence,
                    fix: "Check that the host is up and the port in the Tenant URL is the one the SCIM server listens "
                        + "on; in the firewall / network security group / load balancer, \(firewall).")
            case .resolve:
                return .fail(
                    "\(tenant.host) does not resolve", evidence: evidence,
                    fix: "Check the host name in the Tenant URL (\(EntraPortal.tenantURL)) "
                        + "against the application's SCIM settings page; it needs a public DNS record.")
            case .tlsHandshake, .tlsVerify, .tlsCipher, .timeout:
                // The connection was up: what went wrong afterwards is for the TLS probes to judge.
                var details = [Evidence("target", target)]
                if let timing = TLSProbeSupport.timingEvidence(error.timings, tls: false) { details.append(timing) }
                details.append(Evidence("then", "\(error.message) (judged by tls.handshake)"))
                return .pass("TCP connection to \(target) opened", evidence: details)
            case .invalidURL, .other:
                return .fail(
                    "could not connect to \(target): \(error.message)", evidence: evidence,
                    fix: "Check this machine's network route to the host and the host name and port in the Tenant "
                        + "URL (\(EntraPortal.tenantURL)); in the firewall, \(firewall).")
            }
        }
    }

    private func connected(_ response: HTTPResponse, _ tenant: TenantURL) -> [Evidence] {
        var evidence: [Evidence] = []
        let address = response.primaryIP.isEmpty ? tenant.host : response.primaryIP
        evidence.append(Evidence("connected to", "\(address) port \(tenant.port)"))
        if let timing = TLSProbeSupport.timingEvidence(response.timings, tls: false) { evidence.append(timing) }
        return evidence
    }
}
