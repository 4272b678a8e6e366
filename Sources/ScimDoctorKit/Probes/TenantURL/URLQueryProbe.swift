import Foundation

/// `url.query`: the Tenant URL's query string holds only Entra's documented feature flags, and no fragment.
struct URLQueryProbe: Probe {
    let description = ProbeDescription(
        id: "url.query", section: .tenantURL, title: "Tenant URL query string holds only Entra flags",
        checks: "A query string in the Tenant URL is Entra's place for the feature flags aadOptscim062020 and "
            + "AzureAdScimPatch2017 only: Entra appends /Users and /Groups to the URL, so anything else is not a way "
            + "to pass settings.",
        rationale:
            "The Tenant URL's query string is where Entra reads its feature flags (aadOptscim062020 for the "
            + "SCIM-compliant PATCH dialect, AzureAdScimPatch2017 for the old one); other parameters are no "
            + "documented way to configure the application, and whether Entra forwards the query on its /Users "
            + "and /Groups requests is unconfirmed.",
        sources: [
            "Microsoft: Known issues and resolutions with SCIM 2.0 protocol compliance "
                + "(application-provisioning-config-problem-scim-compatibility), 'Flags to alter the SCIM behavior'",
            "3rd-party: vendors document the flag as a bare query parameter, e.g. …/scim/v2?aadOptscim062020 "
                + "(MicrosoftDocs/entra-docs#949)",
        ],
        dependencies: ["url.syntax"],
        // Every fix names the one corrected Tenant URL, which takes in what these network probes find.
        runsAfter: ["test-connection.base-path", "tls.handshake"],
        examples: [
            ProbeExample("no query", expect: .pass, finding: "no query string"),
            ProbeExample(
                "SCIM-compliant flag", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2?aadOptscim062020"),
                expect: .pass, finding: "SCIM-compliant PATCH"),
            ProbeExample(
                "flag with a value", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2?aadOptscim062020=1"),
                expect: .pass, finding: "documented form is the bare name"),
            ProbeExample(
                "2017 flag", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2?AzureAdScimPatch2017"),
                expect: .pass, finding: "older, non-compliant PATCH"),
            ProbeExample(
                "both flags",
                ExampleSetup(tenantURL: "https://scim.example.com/scim/v2?aadOptscim062020&AzureAdScimPatch2017"),
                expect: .warn, finding: "contradictory"),
            ProbeExample(
                "flag in another letter case",
                ExampleSetup(tenantURL: "https://scim.example.com/scim/v2?aadoptscim062020"),
                expect: .warn, finding: "letter case"),
            ProbeExample(
                "flag set to false", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2?aadOptscim062020=false"),
                expect: .warn, finding: "=false"),
            ProbeExample(
                "unknown parameter", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2?tenant=acme"),
                expect: .fail, finding: "unknown query parameter \"tenant\""),
            ProbeExample(
                "fragment", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2#users"), expect: .fail,
                finding: "fragment"),
            ProbeExample(
                "empty query", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2?"), expect: .warn,
                finding: "empty query string"),
        ])

    private static let forwarding =
        "whether Entra forwards the query string on its /Users and /Groups requests is unconfirmed"

