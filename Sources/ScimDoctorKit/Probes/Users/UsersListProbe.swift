import Foundation

/// The Users endpoint under the examples' default Tenant URL.
private let users = "/scim/v2/Users"

/// `users.list`: `GET /Users?startIndex=1&count=1` is a well-formed ListResponse whose users carry `id` and
/// `userName`.
struct UsersListProbe: Probe {
    let description = ProbeDescription(
        id: "users.list", section: .users, title: "Users list is a SCIM ListResponse",
        checks:
            "GET /Users?startIndex=1&count=1 answers 200 with a ListResponse (integer totalResults and itemsPerPage, "
            + "users with id and userName): Entra parses every query answer this way.",
        rationale:
            "Every answer Entra reads is parsed as a SCIM ListResponse; a list that lacks integer "
            + "totalResults, or resources without id and userName, makes Entra fail with \"unable to parse the "
            + "response\" (\(EntraErrorCode.serviceIncompatible)).",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Retrieving Resources' and 'General' (responses to "
                + "queries are a ListResponse; id is required)",
            "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table "
                + "(ServiceIncompatible)",
            "RFC 7644 §3.4.2 (ListResponse), §3.4.2.4 (pagination)",
        ],
        dependencies: ["auth.token-accepted", "test-connection.users"],
        examples: [
            ProbeExample(
                "one user of three",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()], total: 3)))
                ]), expect: .pass, finding: "ListResponse, totalResults 3"),
            ProbeExample(
                "a 500 only with startIndex and count",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .json(500, ScimSamples.error(500, detail: "NullReference"))),
                    .get(users, .json(200, ScimSamples.list([ScimSamples.user()], total: 1))),
                ]), expect: .fail,
                finding: "without startIndex and count answers a ListResponse: the server breaks on paging"),
            ProbeExample(
                "a 500 on every list",
                ExampleSetup(routes: [.get(users, .json(500, ScimSamples.error(500, detail: "down")))]), expect: .fail,
                finding: "HTTP 500"),
            ProbeExample(
                "empty tenant without Resources",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, #"{"schemas":["\#(SchemaURN.listResponse)"],"totalResults":0,"itemsPerPage":0}"#))
                ]), expect: .pass, finding: "totalResults 0"),
            ProbeExample(
                "itemsPerPage missing",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(
                            200,
                            #"{"schemas":["\#(SchemaURN.listResponse)"],"totalResults":1,"#
                                + #""Resources":[\#(ScimSamples.user())]}"#
                        ))
                ]), expect: .warn, finding: "itemsPerPage is missing"),
            ProbeExample(
                "itemsPerPage as a string",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(
                            200,
                            #"{"schemas":["\#(SchemaURN.listResponse)"],"totalResults":1,"itemsPerPage":"1","#
                                + #""Resources":[\#(ScimSamples.user())]}"#))
                ]), expect: .fail, finding: "itemsPerPage is the string \"1\""),
            ProbeExample(
                "totalResults as a string",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, #"{"schemas":["\#(SchemaURN.listResponse)"],"totalResults":"1","Resources":[]}"#))
                ]), expect: .fail, finding: "totalResults is the string \"1\""),
            ProbeExample(
                "user without id",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, ScimSamples.list([#"{"userName":"bjensen@example.com","active":true}"#])))
                ]), expect: .fail, finding: "id is required"),
            ProbeExample(
                "user without userName",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([#"{"id":"2819c223"}"#])))
                ]), expect: .fail, finding: "no string userName"),
            ProbeExample(
                "Resources missing although users exist",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, #"{"schemas":["\#(SchemaURN.listResponse)"],"totalResults":4,"itemsPerPage":1}"#))
                ]), expect: .fail, finding: "Resources is missing although totalResults is 4"),
            ProbeExample(
                "bare array instead of a ListResponse",
                ExampleSetup(routes: [.get(users, query: ["startIndex=1"], .json(200, "[\(ScimSamples.user())]"))]),
                expect: .fail, finding: "not a ListResponse object"),
            ProbeExample(
                "schemas lack the ListResponse URN",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, #"{"totalResults":1,"itemsPerPage":1,"Resources":[\#(ScimSamples.user())]}"#))
                ]), expect: .fail, finding: "lack the ListResponse URN"),
            ProbeExample(
                "HTML login page",
                ExampleSetup(routes: [.get(users, query: ["startIndex=1"], .html(200, ScimSamples.loginPage))]),
                expect: .fail, finding: "instead of a SCIM ListResponse"),
            ProbeExample(
                "HTTP 500",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .json(500, ScimSamples.error(500, detail: "Internal error")))
                ]), expect: .fail, finding: "HTTP 500 (InternalServerError)"),
            ProbeExample(
                "body cut at the size limit",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .response(
                            HTTPResponse(
                                status: 200, headers: [("Content-Type", "application/scim+json")],
                                body: Data(#"{"schemas":["\#(SchemaURN.listResponse)"],"Resources":[{"id":"#.utf8),
                                bodyTruncated: true)))
                ]), expect: .fail, finding: "too large: more than 85 bytes"),
            ProbeExample(
                "deeply nested JSON",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)))
                ]), expect: .fail, finding: "nests 5000 levels deep"),
            ProbeExample(
                "invalid UTF-8",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .response(HTTPResponse(status: 200, body: Data([0x7B, 0xFF, 0xFE, 0x7D]))))
                ]), expect: .fail, finding: "not valid UTF-8"),
            ProbeExample(
                "timeout",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .failure(
                            TransportError(
                                kind: .timeout, code: 28, message: "Operation timed out after 5000 milliseconds")))
                ]), expect: .fail, finding: "no HTTP answer"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.userPage()
        switch readList(exchange, kind: .users, query: .page) {
        case .failure(let problem): return try await pagingFault(exchange, kind: .users, context) ?? problem.verdict
        case .success(let page): return listVerdict(page)
        }
    }
}

