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
        LifecycleVerdicts.create(try await context.lifecycleUser().creation)
    }
}
