import Foundation

private let cycleSources = [
    "Microsoft Graph: synchronizationSchedule (synchronization-synchronizationschedule), interval",
    "Microsoft: When will provisioning finish for a specific user "
        + "(application-provisioning-when-will-provisioning-finish-specific-user)",
]

/// `entra.initial-cycle`: the initial cycle has finished (steady state reached).
struct EntraInitialCycleProbe: Probe {
    let description = ProbeDescription(
        id: "entra.initial-cycle", section: .cycle, title: "Initial cycle finished",
        checks: "The job has reached steady state at least once; while its initial cycle runs, the progress is "
            + "shown (it takes from about 20 minutes to several hours).",
        rationale:
            "Until the initial cycle completes, users appear in batches and incremental changes wait; "
            + "\"nobody is provisioned yet\" is often just that.",
        sources: cycleSources + [
            "Microsoft Graph: synchronizationStatus (synchronization-synchronizationstatus), steadyState"
        ],
        dependencies: ["entra.status-on"],
        examples: [
            ProbeExample("steady", GraphExampleTenant().setup(), expect: .pass, finding: "steady state"),
            ProbeExample(
                "quarantined",
                GraphExampleTenant.with(job: GraphExampleTenant.quarantinedForCredentials), expect: .skip,
                finding: "quarantine"),
            ProbeExample(
                "still running",
                GraphExampleTenant.with {
                    $0.jobs = [
                        GraphExampleTenant.job(
                            code: "NotRun",
                            status:
                                #"{"code":"NotRun","steadyStateFirstAchievedTime":"0001-01-01T00:00:00Z","progress":[{"completedUnits":12,"totalUnits":40,"units":"pages"}]}"#
                        )
                    ]
                }, expect: .warn, finding: "12 of 40 pages"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let job = try await context.synchronizationJob() else { return GraphVerdicts.noJob }
        if let first = job.steadyStateFirstAchieved {
            let last = job.steadyStateLastAchieved.map { ", last at \(UTCDate.iso8601($0))" } ?? ""
            return .pass("steady state first reached at \(UTCDate.iso8601(first))\(last)")
        }
        if job.code == "Quarantine" { return .skip("the job is in quarantine (see entra.quarantine)") }
        // NotRun is Microsoft's "first run not completed"; any other status is past it.
        guard job.code == "NotRun" else {
            return .pass("the job is past its initial cycle (status \(PrintableText.line(job.code)))")
        }
        let progress = job.progress.map { " (\($0.completed) of \($0.total) \(PrintableText.line($0.units)))" } ?? ""
        return .warn(
            "the initial cycle has not finished yet\(progress): users arrive as it goes",
            evidence: [Evidence("status.code", PrintableText.line(job.code))],
            fix: "Wait for the initial cycle (about 20 minutes to several hours, longer for many users); to see "
                + "one user now, use Provision on demand (\(EntraPortal.provisionOnDemand)).")
    }
}

/// `entra.next-cycle`: when Entra will next try ("Provisioning runs on a scheduled cycle").
struct EntraNextCycleProbe: Probe {
    let description = ProbeDescription(
        id: "entra.next-cycle", section: .cycle, title: "Next cycle",
        checks: "Says when the next cycle is due: the last one's end plus the interval (usually 40 minutes, not "
            + "configurable), or the quarantine's next attempt.",
        rationale:
            "A fix on the SCIM side shows in Entra only at the next cycle; knowing when it is saves a wait in the "
            + "dark (the next cycle is derived, Graph does not expose it).",
        sources: cycleSources + [
            "Microsoft Graph: synchronizationQuarantine (synchronization-synchronizationquarantine), nextAttempt"
        ],
        dependencies: ["entra.status-on"],
        examples: [
            ProbeExample("every 40 minutes", GraphExampleTenant().setup(), expect: .pass, finding: "40 minutes"),
            ProbeExample(
                "quarantined",
                GraphExampleTenant.with(job: GraphExampleTenant.quarantinedForCredentials), expect: .pass,
                finding: "next attempt"),
            ProbeExample(
                "overdue",
                GraphExampleTenant.with(
                    job: GraphExampleTenant.job(
                        status: #"{"code":"Active","lastExecution":"#
                            + GraphExampleTenant.execution(
                                began: "2026-05-31T09:00:00Z", ended: "2026-05-31T09:01:00Z") + "}")), expect: .warn,
                finding: "overdue"),
            ProbeExample(
                "never scheduled",
                GraphExampleTenant.with(job: GraphExampleTenant.job(interval: "P10675199DT2H48M5.4775807S")),
                expect: .skip, finding: "no schedule"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let job = try await context.synchronizationJob() else { return GraphVerdicts.noJob }
        let evidence = [Evidence("schedule.interval", PrintableText.line(job.interval))]
        if job.code == "Quarantine", let next = job.quarantine?.nextAttempt {
            return .pass(
                "quarantined: the next attempt is at \(UTCDate.iso8601(next)) (retries after 6 h, 12 h, 24 h, then "
                    + "daily)", evidence: evidence)
        }
        guard let interval = GraphVerdicts.duration(job.interval) else {
            return .skip("the job has no schedule (interval \(PrintableText.line(job.interval)))", evidence: evidence)
        }
        let every = "every \(UTCDate.span(TimeInterval(interval.components.seconds))) (not configurable)"
        guard let ended = job.lastExecution?.ended else { return .pass("cycles run \(every)", evidence: evidence) }
        let step = TimeInterval(max(60, interval.components.seconds))
        let behind = context.now.timeIntervalSince(ended)
        // Three intervals without a cycle, on a job that is On and not quarantined: the cycle is stuck (or a very
        // large one is still running).
        if behind > 3 * step {
            return .warn(
                "the next cycle is overdue: the last one ended \(UTCDate.minutes(ended)), and cycles run \(every)",
                evidence: evidence,
                fix: "Check \(EntraPortal.provisioning) for a cycle in progress; if none shows progress, "
                    + "\(EntraPortal.restartProvisioning).")
        }
        let next = ended.addingTimeInterval(step * max(1, (behind / step).rounded(.up)))
        return .pass(
            "cycles run \(every); the next is due about \(UTCDate.minutes(next)) (derived from the last one's end)",
            evidence: evidence)
    }
}
