import Foundation

/// `net.dns`: the Tenant URL's host resolves, to at least one address Entra's cloud service can reach.
struct DNSProbe: Probe {
    let description = ProbeDescription(
        id: "net.dns", section: .network, title: "Host name resolves to a public address",
        checks: "The Tenant URL's host resolves, and to a public address: Entra's provisioning service runs in "
            + "Microsoft's cloud and cannot reach private, loopback or link-local addresses.",
        rationale:
            "Entra's provisioning service runs in Microsoft's cloud: it resolves the host with public DNS "
            + "and cannot reach private, loopback or link-local addresses. Such endpoints need Microsoft's "
            + "on-premises provisioning agent instead of a direct Tenant URL.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'IP Ranges' (the AzureActiveDirectory service tag)",
            "Microsoft: Troubleshoot on-premises application provisioning (on-premises-ecma-troubleshoot), "
                + "'Understand incoming SCIM requests'",
            "RFC 6890 (special-purpose IP address registries), RFC 1918 (private addresses)",
        ],
        dependencies: ["url.syntax"],
        examples: [
            ProbeExample("public address", expect: .pass, finding: "203.0.113.10"),
            ProbeExample(
                "public IP literal", ExampleSetup(tenantURL: "https://203.0.113.10/scim/v2"), expect: .pass,
                finding: "IP literal, no DNS"),
            ProbeExample(
                "public and private addresses", ExampleSetup(addresses: .success(["203.0.113.10", "10.1.2.3"])),
                expect: .pass, finding: "10.1.2.3 (private)"),
            ProbeExample(
                "does not resolve", ExampleSetup(addresses: .failure(TLSExamples.resolve)), expect: .fail,
                finding: "scim.example.com does not resolve"),
            ProbeExample(
                "this machine's resolver does not answer",
                ExampleSetup(
                    addresses: .failure(
                        TransportError(kind: .resolve, code: 6, message: "Temporary failure in name resolution"))),
                expect: .fail, finding: "failed on this machine"),
            ProbeExample(
                "resolves to nothing", ExampleSetup(addresses: .success([])), expect: .fail,
                finding: "does not resolve"),
            ProbeExample(
                "private addresses only", ExampleSetup(addresses: .success(["10.20.0.4", "fd12:3456::4"])),
                expect: .warn, finding: "resolves only to private"),
            ProbeExample(
                "carrier-grade NAT address", ExampleSetup(addresses: .success(["100.64.12.7"])), expect: .warn,
                finding: "carrier-grade NAT"),
            ProbeExample(
                "loopback Tenant URL (local testing)",
                ExampleSetup(tenantURL: "http://localhost:8080/scim/v2", addresses: .success(["127.0.0.1", "::1"])),
                expect: .pass, finding: "local endpoint"),
            ProbeExample(
                "loopback IP literal", ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2"), expect: .pass,
                finding: "IP literal, no DNS"),
            ProbeExample(
                "loopback and a private address", ExampleSetup(addresses: .success(["127.0.0.1", "10.0.0.7"])),
                expect: .warn, finding: "loopback / private"),
            ProbeExample(
                "plain http to a public address: the token is not sent",
                ExampleSetup(tenantURL: "http://scim.example.com/scim/v2"), expect: .fail,
                finding: "does not send the Secret Token in clear text"),
            ProbeExample(
                "plain http to a name that only looks like loopback",
                ExampleSetup(tenantURL: "http://127.evil.example/scim/v2", addresses: .success(["203.0.113.66"])),
                expect: .fail, finding: "not only this machine (203.0.113.66)"),
            ProbeExample(
                "plain http to a private service host",
                ExampleSetup(tenantURL: "http://scim-app:8080/scim/v2", addresses: .success(["172.18.0.5"])),
                expect: .fail, finding: "not only this machine"),
            ProbeExample(
                "plain http, --allow-http",
                ExampleSetup(
                    tenantURL: "http://scim-app:8080/scim/v2", allowHTTP: true, addresses: .success(["172.18.0.5"])),
                expect: .warn, finding: "private"),
            ProbeExample(
                "plain http to a decimal spelling of loopback",
                ExampleSetup(tenantURL: "http://2130706433:8080/v2", addresses: .success(["127.0.0.1"])),
                expect: .pass, finding: "local endpoint"),
            ProbeExample(
                "link-local address", ExampleSetup(addresses: .success(["169.254.10.1", "fe80::1%eth0"])),
                expect: .warn, finding: "link-local"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let tenant = try context.requireTenant()
        // (A name that does not resolve is that failure, below; the token is refused for it all the same.)
        let resolved = IPAddress(tenant.host) != nil ? [tenant.host] : (try? await context.addresses().get()) ?? []
        if let refusal = await context.connectionPlan().tokenRefusal, !resolved.isEmpty {
            let addresses = resolved
            return .fail(
                "Not sent: \(refusal); no probe that needs the token runs",
                evidence: [Evidence("host", tenant.host), Evidence("addresses", addresses.joined(separator: ", "))],
                fix: "Use the https:// Tenant URL (Entra only connects over TLS anyway). To test a service host over "
                    + "plain http on purpose (CI against http://scim-app:8080), pass --allow-http: the token then "
                    + "crosses the network readable by anyone on the path.")
        }
        if let literal = IPAddress(tenant.host) {
            let evidence = [Evidence("host", "\(tenant.host) (\(literal.scope.rawValue) address)")]
            guard literal.scope.isPublic else {
                return unreachable(
                    "IP literal, no DNS: \(tenant.host) is a \(literal.scope.rawValue) address Entra cannot reach",
                    evidence: evidence, loopback: literal.scope == .loopback)
            }
            return .pass("IP literal, no DNS: \(tenant.host) is a public address", evidence: evidence)
        }
        let fix =
            "Check the host name in the Tenant URL (\(EntraPortal.tenantURL)) against the one on the application's SCIM settings page; the host "
            + "needs a public DNS record (A or AAAA) that Microsoft's cloud can resolve."
        switch try await context.addresses() {
        case .failure(let error) where Self.lookupUnavailable(error):
            // This machine's resolver did not answer: that says nothing about whether the name exists.
            return .fail(
                "the lookup of \(tenant.host) failed on this machine (\(error.message)): its DNS may be down, so "
                    + "this does not show whether the name exists",
                evidence: [Evidence("host", tenant.host), .transportError(error)],
                fix: "Check this machine's DNS (resolv.conf, VPN, proxy) and run the check again; Entra resolves the "
                    + "host from Microsoft's cloud, where it needs a public DNS record (A or AAAA).")
        case .failure(let error):
            return .fail(
                "\(tenant.host) does not resolve", evidence: [Evidence("host", tenant.host), .transportError(error)],
                fix: fix)
        case .success(let addresses) where addresses.isEmpty:
            return .fail(
                "\(tenant.host) does not resolve: the lookup returned no address",
                evidence: [Evidence("host", tenant.host)], fix: fix)
        case .success(let addresses):
            let parsed = addresses.map { ($0, IPAddress($0)) }
            // An address that does not parse cannot be classified: count it as reachable rather than guess.
            let listing = parsed.map { text, ip in
                guard let ip, !ip.scope.isPublic else { return text }
                return "\(text) (\(ip.scope.rawValue))"
            }
            let evidence = [Evidence("addresses", listing.joined(separator: ", "))]
            let unreachable = parsed.compactMap { $0.1 }.filter { !$0.scope.isPublic }
            if unreachable.count == addresses.count {
                let kinds = orderedUnique(unreachable.map(\.scope.rawValue)).joined(separator: " / ")
                return self.unreachable(
                    "\(tenant.host) resolves only to \(kinds) addresses (\(addresses.joined(separator: ", "))), "
                        + "which Entra cannot reach",
                    evidence: evidence, loopback: unreachable.allSatisfy { $0.scope == .loopback })
            }
            let plural = addresses.count == 1 ? "" : "es"
            return .pass(
                "\(tenant.host) resolves to \(addresses.count) address\(plural): \(listing.joined(separator: ", "))",
                evidence: evidence)
        }
    }

    /// Not reachable from Microsoft's cloud. Loopback only is a local endpoint: expected on a developer's machine
    /// or in CI, so it passes, saying so (the report's header says it once); anything else private warns.
    private func unreachable(_ finding: String, evidence: [Evidence], loopback: Bool) -> Verdict {
        if loopback {
            return .pass(
                finding + " (a local endpoint: fine for testing here; Entra needs a public address)", evidence: evidence
            )
        }
        return .warn(
            finding, evidence: evidence,
            fix: "Publish the SCIM endpoint on a public address (allowing inbound HTTPS from the AzureActiveDirectory "
                + "service tag) and put that host name in the Tenant URL (\(EntraPortal.tenantURL)), or, for an "
                + "endpoint that must stay private, use the Microsoft Entra on-premises provisioning agent: Entra's "
                + "provisioning service runs in Microsoft's cloud and cannot reach private, loopback or link-local "
                + "addresses.")
    }

    private func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// getaddrinfo's "try again" answers (EAI_AGAIN, a timeout, a failing server) rather than "no such name".
    static func lookupUnavailable(_ error: TransportError) -> Bool {
        let message = error.message.lowercased()
        return ["temporary failure", "timed out", "try again", "server failure"].contains { message.contains($0) }
    }
}
