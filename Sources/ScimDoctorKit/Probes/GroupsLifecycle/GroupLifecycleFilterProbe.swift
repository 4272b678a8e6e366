import Foundation

/// `group-lifecycle.filter`: the group just created is found by displayName with excludedAttributes=members.
struct GroupLifecycleFilterProbe: Probe {
    let description = ProbeDescription(
        id: "group-lifecycle.filter", section: .groupsLifecycle, title: "The new group is found by displayName",
        checks: "GET /Groups?excludedAttributes=members&filter=displayName eq \"<displayName>\" returns exactly the "
            + "group just created, without members: Entra matches groups this way.",
        rationale:
            "Entra matches groups by displayName with excludedAttributes=members; the group just created "
            + "must be found exactly once and without members.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Group Operations'",
            "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table "
                + "(MultipleEntriesInResponse)",
            "RFC 7644 §3.4.2.2, §3.4.2.5",
        ],
        dependencies: ["group-lifecycle.create"], timeoutInRequests: 20, writes: true,
        examples: [
            ProbeExample(
                "found", LifecycleExampleServer.setup(), expect: .pass,
                finding: "finds exactly the test group g-1, without members"),
            ProbeExample(
                "not found",
                LifecycleExampleServer.setup(
                    before: [.get("/scim/v2/Groups", query: ["displayName eq"], .json(200, ScimSamples.emptyList))]),
                expect: .fail, finding: "does not find the group just created"),
            ProbeExample(
                "members returned",
                LifecycleExampleServer.setup(
                    before: [
                        .get(
                            "/scim/v2/Groups", query: ["displayName eq"],
                            .json(200, ScimSamples.list([ScimSamples.group(id: "g-1", members: ["u-9"])])))
                    ]),
                expect: .fail, finding: "returns members despite excludedAttributes=members"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let id = try await context.lifecycleGroup().id else {
            return .skip("no test group (see group-lifecycle.create)")
        }
        return try await context.serially(.groups) {
            let name = await context.lifecycleGroupName().value
            let exchange = try await context.readFilter(.groups, "displayName", equals: name)
            let query = "displayName eq \"\(name)\""
            let fix =
                "On the server: make filter=displayName eq \"…\" on /Groups return exactly the group with that "
                + "displayName, honouring excludedAttributes=members (RFC 7644 §3.4.2.2, §3.4.2.5)."
            switch FilterOutcome(exchange, kind: .groups, value: name, expectedID: id) {
            case .problem(let problem):
                return problem.verdict
            case .rejected(let exchange, _):
                return ListProblem.rejectedFilter(exchange, kind: .groups).verdict
            case .none(let page):
                return .fail(
                    "\(query) does not find the group just created: Entra will not match it and tries to create it "
                        + "again",
                    evidence: Evidence.exchange(page.exchange), fix: fix)
            case .others(let page), .duplicates(let page):
                return .fail(
                    "\(query) returns \(page.resources.count) groups instead of exactly \(id)",
                    evidence: Evidence.exchange(page.exchange), fix: fix)
            case .exact(let page):
                if let members = page.resources.first?["members"]?.array, !members.isEmpty {
                    return .fail(
                        "\(query) returns members despite excludedAttributes=members: Entra expects none "
                            + "(\(EntraErrorCode.multipleEntriesInResponse))",
                        evidence: Evidence.exchange(page.exchange),
                        fix: "On the server: leave members out of /Groups answers when the request says "
                            + "excludedAttributes=members (RFC 7644 §3.4.2.5).")
                }
                return .pass(
                    "\(query) finds exactly the test group \(id), without members",
                    evidence: Evidence.exchange(page.exchange, body: false))
            }
        }
    }
}
