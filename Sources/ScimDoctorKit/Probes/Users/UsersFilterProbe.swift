import Foundation

/// The Users endpoint under the examples' default Tenant URL.
private let users = "/scim/v2/Users"
/// The first page of the examples: one user of three.
private let page = Route.get(
    users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()], total: 3)))
private let byUserName = #"filter=userName eq "bjensen@example.com""#
/// Entra's Test Connection query (the examples' GUID).
private let testConnection = #"filter=userName eq "2d1e6a4e"#
/// Every user, whatever the filter.
private let ignored = ScimSamples.list(
    [ScimSamples.user(id: "902c246b", userName: "jsmith@example.com"), ScimSamples.user()], total: 3)

/// `users.filter`: `filter=userName eq "<existing userName>"` finds exactly that user, as Entra's matching does.
struct UsersFilterProbe: Probe {
    let description = ProbeDescription(
        id: "users.filter", section: .users, title: "Filter on userName finds the existing user",
        checks: "GET /Users?filter=userName eq \"<a listed user's userName>\" returns exactly that user: Entra looks "
            + "users up this way before deciding to create or update them.",
        rationale:
            "Before creating or updating a user, Entra looks it up with filter=userName eq \"…\": a server "
            + "that ignores the filter (returning every user) or cannot find an existing user makes Entra "
            + "create duplicates, get 409 conflicts, or fail with MultipleEntriesInResponse.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), requirements table (users are queried with userName "
                + "and externalId)",
            "Microsoft: How application provisioning works (how-provisioning-works), 'Incremental cycles'",
            "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table "
                + "(MultipleEntriesInResponse)",
            "Microsoft: Customize attribute mappings (customize-application-attributes), 'Matching users in "
                + "the source and target systems'",
            "RFC 7644 §3.4.2.2 (filtering)",
        ],
        dependencies: ["users.list"],
        examples: [
            ProbeExample(
                "finds the user",
                ExampleSetup(routes: [
                    page, .get(users, query: [byUserName], .json(200, ScimSamples.list([ScimSamples.user()]))),
                ]), expect: .pass, finding: "finds exactly that user"),
            ProbeExample(
                "no users",
                ExampleSetup(routes: [.get(users, query: ["startIndex=1"], .json(200, ScimSamples.emptyList))]),
                expect: .skip, finding: "no users in the tenant to filter on"),
            ProbeExample(
                "finds nothing",
                ExampleSetup(routes: [page, .get(users, query: [byUserName], .json(200, ScimSamples.emptyList))]),
                expect: .fail, finding: "does not find an existing user"),
            ProbeExample(
                "filter ignored",
                ExampleSetup(routes: [
                    page,
                    .get(
                        users, query: [byUserName],
                        .json(
                            200,
                            ScimSamples.list(
                                [
                                    ScimSamples.user(id: "902c246b", userName: "jsmith@example.com"),
                                    ScimSamples.user(),
                                ], total: 3))),
                ]), expect: .fail, finding: "filter returns other users (ignored?)"),
            ProbeExample(
                "another user returned",
                ExampleSetup(routes: [
                    page,
                    .get(
                        users, query: [byUserName],
                        .json(200, ScimSamples.list([ScimSamples.user(id: "902c246b", userName: "jsmith@example.com")]))
                    ),
                ]), expect: .fail, finding: "Entra would match the wrong user"),
            ProbeExample(
                "two users with that userName",
                ExampleSetup(routes: [
                    page,
                    .get(
                        users, query: [byUserName],
                        .json(200, ScimSamples.list([ScimSamples.user(), ScimSamples.user(id: "77aa01ce")]))),
                ]), expect: .fail, finding: "2 users share the userName"),
            ProbeExample(
                "filter unsupported",
                ExampleSetup(routes: [
                    page,
                    .get(
                        users, query: [byUserName],
                        .json(
                            400, ScimSamples.error(400, detail: "Filtering is not supported", scimType: "invalidFilter")
                        )),
                ]), expect: .fail, finding: "filter unsupported"),
            ProbeExample(
                "filter unsupported, as Test Connection already shows",
                ExampleSetup(routes: [
                    page, .get(users, query: [byUserName], .json(400, ScimSamples.error(400, detail: "No filters"))),
                    .get(users, query: [testConnection], .json(400, ScimSamples.error(400, detail: "No filters"))),
                ]), expect: .skip, finding: "rejects userName filters (HTTP 400) altogether, as test-connection.users"),
            ProbeExample(
                "filter ignored, as Test Connection already shows",
                ExampleSetup(routes: [
                    page, .get(users, query: [testConnection], .json(200, ignored)),
                    .get(users, query: [byUserName], .json(200, ignored)),
                ]), expect: .skip, finding: "ignores userName filters altogether, as test-connection.users reports"),
            ProbeExample(
                "filter answered with 404",
                ExampleSetup(routes: [
                    page,
                    .get(users, query: [byUserName], .json(404, ScimSamples.error(404, detail: "User not found"))),
                ]), expect: .fail, finding: "answered HTTP 404"),
            ProbeExample(
                "userName with a quote",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, ScimSamples.list([ScimSamples.user(userName: #"o\"brien@example.com"#)])))
                ]), expect: .skip, finding: "quote or backslash"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        switch try await MatchingFilter.sample(context, .users, listProbe: "users.list") {
        case .none(let skip): return skip
        case .found(let id, let name):
            return try await MatchingFilter.verdict(
                context, .users, value: name, expectedID: id, differentCase: false)
        }
    }
}
