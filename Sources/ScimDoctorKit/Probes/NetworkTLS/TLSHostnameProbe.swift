import Foundation

/// `tls.hostname`: the server certificate names the Tenant URL's host (RFC 6125 matching).
struct TLSHostnameProbe: Probe {
    let description = ProbeDescription(
        id: "tls.hostname", section: .network, title: "Certificate matches the host name",
        checks: "The server certificate's Subject Alternative Names cover the Tenant URL's host (a wildcard covers "
            + "one left-most label only): Entra rejects a certificate issued for another name.",
        rationale:
            "The certificate must be issued for the Tenant URL's host name: Entra, like any TLS client, "
            + "refuses a certificate for another name, and a wildcard covers one label only.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Security requirements'",
            "RFC 6125 §6.4 (matching the DNS name; §6.4.3 wildcards)",
            "RFC 5280 §4.2.1.6 (Subject Alternative Name)",
        ],
        dependencies: ["tls.handshake"],
        examples: [
            ProbeExample(
                "exact name", ExampleSetup(routes: [Route.connect(.handshake(TLSExamples.tls13))]), expect: .pass,
                finding: "DNS:scim.example.com"),
            ProbeExample(
                "wildcard, different case",
                ExampleSetup(routes: [
                    Route.connect(.handshake(TLSExamples.session([TLSExamples.leaf(san: "DNS:*.EXAMPLE.com")])))
                ]), expect: .pass, finding: "*.EXAMPLE.com"),
            ProbeExample(
                "names read from the certificate when libcurl gives none",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(TLSExamples.session([TLSExamples.leaf(san: "", pem: TLSExamples.ecP256PEM)])))
                ]), expect: .pass, finding: "DNS:scim.example.com"),
            ProbeExample(
                "IP address host",
                ExampleSetup(
                    tenantURL: "https://203.0.113.10/scim/v2",
                    routes: [
                        Route.connect(
                            .handshake(
                                TLSExamples.session([
                                    TLSExamples.leaf(san: "DNS:scim.example.com, IP Address:203.0.113.10")
                                ])))
                    ]), expect: .pass, finding: "IP:203.0.113.10"),
            ProbeExample(
                "other name",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(subject: "CN = app.example.net", san: "DNS:app.example.net")
                            ])))
                ]), expect: .fail, finding: "DNS:app.example.net"),
            ProbeExample(
                "wildcard one label too shallow",
                ExampleSetup(
                    tenantURL: "https://eu.scim.example.com/scim/v2",
                    routes: [
                        Route.connect(.handshake(TLSExamples.session([TLSExamples.leaf(san: "DNS:*.example.com")])))
                    ]), expect: .fail, finding: "not covered"),
            ProbeExample(
                "common name only",
                ExampleSetup(routes: [
                    Route.connect(.handshake(TLSExamples.session([TLSExamples.leaf(san: "", pem: "")])))
                ]), expect: .warn, finding: "only in the common name"),
            ProbeExample(
                "common name only, other name",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(subject: "CN=legacy.example.com", san: "", pem: TLSExamples.ecP224PEM)
                            ])))
                ]), expect: .fail, finding: "CN=legacy.example.com"),
            ProbeExample(
                "handshake failed", ExampleSetup(routes: [Route.connect(.failure(TLSExamples.plainHTTP))]),
                expect: .skip, finding: "no certificate to read"),
            ProbeExample(
                "http URL", ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2"), expect: .skip,
                finding: "no TLS to check"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        var verdict = try await judge(context)
        // Under --insecure the HTTP probes do not check the name either, so they can still run.
        if verdict.status == .fail, context.options.insecure {
            verdict.finding += " (continuing because of --insecure)"
            verdict.blocksDependants = false
        }
        return verdict
    }

    private func judge(_ context: ProbeContext) async throws -> Verdict {
        if let skip = try TLSProbeSupport.skipForHTTP(context) { return skip }
        let host = try context.requireTenant().host
        let leaf: CertificateInfo
        switch try await TLSProbeSupport.harvestedChain(context) {
        case .unavailable(let verdict): return verdict
        case .certificates(let chain): leaf = chain[0]
        }
        let names = leaf.alternativeNames
        let ip = IPAddress(host)
        let evidence = [
            Evidence("host", host),
            Evidence("subjectAltName", names.isEmpty ? "(none)" : names.listing),
            Evidence("subject", leaf.subject),
        ]
        let fix =
            "Install a certificate whose Subject Alternative Name includes \(host) on the server or proxy that "
            + "terminates TLS, or, if the application documents another host name, enter that one in the Tenant URL "
            + "(\(EntraPortal.tenantURL))."
        if !names.isEmpty {
            // RFC 6125: with SAN entries present, the common name is not consulted.
            let match: String? =
                if let ip {
                    names.ips.first { $0.bytes == ip.bytes }.map { "IP:\($0)" }
                } else {
                    names.dns.first { HostNameMatch.matches(host: host, pattern: $0) }.map { "DNS:\($0)" }
                }
            if let match { return .pass("\(host) matches \(match) on the certificate", evidence: evidence) }
            return TLSProbeSupport.failure(
                context, "\(host) is not covered by the certificate, which names \(names.listing)", evidence: evidence,
                fix: fix)
        }
        guard let commonName = leaf.subjectCommonName, !commonName.isEmpty else {
            return TLSProbeSupport.failure(
                context, "the certificate names no host at all (no Subject Alternative Name, no common name)",
                evidence: evidence, fix: fix)
        }
        let matches =
            ip.map { ip in IPAddress(commonName)?.bytes == ip.bytes }
            ?? HostNameMatch.matches(host: host, pattern: commonName)
        guard matches else {
            return TLSProbeSupport.failure(
                context,
                "\(host) is not covered by the certificate, which names only CN=\(commonName) (and has no Subject "
                    + "Alternative Name)",
                evidence: evidence, fix: fix)
        }
        return .warn(
            "\(host) appears only in the common name (CN=\(commonName)): the certificate has no Subject Alternative "
                + "Name, and modern TLS clients ignore the common name",
            evidence: evidence,
            fix: "Reissue the certificate with a Subject Alternative Name (DNS:\(host)) and install it on the server "
                + "or proxy that terminates TLS; whether Entra's client still accepts a common-name-only match is "
                + "unconfirmed.")
    }
}
