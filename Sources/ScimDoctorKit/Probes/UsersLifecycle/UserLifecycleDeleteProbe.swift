import Foundation

/// `user-lifecycle.delete`: DELETE /Users/{id} answers 204 and the user is gone (404).
struct UserLifecycleDeleteProbe: Probe {
    let description = ProbeDescription(
        id: "user-lifecycle.delete", section: .usersLifecycle, title: "Delete removes the user",
        checks: "DELETE /Users/{id} answers 204 and GET /Users/{id} then answers 404: Entra deletes a user this way "
            + "when it is hard-deleted in Entra, and expects it gone.",
        rationale:
            "When a user is hard-deleted in Entra, Entra sends DELETE /Users/{id} and expects 204, after "
            + "which the user is gone (GET answers 404); a user that survives is matched again and reappears.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Delete User'",
            "Microsoft: How application provisioning works (how-provisioning-works), 'Deprovisioning'",
            "RFC 7644 §3.6 (deleting resources)",
        ],
        // Deleting needs a test user, nothing more; it goes last, after every probe that works on that user.
        dependencies: ["user-lifecycle.create"],
        runsAfter: [
            "user-lifecycle.read-back", "user-lifecycle.duplicate", "user-lifecycle.filter", "user-lifecycle.patch",
            "user-lifecycle.manager", "user-lifecycle.manager-query", "user-lifecycle.disable",
        ], timeoutInRequests: 30, writes: true,
        examples: [
            ProbeExample(
                "204 then 404", LifecycleExampleServer.setup(), expect: .pass,
                finding: "DELETE /scim/v2/Users/u-1 answered 204 and GET then answers 404"),
            ProbeExample(
                "the user remains", LifecycleExampleServer.setup(.init(deleteKeeps: true)), expect: .fail,
                finding: "DELETE answered 204 but the user remains"),
            ProbeExample(
                "DELETE not supported", LifecycleExampleServer.setup(.init(deleteStatus: 405)), expect: .fail,
                finding: "answered HTTP 405: \"cannot delete\" instead of 204"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let id = try await context.lifecycleUser().creation.id else {
            return .skip("no test user (see user-lifecycle.create)")
        }
        return try await context.serially(.users) { try await LifecycleVerdicts.delete(context, .users, id: id) }
    }
}
