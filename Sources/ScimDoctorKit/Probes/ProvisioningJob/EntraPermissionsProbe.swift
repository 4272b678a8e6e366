import Foundation

/// `entra.permissions`: the Graph token carries the read permissions this run needs, for this cloud.
struct EntraPermissionsProbe: Probe {
    let description = ProbeDescription(
        id: "entra.permissions", section: .provisioningJob, title: "Graph token and permissions",
        checks: "The Graph access token, decoded locally, is for this cloud's Graph, has not expired, and carries "
            + "Application.Read.All, Synchronization.Read.All, AuditLog.Read.All and Directory.Read.All.",
        rationale:
            "Each read of the Entra side needs its own Graph permission; a token without one gets 403 for that "
            + "read only. Saying which are missing before anything is read tells the admin what to grant once, "
            + "instead of a skip per section.",
        sources: [
            "Microsoft Graph: List synchronization jobs (synchronization-synchronization-list-jobs), Permissions",
            "Microsoft Graph: List provisioningObjectSummary (provisioningobjectsummary-list), Permissions "
                + "(AuditLog.Read.All and Directory.Read.All)",
            "Microsoft Graph: List servicePrincipals (serviceprincipal-list), Permissions",
        ],
        examples: [
            ProbeExample("all four", GraphExampleTenant().setup(), expect: .pass, finding: "carries"),
            ProbeExample(
                "no AuditLog.Read.All",
                GraphExampleTenant.with {
                    $0.scopes = [GraphPermission.applications, GraphPermission.synchronization]
                }, expect: .warn, finding: "AuditLog.Read.All"),
            ProbeExample(
                "ReadWrite covers Read",
                GraphExampleTenant.with {
                    $0.scopes = [
                        "Application.ReadWrite.All", "Synchronization.ReadWrite.All", "AuditLog.Read.All",
                        "Directory.Read.All",
                    ]
                }, expect: .pass),
            ProbeExample(
                "another cloud's token",
                GraphExampleTenant.with { $0.audience = "https://graph.microsoft.us" }, expect: .fail,
                finding: "graph.microsoft.us"),
            ProbeExample(
                "opaque token",
                {
                    var setup = GraphExampleTenant().setup()
                    setup.token = "not-a-jwt-0123456789"
                    return setup
                }(), expect: .skip, finding: "not a readable JWT"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let entra = try context.requireEntra()
        guard let token = GraphAccessToken(context.graphToken ?? context.token) else {
            return .skip("the Graph token is not a readable JWT: its permissions show only in Graph's answers")
        }
        var evidence = [
            Evidence("audience", token.audience ?? "none"), Evidence("directory (tid)", token.tenantID ?? "none"),
            Evidence("permissions, \(token.kind)", (token.scopes + token.roles).joined(separator: " ")),
        ]
        if let expires = token.expires { evidence.append(Evidence("expires", UTCDate.iso8601(expires))) }
        let cloudGraph = entra.endpoints.cloud.graphOrigin
        // `aud` is the Graph host, or Graph's application id (the same in every cloud).
        if let audience = token.audience, audience.hasPrefix("https://"),
            audience.trimming({ $0 == "/" }) != cloudGraph
        {
            return .fail(
                "the token is for \(PrintableText.line(audience)), not for \(cloudGraph) (--cloud "
                    + "\(entra.endpoints.cloud.rawValue)): tokens of one cloud are not accepted by another",
                evidence: evidence,
                fix: "Get a token for \(cloudGraph) (az cloud set, then az account get-access-token --resource-type "
                    + "ms-graph), or pass the --cloud the token is for.")
        }
        if let expires = token.expires, expires <= context.now {
            return .fail(
                "the token expired at \(UTCDate.iso8601(expires))", evidence: evidence,
                fix: "Get a new token (Graph tokens live about an hour); scim-doctor keeps none between runs.")
        }
        let missing = token.missing(
            GraphPermission.readOnly
                + (entra.testConnection || entra.provisionOnDemand != nil ? [GraphPermission.synchronizationWrite] : [])
                + (entra.provisionOnDemand.map { GraphID.isGUID($0) } == false ? [GraphPermission.users] : []))
        guard !missing.isEmpty else {
            return .pass("the token carries every permission this run reads with", evidence: evidence)
        }
        return .warn(
            "the token lacks \(missing.joined(separator: ", ")): what needs \(missing.count == 1 ? "it" : "them") "
                + "is skipped", evidence: evidence,
            fix: "Grant \(missing.joined(separator: ", ")) to the app registration the token comes from "
                + "(\(EntraPortal.apiPermissions): Add a permission, Microsoft Graph, "
                + "\(token.kind.hasPrefix("delegated") ? "Delegated" : "Application") permissions), then Grant admin "
                + "consent and get a new token.")
    }
}
