import Foundation

/// The Groups endpoint under the examples' default Tenant URL.
private let groups = "/scim/v2/Groups"
private let page = Route.get(groups, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.group()])))
private let exact = Route.get(
    groups, query: [#"displayName eq "Tour Guides""#], .json(200, ScimSamples.list([ScimSamples.group()])))
private let swapped = #"excludedAttributes=members&filter=displayName eq "tOUR gUIDES""#

/// `groups.filter-case`: the displayName filter with the letter case swapped still finds the group.
struct GroupsFilterCaseProbe: Probe {
    let description = ProbeDescription(
        id: "groups.filter-case", section: .groups, title: "Filter on displayName ignores letter case",
        checks: "GET /Groups?filter=displayName eq \"<the same displayName in another case>\" returns that group: "
            + "Microsoft's SCIM Validator tests \"Filter for existing group different case\" "
            + "(a validator expectation).",
        rationale:
            "Microsoft's SCIM Validator tests a group filter with a displayName in another letter case "
            + "(observed by a third party); a case-sensitive match makes Entra miss the group and try to "
            + "create it again. This is a validator expectation, not a documented Entra request (unconfirmed).",
        sources: [
            "3rd-party: Microsoft SCIM Validator test list observed by pranems/SCIMServer (Feb 2026); the "
                + "test names are not published by Microsoft (unconfirmed): 'Filter for existing group different "
                + "case'",
            "RFC 7643 §4.2 (Group displayName)",
        ],
        dependencies: ["groups.filter"],
        examples: [
            ProbeExample(
                "case-insensitive",
                ExampleSetup(routes: [
                    page, exact, .get(groups, query: [swapped], .json(200, ScimSamples.list([ScimSamples.group()]))),
                ]), expect: .pass, finding: "compared case-insensitively"),
            ProbeExample(
                "case-sensitive",
                ExampleSetup(routes: [page, exact, .get(groups, query: [swapped], .json(200, ScimSamples.emptyList))]),
                expect: .warn, finding: "displayName matching is case-sensitive"),
            ProbeExample(
                "filter ignored for the other case",
                ExampleSetup(routes: [
                    page, exact,
                    .get(
                        groups, query: [swapped],
                        .json(
                            200,
                            ScimSamples.list([
                                ScimSamples.group(), ScimSamples.group(id: "fc348aa8", displayName: "Sales Reps"),
                            ]))),
                ]), expect: .fail, finding: "filter returns other groups"),
            ProbeExample(
                "displayName without letters",
                ExampleSetup(routes: [
                    .get(
                        groups, query: ["startIndex=1"],
                        .json(200, ScimSamples.list([ScimSamples.group(displayName: "2024-07")])))
                ]), expect: .skip, finding: "no letters"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        switch try await MatchingFilter.sample(context, .groups, listProbe: "groups.list") {
        case .none(let skip): return skip
        case .found(let id, let name):
            let variant = swappedCase(name)
            guard variant != name else {
                return .skip("the displayName \"\(name)\" has no letters, so its case cannot be varied")
            }
            return try await MatchingFilter.verdict(
                context, .groups, value: variant, expectedID: id, differentCase: true)
        }
    }
}
