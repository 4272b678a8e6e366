import Foundation

/// `entra.notify`: someone gets Entra's failure and quarantine e-mails.
struct EntraNotificationProbe: Probe {
    let description = ProbeDescription(
        id: "entra.notify", section: .provisioningJob, title: "Failure e-mails",
        checks: "The provisioning settings send failure and quarantine e-mails to someone (SyncNotificationSettings: "
            + "Enabled, with Recipients).",
        rationale:
            "Entra tells about a quarantine once, by e-mail; without a recipient the job slows to one attempt a day "
            + "and nobody hears of it.",
        sources: [
            "Microsoft: Application provisioning in quarantine status (application-provisioning-quarantine-status), "
                + "the notification e-mail",
            "Microsoft Graph: synchronizationSecretKeyStringValuePair "
                + "(synchronization-synchronizationsecretkeystringvaluepair), SyncNotificationSettings",
        ],
        dependencies: ["entra.sp"],
        examples: [
            ProbeExample("a recipient", GraphExampleTenant().setup(), expect: .pass, finding: "it-ops@contoso.com"),
            ProbeExample(
                "off",
                GraphExampleTenant.with { $0.secrets[3].1 = #"{\"Enabled\":false,\"DeleteThresholdEnabled\":false}"# },
                expect: .warn, finding: "no one"),
            ProbeExample(
                "not saved", GraphExampleTenant.with { $0.secrets.removeLast() }, expect: .skip,
                finding: "no notification settings"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let (read, secrets) = try await context.synchronizationSecrets() else {
            return GraphVerdicts.noApplication
        }
        guard let secrets else {
            return GraphVerdicts.refused(
                read, reading: "the provisioning settings", needs: EntraTenantURLProbe.secretsPermission)
        }
        // A JSON object inside a string value (entra-graph.md §2.4).
        guard let text = secrets.values["SyncNotificationSettings"],
            case .success(let document) = JSONParser.parse(Data(text.utf8)), document.value.isObject
        else { return .skip("no notification settings among the provisioning secrets") }
        let settings = document.value
        let enabled = settings["Enabled"] == .bool(true)
        let recipients = (settings["Recipients"]?.string ?? "").trimmingWhitespace()
        let evidence = [
            Evidence("Enabled", enabled ? "true" : "false"),
            Evidence("Recipients", recipients.isEmpty ? "none" : PrintableText.line(String(recipients.prefix(200)))),
        ]
        guard enabled, !recipients.isEmpty else {
            return .warn(
                "failure and quarantine e-mails go to no one", evidence: evidence,
                fix: "\(EntraPortal.provisioningSettings): check Send an email notification when a failure occurs "
                    + "and enter a Notification Email, then Save.")
        }
        return .pass(
            "failure e-mails go to \(PrintableText.line(String(recipients.prefix(120))))", evidence: evidence)
    }
}
