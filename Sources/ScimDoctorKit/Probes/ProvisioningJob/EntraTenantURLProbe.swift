import Foundation

/// `entra.tenant-url`: the Tenant URL Entra stored (`BaseAddress`) is the one the application documents.
struct EntraTenantURLProbe: Probe {
    let description = ProbeDescription(
        id: "entra.tenant-url", section: .provisioningJob, title: "Stored Tenant URL",
        checks: "Entra has a Tenant URL saved (the BaseAddress secret) without copy-paste artifacts; with "
            + "--expected-url (or, joined, the URL checked) it is exactly that value, every difference named "
            + "(trailing slash, letter case, the aadOptscim062020 flag).",
        rationale:
            "The Tenant URL Entra calls is the one saved under Admin Credentials, which may differ from the one "
            + "the admin believes was pasted; Entra appends paths to it as it is.",
        sources: [
            "Microsoft Graph: synchronizationSecretKeyStringValuePair "
                + "(synchronization-synchronizationsecretkeystringvaluepair), BaseAddress",
            "Microsoft: Skip deletion of out of scope users (skip-out-of-scope-deletions), reading the secrets "
                + "(GET /beta/servicePrincipals/{id}/synchronization/secrets; the read's permission is "
                + "undocumented, unconfirmed)",
        ],
        dependencies: ["entra.sp"],
        examples: [
            ProbeExample("saved", GraphExampleTenant().setup(), expect: .pass, finding: "scim.example.com"),
            ProbeExample(
                "as documented", GraphExampleTenant().setup(expectedURL: ExampleSetup.defaultTenantURL),
                expect: .pass, finding: "exactly"),
            ProbeExample(
                "trailing slash", GraphExampleTenant().setup(expectedURL: ExampleSetup.defaultTenantURL + "/"),
                expect: .fail, finding: "trailing slash"),
            ProbeExample(
                "flag added in Entra",
                GraphExampleTenant.with(expectedURL: ExampleSetup.defaultTenantURL) {
                    $0.secrets[0].1 = ExampleSetup.defaultTenantURL + "?aadOptscim062020"
                }, expect: .warn, finding: "aadOptscim062020"),
            ProbeExample(
                "joined run, the checked URL",
                {
                    var setup = GraphExampleTenant.with { $0.secrets[0].1 = "https://scim.example.com/SCIM/v2" }
                    setup.tenantURL = ExampleSetup.defaultTenantURL
                    return setup
                }(), expect: .fail, finding: "path letter case"),
            ProbeExample(
                "a trailing space stored",
                GraphExampleTenant.with { $0.secrets[0].1 = ExampleSetup.defaultTenantURL + " " },
                expect: .fail, finding: "copy-paste artifacts"),
            ProbeExample(
                "none saved",
                GraphExampleTenant.with { $0.secrets = [("SyncAll", "false")] }, expect: .fail, finding: "no Tenant URL"
            ),
            ProbeExample(
                "denied",
                GraphExampleTenant.denying("secrets"), expect: .skip,
                finding: "unconfirmed"),
        ])

    /// Which permission reads the secrets is undocumented (entra-graph.md §1.6).
    static let secretsPermission =
        "a permission Microsoft does not document (third-party tools use Directory.Read.All or "
        + "Application.ReadWrite.All; unconfirmed)"

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let (read, secrets) = try await context.synchronizationSecrets() else {
            return GraphVerdicts.noApplication
        }
        guard let secrets else {
            return GraphVerdicts.refused(read, reading: "the provisioning secrets", needs: Self.secretsPermission)
        }
        guard let stored = secrets.baseAddress, !stored.isEmpty else {
            return .fail(
                "Entra has no Tenant URL saved (no BaseAddress among the provisioning secrets)",
                evidence: GraphVerdicts.evidence(read),
                fix: "Paste the application's Tenant URL into \(EntraPortal.tenantURL), Test Connection, then Save.")
        }
        // Query values that are not Entra's flags may be API keys: shown as "…", as for the Tenant URL given.
        let shown = PrintableText.line(Redactor(entries: TenantURL(stored)?.secrets ?? []).redact(stored))
        var evidence = [Evidence("Tenant URL in Entra (BaseAddress)", shown)]
        for flag in [EntraFlag.compliant, EntraFlag.legacy] where stored.lowercased().contains(flag.lowercased()) {
            evidence.append(Evidence("Entra flag", flag))
        }
        // What the Tenant URL probes judge in the URL given, judged in the one Entra stored too.
        let (cleaned, artifacts) = TenantURL.pasteArtifacts(in: stored)
        if !artifacts.isEmpty {
            let described = artifacts.prefix(3).map(URLPasteArtifactsProbe.describe)
            return .fail(
                "Entra's stored Tenant URL carries copy-paste artifacts: \(described.joined(separator: "; "))",
                evidence: evidence + [Evidence("cleaned", PrintableText.line(cleaned))],
                fix: "Paste \(cleaned.isEmpty ? "the application's SCIM base URL" : PrintableText.line(cleaned)) into "
                    + "\(EntraPortal.tenantURL), replacing the whole field; Test Connection, Save, then "
                    + "\(EntraPortal.restartProvisioning).")
        }
        // A joined run (check URL --tenant …) compares with the URL it checks, unless --expected-url says otherwise.
        let checked = context.options.tenantURL.isEmpty ? nil : context.options.tenantURL
        guard let expected = context.options.expectedURL ?? checked else {
            return .pass("Entra calls \(shown)", evidence: evidence)
        }
        evidence.append(
            Evidence(
                context.options.expectedURL == nil ? "checked (check's Tenant URL)" : "expected (--expected-url)",
                PastedText.visible(expected)))
        guard stored != expected else {
            return .pass("Entra's Tenant URL is exactly the application's value", evidence: evidence)
        }
        let index = zip(stored.unicodeScalars, expected.unicodeScalars).prefix { $0 != $1 }.count
        var finding =
            "Entra's Tenant URL differs from the application's at position \(index + 1): "
            + URLExpectedMatchProbe.kind(stored, expected, at: index)
        for flag in [EntraFlag.compliant, EntraFlag.legacy] {
            let (inEntra, inApp) = (
                stored.lowercased().contains(flag.lowercased()), expected.lowercased().contains(flag.lowercased())
            )
            if inEntra != inApp {
                finding += "; \(inEntra ? "Entra's" : "the application's") carries \(flag), the other does not"
            }
        }
        if let a = TenantURL(stored), let b = TenantURL(expected), a.origin == b.origin, a.path == b.path,
            Self.nonFlagQuery(a) == Self.nonFlagQuery(b)
        {
            return .warn(
                finding + ": only Entra's flags differ, which choose the PATCH requests Entra sends",
                evidence: evidence,
                fix: "Keep the flag only if the application expects Entra's SCIM-compliant PATCH (aadOptscim062020); "
                    + "otherwise paste the application's value into \(EntraPortal.tenantURL), Test Connection, Save.")
        }
        return .fail(
            finding, evidence: evidence,
            fix: "Paste the application's value exactly (\(URLExpectedMatchProbe.pasteable(expected))) into "
                + "\(EntraPortal.tenantURL), Test Connection, Save, then \(EntraPortal.restartProvisioning).")
    }

    /// The query's parameters other than Entra's flags, in order.
    static func nonFlagQuery(_ url: TenantURL) -> [Substring] {
        (url.query ?? "").split(separator: "&").filter {
            EntraFlag.documented($0.split(separator: "=").first ?? "") == nil
        }
    }
}
