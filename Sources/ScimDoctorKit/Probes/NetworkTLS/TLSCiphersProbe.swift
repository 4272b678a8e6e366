import Foundation

/// `tls.ciphers`: a TLS 1.2 handshake offering only Entra's eight cipher suites completes.
struct TLSCiphersProbe: Probe {
    let description = ProbeDescription(
        id: "tls.ciphers", section: .network, title: "An Entra cipher suite is accepted",
        checks: "A TLS 1.2 handshake offering only the eight cipher suites Entra's provisioning service uses "
            + "completes: without one of them in common, Entra cannot connect.",
        rationale:
            "Microsoft lists the TLS 1.2 cipher suites the provisioning service uses as its \"minimum bar\" "
            + "(ECDHE with AES-GCM or AES-CBC-SHA256/384); a server configured with none of them fails the "
            + "handshake with Entra while browsers still connect.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Security requirements' ('TLS 1.2 Cipher Suites "
                + "minimum bar')",
            "RFC 5289 (ECDHE cipher suites with SHA-256/384 and AES-GCM)",
        ],
        dependencies: ["tls.protocol"],
        examples: [
            ProbeExample(
                "ECDHE-RSA with AES-GCM",
                ExampleSetup(routes: [TLSExamples.entraCiphers(.handshake(TLSExamples.tls12Session()))]),
                expect: .pass, finding: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            ProbeExample(
                "none of Entra's suites",
                ExampleSetup(routes: [
                    TLSExamples.entraCiphers(.failure(TLSExamples.handshakeFailure)),
                    Route.connect(.handshake(TLSExamples.tls13)),
                ]), expect: .fail, finding: "none of the eight cipher suites"),
            ProbeExample(
                "http URL", ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2"), expect: .skip,
                finding: "no TLS to check"),
        ])

    func prefetch(_ context: ProbeContext) async { await context.prefetchTLS([{ try await $0.tlsEntraCiphers() }]) }

    func run(_ context: ProbeContext) async throws -> Verdict {
        if let skip = try TLSProbeSupport.skipForHTTP(context) { return skip }
        switch try await context.tlsEntraCiphers() {
        case .success(let response):
            let cipher = response.tls?.cipher ?? ""
            let finding =
                cipher.isEmpty
                ? "a TLS 1.2 handshake offering only Entra's cipher suites completed"
                : "the server accepts \(TLSProbeSupport.ianaCipherName(cipher)), one of Entra's cipher suites"
            return .pass(finding, evidence: [TLSProbeSupport.sessionEvidence(response.tls)])
        case .failure(let error) where error.kind == .tlsCipher:
            // CURLE_SSL_CIPHER: this machine's TLS library refused the list; says nothing about the server.
            throw ProbeError("the local TLS library rejected Entra's cipher list: \(error.message)")
        case .failure(let error):
            let suites = EntraTLS.cipherSuites.map(\.iana)
            var evidence = [
                Evidence("offered", "TLS 1.2 with Entra's eight suites only"), Evidence.transportError(error),
            ]
            var keyNote =
                "If you only have an RSA certificate the ECDSA suites have no effect: enable "
                + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384."
            if case .success(let harvest) = try await context.tlsHarvest(), let leaf = harvest.tls?.certificates.first {
                switch leaf.publicKeyFacts {
                case .rsa?:
                    evidence.append(Evidence("certificate key", "RSA (only the ECDHE_RSA suites can be used)"))
                case .ec?, .ecUnknownCurve?:
                    evidence.append(Evidence("certificate key", "EC (only the ECDHE_ECDSA suites can be used)"))
                    keyNote =
                        "With an EC certificate only the ECDSA suites apply: enable "
                        + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384."
                default: break
                }
                if let session = harvest.tls, !session.cipher.isEmpty {
                    evidence.append(
                        Evidence(
                            "default handshake", "\(session.version), \(TLSProbeSupport.ianaCipherName(session.cipher))"
                        ))
                }
            }
            return .fail(
                "the server accepts none of the eight cipher suites Entra offers over TLS 1.2 ("
                    + suites.joined(separator: ", ") + ")",
                evidence: evidence,
                fix: "Enable at least one of these suites in the TLS 1.2 policy of the server, reverse proxy or load "
                    + "balancer that terminates TLS (ECDHE key exchange with AES-GCM is recommended). " + keyNote)
        }
    }
}
