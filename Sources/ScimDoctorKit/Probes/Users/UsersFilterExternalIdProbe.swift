import Foundation

private let users = "/scim/v2/Users"
/// A first page whose user carries an externalId.
private let page = Route.get(
    users, query: ["startIndex=1"],
    .json(200, ScimSamples.list([ScimSamples.user(externalId: "0a21f0f2-8d2a")], total: 3)))
private let byExternalId = #"filter=externalId eq "0a21f0f2-8d2a""#
/// Entra's Test Connection query (the examples' GUID).
private let testConnection = #"filter=userName eq "2d1e6a4e"#

/// `users.filter-external-id`: `filter=externalId eq "<a listed user's externalId>"` finds exactly that user.
struct UsersFilterExternalIdProbe: Probe {
    static let unknownMatching =
        "whether externalId is a matching attribute of this app's user mapping cannot be seen from the SCIM side "
        + "(Entra's default matches on userName; check --tenant … reads the mapping and decides)"

    let description = ProbeDescription(
        id: "users.filter-external-id", section: .users, title: "Filter on externalId finds the existing user",
        checks: "GET /Users?filter=externalId eq \"<a listed user's externalId>\" returns exactly that user: Entra "
            + "queries users by externalId too when it is a matching attribute.",
        rationale:
            "Microsoft: \"users are retrieved with their id and queried with their username and externalId\". A "
            + "mapping that matches on externalId (second precedence, or moved first) makes Entra look users up "
            + "this way; a server that cannot filter on it creates duplicates or fails the lookup.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), requirements table (users are queried with userName "
                + "and externalId)",
            "Microsoft: Customize attribute mappings (customize-application-attributes), 'Matching users in "
                + "the source and target systems'",
            "RFC 7644 §3.4.2.2 (filtering)",
        ],
        dependencies: ["users.list"],
        examples: [
            ProbeExample(
                "finds the user",
                ExampleSetup(routes: [
                    page,
                    .get(
                        users, query: [byExternalId],
                        .json(200, ScimSamples.list([ScimSamples.user(externalId: "0a21f0f2-8d2a")]))),
                ]), expect: .pass, finding: "externalId eq \"0a21f0f2-8d2a\" finds exactly user 2819c223"),
            ProbeExample(
                "a 500 on the externalId filter",
                ExampleSetup(routes: [
                    page, .get(users, query: [byExternalId], .json(500, ScimSamples.error(500, detail: "boom"))),
                ]), expect: .fail, finding: "a server error on externalId eq \"0a21f0f2-8d2a\""),
            ProbeExample(
                "the filter is refused",
                ExampleSetup(routes: [
                    page,
                    .get(
                        users, query: [byExternalId],
                        .json(400, ScimSamples.error(400, detail: "unsupported filter", scimType: "invalidFilter"))),
                ]), expect: .warn, finding: "rejects filter=externalId eq"),
            ProbeExample(
                "every filter refused, as Test Connection already shows",
                ExampleSetup(routes: [
                    page, .get(users, query: [byExternalId], .json(400, ScimSamples.error(400, detail: "No filters"))),
                    .get(users, query: [testConnection], .json(400, ScimSamples.error(400, detail: "No filters"))),
                ]), expect: .skip, finding: "rejects userName filters (HTTP 400) altogether, as test-connection.users"),
            ProbeExample(
                "every filter ignored, as Test Connection already shows",
                ExampleSetup(routes: [
                    page,
                    .get(users, query: [testConnection], .json(200, ScimSamples.list([ScimSamples.user()], total: 3))),
                    .get(
                        users, query: [byExternalId],
                        .json(200, ScimSamples.list([ScimSamples.user(id: "902c246b"), ScimSamples.user()], total: 3))),
                ]), expect: .skip, finding: "ignores userName filters altogether, as test-connection.users reports"),
            ProbeExample(
                "finds nothing",
                ExampleSetup(routes: [page, .get(users, query: [byExternalId], .json(200, ScimSamples.emptyList))]),
                expect: .warn, finding: "finds nothing"),
            ProbeExample(
                "joined: Entra matches on externalId",
                GraphExampleTenant.joined(scim: [
                    page, .get(users, query: [byExternalId], .json(200, ScimSamples.emptyList)),
                ]) {
                    $0.userMapping = GraphExampleTenant.mapping("User", SchemaURN.enterpriseUser, matchOn: "externalId")
                }, expect: .fail, finding: "matches on externalId"),
            ProbeExample(
                "joined: Entra matches on userName",
                GraphExampleTenant.joined(scim: [
                    page, .get(users, query: [byExternalId], .json(200, ScimSamples.emptyList)),
                ]),
                expect: .pass, finding: "does not match on externalId"),
            ProbeExample(
                "no externalId on the sample user",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()], total: 1)))
                ]), expect: .skip, finding: "no externalId"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.userPage()
        guard case .success(let listed) = readList(exchange, kind: .users, query: .page) else {
            return .skip("the user list could not be read (see users.list)")
        }
        guard let user = listed.resources.first, let id = user["id"]?.string else {
            return .skip("no users in the tenant to filter on")
        }
        guard let externalId = user["externalId"]?.string, !externalId.isEmpty else {
            return .skip("the sample user has no externalId to filter on")
        }
        guard isPlainFilterValue(externalId) else {
            return .skip("the sample externalId contains a quote or backslash, which Entra cannot filter on")
        }
        let filter = try await context.filter("Users", "externalId", equals: externalId)
        let query = "externalId eq \"\(externalId)\""
        let fix =
            "On the server: support filter=externalId eq \"…\" on /Users and return exactly the matching user "
            + "(RFC 7644 §3.4.2.2); needed when externalId is a matching attribute in "
            + "\(EntraPortal.matchingPrecedence(.users))."
        // Joined with the Entra side (check URL --tenant …), the user mapping says whether this lookup is sent.
        let matching = try await context.entraUserMatching()
        func warn(_ what: String, _ evidence: [Evidence]) -> Verdict {
            guard let matching else { return .warn("\(what); \(Self.unknownMatching)", evidence: evidence, fix: fix) }
            let shown = Evidence(
                "Entra's matching attributes", matching.isEmpty ? "none" : matching.joined(separator: ", "))
            if matching.contains(where: { $0.lowercased() == "externalid" }) {
                return .fail(
                    "\(what), and Entra's user mapping matches on externalId (read through Graph): the lookup fails "
                        + "for every user", evidence: evidence + [shown], fix: fix)
            }
            return .pass(
                "\(what), but Entra's user mapping does not match on externalId (read through Graph): no lookup "
                    + "sends it", evidence: evidence + [shown])
        }
        switch FilterOutcome(filter, kind: .users, value: externalId, expectedID: id) {
        case .exact(let page):
            return .pass(
                "\(query) finds exactly user \(id)", evidence: Evidence.exchange(page.exchange, body: false))
        case .rejected(let exchange, _):
            if let probe = try await MatchingFilter.reportedBy(context, .users, .rejected) {
                return MatchingFilter.alreadyReported(
                    .rejected, .users, by: probe, evidence: Evidence.exchange(exchange))
            }
            return warn("the server rejects filter=externalId eq (HTTP 400)", Evidence.exchange(exchange))
        case .none(let page):
            return warn("\(query) finds nothing, though user \(id) carries it", Evidence.exchange(page.exchange))
        case .others(let page), .duplicates(let page):
            if let probe = try await MatchingFilter.reportedBy(context, .users, .ignored) {
                return MatchingFilter.alreadyReported(
                    .ignored, .users, by: probe, evidence: Evidence.exchange(page.exchange))
            }
            return warn(
                "\(query) returns \(page.resources.count) users instead of exactly \(id)",
                Evidence.exchange(page.exchange))
        case .problem(let problem):
            // A server error on a valid filter is a fault whatever the mapping; anything else may be a choice.
            guard let status = filter.response?.status, status >= 500 else {
                return warn(problem.finding, problem.evidence)
            }
            return .fail(
                "a server error on \(query), the lookup Entra sends for every user when externalId is a matching "
                    + "attribute — \(problem.finding)",
                evidence: problem.evidence,
                fix: "On the server: find the error behind GET /Users?filter=externalId eq \"…\" in its logs and "
                    + "answer with a ListResponse (an empty one when nothing matches, RFC 7644 §3.4.2); an "
                    + "unsupported filter is answered 400 invalidFilter, not 500.")
        }
    }
}
