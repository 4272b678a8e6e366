import Foundation

/// `user-lifecycle.duplicate`: a second create with the same userName answers 409 Conflict.
struct UserLifecycleDuplicateProbe: Probe {
    let description = ProbeDescription(
        id: "user-lifecycle.duplicate", section: .usersLifecycle, title: "A duplicate create answers 409",
        checks: "POST /Users again with the same body answers 409 Conflict: Entra relies on it when its matching "
            + "query misses an existing user; a server that creates a second user leaves duplicates.",
        rationale:
            "When its matching query misses an existing user, Entra's create must be refused with 409 "
            + "Conflict (Microsoft's SCIM Validator expects it); a server that creates a second user leaves duplicates.",
        sources: [
            "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table "
                + "(EntryConflict)",
            "3rd-party: Microsoft SCIM Validator test list observed by pranems/SCIMServer (Feb 2026); the "
                + "test names are not published by Microsoft (unconfirmed): 'Create a duplicate User'",
            "RFC 7644 §3.3 (409 on uniqueness), §3.12",
        ],
        dependencies: ["user-lifecycle.create"], timeoutInRequests: 30, writes: true,
        examples: [
            ProbeExample(
                "409", LifecycleExampleServer.setup(), expect: .pass,
                finding: "same userName answered 409 Conflict"),
            ProbeExample(
                "a second user is created", LifecycleExampleServer.setup(.init(acceptsDuplicates: true)),
                expect: .fail, finding: "duplicate accepted: Entra will create duplicates / fail to match"),
            ProbeExample(
                "the existing user comes back", LifecycleExampleServer.setup(.init(duplicateReturnsExisting: true)),
                expect: .warn, finding: "with the existing user's id u-1 instead of 409"),
            ProbeExample(
                "400 instead of 409", LifecycleExampleServer.setup(.init(duplicateStatus: 400)), expect: .fail,
                finding: "answered HTTP 400: \"could not create the user\" instead of 409 Conflict"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let user = try await context.lifecycleUser()
        guard let originalID = user.creation.id else { return .skip("no test user (see user-lifecycle.create)") }
        return try await context.serially(.users) {
            let result = try await context.create(
                .users, body: user.creation.sent.data, identity: TestPerson.ada.identity(context.writes.tag))
            let exchange = result.exchange
            let request = shortRequest(exchange)
            var evidence = LifecycleEvidence.write(exchange, sent: user.creation.sent)
            let conflictFix =
                "On the server: keep userName unique and answer a second POST /Users with the same userName with "
                + "409 Conflict (scimType \"uniqueness\", RFC 7644 §3.3); Entra then reports the conflict instead "
                + "of creating a duplicate."
            switch WriteAnswer(exchange) {
            case .noAnswer(let error):
                return .fail(
                    "a duplicate \(request) got no answer (\(error.message))", evidence: evidence,
                    fix: noAnswerFix("POST /Users"))
            case .rejected(let response) where response.status == 409:
                return .pass(
                    "a second \(request) with the same userName answered 409 Conflict", evidence: evidence)
            case .rejected:
                return .fail(
                    "a duplicate \(request) answered \(LifecycleEvidence.said(exchange)) instead of 409 Conflict: "
                        + "Entra logs a failed create rather than a conflict it can resolve by matching",
                    evidence: evidence, fix: conflictFix)
            case .accepted(let response):
                if createdID(exchange) == originalID {
                    return .warn(
                        "a duplicate \(request) answered \(response.status) with the existing user's id "
                            + "\(originalID) instead of 409 Conflict: no second user was created, but Entra expects "
                            + "409 for a taken userName",
                        evidence: evidence, fix: conflictFix)
                }
                // Remove the duplicate at once (only once proven the run's own), so that the filter probes see one user.
                let newID = result.ownedID
                if let newID {
                    let removal = try await context.removeAtOnce(.users, id: newID)
                    evidence.append(
                        Evidence("removed", "\(shortRequest(removal)) → \(LifecycleEvidence.said(removal))"))
                }
                return .fail(
                    "duplicate accepted: Entra will create duplicates / fail to match (a second \(request) with "
                        + "userName \(user.creation.label) answered \(response.status)"
                        + (newID.map { ", a second user \($0)" } ?? " without an id") + ")",
                    evidence: evidence,
                    fix: conflictFix
                        + (newID == nil
                            ? " The duplicate may still exist (\(result.notProven ?? "no id")): cleanup looks for it "
                                + "by its name." : ""))
            }
        }
    }
}
