import Foundation

private let podPath =
    "/v1.0/servicePrincipals/\(GraphExampleTenant.spID)/synchronization/jobs/\(GraphExampleTenant.jobID)/provisionOnDemand"
private let alan = "cdb555e3-b33e-4fd5-a427-17fadacbdfa7"

/// The healthy tenant with `--provision-on-demand` confirmed and provisionOnDemand answering `result`.
private func provisioning(_ user: String = alan, key: String, value: String) -> ExampleSetup {
    var setup = GraphExampleTenant.with {
        $0.scopes += [GraphPermission.synchronizationWrite, GraphPermission.users]
    }
    setup.entra?.provisionOnDemand = user
    let body = object(["key": .string(key), "value": .string(value)]).text
    setup.routes.insert(.on("POST", podPath, .json(200, body, contentType: "application/json")), at: 0)
    setup.routes.insert(
        .get("/v1.0/users/alan@contoso.com", .json(200, #"{"id":"\#(alan)"}"#, contentType: "application/json")),
        at: 0)
    return setup
}

private func steps(_ export: String) -> String {
    #"{"provisioningSteps":[{"name":"EntryImport","provisioningStepType":"import","status":"success","description":"Retrieved User 'alan@contoso.com' from Azure Active Directory"},{"name":"EntryExportAdd","provisioningStepType":"export","status":"\#(export)","description":"User 'alan@contoso.com' was created in customappsso"}]}"#
}

/// What provisionOnDemand answered (G-POD): a key and a value that are JSON texts; one revision's key is a type
/// name and its value an array. Both are read.
struct OnDemandOutcome {
    var result: String
    var errorCode: String
    var errorMessage: String
    var steps: [(name: String, status: String, description: String)]

    init?(_ answer: JSONValue?) {
        guard let answer else { return nil }
        func parsed(_ text: String?) -> JSONValue? {
            guard let text, case .success(let document) = JSONParser.parse(Data(text.utf8)) else { return nil }
            return document.value
        }
        let key = parsed(answer["key"]?.string)
        let value = parsed(answer["value"]?.string)
        let stepList = value?["provisioningSteps"]?.array ?? value?.array ?? []
        steps = stepList.map {
            (
                $0["name"]?.string ?? "step", $0["status"]?.string ?? "",
                $0["description"]?.string ?? ""
            )
        }
        let failedStep = steps.first { ["failure", "skipped"].contains($0.status.lowercased()) }
        result =
            key?["result"]?.string ?? (failedStep.map { $0.status.capitalized } ?? (steps.isEmpty ? "" : "Success"))
        errorCode = key?["details"]?["errorCode"]?.string ?? ""
        errorMessage = key?["details"]?["errorMessage"]?.string ?? failedStep?.description ?? ""
        if result.isEmpty { return nil }
    }
}

/// `entra.provision-on-demand`: provisions the one named Entra user now, and reports every step.
struct EntraProvisionOnDemandProbe: Probe {
    let description = ProbeDescription(
        id: "entra.provision-on-demand", section: .provisioningJob, title: "Provision on demand",
        checks: "With --provision-on-demand USER (confirmed): Entra provisions that one real user now instead of at "
            + "the next cycle (Graph provisionOnDemand), and each step it reports is shown; a failure is explained "
            + "by the SCIM-side probes.",
        rationale:
            "It replaces a 40-minute wait with one answer, in Entra's own words, for one user the admin names — the "
            + "only thing scim-doctor provisions that it did not create itself.",
        sources: [
            "Microsoft: On-demand provisioning (provision-on-demand)",
            "Microsoft Graph: synchronizationJob: provisionOnDemand (synchronization-synchronizationjob), its "
                + "answer's key and value are JSON texts; 5 requests per 10 s",
        ],
        dependencies: ["entra.job"], runsAfter: ["entra.test-connection"] + EntraCodeExplanation.scimProbes,
        timeoutInRequests: 4,
        examples: [
            ProbeExample(
                "not asked", GraphExampleTenant().setup(), expect: .skip, finding: "needs --provision-on-demand"),
            ProbeExample(
                "created",
                provisioning(key: #"{"result":"Success","details":{}}"#, value: steps("success")), expect: .pass,
                finding: "was created"),
            ProbeExample(
                "by name",
                provisioning(
                    "alan@contoso.com", key: #"{"result":"Success","details":{}}"#, value: steps("success")),
                expect: .pass, finding: "provisioned"),
            ProbeExample(
                "already in sync",
                provisioning(
                    key: #"{"result":"Skipped","details":{"errorCode":"RedundantExport","errorMessage":"no change"}}"#,
                    value: steps("skipped")), expect: .pass, finding: "already"),
            ProbeExample(
                "not entitled",
                provisioning(
                    key:
                        #"{"result":"Skipped","details":{"errorCode":"NotEffectivelyEntitled","errorMessage":"This object does not have required entitlement for provisioning"}}"#,
                    value: steps("skipped")), expect: .warn, finding: "NotEffectivelyEntitled"),
            ProbeExample(
                "conflict",
                provisioning(
                    key:
                        #"{"result":"Failure","details":{"errorCode":"\#(EntraErrorCode.entryConflict)","errorMessage":"409"}}"#,
                    value: steps("failure")), expect: .fail, finding: "EntryConflict"),
            ProbeExample(
                "array revision",
                provisioning(
                    key: "Microsoft.Identity.Health.CPP.Common.DataContracts.SyncFabric.StatusInfo",
                    value: #"[{"name":"EntryExportAdd","status":"Success","description":"created"}]"#), expect: .pass),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let user = try context.requireEntra().provisionOnDemand else {
            return .skip("needs --provision-on-demand USER (it provisions that one real user now)")
        }
        let (id, read) = try await context.provisioningUser(user)
        guard let id else {
            if let read, read.refusal?.isDenied == true {
                return GraphVerdicts.refused(read, reading: "the user \(user)", needs: GraphPermission.users)
            }
            return .fail(
                "no Entra user \(PrintableText.line(user)) was found", evidence: read.map(GraphVerdicts.evidence) ?? [],
                fix: "Pass the user's object id or user principal name as \(EntraPortal.users) shows it.")
        }
        guard let rule = try await context.provisioningRuleID() else {
            return .skip("the job's schema names no rule to provision on demand with (see entra.users-mapping)")
        }
        guard let answer = try await context.provisionOnDemand(userID: id, ruleID: rule) else {
            return GraphVerdicts.noJob
        }
        var evidence = [Evidence("user", "\(PrintableText.line(user)) (object id \(id))"), Evidence("rule", rule)]
        guard let outcome = OnDemandOutcome(answer.value) else {
            if answer.refusal?.isDenied == true {
                return GraphVerdicts.refused(
                    answer, reading: "provision on demand", needs: GraphPermission.synchronizationWrite)
            }
            let said = answer.refusal?.shown ?? "an answer without a result"
            return .fail(
                "Graph did not provision the user: \(PrintableText.line(said))",
                evidence: evidence + GraphVerdicts.evidence(answer),
                fix: "Try \(EntraPortal.provisionOnDemand) with the same user to read Entra's own message.")
        }
        for step in outcome.steps.prefix(12) {
            evidence.append(
                Evidence(
                    PrintableText.line(String(step.name.prefix(60))),
                    PrintableText.line("\(step.status): \(step.description.prefix(240))")))
        }
        let said = outcome.errorCode.isEmpty ? "" : " (\(PrintableText.line(outcome.errorCode)))"
        let last = outcome.steps.last.map { ": " + PrintableText.line(String($0.description.prefix(200))) } ?? ""
        switch outcome.result.lowercased() {
        case "success":
            return .pass("Entra provisioned \(PrintableText.line(user)) now\(last)", evidence: evidence)
        case "skipped" where outcome.errorCode == "RedundantExport":
            return .pass(
                "\(PrintableText.line(user)) is already provisioned as Entra has it (RedundantExport)",
                evidence: evidence)
        case "skipped":
            return .warn(
                "Entra skipped \(PrintableText.line(user))\(said): \(PrintableText.line(String(outcome.errorMessage.prefix(240))))",
                evidence: evidence,
                fix:
                    "Assign the user (or a security group it is a direct member of) under \(EntraPortal.addAssignment), "
                    + "or check the scoping filter (entra.scoping-filter); then provision on demand again.")
        default:
            let probes =
                EntraCodeExplanation.matching(outcome.errorCode).first?.explanation.causes.compactMap(\.probe) ?? []
            var failing: [String] = []
            for probe in probes {
                if let verdict = await context.verdict(of: probe), [.fail, .warn].contains(verdict.status) {
                    failing.append(probe.rawValue)
                }
            }
            return .fail(
                "Entra could not provision \(PrintableText.line(user))\(said): "
                    + PrintableText.line(String(outcome.errorMessage.prefix(240))), evidence: evidence,
                fix: failing.isEmpty
                    ? (probes.isEmpty
                        ? "Read the failed step above; scim-doctor explain CODE says what a code means."
                        : "On the SCIM side \(probes.map(\.rawValue).joined(separator: ", ")) test this: run scim-doctor "
                            + "check TENANT-URL --tenant … to see which fails.")
                    : "Fix what \(failing.joined(separator: ", ")) "
                        + (failing.count == 1 ? "reports" : "report") + " on the SCIM side, then provision on demand "
                        + "again.")
        }
    }
}
