import Foundation

/// `url.path`: the Tenant URL is a base Entra can append `/Users` and `/Groups` to, not a resource URL.
struct URLPathProbe: Probe {
    let description = ProbeDescription(
        id: "url.path", section: .tenantURL, title: "Tenant URL path is a SCIM base",
        checks: "The Tenant URL's path is the SCIM base (e.g. /scim/v2), not a resource such as /Users: Entra appends "
            + "/Users and /Groups itself.",
        rationale:
            "Entra appends /Users and /Groups to the Tenant URL itself, so a Tenant URL that already ends in "
            + "a resource path sends every request to …/Users/Users and Test Connection gets a 404 (\"ensure "
            + "that the tenant URL is correct\").",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Handling provisioning and deprovisioning of users' "
                + "(request URLs are the Tenant URL plus /Users, /Groups)",
            "Microsoft: Application provisioning in quarantine status "
                + "(application-provisioning-quarantine-status), 'SCIM Compliance issue' (404 instead of 200)",
            "RFC 7644 §3.2 (SCIM endpoints /Users and /Groups under the base URI)",
        ],
        dependencies: ["url.syntax"],
        // Every fix names the one corrected Tenant URL, which takes in what these network probes find.
        runsAfter: ["test-connection.base-path", "tls.handshake"],
        examples: [
            ProbeExample("base path", expect: .pass, finding: "/scim/v2/Users"),
            ProbeExample(
                "trailing slash", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2/"), expect: .warn,
                finding: "ends with a slash"),
            ProbeExample(
                "ends in /Users", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2/Users"), expect: .fail,
                finding: "/Users/Users"),
            ProbeExample(
                "ends in /groups/", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2/groups/"),
                expect: .fail, finding: "ends in /groups"),
            ProbeExample(
                "a single user", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2/Users/2819c223"),
                expect: .fail, finding: "ends in /Users/2819c223"),
            ProbeExample(
                "discovery endpoint", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2/ServiceProviderConfig"),
                expect: .fail, finding: "ends in /ServiceProviderConfig"),
            ProbeExample(
                "schemas endpoint",
                ExampleSetup(tenantURL: "https://scim.example.com/scim/v2/Schemas?aadOptscim062020"),
                expect: .fail, finding: "ends in /Schemas"),
            ProbeExample(
                "no path", ExampleSetup(tenantURL: "https://scim.example.com"), expect: .warn, finding: "no path"),
            ProbeExample(
                "root path", ExampleSetup(tenantURL: "https://scim.example.com/"), expect: .warn, finding: "no path"),
            ProbeExample(
                "double slash", ExampleSetup(tenantURL: "https://scim.example.com/scim//v2"), expect: .warn,
                finding: "double slash"),
        ])

    /// SCIM endpoints that are never a base (RFC 7644 §3.2), compared case-insensitively.
    private static let endpoints = ["Users", "Groups", "ServiceProviderConfig", "Schemas", "ResourceTypes", "Bulk"]

    private static let field =
        "Entra (\(EntraPortal.tenantURL))"

    func run(_ context: ProbeContext) async throws -> Verdict {
        let tenant = try context.requireTenant()
        let path = tenant.path
        let corrected = try await context.correctedTenantURL()
        let segments = path.split(separator: "/").map(String.init)
        let evidence = [
            Evidence("path", "\"\(path)\""),
            Evidence("Entra would request", "\(tenant.url("Users")) and \(tenant.url("Groups"))"),
        ]
        if let resource = Self.resourceSuffix(segments) {
            let ending = "/" + resource.joined(separator: "/")
            return .fail(
                "The Tenant URL's path ends in \(ending), a SCIM resource rather than the base: Entra appends /Users "
                    + "and /Groups itself, so its requests would go to \(tenant.base)/Users (…\(ending)/Users).",
                evidence: evidence,
                fix: "In \(Self.field), remove \(ending) and enter the base: \(corrected.url).")
        }
        if segments.isEmpty, !corrected.path.isEmpty {
            return .warn(
                "The Tenant URL has no path, and Entra would request \(tenant.url("Users")); "
                    + "test-connection.base-path found SCIM under \(corrected.path).",
                evidence: evidence, fix: "Enter \(corrected.url) in \(Self.field).")
        }
        if segments.isEmpty {
            return .warn(
                "The Tenant URL has no path: most SCIM services live under a path such as /scim/v2, and Entra would "
                    + "request \(tenant.url("Users")).",
                evidence: evidence,
                fix: "Check the application's SCIM settings for the full Tenant URL (e.g. \(tenant.origin)/scim/v2) "
                    + "and enter it in \(Self.field); ignore this if the application documents its SCIM base at the "
                    + "root of the host.")
        }
        var warnings: [String] = []
        if path.contains("//") {
            warnings.append(
                "has a double slash inside its path (\"\(path)\"), which many servers do not route like a single one")
        }
        if path.hasSuffix("/") {
            warnings.append(
                "ends with a slash: Microsoft's example has one but applications usually document the URL without, "
                    + "and how Entra joins /Users to it is unconfirmed")
        }
        guard warnings.isEmpty else {
            return .warn(
                "The Tenant URL " + warnings.joined(separator: "; and ") + ".", evidence: evidence,
                fix: "Enter the Tenant URL in the form the application documents, without a trailing slash or double "
                    + "slash: \(corrected.url) in \(Self.field).")
        }
        return .pass(
            "Path \(path): Entra will request \(tenant.url("Users")) and \(tenant.url("Groups")).", evidence: evidence)
    }

    /// The trailing segments that name a SCIM resource: `[Users]`, `[Schemas]`, or `[Users, <id>]`.
    static func resourceSuffix(_ segments: [String]) -> [String]? {
        func isEndpoint(_ segment: String) -> Bool { endpoints.contains { $0.lowercased() == segment.lowercased() } }
        guard let last = segments.last else { return nil }
        if isEndpoint(last) { return [last] }
        // `/Users/<id>`, but not a base that merely continues after a segment named users (`/users/scim/v2`).
        if segments.count >= 2, ["users", "groups"].contains(segments[segments.count - 2].lowercased()),
            last.lowercased() != "scim", last.range(of: #"^[vV][0-9.]+$"#, options: .regularExpression) == nil
        {
            return Array(segments.suffix(2))
        }
        return nil
    }
}
