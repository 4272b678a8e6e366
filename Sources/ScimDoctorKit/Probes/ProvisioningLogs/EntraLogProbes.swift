import Foundation

private let logSources = [
    "Microsoft Graph: List provisioningObjectSummary (provisioningobjectsummary-list)",
    "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), licence and error codes",
]

/// Graph's answer when the directory has no Entra ID P1/P2 (documented by users for sign-in logs; for the
/// provisioning logs unconfirmed).
private let noPremium = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"

/// A tenant whose provisioning logs are `events`.
private func tenant(events: [String]) -> ExampleSetup {
    GraphExampleTenant.with { $0.events = events }
}

/// `entra.log-errors`: the provisioning logs' failures, grouped by error code and tied to the SCIM-side probes.
struct EntraLogErrorsProbe: Probe {
    let description = ProbeDescription(
        id: "entra.log-errors", section: .provisioningLogs, title: "Provisioning errors",
        checks: "No provisioning event of the last 7 days failed (reading them needs AuditLog.Read.All, "
            + "Directory.Read.All and an Entra ID P1 or P2 licence); failures are grouped by error code, each with "
            + "what Entra saw and the scim-doctor probes that reproduce it on the SCIM side.",
        rationale:
            "Admins see error codes such as …EntryConflict without the "
            + "request that caused them; the code's suffix says which SCIM behaviour to test.",
        sources: logSources,
        dependencies: ["entra.sp"], runsAfter: EntraCodeExplanation.scimProbes, timeoutInRequests: graphPageLimit + 1,
        examples: [
            ProbeExample("no failure", GraphExampleTenant().setup(), expect: .pass, finding: "1 event"),
            ProbeExample(
                "no licence",
                GraphExampleTenant.denying("logs", status: 403, code: noPremium), expect: .skip, finding: "P1 or P2"),
            ProbeExample(
                "no permission",
                GraphExampleTenant.denying("logs"), expect: .skip,
                finding: "AuditLog.Read.All"),
            ProbeExample(
                "conflicts",
                tenant(events: [
                    GraphExampleTenant.event(
                        status: "failure", code: EntraErrorCode.entryConflict.rawValue,
                        reason: "returned an error response with the HTTP status code 409"),
                    GraphExampleTenant.event(
                        status: "failure", code: EntraErrorCode.entryConflict.rawValue,
                        identity: "Grace Hopper"),
                    GraphExampleTenant.event(status: "success", code: ""),
                ]), expect: .fail, finding: "EntryConflict ×2"),
            ProbeExample(
                "unexplained code",
                tenant(events: [GraphExampleTenant.event(status: "failure", code: "ContosoSomethingNew")]),
                expect: .fail, finding: "ContosoSomethingNew ×1"),
            ProbeExample(
                "skipped only",
                tenant(events: [GraphExampleTenant.event(status: "skipped", code: "")]), expect: .pass,
                finding: "1 skipped"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let (read, events) = try await context.provisioningEvents() else { return GraphVerdicts.noApplication }
        guard read.value != nil else {
            let licence = read.refusal?.code == noPremium
            return GraphVerdicts.refused(
                read, reading: "the provisioning logs",
                needs: licence
                    ? "an Entra ID P1 or P2 licence for the directory (that Graph answers this code for the "
                        + "provisioning logs is unconfirmed; it does for sign-in logs)"
                    : "\(GraphPermission.auditLog) and \(GraphPermission.directory) (and an Entra ID P1 or P2 licence)")
        }
        let failed = events.filter { $0.status == "failure" }
        let skipped = events.filter { $0.status == "skipped" }.count
        let more = read.value?["@odata.nextLink"] != nil ? " (the newest; more exist)" : ""
        guard !failed.isEmpty else {
            return .pass(
                "\(events.count) event\(events.count == 1 ? "" : "s") in the last 7 days\(more), none failed"
                    + (skipped > 0 ? " (\(skipped) skipped: out of scope or unchanged)" : ""),
                evidence: GraphVerdicts.evidence(read))
        }
        var byCode: [(code: String, events: [ProvisioningEvent])] = []
        for event in failed {
            let code = event.errorCode.isEmpty ? "(no error code)" : event.errorCode
            if let index = byCode.firstIndex(where: { $0.code == code }) {
                byCode[index].events.append(event)
            } else {
                byCode.append((code, [event]))
            }
        }
        byCode.sort { $0.events.count > $1.events.count }
        var evidence: [Evidence] = []
        var findings: [String] = []
        var probes: [ProbeID] = []
        var failing: [ProbeID] = []
        for (code, events) in byCode.prefix(5) {
            let explanation = EntraCodeExplanation.matching(code).first?.explanation
            let scimProbes = explanation?.causes.compactMap(\.probe) ?? []
            probes += scimProbes.filter { !probes.contains($0) }
            let shownCode = PrintableText.line(String(code.prefix(100)))
            // Joined with the SCIM side: the probes of this code that failed or warned in this run explain it.
            var explainedBy: [String] = []
            for probe in scimProbes {
                if let verdict = await context.verdict(of: probe), [.fail, .warn].contains(verdict.status) {
                    explainedBy.append("\(probe.rawValue) \(verdict.status.rawValue)s — \(verdict.finding)")
                    if !failing.contains(probe) { failing.append(probe) }
                }
            }
            let joined = !context.options.tenantURL.isEmpty
            if joined {
                findings.append(
                    "\(shownCode) ×\(events.count): "
                        + (explainedBy.isEmpty
                            ? "unexplained (no SCIM-side probe of it failed)" : explainedBy.joined(separator: "; ")))
            } else {
                findings.append("\(shownCode) ×\(events.count)")
            }
            var line = "e.g. \(GraphVerdicts.name(events[0].identity))"
            if let when = events[0].when { line += " at \(UTCDate.iso8601(when))" }
            line += explanation.map { ": \($0.entraSaw)" } ?? ": not a code scim-doctor knows"
            if !scimProbes.isEmpty { line += " (SCIM side: \(scimProbes.map(\.rawValue).joined(separator: ", ")))" }
            evidence.append(Evidence(shownCode, PrintableText.line(line)))
            if !events[0].reason.isEmpty {
                evidence.append(Evidence("reason", PrintableText.line(String(events[0].reason.prefix(240)))))
            }
        }
        let fix =
            !failing.isEmpty
            ? "Fix what \(failing.prefix(6).map(\.rawValue).joined(separator: ", ")) "
                + (failing.count == 1 ? "reports" : "report") + " above on the SCIM side, "
                + "then \(EntraPortal.restartProvisioning) to retry the failed events at once."
            : probes.isEmpty
                ? "Read each error's reason in the provisioning logs (\(EntraPortal.provisioningLogs)); scim-doctor "
                    + "explain CODE says what a code means."
                : "Run scim-doctor check TENANT-URL: \(probes.prefix(6).map(\.rawValue).joined(separator: ", ")) "
                    + "reproduce these errors on the SCIM side; fix what fails there, then "
                    + "\(EntraPortal.restartProvisioning) to retry at once."
        return .fail(
            "\(failed.count) failed provisioning event\(failed.count == 1 ? "" : "s") in the last 7 days\(more): "
                + findings.joined(separator: ", "), evidence: evidence, fix: fix)
    }
}
