import Foundation

/// `tls.key-size`: the server certificate's key meets Entra's minimum (RSA 2048 bits, ECC 256 bits).
struct TLSKeySizeProbe: Probe {
    let description = ProbeDescription(
        id: "tls.key-size", section: .network, title: "Certificate key is long enough",
        checks: "The server certificate's public key meets Entra's minimum: \"RSA keys must be at least 2,048 bits. "
            + "ECC keys must be at least 256 bits\".",
        rationale:
            "Microsoft: \"RSA keys must be at least 2,048 bits. ECC keys must be at least 256 bits\"; a "
            + "weaker key makes Entra's provisioning service refuse the server.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Security requirements' (key lengths)"
        ],
        dependencies: ["tls.handshake"],
        examples: [
            ProbeExample(
                "RSA 2048 as libcurl reports it",
                ExampleSetup(routes: [
                    Route.connect(.handshake(TLSExamples.session([TLSExamples.leaf(pem: "")])))
                ]), expect: .pass, finding: "RSA 2048 bits"),
            ProbeExample(
                "RSA 2048 read from the certificate",
                ExampleSetup(routes: [
                    Route.connect(.handshake(TLSExamples.session([TLSExamples.leaf(rsaKeyBits: nil)])))
                ]), expect: .pass, finding: "RSA 2048 bits"),
            ProbeExample(
                "EC P-256",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(
                                    algorithm: "id-ecPublicKey", rsaKeyBits: nil, pem: TLSExamples.ecP256PEM)
                            ])))
                ]), expect: .pass, finding: "EC P-256"),
            ProbeExample(
                "EC P-384",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(
                                    algorithm: "id-ecPublicKey", rsaKeyBits: nil, pem: TLSExamples.ecP384PEM)
                            ])))
                ]), expect: .pass, finding: "EC P-384"),
            ProbeExample(
                "RSA 1024",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([TLSExamples.leaf(rsaKeyBits: nil, pem: TLSExamples.rsa1024PEM)])))
                ]), expect: .fail, finding: "RSA 1024-bit"),
            ProbeExample(
                "EC P-224",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(
                                    algorithm: "id-ecPublicKey", rsaKeyBits: nil, pem: TLSExamples.ecP224PEM)
                            ])))
                ]), expect: .fail, finding: "EC P-224"),
            ProbeExample(
                "Ed25519",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(algorithm: "ED25519", rsaKeyBits: nil, pem: TLSExamples.ed25519PEM)
                            ])))
                ]), expect: .skip, finding: "Ed25519"),
            ProbeExample(
                "EC curve not reported",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(algorithm: "id-ecPublicKey", rsaKeyBits: nil, pem: "")
                            ])))
                ]), expect: .skip, finding: "id-ecPublicKey"),
            ProbeExample(
                "http URL", ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2"), expect: .skip,
                finding: "no TLS to check"),
        ])

    static let minimumRSABits = 2_048
    static let minimumECBits = 256
    static let requirement = "\"RSA keys must be at least 2,048 bits. ECC keys must be at least 256 bits\""

    func run(_ context: ProbeContext) async throws -> Verdict {
        // Blocking only when this machine's TLS library rejects the key too: tls.trust is then skipped with a
        // pointer here.
        try await judge(context).blockingOnlyIf(.weakKey, context)
    }

    private func judge(_ context: ProbeContext) async throws -> Verdict {
        if let skip = try TLSProbeSupport.skipForHTTP(context) { return skip }
        let leaf: CertificateInfo
        switch try await TLSProbeSupport.harvestedChain(context) {
        case .unavailable(let verdict): return verdict
        case .certificates(let chain): leaf = chain[0]
        }
        var evidence = [Evidence("certificate", "\(leaf.displayName), issued by \(leaf.issuerDisplayName)")]
        if !leaf.publicKeyAlgorithm.isEmpty {
            evidence.append(Evidence("public key algorithm", leaf.publicKeyAlgorithm))
        }
        let fix =
            "Reissue the server certificate with an RSA key of at least 2,048 bits or an EC key on P-256 or larger, "
            + "and install it on the server or the reverse proxy / load balancer that terminates TLS."
        switch leaf.publicKeyFacts {
        case .rsa(let bits)?:
            evidence.append(Evidence("key", "RSA \(bits) bits"))
            guard bits >= Self.minimumRSABits else {
                return TLSProbeSupport.failure(
                    context, "the certificate has an RSA \(bits)-bit key: Entra requires \(Self.requirement)",
                    evidence: evidence, fix: fix)
            }
            return .pass("RSA \(bits) bits", evidence: evidence)
        case .ec(let curve, let bits)?:
            evidence.append(Evidence("key", "EC \(curve) (\(bits) bits)"))
            guard bits >= Self.minimumECBits else {
                return TLSProbeSupport.failure(
                    context,
                    "the certificate has an EC \(curve) key (\(bits) bits): Entra requires \(Self.requirement)",
                    evidence: evidence, fix: fix)
            }
            return .pass("EC \(curve)", evidence: evidence)
        case .ecUnknownCurve(let oid)?:
            return .skip(
                "the certificate's EC curve is not one this tool knows (\(oid ?? "explicit parameters")), so its size "
                    + "cannot be judged", evidence: evidence)
        case .other(let algorithm)?:
            return .skip(
                "the certificate's key type, \(algorithm), has no size rule of Entra's to check against",
                evidence: evidence)
        case nil:
            let algorithm = leaf.publicKeyAlgorithm.isEmpty ? "an unreported algorithm" : leaf.publicKeyAlgorithm
            return .skip(
                "the key size could not be determined: the key uses \(algorithm) and the TLS library reported "
                    + "neither its size nor a readable certificate", evidence: evidence)
        }
    }
}
