import Foundation

/// `tls.trust`: the certificate chain verifies against the public trust store, as Entra requires.
struct TLSTrustProbe: Probe {
    /// A chain that verifies with --ca-file and not without it (a private CA).
    private static let trustedThroughCAFileOnly = [
        TLSExamples.verified(.handshake(TLSExamples.tls13), caFile: true),
        TLSExamples.verified(
            .failure(TLSExamples.verify("SSL certificate problem: unable to get local issuer certificate", 20)),
            caFile: false),
        Route.connect(.handshake(TLSExamples.tls13)),
    ]

    let description = ProbeDescription(
        id: "tls.trust", section: .network, title: "Certificate chain is publicly trusted",
        checks: "The server's certificate chain verifies against the system's public trust store: Entra requires a "
            + "server certificate that chains to a publicly trusted root CA, and rejects self-signed or private ones.",
        // A certificate out of its dates or with a key the TLS library refuses fails verification too, before or
        // instead of the trust verdict: tls.validity / tls.key-size own that cause (and then block this probe).
        rationale:
            "Entra verifies the server certificate against public root CAs: a self-signed certificate, a "
            + "private CA or a chain missing its intermediate is rejected, even though the endpoint works from "
            + "inside the company network. Microsoft's published root list is old; the exact trust store is "
            + "unconfirmed.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Building a custom SCIM endpoint' (root CA list)",
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Security requirements'",
            "RFC 5280 §6 (certification path validation)",
        ],
        dependencies: ["tls.handshake", "tls.validity", "tls.key-size"],
        examples: [
            ProbeExample(
                "publicly trusted", ExampleSetup(routes: [Route.connect(.handshake(TLSExamples.tls13))]), expect: .pass,
                finding: "Example Root CA X1"),
            ProbeExample(
                "only the host name differs",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(
                            TLSExamples.verify(
                                "SSL: no alternative certificate subject name matches target host name "
                                    + "'scim.example.com'", 1))),
                    Route.connect(.handshake(TLSExamples.tls13)),
                ]), expect: .pass, finding: "host name judged by tls.hostname"),
            ProbeExample(
                "self-signed",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(TLSExamples.verify("SSL certificate problem: self-signed certificate", 18))),
                    Route.connect(.handshake(TLSExamples.session([TLSExamples.selfSigned]))),
                ]), expect: .fail, finding: "self-signed"),
            ProbeExample(
                "private root CA",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(
                            TLSExamples.verify(
                                "SSL certificate problem: self-signed certificate in certificate chain", 19))),
                    Route.connect(.handshake(TLSExamples.tls13)),
                ]), expect: .fail, finding: "private/untrusted root"),
            ProbeExample(
                "intermediate not sent: names it",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(
                            TLSExamples.verify("SSL certificate problem: unable to get local issuer certificate", 20))),
                    Route.connect(.handshake(TLSExamples.session([TLSExamples.leaf()]))),
                ]), expect: .fail, finding: "without the intermediate CA certificate that issued it (Example TLS CA R1)"
            ),
            ProbeExample(
                "chain sent up to an intermediate whose issuer is missing",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(
                            TLSExamples.verify("SSL certificate problem: unable to get local issuer certificate", 20))),
                    Route.connect(.handshake(TLSExamples.tls13)),
                ]), expect: .fail, finding: "does not send the certificate of Example Root CA X1"),
            ProbeExample(
                "expired leaf under --insecure: the dates are tls.validity's",
                ExampleSetup(
                    insecure: true,
                    routes: [
                        TLSExamples.verified(
                            .failure(TLSExamples.verify("SSL certificate problem: certificate has expired", 10))),
                        Route.connect(
                            .handshake(
                                TLSExamples.session([
                                    TLSExamples.leaf(
                                        notBefore: "May  3 12:00:00 2025 GMT", notAfter: "May  2 12:00:00 2026 GMT"),
                                    TLSExamples.intermediate(),
                                ]))),
                    ]), expect: .pass, finding: "judged by tls.validity"),
            ProbeExample(
                "expired leaf when tls.validity did not run (it fails and skips this probe otherwise)",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(TLSExamples.verify("SSL certificate problem: certificate has expired", 10))),
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(
                                    notBefore: "May  3 12:00:00 2025 GMT", notAfter: "May  2 12:00:00 2026 GMT")
                            ]))),
                ]), expect: .fail, finding: "validity dates of scim.example.com (see tls.validity)"),
            ProbeExample(
                "1024-bit key when tls.key-size did not run (it fails and skips this probe otherwise)",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(TLSExamples.verify("SSL certificate problem: EE certificate key too weak", 66))),
                    Route.connect(
                        .handshake(
                            TLSExamples.session([TLSExamples.leaf(rsaKeyBits: nil, pem: TLSExamples.rsa1024PEM)]))),
                ]), expect: .fail, finding: "too weak (see tls.key-size)"),
            ProbeExample(
                "expired root the server does not send",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(TLSExamples.verify("SSL certificate problem: certificate has expired", 10))),
                    Route.connect(.handshake(TLSExamples.tls13)),
                ]), expect: .fail, finding: "the server does not send, has expired"),
            ProbeExample(
                "1024-bit key under --insecure: the key is tls.key-size's",
                ExampleSetup(
                    insecure: true,
                    routes: [
                        TLSExamples.verified(
                            .failure(TLSExamples.verify("SSL certificate problem: EE certificate key too weak", 66))),
                        Route.connect(
                            .handshake(
                                TLSExamples.session([TLSExamples.leaf(rsaKeyBits: nil, pem: TLSExamples.rsa1024PEM)]))),
                    ]), expect: .skip, finding: "tls.key-size's finding"),
            ProbeExample(
                "trusted only through --ca-file",
                ExampleSetup(
                    caFile: "/etc/ssl/private-ca.pem",
                    routes: Self.trustedThroughCAFileOnly), expect: .warn, finding: "trusted only through --ca-file"),
            ProbeExample(
                "trusted only through --ca-file, on a local endpoint",
                ExampleSetup(
                    tenantURL: "https://localhost:8443/scim/v2", caFile: "/tmp/test-ca.pem",
                    routes: Self.trustedThroughCAFileOnly, addresses: .success(["127.0.0.1", "::1"])), expect: .pass,
                finding: "local endpoint"),
            ProbeExample(
                "self-signed under --insecure",
                ExampleSetup(
                    insecure: true,
                    routes: [
                        TLSExamples.verified(
                            .failure(TLSExamples.verify("SSL certificate problem: self-signed certificate", 18))),
                        Route.connect(.handshake(TLSExamples.session([TLSExamples.selfSigned]))),
                    ]), expect: .fail, finding: "continuing because of --insecure"),
            ProbeExample(
                "verified handshake fails otherwise",
                ExampleSetup(routes: [
                    TLSExamples.verified(.failure(TLSExamples.reset)), Route.connect(.handshake(TLSExamples.tls13)),
                ]), expect: .fail, finding: "could not be verified"),
            ProbeExample(
                "http URL", ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2"), expect: .skip,
                finding: "no TLS to check"),
        ])

    private static let trustStoreNote =
        "Entra's exact trust store is unconfirmed: Microsoft lists public root CAs (DigiCert, GlobalSign, GoDaddy, "
        + "Comodo, …)."

    func prefetch(_ context: ProbeContext) async {
        let withoutCAFile = context.options.caFile != nil
        await context.prefetchTLS(
            [{ try await $0.tlsVerified() }] + (withoutCAFile ? [{ try await $0.tlsVerifiedWithoutCAFile() }] : []))
    }

    func run(_ context: ProbeContext) async throws -> Verdict {
        if let skip = try TLSProbeSupport.skipForHTTP(context) { return skip }
        switch try await context.tlsVerified() {
        case .success(let response):
            return try await trusted(context, chain: response.tls?.certificates ?? [], hostNameNote: nil)
        case .failure(let error) where Self.isHostNameOnly(error):
            // Host name is checked after the chain, so a name mismatch alone means the chain verified.
            return try await trusted(context, chain: [], hostNameNote: error)
        case .failure(let error):
            let chain = try await harvestedChain(context)
            // Normally tls.validity / tls.key-size fail and block this probe when they are why verification fails;
            // it gets here with such a cause under --insecure (they do not block then) or when they were not run.
            let stale = TLSVerifyCause.isDates(error) ? outOfDates(chain, now: context.now) : nil
            if let stale, context.options.insecure {
                // OpenSSL checks dates last: the chain was built up to a trusted root, only the dates fail.
                return .pass(
                    "the chain leads to a trusted root; verification fails only on the dates of \(stale.displayName) "
                        + "(judged by tls.validity)", evidence: [Evidence.transportError(error)] + chainEvidence(chain))
            }
            if TLSVerifyCause.isWeakLeafKey(error), context.options.insecure, let leaf = chain.first,
                Self.belowEntraMinimum(leaf)
            {
                // OpenSSL checks key strength before trust, so the chain's trust is unknown; the key is tls.key-size's.
                return .skip(
                    "the TLS library rejects the server certificate's key before judging the chain; the key is "
                        + "tls.key-size's finding",
                    evidence: [Evidence.transportError(error)] + chainEvidence(chain))
            }
            let isChainProblem =
                error.kind == .tlsVerify || error.verifyResult != 0
                || error.message.lowercased().contains("certificate")
            var (finding, fix) =
                isChainProblem
                ? classify(error, chain: chain, stale: stale)
                : (
                    "the certificate chain could not be verified: the verified handshake failed (\(error.message))",
                    "See tls.handshake; once the handshake completes, the chain must lead to a publicly trusted root CA."
                )
            if context.options.caFile != nil { finding += ", even with --ca-file" }
            var evidence = [Evidence.transportError(error)]
            if error.verifyResult != 0 { evidence.append(Evidence("OpenSSL verify result", "\(error.verifyResult)")) }
            evidence += chainEvidence(chain)
            let insecure = context.options.insecure
            if insecure { finding += " (continuing because of --insecure)" }
            guard insecure else {
                return TLSProbeSupport.failure(
                    context, finding, evidence: evidence, fix: fix + " " + Self.trustStoreNote)
            }
            return .fail(finding, evidence: evidence, fix: fix + " " + Self.trustStoreNote, blocksDependants: false)
        }
    }

    /// The chain verified (with `--ca-file` if given); tells apart "trusted" from "trusted only through --ca-file".
    private func trusted(_ context: ProbeContext, chain: [CertificateInfo], hostNameNote: TransportError?)
        async throws -> Verdict
    {
        let certificates = chain.isEmpty ? try await harvestedChain(context) : chain
        var evidence = chainEvidence(certificates)
        if let hostNameNote {
            evidence.append(Evidence("host name", "\(hostNameNote.message) (judged by tls.hostname)"))
        }
        evidence.append(Evidence("note", Self.trustStoreNote))
        if let caFile = context.options.caFile,
            case .failure(let error) = try await context.tlsVerifiedWithoutCAFile(),
            !Self.isHostNameOnly(error), error.kind == .tlsVerify || error.verifyResult != 0
        {
            if await context.connectionPlan().localEndpoint {
                return .pass(
                    "trusted through --ca-file \(caFile) (a local endpoint: fine for testing here; Entra needs a chain "
                        + "to a publicly trusted root CA)",
                    evidence: evidence + [Evidence.transportError(error)])
            }
            return .warn(
                "trusted only through --ca-file: without \(caFile) the chain does not verify (\(error.message))",
                evidence: evidence + [Evidence.transportError(error)],
                fix: "Install a server certificate that chains to a publicly trusted root CA, with its intermediate "
                    + "certificates, on the server or proxy that terminates TLS: Entra does not use your --ca-file. "
                    + Self.trustStoreNote)
        }
        let anchor = certificates.last.map { " (it ends at \($0.issuerDisplayName))" } ?? ""
        let finding =
            hostNameNote == nil
            ? "the certificate chain is trusted\(anchor)"
            : "chain trusted\(anchor); host name judged by tls.hostname"
        return .pass(finding, evidence: evidence)
    }

    /// curl reports a host name mismatch with the same code as an untrusted chain; only the text tells them apart.
    static func isHostNameOnly(_ error: TransportError) -> Bool {
        let message = error.message.lowercased()
        guard !message.contains("certificate problem") else { return false }
        return message.contains("no alternative certificate subject name matches")
            || message.contains("subject name does not match") || message.contains("does not match target host")
            || message.contains("hostname mismatch") || error.verifyResult == 62
    }

    /// Finding and remediation for a chain that does not verify, from OpenSSL's verify result and libcurl's text.
    private func classify(_ error: TransportError, chain: [CertificateInfo], stale: CertificateInfo?) -> (
        String, String
    ) {
        let message = error.message.lowercased()
        let code = error.verifyResult
        let publicCA =
            "Install a server certificate issued by a publicly trusted CA, together with its intermediate "
            + "certificates, on the server or the reverse proxy / load balancer that terminates TLS."
        if code == 19 || message.contains("self-signed certificate in certificate chain")
            || message.contains("self signed certificate in certificate chain")
        {
            let root = chain.last.map { " (\($0.issuerDisplayName))" } ?? ""
            return (
                "the certificate chains to a private/untrusted root\(root): Entra requires a publicly trusted root CA",
                publicCA
            )
        }
        if code == 18 || message.contains("self-signed certificate") || message.contains("self signed certificate") {
            return (
                "the certificate is self-signed: Entra rejects a self-signed certificate: it must chain to a publicly "
                    + "trusted root CA", publicCA
            )
        }
        if [2, 20, 21].contains(code) || message.contains("unable to get local issuer")
            || message.contains("unable to verify the first certificate") || message.contains("unable to get issuer")
        {
            var finding = "the chain is incomplete: the server does not send the intermediate certificate(s)"
            if let top = chain.last {
                // The certificate that would continue the chain is the issuer of the last one the server sends.
                finding =
                    chain.count == 1
                    ? "the chain is incomplete: the server sends only its own certificate, without the intermediate "
                        + "CA certificate that issued it (\(top.issuerDisplayName))"
                    : "the chain is incomplete: the server does not send the certificate of "
                        + "\(top.issuerDisplayName), which issued \(top.displayName) (or that CA is not publicly "
                        + "trusted)"
            }
            return (
                finding,
                "Configure the full chain where TLS is terminated: the leaf certificate followed by its intermediate "
                    + "certificate(s) (the CA's \"full chain\" file), leading to a publicly trusted root CA."
            )
        }
        if let stale {
            return (
                "the chain leads to a trusted root but is rejected on the validity dates of \(stale.displayName) "
                    + "(see tls.validity)",
                "Install a certificate that is valid now (dates in tls.validity), with its current intermediates."
            )
        }
        // A stale certificate the server does not send: the root CA this machine completes the chain with.
        if code == 10 || message.contains("has expired") {
            return (
                "the chain is rejected because a certificate it leads to, but the server does not send, has expired "
                    + "(a root CA in this machine's trust store or --ca-file)",
                "Update this machine's CA certificates (or --ca-file); Entra needs the chain to lead to a current, "
                    + "publicly trusted root CA. " + publicCA
            )
        }
        if code == 9 || message.contains("not yet valid") {
            return (
                "the chain is rejected because a certificate it leads to, but the server does not send, is not yet "
                    + "valid (a root CA in this machine's trust store or --ca-file; check this machine's clock)",
                "Check the clock of this machine, and that the chain leads to a current, publicly trusted root CA."
            )
        }
        if code == 66 || message.contains("ee certificate key too weak") {
            return (
                "this machine's TLS library rejects the server certificate's key as too weak (see tls.key-size), so "
                    + "the chain could not be judged further",
                "Reissue the server certificate with an RSA key of at least 2,048 bits or an EC key on P-256 or "
                    + "larger. " + publicCA
            )
        }
        if code == 67 || message.contains("ca certificate key too weak") {
            return (
                "a CA certificate in the chain has a key too weak for this machine's TLS library",
                "Use a chain whose intermediate and root CA keys are at least RSA 2,048 bits or EC P-256. " + publicCA
            )
        }
        if code == 23 || message.contains("revoked") {
            return ("the certificate has been revoked by its CA", publicCA)
        }
        if code == 26 || message.contains("unsupported certificate purpose") {
            return (
                "the certificate is not valid for TLS server authentication (its extended key usage)",
                "Install a certificate issued for server authentication (extended key usage serverAuth). " + publicCA
            )
        }
        return ("the certificate chain is not trusted: \(error.message)", publicCA)
    }

    /// The leaf's key is one tls.key-size fails (RSA below 2,048 bits, EC below 256 bits).
    static func belowEntraMinimum(_ leaf: CertificateInfo) -> Bool {
        switch leaf.publicKeyFacts {
        case .rsa(let bits)?: return bits < TLSKeySizeProbe.minimumRSABits
        case .ec(_, let bits)?: return bits < TLSKeySizeProbe.minimumECBits
        default: return false
        }
    }

    /// The first certificate the server sends that is outside its validity dates now.
    private func outOfDates(_ chain: [CertificateInfo], now: Date) -> CertificateInfo? {
        chain.first { certificate in
            (certificate.validUntil.map { $0 < now } ?? false) || (certificate.validFrom.map { $0 > now } ?? false)
        }
    }

    private func harvestedChain(_ context: ProbeContext) async throws -> [CertificateInfo] {
        if case .certificates(let chain) = try await TLSProbeSupport.harvestedChain(context) { return chain }
        return []
    }

    private func chainEvidence(_ chain: [CertificateInfo]) -> [Evidence] {
        chain.enumerated().map { index, certificate in
            Evidence(
                index == 0 ? "leaf" : "chain[\(index)]",
                "\(certificate.displayName), issued by \(certificate.issuerDisplayName)")
        }
    }
}
