import Foundation

/// `tls.trust`: the certificate chain verifies against the public trust store, as Entra requires.
struct TLSTrustProbe: Probe {
    let description = ProbeDescription(
        id: "tls.trust", section: .network, title: "Certificate chain is publicly trusted",
        checks: "The server's certificate chain verifies against the system's public trust store: Entra requires a "
            + "server certificate that chains to a publicly trusted root CA, and rejects self-signed or private ones.",
        dependencies: ["tls.handshake"],
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
                "intermediate not sent",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(
                            TLSExamples.verify("SSL certificate problem: unable to get local issuer certificate", 20))),
                    Route.connect(.handshake(TLSExamples.session([TLSExamples.leaf()]))),
                ]), expect: .fail, finding: "does not send the intermediate"),
            ProbeExample(
                "expired certificate",
                ExampleSetup(routes: [
                    TLSExamples.verified(
                        .failure(TLSExamples.verify("SSL certificate problem: certificate has expired", 10))),
                    Route.connect(.handshake(TLSExamples.tls13)),
                ]), expect: .fail, finding: "see tls.validity"),
            ProbeExample(
                "trusted only through --ca-file",
                ExampleSetup(
                    caFile: "/etc/ssl/private-ca.pem",
                    routes: [
                        TLSExamples.verified(.handshake(TLSExamples.tls13), caFile: true),
                        TLSExamples.verified(
                            .failure(
                                TLSExamples.verify(
                                    "SSL certificate problem: unable to get local issuer certificate", 20)),
                            caFile: false),
                        Route.connect(.handshake(TLSExamples.tls13)),
                    ]), expect: .warn, finding: "trusted only through --ca-file"),
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
            let isChainProblem =
                error.kind == .tlsVerify || error.verifyResult != 0
                || error.message.lowercased().contains("certificate")
            var (finding, fix) =
                isChainProblem
                ? classify(error, chain: chain)
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
            return .fail(finding, evidence: evidence, fix: fix + " " + Self.trustStoreNote, blocksDependants: !insecure)
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
            case .failure(let error) = try await context.connect(tls: TLSOptions(verify: true)),
            !Self.isHostNameOnly(error), error.kind == .tlsVerify || error.verifyResult != 0
        {
            return .warn(
                "trusted only through --ca-file: without \(caFile) the chain does not verify (\(error.message))",
                evidence: evidence + [Evidence.transportError(error)],
                fix: "Entra does not use your --ca-file. Install a server certificate that chains to a publicly "
                    + "trusted root CA, with its intermediate certificates, on the server or proxy that terminates "
                    + "TLS. " + Self.trustStoreNote)
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
    private func classify(_ error: TransportError, chain: [CertificateInfo]) -> (String, String) {
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
            if chain.count > 1, let top = chain.last {
                finding += " (or the chain ends at a CA that is not publicly trusted: \(top.issuerDisplayName))"
            }
            return (
                finding,
                "Configure the full chain where TLS is terminated: the leaf certificate followed by its intermediate "
                    + "certificate(s) (the CA's \"full chain\" file), leading to a publicly trusted root CA."
            )
        }
        if code == 10 || message.contains("has expired") {
            return (
                "the chain is rejected because a certificate has expired (see tls.validity)",
                "Renew the expired certificate (dates in tls.validity) and install it with its current intermediates."
            )
        }
        if code == 9 || message.contains("not yet valid") {
            return (
                "the chain is rejected because a certificate is not yet valid (see tls.validity)",
                "Check the clocks of this machine and of the server, or install a certificate that is valid now."
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
