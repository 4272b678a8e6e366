import Foundation

/// The Groups endpoint under the examples' default Tenant URL.
private let groups = "/scim/v2/Groups"

/// `groups.list`: `GET /Groups?excludedAttributes=members&startIndex=1&count=1` is a well-formed ListResponse whose
/// groups carry `id` and `displayName`.
struct GroupsListProbe: Probe {
    let description = ProbeDescription(
        id: "groups.list", section: .groups, title: "Groups list is a SCIM ListResponse",
        checks: "GET /Groups?excludedAttributes=members&startIndex=1&count=1 answers 200 with a ListResponse (integer "
            + "totalResults and itemsPerPage, groups with id and displayName): Entra queries /Groups on Test "
            + "Connection "
            + "and for group provisioning.",
        rationale:
            "Entra queries /Groups on Test Connection and for group provisioning, always with "
            + "excludedAttributes=members; the answer must be a ListResponse with groups carrying id and "
            + "displayName, or Entra cannot parse it.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), '/Groups' and 'Group Operations'",
            "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table "
                + "(ServiceIncompatible)",
            "RFC 7644 §3.4.2 (ListResponse), §3.4.2.5 (excludedAttributes)",
        ],
        dependencies: ["auth.token-accepted", "test-connection.groups"],
        examples: [
            ProbeExample(
                "one group",
                ExampleSetup(routes: [
                    .get(groups, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.group()])))
                ]), expect: .pass, finding: "ListResponse, totalResults 1"),
            ProbeExample(
                "no groups",
                ExampleSetup(routes: [.get(groups, query: ["startIndex=1"], .json(200, ScimSamples.emptyList))]),
                expect: .pass, finding: "totalResults 0"),
            ProbeExample(
                "users-only server",
                ExampleSetup(routes: [
                    .get(groups, query: ["startIndex=1"], .json(404, ScimSamples.error(404, detail: "Not found")))
                ]), expect: .fail, finding: "/Groups not found"),
            ProbeExample(
                "itemsPerPage missing",
                ExampleSetup(routes: [
                    .get(
                        groups, query: ["startIndex=1"],
                        .json(
                            200,
                            #"{"schemas":["\#(SchemaURN.listResponse)"],"totalResults":1,"#
                                + #""Resources":[\#(ScimSamples.group())]}"#
                        ))
                ]), expect: .warn, finding: "itemsPerPage is missing"),
            ProbeExample(
                "group without displayName",
                ExampleSetup(routes: [
                    .get(groups, query: ["startIndex=1"], .json(200, ScimSamples.list([#"{"id":"e9e30dba"}"#])))
                ]), expect: .fail, finding: "no string displayName"),
            ProbeExample(
                "group without id",
                ExampleSetup(routes: [
                    .get(
                        groups, query: ["startIndex=1"],
                        .json(200, ScimSamples.list([#"{"displayName":"Tour Guides"}"#])))
                ]), expect: .fail, finding: "id is required"),
            ProbeExample(
                "totalResults as a string",
                ExampleSetup(routes: [
                    .get(
                        groups, query: ["startIndex=1"],
                        .json(200, #"{"schemas":["\#(SchemaURN.listResponse)"],"totalResults":"0","Resources":[]}"#))
                ]), expect: .fail, finding: "totalResults is the string \"0\""),
            ProbeExample(
                "HTML page",
                ExampleSetup(routes: [.get(groups, query: ["startIndex=1"], .html(200, ScimSamples.loginPage))]),
                expect: .fail, finding: "instead of a SCIM ListResponse"),
            ProbeExample(
                "HTTP 501",
                ExampleSetup(routes: [
                    .get(groups, query: ["startIndex=1"], .json(501, ScimSamples.error(501, detail: "Not implemented")))
                ]), expect: .fail, finding: "HTTP 501 (NotImplemented)"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.groupPage()
        if let response = exchange.response, response.status == 404 {
            return .fail(
                "/Groups not found (HTTP 404): Entra's Test Connection queries /Groups too (3rd-party observation) and "
                    + "group provisioning needs it",
                evidence: Evidence.exchange(exchange),
                fix: "On the server: serve GET {Tenant URL}/Groups; a users-only application can answer an empty "
                    + "ListResponse (totalResults 0). If groups are not provisioned, also disable "
                    + "\"\(EntraPortal.mappingName(.groups))\" under \(EntraPortal.mappings) (whether that stops Test "
                    + "Connection's group query is unconfirmed).")
        }
        switch readList(exchange, kind: .groups, query: .page) {
        case .failure(let problem): return try await pagingFault(exchange, kind: .groups, context) ?? problem.verdict
        case .success(let page): return listVerdict(page)
        }
    }
}
