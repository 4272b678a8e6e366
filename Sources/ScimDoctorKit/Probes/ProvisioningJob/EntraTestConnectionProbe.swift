import Foundation

private let validatePath =
    "/v1.0/servicePrincipals/\(GraphExampleTenant.spID)/synchronization/jobs/\(GraphExampleTenant.jobID)/validateCredentials"

/// The healthy tenant, `--test-connection` given, and validateCredentials answering `reply`.
private func testing(_ reply: Reply) -> ExampleSetup {
    var setup = GraphExampleTenant.with { $0.scopes.append(GraphPermission.synchronizationWrite) }
    setup.entra?.testConnection = true
    setup.routes.insert(.on("POST", validatePath, reply), at: 0)
    return setup
}

/// `entra.test-connection`: Entra's own Test Connection, with the credentials it saved.
struct EntraTestConnectionProbe: Probe {
    let description = ProbeDescription(
        id: "entra.test-connection", section: .provisioningJob, title: "Entra's Test Connection",
        checks: "With --test-connection: Graph validateCredentials with the saved credentials (Entra itself calls "
            + "the Tenant URL with the Secret Token it stored) answers 204; a failure is classified from Entra's "
            + "message, and a joined run sets it beside the SCIM side's test-connection.users.",
        rationale:
            "It is the only way to test the Secret Token Entra actually stored (Graph never shows it). When it fails "
            + "while scim-doctor's own Test Connection passes, Entra holds other credentials than the ones "
            + "checked here.",
        sources: [
            "Microsoft Graph: synchronizationJob: validateCredentials (synchronization-synchronizationjob), "
                + "useSavedCredentials; it needs Synchronization.ReadWrite.All; its failure body is undocumented "
                + "(unconfirmed; Microsoft's gallery runbook observed 400 CredentialValidationUnavailable)"
        ],
        dependencies: ["entra.job"], runsAfter: ["test-connection.users"], timeoutInRequests: 3,
        examples: [
            ProbeExample(
                "not asked", GraphExampleTenant().setup(), expect: .skip, finding: "needs --test-connection"),
            ProbeExample(
                "succeeds", testing(.response(HTTPResponse(status: 204))), expect: .pass, finding: "succeeded"),
            ProbeExample(
                "token rejected",
                testing(
                    .json(
                        400,
                        #"{"error":{"code":"CredentialValidationUnavailable","message":"Resource: https://scim.example.com/scim/v2/Users?filter=userName+eq+%22a%22 Operation: GET Response Status Code: 401 Response Content: {\"detail\":\"invalid token\"}"}}"#,
                        contentType: "application/json")), expect: .fail, finding: "401"),
            ProbeExample(
                "denied",
                testing(
                    .json(
                        403, #"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}"#,
                        contentType: "application/json")), expect: .skip, finding: "Synchronization.ReadWrite.All"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard try context.requireEntra().testConnection else {
            return .skip(
                "needs --test-connection (Graph validateCredentials, which needs \(GraphPermission.synchronizationWrite))"
            )
        }
        guard let read = try await context.validateSavedCredentials() else { return GraphVerdicts.noJob }
        var evidence = GraphVerdicts.evidence(read)
        if read.value != nil {
            return .pass(
                "Entra's own Test Connection succeeded with the saved Tenant URL and Secret Token", evidence: evidence)
        }
        guard let refusal = read.refusal, !refusal.isDenied else {
            return GraphVerdicts.refused(
                read, reading: "Entra's Test Connection", needs: GraphPermission.synchronizationWrite)
        }
        // "… Operation: GET Response Status Code: 401 Response Content: …" (companion reference §1.3).
        let answered = refusal.message.firstMatch(of: /Response Status Code: (\d{3})/).map { String($0.1) }
        var finding = "Entra's own Test Connection failed (\(PrintableText.line(refusal.code)))"
        if let answered { finding += ": the SCIM endpoint answered HTTP \(answered) to Entra's test query" }
        // Joined with the SCIM side: the same query with the credentials given here.
        if let scim = await context.verdict(of: "test-connection.users"), scim.status != .skip {
            evidence.append(Evidence("SCIM side", "test-connection.users \(scim.status.rawValue): \(scim.finding)"))
            finding +=
                scim.status == .pass
                ? "; scim-doctor's own Test Connection passes with the URL and token given here, so Entra holds "
                    + "other credentials"
                : "; test-connection.users fails too"
        }
        let fix: String
        switch answered {
        case "401", "403":
            fix = "Paste a valid Secret Token into \(EntraPortal.secretToken), select Test Connection, then Save."
        case "404":
            fix = "Check the Tenant URL in \(EntraPortal.tenantURL): Entra's query to /Users found no endpoint there."
        default:
            fix =
                "Read Entra's message above; scim-doctor explain \(refusal.code) says what it means. Fix it, then "
                + "Test Connection and Save under \(EntraPortal.adminCredentials)."
        }
        return .fail(finding, evidence: evidence, fix: fix)
    }
}
