import Foundation

/// The Users endpoint under the examples' default Tenant URL.
private let users = "/scim/v2/Users"
private let page = Route.get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()])))
private let exact = Route.get(
    users, query: [#"userName eq "bjensen@example.com""#], .json(200, ScimSamples.list([ScimSamples.user()])))
private let swapped = #"userName eq "BJENSEN@EXAMPLE.COM""#

/// `users.filter-case`: the userName filter with the letter case swapped still finds the user (caseExact false).
struct UsersFilterCaseProbe: Probe {
    let description = ProbeDescription(
        id: "users.filter-case", section: .users, title: "Filter on userName ignores letter case",
        checks:
            "GET /Users?filter=userName eq \"<the same userName in another case>\" returns that user: SCIM userName "
            + "is caseExact false, and Entra sends the source casing as-is (inferred).",
        rationale:
            "SCIM's userName is caseExact false, and Entra sends the source value's letter case as it is "
            + "(inferred): a server that matches case-sensitively misses an existing user whose userName "
            + "differs in case, and Entra then tries to create it again (409).",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Discover schema' sample (userName caseExact false)",
            "3rd-party: Microsoft SCIM Validator test list observed by pranems/SCIMServer (Feb 2026); the "
                + "test names are not published by Microsoft (unconfirmed): 'Filter for an existing user with a "
                + "different case'",
            "RFC 7643 §4.1.1 (userName), §2.2 (caseExact)",
        ],
        dependencies: ["users.filter"],
        examples: [
            ProbeExample(
                "case-insensitive",
                ExampleSetup(routes: [
                    page, exact, .get(users, query: [swapped], .json(200, ScimSamples.list([ScimSamples.user()]))),
                ]), expect: .pass, finding: "compared case-insensitively"),
            ProbeExample(
                "case-sensitive",
                ExampleSetup(routes: [page, exact, .get(users, query: [swapped], .json(200, ScimSamples.emptyList))]),
                expect: .fail, finding: "userName matching is case-sensitive"),
            ProbeExample(
                "rejects the upper-case value",
                ExampleSetup(routes: [
                    page, exact,
                    .get(users, query: [swapped], .json(400, ScimSamples.error(400, detail: "Invalid userName"))),
                ]), expect: .fail, finding: "filter unsupported"),
            ProbeExample(
                "userName without letters",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, ScimSamples.list([ScimSamples.user(userName: "100234")])))
                ]), expect: .skip, finding: "no letters"),
            ProbeExample(
                "no users",
                ExampleSetup(routes: [.get(users, query: ["startIndex=1"], .json(200, ScimSamples.emptyList))]),
                expect: .skip, finding: "no users"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        switch try await MatchingFilter.sample(context, .users, listProbe: "users.list") {
        case .none(let skip): return skip
        case .found(let id, let name):
            let variant = swappedCase(name)
            guard variant != name else {
                return .skip("the userName \"\(name)\" has no letters, so its case cannot be varied")
            }
            return try await MatchingFilter.verdict(
                context, .users, value: variant, expectedID: id, differentCase: true)
        }
    }
}
