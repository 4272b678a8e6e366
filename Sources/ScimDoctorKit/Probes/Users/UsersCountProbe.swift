import Foundation

/// The Users endpoint under the examples' default Tenant URL.
private let users = "/scim/v2/Users"

/// `users.count`: the page asked with `count=1` holds at most one user.
struct UsersCountProbe: Probe {
    let description = ProbeDescription(
        id: "users.count", section: .users, title: "Users list honours count",
        checks: "GET /Users?startIndex=1&count=1 returns at most one user: listing and paginating users "
            + "(RFC 7644 §3.4.2.4) is a Microsoft requirement, and its SCIM validation pages with count.",
        rationale:
            "Listing users with startIndex and count is part of Microsoft's SCIM requirements, and its "
            + "validation pages through users with count; a server that ignores count returns everything at "
            + "once.",
        sources: [
            "Microsoft: App gallery user provisioning requirements "
                + "(app-gallery-user-provisioning-requirements)",
            "Microsoft: SCIM validation Logic App test overview (AzureAD/SCIMReferenceCode, "
                + "SCIM-Validation-Test-Overview.md) (SCIM_User_Pagination_Test)",
            "RFC 7644 §3.4.2.4 (pagination)",
        ],
        dependencies: ["users.list"],
        examples: [
            ProbeExample(
                "one of three",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()], total: 3)))
                ]), expect: .pass, finding: "asked for 1, got 1"),
            ProbeExample(
                "count ignored",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(
                            200,
                            ScimSamples.list([
                                ScimSamples.user(),
                                ScimSamples.user(id: "902c246b", userName: "jsmith@example.com"),
                                ScimSamples.user(id: "a1b2c3d4", userName: "mtaylor@example.com"),
                            ])))
                ]), expect: .fail, finding: "count ignored: asked for 1, got 3"),
            ProbeExample(
                "single user",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()])))
                ]), expect: .skip, finding: "fewer than two users"),
            ProbeExample(
                "list unreadable",
                ExampleSetup(routes: [.get(users, query: ["startIndex=1"], .html(200, ScimSamples.loginPage))]),
                expect: .skip, finding: "users.list"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        try await countVerdict(context, kind: .users, listProbe: "users.list")
    }
}

/// The `count` verdict shared by `users.count` and `groups.count`.
func countVerdict(_ context: ProbeContext, kind: ResourceKind, listProbe: ProbeID) async throws -> Verdict {
    let exchange = try await context.page(kind)
    guard case .success(let page) = readList(exchange, kind: kind, query: .page) else {
        return .skip("the \(kind.singular) list could not be read (see \(listProbe))")
    }
    let evidence = [
        Evidence.request(exchange.request), .status(page.response),
        Evidence("page", "totalResults \(page.totalResults), \(page.resources.count) resource(s) in Resources"),
    ]
    guard page.totalResults >= 2 else {
        return .skip(
            "cannot tell with fewer than two \(kind.plural) (totalResults \(page.totalResults))", evidence: evidence)
    }
    guard page.resources.count <= 1 else {
        return .fail(
            "count ignored: asked for 1, got \(page.resources.count) \(kind.plural)", evidence: evidence,
            fix: "On the server: honour the count query parameter on GET /\(kind.path) (RFC 7644 §3.4.2.4): return at "
                + "most count resources from startIndex, and set itemsPerPage to the number returned. Microsoft's SCIM "
                + "validation pages with count; whether Entra itself pages during cycles is unconfirmed.")
    }
    return .pass("count honoured: asked for 1, got 1 of \(page.totalResults) \(kind.plural)", evidence: evidence)
}
