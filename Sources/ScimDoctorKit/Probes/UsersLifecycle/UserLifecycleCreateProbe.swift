import Foundation

/// `user-lifecycle.create`: POST /Users with Entra's default user mapping answers 201 with an id.
struct UserLifecycleCreateProbe: Probe {
    let description = ProbeDescription(
        id: "user-lifecycle.create", section: .usersLifecycle, title: "Create a user as Entra does",
        checks: "POST /Users with the body Entra's default user mapping produces (userName, active, displayName, "
            + "title, work e-mail, name, work address, phone numbers, externalId, preferredLanguage, enterprise "
            + "employeeNumber and department, meta, roles) answers 201 Created with an id: Entra creates every "
            + "assigned user it cannot match this way, and keeps the id for all later updates.",
        rationale:
            "Entra creates every assigned user it cannot match with POST /Users and a body from its default "
            + "mapping; it keeps the returned id for every later update, so the create must answer 201 with an "
            + "id and accept every mapped attribute.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Create User' and 'Design your user and group schema'",
            "Microsoft: How application provisioning works (how-provisioning-works), 'Initial cycle'",
            "RFC 7644 §3.3 (creating resources)",
        ],
        dependencies: ["test-connection.users"], timeoutInRequests: 3, writes: true,
        examples: [
            ProbeExample(
                "201 with an id", LifecycleExampleServer.setup(), expect: .pass,
                finding: "POST /scim/v2/Users answered 201 Created with id u-1"),
            ProbeExample(
                "200 with an id",
                LifecycleExampleServer.setup(.init(createStatus: 200)), expect: .pass,
                finding: "answered 200 with id u-1"),
            ProbeExample(
                "an upsert answers with an existing user",
                LifecycleExampleServer.setup(
                    .init(
                        createReturnsExisting: object([
                            "id": .string("real-7"), "userName": .string("alice@contoso.com"),
                        ])),
                    before: [.get("/scim/v2/Users/real-7", .json(200, ScimSamples.user(id: "real-7")))]),
                expect: .fail, finding: "with id real-7, but GET Users/real-7 shows another resource"),
            ProbeExample(
                "an id that is a dot segment",
                LifecycleExampleServer.setup(.init(createReply: .json(201, #"{"id":".."}"#))), expect: .fail,
                finding: "the id \"..\" is a dot segment"),
            ProbeExample(
                "400 naming an attribute",
                LifecycleExampleServer.setup(
                    .init(
                        createReply: .json(
                            400,
                            ScimSamples.error(
                                400, detail: "Attribute 'phoneNumbers' is not supported", scimType: "invalidValue")))),
                expect: .fail, finding: "naming \"phoneNumbers\""),
            ProbeExample(
                "the enterprise extension object refused",
                LifecycleExampleServer.setup(
                    .init(
                        createReply: .json(
                            400,
                            ScimSamples.error(
                                400, detail: "Unsupported extension \(SchemaURN.enterpriseUser)",
                                scimType: "invalidValue")))),
                expect: .fail, finding: "naming \"\(SchemaURN.enterpriseUser)\""),
            ProbeExample(
                "two attributes refused one after the other: retried without them, the user is created",
                LifecycleExampleServer.setup(.init(refusesAttributes: ["phoneNumbers", SchemaURN.enterpriseUser])),
                expect: .fail,
                finding:
                    "the server refuses \"phoneNumbers\", \"\(SchemaURN.enterpriseUser)\"; without it the user was "
                    + "created (u-1), so the other user probes run on that one"),
            ProbeExample(
                "refused without a name: the core attributes alone are accepted",
                LifecycleExampleServer.setup(.init(refusesSilently: ["addresses"])), expect: .fail,
                finding: "an attribute it did not name (the core attributes alone were accepted"),
            ProbeExample(
                "refused whatever is left out: the list may be incomplete",
                LifecycleExampleServer.setup(
                    .init(refusesAttributes: ["title", "addresses", "phoneNumbers", "roles"])),
                expect: .fail, finding: "the list of refused attributes may be incomplete"),
            ProbeExample(
                "400 without a reason",
                LifecycleExampleServer.setup(.init(createReply: .json(400, "{}"))), expect: .fail,
                finding: "rejects Entra's default user body without naming an attribute"),
            ProbeExample(
                "201 without an id",
                LifecycleExampleServer.setup(.init(createReply: .json(201, #"{"userName":"x"}"#))), expect: .fail,
                finding: "answered HTTP 201 without an id"),
            ProbeExample(
                "token may not write",
                LifecycleExampleServer.setup(
                    .init(createReply: .json(403, ScimSamples.error(403, detail: "read-only token")))),
                expect: .fail, finding: "not allowed to create users"),
            ProbeExample(
                "no answer",
                LifecycleExampleServer.setup(
                    .init(
                        createReply: .failure(TransportError(kind: .timeout, code: 28, message: "Operation timed out")))
                ),
                expect: .fail, finding: "got no answer (Operation timed out)"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let user = try await context.lifecycleUser()
        var verdict = LifecycleVerdicts.create(user.entraCreate)
        guard user.attempts.count > 1 else { return verdict }
        // Entra's body was refused; the retries show what the server refuses, and what the other probes work on.
        let evidence = user.attempts.flatMap { LifecycleEvidence.write($0.exchange, sent: $0.sent) }
        let refused = user.removed.map { "\"\($0)\"" }.joined(separator: ", ")
        let fixes = user.removed.map(LifecycleVerdicts.attributeFix).joined(separator: " ")
        guard let accepted = user.attempts.first(where: { $0.id != nil }) else {
            var also = refused.isEmpty ? "" : "; without \(refused) it was still refused"
            if user.budgetSpent {
                also +=
                    "; the list of refused attributes may be incomplete (scim-doctor tries \(userCreateAttempts) "
                    + "creates at most)"
            }
            verdict.finding += also
            verdict.evidence = evidence
            return verdict
        }
        let parts =
            user.triedCoreOnly
            ? (refused.isEmpty ? "" : refused + " and ")
                + "an attribute it did not name (the core attributes alone were accepted: it is one of title, "
                + "addresses, phoneNumbers, preferredLanguage, the enterprise extension, meta, roles)"
            : refused
        return .fail(
            "\(shortRequest(user.entraCreate.exchange)) with Entra's default body answered "
                + "\(LifecycleEvidence.said(user.entraCreate.exchange)): the server refuses \(parts); without it the user "
                + "was created (\(accepted.id ?? "")), so the other user probes run on that one",
            evidence: evidence,
            fix: fixes.isEmpty
                ? "On the server: accept Entra's default user create (every attribute of the first body above), "
                    + "ignoring attributes it does not store rather than refusing the request; its logs name the one "
                    + "it refuses. Or remove that attribute's mapping in \(LifecycleVerdicts.userMappings)."
                : fixes,
            blocksDependants: false)
    }
}
