import Foundation

/// `group-lifecycle.duplicate`: a second POST /Groups with the test group's displayName answers 409 Conflict.
struct GroupLifecycleDuplicateProbe: Probe {
    let description = ProbeDescription(
        id: "group-lifecycle.duplicate", section: .groupsLifecycle, title: "A duplicate group is refused with 409",
        checks: "A second POST /Groups with the displayName of the test group answers 409 Conflict: Entra requires "
            + "groups to be unique on displayName and matches them by it.",
        rationale:
            "Microsoft: \"Groups must have uniqueness on the 'displayName' value\" (an Entra requirement; RFC 7643 "
            + "does not make displayName unique, and conformant servers such as scim2-server do not enforce it). Entra "
            + "queries displayName before it creates, so a second group arises only when that query misses (case, "
            + "filter bugs); from then on its displayName lookup finds two (MultipleEntriesInResponse). A 500 is a "
            + "failed create retried every cycle.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), '/Groups' (uniqueness on displayName)",
            "RFC 7644 §3.3 (409 Conflict, scimType uniqueness)",
        ],
        dependencies: ["group-lifecycle.create"], timeoutInRequests: 6, writes: true,
        examples: [
            ProbeExample(
                "409 Conflict", LifecycleExampleServer.setup(), expect: .pass,
                finding: "a second POST /scim/v2/Groups with the same displayName answered 409 Conflict"),
            ProbeExample(
                "a second group created", LifecycleExampleServer.setup(.init(acceptsDuplicateGroups: true)),
                expect: .fail, finding: "duplicate group created: a second group g-2 with displayName"),
            ProbeExample(
                "500 instead of 409", LifecycleExampleServer.setup(.init(duplicateGroupStatus: 500)), expect: .fail,
                finding: "answered HTTP 500: \"could not create the group\" instead of 409 Conflict"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let group = try await context.lifecycleGroup()
        guard let creation = group.creation, let originalID = creation.id else {
            return .skip("no test group (see group-lifecycle.create)")
        }
        return try await context.serially(.groups) {
            // The group's name now (group-lifecycle.rename may already have changed it) and the body it took.
            let name = await context.lifecycleGroupName().value
            let identity = TestIdentity.group(tag: context.writes.tag, renamed: name != creation.label)
            var body = creation.sent
            body.set("displayName", .string(name))
            let result = try await context.create(.groups, body: body.data, identity: identity)
            let exchange = result.exchange
            let request = shortRequest(exchange)
            var evidence = LifecycleEvidence.write(exchange, sent: body)
            let fix =
                "On the server: keep group displayName unique and answer a second POST /Groups with a taken "
                + "displayName with 409 Conflict (scimType \"uniqueness\", RFC 7644 §3.3), as Microsoft requires."
            switch WriteAnswer(exchange) {
            case .noAnswer(let error):
                return .fail(
                    "a duplicate \(request) got no answer (\(error.message))", evidence: evidence,
                    fix: noAnswerFix("POST /Groups"))
            case .rejected(let response) where response.status == 409:
                return .pass(
                    "a second \(request) with the same displayName answered 409 Conflict", evidence: evidence)
            case .rejected:
                return .fail(
                    "a duplicate \(request) answered \(LifecycleEvidence.said(exchange)) instead of 409 Conflict",
                    evidence: evidence, fix: fix)
            case .accepted(let response):
                if createdID(exchange) == originalID {
                    return .warn(
                        "a duplicate \(request) answered \(response.status) with the existing group's id \(originalID) "
                            + "instead of 409 Conflict: no second group was created, but a taken displayName should "
                            + "be refused",
                        evidence: evidence, fix: fix)
                }
                // Remove the duplicate at once (only once proven the run's own), so the other probes see one group.
                if let newID = result.ownedID {
                    let removal = try await context.removeAtOnce(.groups, id: newID)
                    evidence.append(
                        Evidence("removed", "\(shortRequest(removal)) → \(LifecycleEvidence.said(removal))"))
                }
                return .fail(
                    "duplicate group created: a second group \(result.ownedID ?? createdID(exchange) ?? "") with "
                        + "displayName \"\(name)\" (answered \(response.status)), though Microsoft requires group "
                        + "displayNames to be unique: once Entra's displayName query misses a group, it creates a "
                        + "second one and its lookups then find two (\(EntraErrorCode.multipleEntriesInResponse))",
                    evidence: evidence, fix: fix)
            }
        }
    }
}