/// A server error that only paging causes: the unpaged `GET /{kind}` answers a ListResponse while the page with
/// `startIndex` and `count` fails with 5xx. That detail is the fix. Nil when it is not that.
func pagingFault(_ exchange: Exchange, kind: ResourceKind, _ context: ProbeContext) async throws -> Verdict? {
    guard let status = exchange.response?.status, status >= 500 else { return nil }
    let unpaged = try await context.get(kind.path, query: kind.extraQuery)
    guard answersList(unpaged, kind) else { return nil }
    return .fail(
        "\(shortRequest(exchange)) fails with HTTP \(status), while \(shortRequest(unpaged)) without startIndex and "
            + "count answers a ListResponse: the server breaks on paging",
        evidence: Evidence.exchange(exchange) + [
            Evidence("unpaged", "\(shortRequest(unpaged)) → HTTP 200, ListResponse")
        ],
        fix: "On the server: support the startIndex and count query parameters on /\(kind.path) (RFC 7644 §3.4.2.4: "
            + "1-based startIndex, count ≥ 0); Microsoft requires listing and paginating, and its logs for this "
            + "request show what fails.")
}

/// The verdict on a well-formed first page (users or groups): pass, or warn when itemsPerPage is missing.
func listVerdict(_ page: ListPage) -> Verdict {
    let evidence = [
        Evidence.request(page.exchange.request), .status(page.response),
        Evidence("page", "totalResults \(page.totalResults), \(page.resources.count) resource(s) returned"),
    ]
    guard let perPage = page.itemsPerPage else {
        return .warn(
            "ListResponse, totalResults \(page.totalResults), but itemsPerPage is missing (RFC 7644 §3.4.2 requires it "
                + "on paged results)",
            evidence: evidence,
            fix: "On the server: add \"itemsPerPage\" (the number of resources in this page) to every ListResponse.")
    }
    return .pass(
        "ListResponse, totalResults \(page.totalResults), itemsPerPage \(perPage)", evidence: evidence)
}