    func run(_ context: ProbeContext) async throws -> Verdict {
        let tenant = try context.requireTenant()
        guard tenant.query != nil || tenant.fragment != nil else {
            return .pass("No query string: Entra's default SCIM client behaviour applies.")
        }
        // What the flags do (the finding of a pass, evidence otherwise), and what is wrong.
        var meanings: [String] = []
        var problems: [(status: Status, text: String)] = []
        var fixes: [String] = []
        var evidence: [Evidence] = []
        if let query = tenant.query { evidence.append(Evidence("query", "?" + query)) }
        if let fragment = tenant.fragment { evidence.append(Evidence("fragment", "#" + fragment)) }

        let items = (tenant.query ?? "").split(separator: "&", omittingEmptySubsequences: true).map(String.init)
        if tenant.query != nil && items.isEmpty {
            problems.append((.warn, "an empty query string (\"?\" with nothing after it)"))
            fixes.append("Remove the trailing \"?\" from the Tenant URL.")
        }
        var seen: Set<String> = []
        var unknown: [String] = []
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            let value = parts.count > 1 ? parts[1] : nil
            guard let flag = EntraFlag.documented(name) else {
                unknown.append(name)
                continue
            }
            seen.insert(flag)
            meanings.append(Self.meaning(flag))
            if name != flag {
                problems.append(
                    (
                        .warn,
                        "\"\(name)\" differs in letter case from the documented \(flag) (unconfirmed whether "
                            + "Entra matches flag names case-insensitively)"
                    ))
                fixes.append("Write the flag exactly as \(flag).")
            }
            guard let value else { continue }
            if Self.turnsOff(value) {
                problems.append(
                    (
                        .warn,
                        "\(name)=\(value) may still turn the flag on: the documented form is the bare name, "
                            + "and whether Entra reads a value is unconfirmed"
                    ))
                fixes.append("To turn \(flag) off, remove it from the Tenant URL rather than setting it to \(value).")
            } else {
                meanings.append(
                    "\(name)=\(value) is accepted here, but the documented form is the bare name (?\(flag))")
            }
        }
        if seen.count == 2 {
            problems.append(
                (
                    .warn,
                    "both \(EntraFlag.compliant) and \(EntraFlag.legacy) are set, which is contradictory "
                        + "(one opts into the SCIM-compliant PATCH requests, the other keeps the old ones)"
                ))
            fixes.append(
                "Keep only the flag the application documents: \(EntraFlag.compliant) for SCIM-compliant PATCH "
                    + "requests, \(EntraFlag.legacy) for the old ones.")
        }
        if !unknown.isEmpty {
            let names = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            problems.append(
                (
                    .fail,
                    "unknown query parameter\(unknown.count == 1 ? "" : "s") \(names): Entra appends /Users and "
                        + "/Groups to the Tenant URL, and a query string is not a way to pass settings "
                        + "(\(Self.forwarding))"
                ))
            fixes.append(
                "Remove \(names) from the query string; an organisation or tenant id belongs in the path if the "
                    + "application documents one (check its SCIM settings page for the exact Tenant URL).")
        }
        if tenant.fragment != nil {
            problems.append(
                (
                    .fail,
                    "a fragment (\"#…\"), which is never sent to a server: a /Users appended after it would be "
                        + "dropped too (how Entra joins paths is unconfirmed)"
                ))
            fixes.append("Remove the \"#\" and everything after it.")
        }

        guard !problems.isEmpty else {
            return .pass(Self.capitalised(meanings.joined(separator: "; ")) + ".", evidence: evidence)
        }
        evidence += meanings.map { Evidence("flag", $0) }
        let finding = problems.map(\.text).joined(separator: "; ")
        let fix =
            "In \(EntraPortal.tenantURL): "
            + fixes.joined(separator: " ") + " The corrected Tenant URL: \(try await context.correctedTenantURL().url)"
        if problems.contains(where: { $0.status == .fail }) {
            return .fail("Tenant URL: \(finding).", evidence: evidence, fix: fix)
        }
        return .warn("Tenant URL: \(finding).", evidence: evidence, fix: fix)
    }

    /// Whether a flag's value reads as "off" (which may still turn it on: the documented form is the bare name).
    static func turnsOff(_ value: String?) -> Bool {
        value.map { ["0", "false", "no", "off"].contains($0.lowercased()) } ?? false
    }

    static func meaning(_ flag: String) -> String {
        flag == EntraFlag.compliant
            ? "?\(EntraFlag.compliant) opts into Entra's SCIM-compliant PATCH requests: lower-case ops, a boolean "
                + "\"active\": false, one path-less replace for several attributes, and member removal by "
                + "members[value eq \"…\"]; it does not work with on-demand provisioning"
            : "?\(EntraFlag.legacy) keeps (or restores) Entra's older, non-compliant PATCH requests: capitalised ops, "
                + "\"active\": \"False\" as a string, one replace per attribute"
    }

    private static func capitalised(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}
