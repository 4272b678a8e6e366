import Foundation

/// `tls.validity`: the server certificate (and the rest of the chain it sends) is within its validity period.
struct TLSValidityProbe: Probe {
    static let warningDays = 30

    let description = ProbeDescription(
        id: "tls.validity", section: .network, title: "Certificate is within its validity period",
        checks: "The server certificate and the chain certificates it sends are neither expired nor not yet valid, "
            + "and the certificate does not expire within 30 days: Entra rejects an expired certificate.",
        rationale:
            "An expired certificate breaks provisioning with a connection error the next time Entra "
            + "connects, and the job goes into quarantine after repeated failures; a certificate that expires "
            + "within 30 days is flagged so it can be renewed first.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Security requirements'",
            "Microsoft: Application provisioning in quarantine status "
                + "(application-provisioning-quarantine-status)",
            "RFC 5280 §4.1.2.5 (validity)",
        ],
        dependencies: ["tls.handshake"],
        examples: [
            ProbeExample(
                "valid for months", ExampleSetup(routes: [Route.connect(.handshake(TLSExamples.tls13))]),
                expect: .pass, finding: "valid until 2027-01-10"),
            ProbeExample(
                "expires in 10 days",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(notAfter: "Jun 11 12:00:00 2026 GMT"), TLSExamples.intermediate(),
                            ])))
                ]), expect: .warn, finding: "in 10 days"),
            ProbeExample(
                "expired",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(
                                    notBefore: "May  3 12:00:00 2025 GMT", notAfter: "May  2 12:00:00 2026 GMT")
                            ])))
                ]), expect: .fail, finding: "expired on 2026-05-02 12:00 UTC, 29 days ago"),
            ProbeExample(
                "not yet valid",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(TLSExamples.session([TLSExamples.leaf(notBefore: "Jul  1 00:00:00 2026 GMT")])))
                ]), expect: .fail, finding: "not yet valid"),
            ProbeExample(
                "intermediate expired",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(),
                                TLSExamples.intermediate(
                                    notBefore: "Mar 13 00:00:00 2021 GMT", notAfter: "Mar 12 23:59:59 2026 GMT"),
                            ])))
                ]), expect: .fail, finding: "chain certificate Example TLS CA R1 expired"),
            ProbeExample(
                "dates in another backend's format",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(
                                    notBefore: "2026-01-10 00:00:00 GMT", notAfter: "2026-12-01 00:00:00 GMT")
                            ])))
                ]), expect: .pass, finding: "(183 days)"),
            ProbeExample(
                "dates read from the certificate (valid from 2026-11-29)",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(
                            TLSExamples.session([
                                TLSExamples.leaf(notBefore: "", notAfter: "", pem: TLSExamples.ecP256PEM)
                            ])))
                ]), expect: .fail, finding: "valid from 2026-11-29 20:40 UTC"),
            ProbeExample(
                "unreadable dates",
                ExampleSetup(routes: [
                    Route.connect(
                        .handshake(TLSExamples.session([TLSExamples.leaf(notBefore: "?", notAfter: "?", pem: "")])))
                ]), expect: .skip, finding: "could not be read"),
            ProbeExample(
                "http URL", ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2"), expect: .skip,
                finding: "no TLS to check"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        // Blocking only when the dates are why verification fails: tls.trust is then skipped with a pointer here.
        try await judge(context).blockingOnlyIf(.dates, context)
    }

    private func judge(_ context: ProbeContext) async throws -> Verdict {
        if let skip = try TLSProbeSupport.skipForHTTP(context) { return skip }
        let chain: [CertificateInfo]
        switch try await TLSProbeSupport.harvestedChain(context) {
        case .unavailable(let verdict): return verdict
        case .certificates(let certificates): chain = certificates
        }
        let leaf = chain[0]
        guard let from = leaf.validFrom, let until = leaf.validUntil else {
            return .skip(
                "the certificate's validity dates could not be read",
                evidence: [Evidence("notBefore", leaf.notBefore), Evidence("notAfter", leaf.notAfter)])
        }
        let now = context.now
        var evidence = [
            Evidence("leaf", "\(leaf.displayName), valid \(format(from)) – \(format(until))"),
            Evidence("local clock", format(now)),
        ]
        for (index, certificate) in chain.enumerated().dropFirst() {
            let range = [certificate.validFrom, certificate.validUntil].map { $0.map(format) ?? "?" }
            evidence.append(Evidence("chain[\(index)]", "\(certificate.displayName), valid \(range[0]) – \(range[1])"))
        }
        let renew =
            "Renew the certificate and install it, with its intermediate certificates, on the server or the reverse "
            + "proxy / load balancer that terminates TLS."
        if until < now {
            return TLSProbeSupport.failure(
                context, "the server certificate expired on \(format(until)), \(ago(until, now))", evidence: evidence,
                fix: renew)
        }
        if from > now {
            return TLSProbeSupport.failure(
                context,
                "the server certificate is not yet valid: valid from \(format(from)) (check this machine's clock "
                    + "and the server's)",
                evidence: evidence,
                fix: "Check the clocks of this machine and of the server; if they are right, install a certificate "
                    + "that is valid now on the server or proxy that terminates TLS.")
        }
        for certificate in chain.dropFirst() {
            if let end = certificate.validUntil, end < now {
                return TLSProbeSupport.failure(
                    context,
                    "the chain certificate \(certificate.displayName) expired on \(format(end)), \(ago(end, now)); "
                        + "clients that cannot build another path reject the chain",
                    evidence: evidence,
                    fix: "Replace the expired intermediate in the chain file of the server or proxy that terminates "
                        + "TLS with the CA's current one (download the current chain from the CA).")
            }
            if let start = certificate.validFrom, start > now {
                return TLSProbeSupport.failure(
                    context,
                    "the chain certificate \(certificate.displayName) is not yet valid: valid from \(format(start))",
                    evidence: evidence,
                    fix: "Check the clocks of this machine and of the server, and that the chain file holds the "
                        + "CA's current intermediate.")
            }
        }
        let daysLeft = CertificateDate.days(from: now, to: until)
        if daysLeft < Self.warningDays {
            return .warn(
                "the server certificate expires on \(format(until)), in \(daysLeft) day\(daysLeft == 1 ? "" : "s")",
                evidence: evidence, fix: renew + " Entra's provisioning stops when it expires.")
        }
        for certificate in chain.dropFirst() {
            if let end = certificate.validUntil, CertificateDate.days(from: now, to: end) < Self.warningDays {
                let days = CertificateDate.days(from: now, to: end)
                return .warn(
                    "the chain certificate \(certificate.displayName) expires on \(format(end)), in \(days) days",
                    evidence: evidence,
                    fix: "Update the intermediate certificates in the chain file of the server or proxy that "
                        + "terminates TLS to the CA's current ones.")
            }
        }
        return .pass("valid until \(format(until)) (\(daysLeft) days)", evidence: evidence)
    }

    private func format(_ date: Date) -> String { UTCDate.minutes(date) }

    private func ago(_ date: Date, _ now: Date) -> String {
        let days = CertificateDate.days(from: date, to: now)
        switch days {
        case 0: return "less than a day ago"
        case 1: return "1 day ago"
        default: return "\(days) days ago"
        }
    }
}
