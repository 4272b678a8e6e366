import Foundation

/// The Groups endpoint under the examples' default Tenant URL.
private let groups = "/scim/v2/Groups"
/// The first page of the examples: one group of two.
private let page = Route.get(
    groups, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.group()], total: 2)))
private let byName = #"excludedAttributes=members&filter=displayName eq "Tour Guides""#

/// `groups.filter`: `filter=displayName eq "<existing displayName>"` finds exactly that group, as Entra's matching
/// does.
struct GroupsFilterProbe: Probe {
    let description = ProbeDescription(
        id: "groups.filter", section: .groups, title: "Filter on displayName finds the existing group",
        checks:
            "GET /Groups?excludedAttributes=members&filter=displayName eq \"<a listed group's displayName>\" returns "
            + "exactly that group: Entra queries groups by displayName before creating or updating them.",
        rationale:
            "Microsoft: \"Use the displayName attribute to query groups.\" Entra looks a group up by "
            + "displayName before creating or updating it; a filter that is ignored or misses creates "
            + "duplicates or fails with MultipleEntriesInResponse.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Group Operations'",
            "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table "
                + "(MultipleEntriesInResponse)",
            "RFC 7644 §3.4.2.2 (filtering)",
        ],
        dependencies: ["groups.list"],
        examples: [
            ProbeExample(
                "finds the group",
                ExampleSetup(routes: [
                    page, .get(groups, query: [byName], .json(200, ScimSamples.list([ScimSamples.group()]))),
                ]), expect: .pass, finding: "finds exactly that group"),
            ProbeExample(
                "no groups",
                ExampleSetup(routes: [.get(groups, query: ["startIndex=1"], .json(200, ScimSamples.emptyList))]),
                expect: .skip, finding: "no groups in the tenant to filter on"),
            ProbeExample(
                "finds nothing",
                ExampleSetup(routes: [page, .get(groups, query: [byName], .json(200, ScimSamples.emptyList))]),
                expect: .fail, finding: "does not find an existing group"),
            ProbeExample(
                "filter ignored",
                ExampleSetup(routes: [
                    page,
                    .get(
                        groups, query: [byName],
                        .json(
                            200,
                            ScimSamples.list([
                                ScimSamples.group(), ScimSamples.group(id: "fc348aa8", displayName: "Sales Reps"),
                            ]))),
                ]), expect: .fail, finding: "filter returns other groups (ignored?)"),
            ProbeExample(
                "two groups with that displayName",
                ExampleSetup(routes: [
                    page,
                    .get(
                        groups, query: [byName],
                        .json(200, ScimSamples.list([ScimSamples.group(), ScimSamples.group(id: "5d1c0b3e")]))),
                ]), expect: .fail, finding: "uniqueness on the displayName"),
            ProbeExample(
                "filter unsupported",
                ExampleSetup(routes: [
                    page,
                    .get(
                        groups, query: [byName],
                        .json(400, ScimSamples.error(400, detail: "Unsupported filter", scimType: "invalidFilter"))),
                ]), expect: .fail, finding: "filter unsupported"),
            ProbeExample(
                "filter unsupported, as both Test Connection queries already show",
                ExampleSetup(routes: [
                    page,
                    .get(groups, query: ["displayName eq"], .json(400, ScimSamples.error(400, detail: "No filters"))),
                    .get(
                        "/scim/v2/Users", query: ["userName eq"],
                        .json(400, ScimSamples.error(400, detail: "No filters"))),
                ]),
                expect: .skip, finding: "rejects displayName filters (HTTP 400) altogether, as test-connection.users"),
            ProbeExample(
                "filter unsupported on /Groups only, as test-connection.groups already shows",
                ExampleSetup(routes: [
                    page,
                    .get(groups, query: ["displayName eq"], .json(400, ScimSamples.error(400, detail: "No filters"))),
                    .get("/scim/v2/Users", query: ["userName eq"], .json(200, ScimSamples.emptyList)),
                ]),
                expect: .skip, finding: "as test-connection.groups reports"),
            ProbeExample(
                "filter answered with 404",
                ExampleSetup(routes: [
                    page, .get(groups, query: [byName], .json(404, ScimSamples.error(404, detail: "Group not found"))),
                ]), expect: .fail, finding: "answered HTTP 404"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        switch try await MatchingFilter.sample(context, .groups, listProbe: "groups.list") {
        case .none(let skip): return skip
        case .found(let id, let name):
            return try await MatchingFilter.verdict(context, .groups, value: name, expectedID: id, differentCase: false)
        }
    }
}
