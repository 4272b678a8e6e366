import Foundation

/// The Groups endpoint under the examples' default Tenant URL.
private let groups = "/scim/v2/Groups"

/// `groups.count`: the page asked with `count=1` holds at most one group.
struct GroupsCountProbe: Probe {
    let description = ProbeDescription(
        id: "groups.count", section: .groups, title: "Groups list honours count",
        checks: "GET /Groups?excludedAttributes=members&startIndex=1&count=1 returns at most one group: paging "
            + "(RFC 7644 §3.4.2.4) is part of Microsoft's SCIM requirements and validation.",
        rationale:
            "Paging groups with startIndex and count is part of Microsoft's SCIM requirements and of its "
            + "validation (SCIM_Group_Pagination_Test).",
        sources: [
            "Microsoft: App gallery user provisioning requirements "
                + "(app-gallery-user-provisioning-requirements)",
            "Microsoft: SCIM validation Logic App test overview (AzureAD/SCIMReferenceCode, "
                + "SCIM-Validation-Test-Overview.md) (SCIM_Group_Pagination_Test)",
            "RFC 7644 §3.4.2.4 (pagination)",
        ],
        dependencies: ["groups.list"],
        examples: [
            ProbeExample(
                "one of two",
                ExampleSetup(routes: [
                    .get(groups, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.group()], total: 2)))
                ]), expect: .pass, finding: "asked for 1, got 1"),
            ProbeExample(
                "count ignored",
                ExampleSetup(routes: [
                    .get(
                        groups, query: ["startIndex=1"],
                        .json(
                            200,
                            ScimSamples.list([
                                ScimSamples.group(), ScimSamples.group(id: "fc348aa8", displayName: "Sales Reps"),
                            ])))
                ]), expect: .fail, finding: "count ignored: asked for 1, got 2"),
            ProbeExample(
                "single group",
                ExampleSetup(routes: [
                    .get(groups, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.group()])))
                ]), expect: .skip, finding: "fewer than two groups"),
            ProbeExample(
                "list unreadable",
                ExampleSetup(routes: [
                    .get(groups, query: ["startIndex=1"], .json(404, ScimSamples.error(404, detail: "Not found")))
                ]), expect: .skip, finding: "groups.list"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        try await countVerdict(context, kind: .groups, listProbe: "groups.list")
    }
}
