import Foundation

/// `group-lifecycle.create`: POST /Groups with Entra's body (ADSCIM schema URI and meta included) answers 201.
struct GroupLifecycleCreateProbe: Probe {
    let description = ProbeDescription(
        id: "group-lifecycle.create", section: .groupsLifecycle, title: "Create a group as Entra does",
        checks: "POST /Groups with Entra's body (schemas core Group plus "
            + "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group, externalId, displayName, "
            + "meta) answers 201 Created with an id. When it is rejected, the same body without the ADSCIM URI "
            + "and/or meta is tried, to name what the server refuses.",
        rationale:
            "Entra creates groups with an empty member list and a body that carries Microsoft's ADSCIM "
            + "schema URI and a meta object; servers that validate schemas strictly reject it, and then no "
            + "group is provisioned.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Group Operations' and 'Create Group'",
            "RFC 7644 §3.3 (creating resources)",
        ],
        dependencies: ["test-connection.groups"], timeoutInRequests: 5, writes: true,
        examples: [
            ProbeExample(
                "201 with an id", LifecycleExampleServer.setup(), expect: .pass,
                finding: "POST /scim/v2/Groups answered 201 Created with id g-1"),
            ProbeExample(
                "ADSCIM schema URI rejected", LifecycleExampleServer.setup(.init(rejectsADSCIM: true)),
                expect: .fail, finding: "rejects Entra's ADSCIM schema URI"),
            ProbeExample(
                "meta rejected", LifecycleExampleServer.setup(.init(rejectsGroupMeta: true)), expect: .fail,
                finding: "rejects the meta attribute"),
            ProbeExample(
                "no group create at all",
                LifecycleExampleServer.setup(
                    before: [.on("POST", "/scim/v2/Groups", .json(501, ScimSamples.error(501, detail: "no groups")))]),
                expect: .fail, finding: "answered HTTP 501: \"no groups\": Entra cannot create groups"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let group = try await context.lifecycleGroup()
        let entra = group.entraCreate
        guard entra.id == nil, let accepted = group.attempts.first(where: { $0.creation.id != nil }) else {
            return LifecycleVerdicts.create(entra)
        }
        let cause: String
        switch (accepted.variant.adscim, accepted.variant.meta) {
        case (false, true): cause = "rejects Entra's ADSCIM schema URI (\(EntraBodies.adscimGroup))"
        case (true, false): cause = "rejects the meta attribute Entra sends ({\"resourceType\":\"Group\"})"
        default: cause = "rejects Entra's ADSCIM schema URI and the meta attribute together"
        }
        let evidence = group.attempts.flatMap { attempt in
            LifecycleEvidence.write(attempt.creation.exchange, sent: attempt.creation.sent)
        }
        return .fail(
            "\(shortRequest(entra.exchange)) with Entra's body answered \(LifecycleEvidence.said(entra.exchange)): "
                + "the server \(cause); without it the group was created (\(accepted.creation.id ?? "")), so the "
                + "other group probes run on that one",
            evidence: evidence,
            fix: "On the server: accept Entra's group create as sent: ignore schema URIs it does not know "
                + "(Entra sends \(EntraBodies.adscimGroup) in every group create) and the read-only meta, rather "
                + "than rejecting the request. Entra cannot be told to leave them out.",
            blocksDependants: false)
    }
}
