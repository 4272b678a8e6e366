import Foundation

private let jobSources = [
    "Microsoft Graph: synchronizationStatus (synchronization-synchronizationstatus), code",
    "Microsoft Graph: synchronizationSchedule (synchronization-synchronizationschedule), state",
]

/// `entra.job`: provisioning is configured — a synchronization job exists and has credentials.
struct EntraJobProbe: Probe {
    let description = ProbeDescription(
        id: "entra.job", section: .provisioningJob, title: "Provisioning configured",
        checks: "The application has a synchronization job (Provisioning Mode Automatic) whose status is not "
            + "NotConfigured (no credentials saved).",
        rationale:
            "Without a job, nothing is provisioned and every other Entra check has nothing to read; a job in "
            + "NotConfigured never got its Admin Credentials saved.",
        sources: jobSources + [
            "Microsoft Graph: List synchronization jobs (synchronization-synchronization-list-jobs)"
        ],
        dependencies: ["entra.sp"],
        examples: [
            ProbeExample("one scim job", GraphExampleTenant().setup(), expect: .pass, finding: "template scim"),
            ProbeExample(
                "no job",
                GraphExampleTenant.with { $0.jobs = [] }, expect: .fail, finding: "no provisioning job"),
            ProbeExample(
                "no credentials",
                GraphExampleTenant.with(job: GraphExampleTenant.job(code: "NotConfigured", state: "Disabled")),
                expect: .fail, finding: "NotConfigured"),
            ProbeExample(
                "denied",
                GraphExampleTenant.denying("jobs"), expect: .skip,
                finding: "Synchronization.Read.All"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let (read, jobs) = try await context.synchronizationJobs() else { return GraphVerdicts.noApplication }
        guard read.value != nil else {
            return GraphVerdicts.refused(
                read, reading: "the provisioning jobs", needs: GraphPermission.synchronization)
        }
        var evidence = GraphVerdicts.evidence(read)
        for job in jobs.prefix(5) {
            evidence.append(
                Evidence("job", "\(PrintableText.line(job.id)) (template \(PrintableText.line(job.templateID)))"))
        }
        guard let job = try await context.synchronizationJob() else {
            return .fail(
                "no provisioning job: provisioning was never set up for this application", evidence: evidence,
                fix: "\(EntraPortal.provisioning): set Provisioning Mode to Automatic, enter the Tenant URL and Secret "
                    + "Token under Admin Credentials, select Test Connection, then Save.")
        }
        evidence.append(Evidence("status.code", PrintableText.line(job.code)))
        if job.code == "NotConfigured" {
            return .fail(
                "the job's status is NotConfigured: no Admin Credentials were saved", evidence: evidence,
                fix: "\(EntraPortal.adminCredentials): enter the Tenant URL and Secret Token, select Test Connection, "
                    + "then Save.")
        }
        let others = jobs.count > 1 ? "; \(jobs.count) jobs, this one is checked" : ""
        return .pass(
            "job \(PrintableText.line(job.id)) (template \(PrintableText.line(job.templateID))), status "
                + "\(PrintableText.line(job.code))\(others)", evidence: evidence)
    }
}

/// `entra.status-on`: "Ensure the Provisioning Status toggle is set to On".
struct EntraStatusOnProbe: Probe {
    let description = ProbeDescription(
        id: "entra.status-on", section: .provisioningJob, title: "Provisioning Status On",
        checks: "The job's schedule is Active and its status not Paused: the Provisioning Status toggle is On.",
        rationale:
            "With Provisioning Status Off nothing is provisioned, however good the endpoint; a new job stays "
            + "Disabled until it is turned On (that the toggle is schedule.state is derived from Microsoft's "
            + "examples, unconfirmed).",
        sources: jobSources,
        dependencies: ["entra.job"],
        examples: [
            ProbeExample("on", GraphExampleTenant().setup(), expect: .pass, finding: "On"),
            ProbeExample(
                "off", GraphExampleTenant.with(job: GraphExampleTenant.job(code: "Paused", state: "Disabled")),
                expect: .fail,
                finding: "Off"),
            ProbeExample(
                "paused schedule",
                GraphExampleTenant.with(job: GraphExampleTenant.job(code: "Active", state: "Paused")),
                expect: .fail, finding: "Paused"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let job = try await context.synchronizationJob() else { return GraphVerdicts.noJob }
        let evidence = [
            Evidence("schedule.state", PrintableText.line(job.scheduleState)),
            Evidence("status.code", PrintableText.line(job.code)),
        ]
        if job.scheduleState == "Active", job.code != "Paused" {
            return .pass("Provisioning Status is On (schedule Active)", evidence: evidence)
        }
        return .fail(
            "Provisioning Status is Off (schedule \(PrintableText.line(job.scheduleState)), status "
                + "\(PrintableText.line(job.code))): nothing is provisioned", evidence: evidence,
            fix: "Set \(EntraPortal.provisioningStatus) to On and Save (that the toggle is the job's schedule "
                + "state is derived, unconfirmed).")
    }
}

/// `entra.quarantine`: the job is not quarantined.
struct EntraQuarantineProbe: Probe {
    let description = ProbeDescription(
        id: "entra.quarantine", section: .provisioningJob, title: "Not in quarantine",
        checks: "The job's status is not Quarantine; when it is, the reason, the error and the next attempt are "
            + "named, with the fix for that reason.",
        rationale:
            "A quarantined job runs at most once a day and is disabled after four weeks; the portal shows a banner "
            + "but not which request failed. A paused job can carry an empty leftover quarantine object, which is "
            + "no quarantine.",
        sources: [
            "Microsoft: Application provisioning in quarantine status (application-provisioning-quarantine-status)",
            "Microsoft Graph: synchronizationQuarantine (synchronization-synchronizationquarantine), reason",
        ],
        dependencies: ["entra.job"],
        examples: [
            ProbeExample("healthy", GraphExampleTenant().setup(), expect: .pass),
            ProbeExample(
                "invalid credentials",
                GraphExampleTenant.with(job: GraphExampleTenant.quarantinedForCredentials),
                expect: .fail, finding: "EncounteredQuarantineException"),
            ProbeExample(
                "too many deletes",
                GraphExampleTenant.with(
                    job: GraphExampleTenant.job(
                        status: GraphExampleTenant.quarantined(
                            reason: "TooManyDeletes", error: "None", message: ""))),
                expect: .fail, finding: "TooManyDeletes"),
            ProbeExample(
                "four weeks",
                GraphExampleTenant.with(
                    job: GraphExampleTenant.job(
                        status: GraphExampleTenant.quarantined(
                            reason: "EncounteredEscrowProportionThreshold", began: "2026-04-20T00:00:00Z"))),
                expect: .fail, finding: "disabled after four weeks"),
            ProbeExample(
                "leftover on a paused job",
                GraphExampleTenant.with(
                    job: GraphExampleTenant.job(
                        code: "Paused", state: "Disabled",
                        status:
                            #"{"code":"Paused","quarantine":{"currentBegan":"","nextAttempt":"","reason":"","seriesBegan":"","seriesCount":2}}"#
                    )), expect: .pass),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let job = try await context.synchronizationJob() else { return GraphVerdicts.noJob }
        guard job.code == "Quarantine", let quarantine = job.quarantine else {
            return .pass("not in quarantine (status \(PrintableText.line(job.code)))")
        }
        var evidence = [Evidence("quarantine.reason", PrintableText.line(quarantine.reason))]
        if let began = quarantine.currentBegan { evidence.append(Evidence("since", UTCDate.iso8601(began))) }
        if let next = quarantine.nextAttempt { evidence.append(Evidence("next attempt", UTCDate.iso8601(next))) }
        evidence.append(Evidence("attempts", "\(quarantine.seriesCount)"))
        if !quarantine.errorCode.isEmpty, quarantine.errorCode != "None" {
            evidence.append(
                Evidence(
                    "error",
                    PrintableText.line(String("\(quarantine.errorCode): \(quarantine.errorMessage)".prefix(300)))))
        }
        let explained = EntraCodeExplanation.matching(quarantine.reason).first?.explanation
        let errorExplained = EntraCodeExplanation.matching(quarantine.errorCode).first?.explanation
        var finding = "the job is in quarantine (\(PrintableText.line(quarantine.reason)))"
        if let explained { finding += ": \(explained.entraSaw)" }
        if let seriesBegan = quarantine.seriesBegan, context.now.timeIntervalSince(seriesBegan) > 28 * 86_400 {
            finding += "; quarantined since \(UTCDate.minutes(seriesBegan)), so it is disabled after four weeks"
        }
        // What to change first (What to fix shows a fix's first sentence): the SCIM side that reproduces the error.
        var fix = explained?.fix ?? "Fix the cause, then \(EntraPortal.restartProvisioning)."
        if let causes = errorExplained?.causes.compactMap(\.probe), !causes.isEmpty {
            fix =
                "Run scim-doctor check TENANT-URL and fix what \(causes.map(\.rawValue).joined(separator: ", ")) "
                + "report: they reproduce \(PrintableText.line(quarantine.errorCode)) on the SCIM side. " + fix
        }
        return .fail(finding, evidence: evidence, fix: fix)
    }
}

/// `entra.failures`: the last cycle did not fail.
struct EntraFailuresProbe: Probe {
    let description = ProbeDescription(
        id: "entra.failures", section: .provisioningJob, title: "Last cycle succeeded",
        checks: "The job's last execution succeeded; a failed one names its error, entry-level errors and "
            + "escrowed entries are counted. A job that never ran carries a placeholder execution, which is no "
            + "failure.",
        rationale:
            "The last execution's error is what Entra saw in the cycle; entry-level errors mean some users failed "
            + "while others went through, which the provisioning logs detail.",
        sources: [
            "Microsoft Graph: synchronizationTaskExecution (synchronization-synchronizationtaskexecution)",
            "Microsoft Graph: synchronizationStatus (synchronization-synchronizationstatus), escrowsPruned",
        ],
        dependencies: ["entra.job"],
        examples: [
            ProbeExample("succeeded", GraphExampleTenant().setup(), expect: .pass),
            ProbeExample(
                "failed",
                GraphExampleTenant.with(
                    job: GraphExampleTenant.job(
                        status: #"{"code":"Active","countSuccessiveCompleteFailures":2,"lastExecution":"#
                            + GraphExampleTenant.execution(
                                state: "Failed", began: "2026-05-31T23:40:00Z", ended: "2026-05-31T23:40:05Z",
                                error: EntraErrorCode.serviceIncompatible.rawValue,
                                message: "An HTTP/404 Not Found response was returned") + "}")),
                expect: .fail, finding: "ServiceIncompatible"),
            ProbeExample(
                "entry-level errors",
                GraphExampleTenant.with(
                    job: GraphExampleTenant.job(
                        status: #"{"code":"Active","lastExecution":"#
                            + GraphExampleTenant.execution(
                                state: "EntryLevelErrors", began: "2026-05-31T23:40:00Z",
                                ended: "2026-05-31T23:41:00Z", escrowed: 4) + "}")),
                expect: .warn, finding: "4 entries"),
            ProbeExample(
                "the quarantine's error",
                GraphExampleTenant.with(job: GraphExampleTenant.quarantinedForCredentials),
                expect: .skip, finding: "see entra.quarantine"),
            ProbeExample(
                "never ran (placeholder)",
                GraphExampleTenant.with(
                    job: GraphExampleTenant.job(
                        code: "NotRun",
                        status: #"{"code":"NotRun","lastExecution":"#
                            + GraphExampleTenant.execution(
                                state: "Failed", began: "0001-01-01T00:00:00Z", ended: "0001-01-01T00:00:00Z") + "}")),
                expect: .skip, finding: "no cycle has run"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let job = try await context.synchronizationJob() else { return GraphVerdicts.noJob }
        guard let last = job.lastExecution else { return .skip("no cycle has run yet (the initial cycle is pending)") }
        // A quarantine names the same error: entra.quarantine reports it, once.
        if job.code == "Quarantine", let quarantine = job.quarantine, quarantine.errorCode == last.errorCode {
            return .skip(
                "the last cycle failed with the quarantine's error \(PrintableText.line(last.errorCode)) "
                    + "(see entra.quarantine)")
        }
        var evidence = [
            Evidence("last execution", "\(PrintableText.line(last.state)), began \(UTCDate.iso8601(last.began))"),
            Evidence("successive failed cycles", "\(job.successiveFailures)"),
        ]
        if !last.errorCode.isEmpty {
            evidence.append(
                Evidence("error", PrintableText.line(String("\(last.errorCode): \(last.errorMessage)".prefix(300)))))
        }
        if last.state == "Failed" {
            let probes =
                EntraCodeExplanation.matching(last.errorCode).first?.explanation.causes.compactMap(\.probe) ?? []
            return .fail(
                "the last cycle failed (\(PrintableText.line(last.errorCode.isEmpty ? "no error code" : last.errorCode)))",
                evidence: evidence,
                fix: probes.isEmpty
                    ? "Read the error above and the provisioning logs (scim-doctor explain CODE says what it means)."
                    : "On the SCIM side, \(probes.map(\.rawValue).joined(separator: ", ")) "
                        + (probes.count == 1 ? "reproduces" : "reproduce") + " this error: "
                        + "run scim-doctor check TENANT-URL, fix what fails, then \(EntraPortal.restartProvisioning).")
        }
        if last.state == "EntryLevelErrors" || last.escrowed > 0 || job.escrowsPruned {
            let pruned = job.escrowsPruned ? "; the initial cycle hit the error threshold (escrowsPruned)" : ""
            return .warn(
                "the last cycle had entry-level errors: \(last.escrowed) entries failed\(pruned)",
                evidence: evidence,
                fix: "See Provisioning logs below (entra.log-errors) for the error codes, fix them, then "
                    + "\(EntraPortal.restartProvisioning) to retry the failed entries at once.")
        }
        return .pass("the last cycle \(PrintableText.line(last.state.lowercased()))", evidence: evidence)
    }
}
