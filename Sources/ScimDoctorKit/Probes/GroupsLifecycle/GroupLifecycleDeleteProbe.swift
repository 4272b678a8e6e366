import Foundation

/// `group-lifecycle.delete`: DELETE /Groups/{id} answers 204 and the group is gone (404).
struct GroupLifecycleDeleteProbe: Probe {
    let description = ProbeDescription(
        id: "group-lifecycle.delete", section: .groupsLifecycle, title: "Delete removes the group",
        checks: "DELETE /Groups/{id} answers 204 and GET /Groups/{id} then answers 404: Entra deletes a group this "
            + "way when it is deleted or unassigned in Entra.",
        rationale:
            "A group deleted or unassigned in Entra is sent as DELETE /Groups/{id}; it must answer 204 and "
            + "be gone.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Group Operations'",
            "RFC 7644 §3.6 (deleting resources)",
        ],
        dependencies: ["group-lifecycle.create"],
        runsAfter: [
            "group-lifecycle.duplicate", "group-lifecycle.filter", "group-lifecycle.members", "group-lifecycle.rename",
        ],
        timeoutInRequests: 20, writes: true,
        examples: [
            ProbeExample(
                "204 then 404", LifecycleExampleServer.setup(), expect: .pass,
                finding: "DELETE /scim/v2/Groups/g-1 answered 204 and GET then answers 404"),
            ProbeExample(
                "the group remains", LifecycleExampleServer.setup(.init(deleteKeeps: true)), expect: .fail,
                finding: "DELETE answered 204 but the group remains"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let id = try await context.lifecycleGroup().id else {
            return .skip("no test group (see group-lifecycle.create)")
        }
        return try await context.serially(.groups) { try await LifecycleVerdicts.delete(context, .groups, id: id) }
    }
}
