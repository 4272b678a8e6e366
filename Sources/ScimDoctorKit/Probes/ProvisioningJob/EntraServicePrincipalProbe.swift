import Foundation

/// `entra.sp`: the application named on the command line is one service principal Graph can read.
struct EntraServicePrincipalProbe: Probe {
    let description = ProbeDescription(
        id: "entra.sp", section: .provisioningJob, title: "Enterprise application found",
        checks: "Graph finds exactly one service principal (enterprise application) for --app-id, --app-name or "
            + "--sp-id; every other Entra read is about it.",
        rationale:
            "The provisioning job hangs off the service principal. Display names are not unique, so several "
            + "matches must be told apart by id; an app id from another directory finds nothing.",
        sources: [
            "Microsoft Graph: List servicePrincipals (serviceprincipal-list)",
            "Microsoft Graph: synchronization API overview (synchronization-overview) (display names are not "
                + "unique: its example finds two 'salesforce' apps)",
        ],
        examples: [
            ProbeExample("one", GraphExampleTenant().setup(), expect: .pass, finding: "Contoso SCIM"),
            ProbeExample(
                "by object id", GraphExampleTenant().setup(application: .servicePrincipalID(GraphExampleTenant.spID)),
                expect: .pass, finding: "Contoso SCIM"),
            ProbeExample(
                "none",
                GraphExampleTenant.with { $0.servicePrincipals = [] }, expect: .fail,
                finding: "no enterprise application"),
            ProbeExample(
                "two with one name",
                GraphExampleTenant.with(application: .name("Contoso SCIM")) {
                    $0.servicePrincipals.append(
                        GraphExampleTenant.servicePrincipal(
                            id: "d813d7d7-0f41-4edc-b284-d0dfaf399d15", appID: "f7808c5e-cb57-4e37-8094-406d302c0f8d"))
                }, expect: .fail, finding: "2 enterprise applications"),
            ProbeExample(
                "denied",
                GraphExampleTenant.denying("sp"), expect: .fail,
                finding: "Application.Read.All"),
            ProbeExample(
                "token refused",
                GraphExampleTenant.denying("sp", status: 401, code: "InvalidAuthenticationToken"), expect: .fail,
                finding: "did not accept the token"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let entra = try context.requireEntra()
        let (read, found) = try await context.servicePrincipals()
        var evidence = GraphVerdicts.evidence(read)
        // Nothing at all could be read: the run must not pass, so this probe fails (and says why).
        if let refusal = read.refusal {
            if refusal.isDenied {
                return .fail(
                    "Graph denied reading the application (\(PrintableText.line(refusal.code))): it needs "
                        + "\(GraphPermission.applications), and nothing on the Entra side can be read",
                    evidence: evidence,
                    fix: "Grant \(GraphPermission.applications) (and the other permissions of 'scim-doctor entra "
                        + "--help') to the app registration the token comes from, with admin consent.")
            }
            if refusal.isUnauthenticated {
                return .fail(
                    "Graph did not accept the token (\(PrintableText.line(refusal.code))): nothing on the Entra side "
                        + "can be read", evidence: evidence,
                    fix: "Get a new token for this cloud's Graph: tokens live about an hour, and one for another "
                        + "resource or cloud is refused.")
            }
            return .fail(
                "Graph could not be read: \(PrintableText.line(refusal.shown))", evidence: evidence,
                fix: "Check that this machine reaches \(entra.endpoints.graphOrigin) (proxy: https_proxy), then run "
                    + "again.")
        }
        for principal in found.prefix(10) {
            evidence.append(
                Evidence(
                    "service principal",
                    "\(GraphVerdicts.name(principal.displayName)) id \(principal.id), app id \(principal.appID)"))
        }
        switch found.count {
        case 0:
            return .fail(
                "no enterprise application for \(PrintableText.line(entra.application.shown)) in \(entra.tenant)",
                evidence: evidence,
                fix: "Copy the Application ID from \(EntraPortal.overview) (or pass --sp-id with its Object ID), "
                    + "and check that --tenant is the directory the app is in.")
        case 1:
            let principal = found[0]
            return .pass(
                "\(GraphVerdicts.name(principal.displayName)) (service principal \(principal.id))",
                evidence: evidence)
        default:
            return .fail(
                "\(found.count) enterprise applications are named \(PrintableText.line(entra.application.shown)): "
                    + "scim-doctor does not guess which one", evidence: evidence,
                fix: "Run again with --sp-id and the id of the one to check (listed above; the Object ID on "
                    + "\(EntraPortal.overview)).")
        }
    }
}
