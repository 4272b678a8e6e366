import Foundation

/// `test-connection.groups`: the group half of Test Connection,
/// `GET {Tenant URL}/Groups?excludedAttributes=members&filter=displayName eq "<GUID>"` (form unconfirmed),
/// gets HTTP 200 with an empty ListResponse.
struct TestConnectionGroupsProbe: Probe {
    static let unconfirmed = "(group query form unconfirmed)"
    private static let groups = "/scim/v2/Groups"
    private static let users = "/scim/v2/Users"
    private static let query = ["displayName eq \""]
    private static func answer(_ reply: Reply) -> ExampleSetup {
        ExampleSetup(routes: [.get(groups, query: query, reply)])
    }
    private static let workingUsers: [Route] = [
        .get(users, query: ["userName eq \""], .json(200, ScimSamples.emptyList)),
        .get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()]))),
    ]
    /// A user endpoint that lists users but answers 404 to a filter that matches nobody.
    private static let workingUsersNotFound: [Route] = [
        .get(users, query: ["userName eq \""], .json(404, ScimSamples.error(404, detail: "User not found"))),
        .get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()]))),
    ]

    let description = ProbeDescription(
        id: "test-connection.groups", section: .testConnection, title: "Entra's group lookup succeeds",
        checks: "Entra also fetches a random group when testing the connection: GET /Groups?excludedAttributes=members"
            + "&filter=displayName eq \"<random GUID>\" (exact form unconfirmed) must answer HTTP 200 with an empty "
            + "ListResponse.",
        // After the user query, as Entra sends it: when that fails outright (wrong path, HTML, 5xx…), the group
        // query would only repeat the failure.
        rationale:
            "Microsoft says Entra fetches a random user and group to test the connection; a server without "
            + "/Groups (or one that answers the group filter with 404) then fails Test Connection. The exact "
            + "group query is not published (unconfirmed; observed by a third party).",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'General' (\"requests to fetch a random user and "
                + "group\")",
            "3rd-party: pranems/SCIMServer, 'Auth - Execution Issues and RCA Ledger', issue 3 (404 on "
                + "/Groups fails Test Connection; exact query unconfirmed)",
            "RFC 7644 §3.4.2.2 (filtering), §3.4.2.5 (excludedAttributes)",
        ],
        dependencies: ["auth.token-accepted", "test-connection.users"],
        examples: [
            ProbeExample(
                "empty ListResponse", answer(.json(200, ScimSamples.emptyList)), expect: .pass,
                finding: "empty ListResponse (totalResults 0) (group query form unconfirmed)"),
            ProbeExample(
                "user-only server",
                ExampleSetup(
                    routes: workingUsers + [.get(groups, .json(404, ScimSamples.error(404, detail: "Not found")))]),
                expect: .fail, finding: "/Groups answers 404"),
            ProbeExample(
                "404 for a group that matches nobody",
                ExampleSetup(routes: [
                    .get(groups, query: query, .json(404, ScimSamples.error(404, detail: "Group not found"))),
                    .get(groups, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.group()]))),
                ]),
                expect: .fail, finding: "answers 404 when no group matches"),
            ProbeExample(
                "404 for no match, like the user query",
                ExampleSetup(
                    routes: workingUsersNotFound + [
                        .get(groups, query: query, .json(404, ScimSamples.error(404, detail: "Group not found"))),
                        .get(groups, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.group()]))),
                    ]),
                expect: .skip, finding: "answers 404 for a displayName that matches nothing, as /Users does"),
            ProbeExample(
                "user-only server whose user query also answers 404 for no match",
                ExampleSetup(
                    routes: workingUsersNotFound + [
                        .get(groups, .json(404, ScimSamples.error(404, detail: "Not found")))
                    ]
                ),
                expect: .fail, finding: "/Groups answers 404"),
            ProbeExample(
                "filter rejected, like the user query",
                ExampleSetup(routes: [
                    .get(users, query: ["userName eq \""], .json(400, ScimSamples.error(400, detail: "Unsupported"))),
                    .get(groups, query: query, .json(400, ScimSamples.error(400, detail: "Unsupported"))),
                ]),
                expect: .skip, finding: "rejects displayName filters (HTTP 400), as /Users does"),
            ProbeExample(
                "filter ignored, like the user query",
                ExampleSetup(routes: [
                    .get(users, query: ["userName eq \""], .json(200, ScimSamples.list([ScimSamples.user()]))),
                    .get(groups, query: query, .json(200, ScimSamples.list([ScimSamples.group()]))),
                ]),
                expect: .skip, finding: "same fault as /Users, which test-connection.users reports"),
            ProbeExample(
                "404 everywhere", expect: .fail, finding: "Tenant URL path does not point at a SCIM service"),
            ProbeExample(
                "filter rejected",
                answer(.json(400, ScimSamples.error(400, detail: "Unsupported filter", scimType: "invalidFilter"))),
                expect: .fail, finding: "rejects the filter displayName eq"),
            ProbeExample(
                "filter ignored",
                answer(.json(200, ScimSamples.list([ScimSamples.group(members: ["2819c223"])]))),
                expect: .fail, finding: "returned 1 group(s)"),
            ProbeExample(
                "token refused", answer(.json(401, ScimSamples.error(401, detail: "Invalid token"))), expect: .fail,
                finding: "token refused"),
            ProbeExample(
                "web app index", answer(.html(200, "<!DOCTYPE html><html><body><app-root></app-root></body></html>")),
                expect: .fail, finding: "single-page app"),
            ProbeExample(
                "totalResults as a string",
                answer(.json(200, "{\"schemas\":[\"\(ScimSamples.listResponseSchema)\"],\"totalResults\":\"0\"}")),
                expect: .fail, finding: "not a non-negative integer"),
            ProbeExample(
                "timeout",
                answer(.failure(TransportError(kind: .timeout, code: 28, message: "Operation timed out"))),
                expect: .fail, finding: "no HTTP answer"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.testConnectionGroups()
        if let response = exchange.response, response.status == 404 {
            return try await Self.notFound(exchange, response, context)
        }
        if let fault = FilterFault(testConnection: exchange, kind: .groups),
            try await FilterFault(testConnection: context.testConnectionUsers(), kind: .users) == fault
        {
            return Self.sameAsUsers("\(fault.describe("displayName")), as /Users does with userName", exchange)
        }
        switch readList(exchange, kind: .groups, query: .testConnection(note: Self.unconfirmed)) {
        case .failure(let problem):
            return problem.verdict
        case .success(let page):
            return .pass(
                "HTTP 200, empty ListResponse (totalResults \(page.totalResults)) \(Self.unconfirmed)",
                evidence: [Evidence.request(exchange.request), .status(page.response), .body(page.response)])
        }
    }

    /// The group query fails the way the user query already did (a filter fault of the whole server): one finding,
    /// test-connection.users', not two.
    private static func sameAsUsers(_ what: String, _ exchange: Exchange) -> Verdict {
        .skip(
            "/Groups has the same fault as /Users, which test-connection.users reports: the server \(what) "
                + unconfirmed,
            evidence: Evidence.exchange(exchange))
    }

    /// Whether Entra's user query got the 404 of a server that answers "no match" with 404 (its list works), which
    /// test-connection.users reports.
    private static func usersAnswer404ForNoMatch(_ context: ProbeContext) async throws -> Bool {
        let users = try await context.testConnectionUsers()
        guard let response = users.response, response.status == 404 else { return false }
        if answersList(try await context.userPage(), .users) { return true }
        return try await !context.tenantPathLooksWrong() && SCIMAnswer.looksLikeSCIM(response)
    }

    private static func isList(_ exchange: Exchange, _ kind: ResourceKind) -> Bool { answersList(exchange, kind) }

    /// A 404: "no group matches", "no /Groups at all on a working user endpoint", or "wrong path".
    private static func notFound(_ exchange: Exchange, _ response: HTTPResponse, _ context: ProbeContext)
        async throws -> Verdict
    {
        let groupList = try await context.groupPage()
        let groupsWork = isList(groupList, .groups)
        let userList = try await context.userPage()
        let usersWork = try await isList(context.testConnectionUsers(), .users) || isList(userList, .users)
        var evidence = Evidence.exchange(exchange) + SCIMAnswer.errorEvidence(response)
        evidence.append(
            Evidence(
                "related requests",
                "\(groupList.request.url) → \(groupList.response.map { "HTTP \($0.status)" } ?? "no answer"); "
                    + "/Users: \(usersWork ? "answers a SCIM ListResponse" : "no SCIM ListResponse")"))
        evidence.append(Evidence("Entra reports", EntraMessages.notFoundQuote))
        let noMatch = "answers 404 for a displayName that matches nothing, as /Users does for a userName"
        if groupsWork, try await usersAnswer404ForNoMatch(context) { return sameAsUsers(noMatch, exchange) }
        if groupsWork {
            return .fail(
                "the server answers 404 when no group matches; Entra expects 200 with an empty ListResponse "
                    + unconfirmed,
                evidence: evidence,
                fix: "On the server (the application's developer): answer a group filter that matches nobody with "
                    + "HTTP 200 and an empty ListResponse (totalResults 0). Microsoft: \(EntraMessages.emptyResultQuote).",
                blocksDependants: false)
        }
        if usersWork {
            return .fail(
                "/Groups answers 404: Entra's Test Connection also queries groups and fails on a user-only server "
                    + "(3rd-party observation) \(unconfirmed)",
                evidence: evidence,
                fix: "On the server: return 200 with an empty ListResponse for GET /Groups (list and filter) even if "
                    + "the application has no groups. Or, if you do not provision groups, disable the group mapping "
                    + "in \(EntraPortal.mappingEnabled(.groups)): No "
                    + "(whether Test Connection still queries /Groups then is unconfirmed).")
        }
        if try await !context.tenantPathLooksWrong(), SCIMAnswer.looksLikeSCIM(response) {
            if try await usersAnswer404ForNoMatch(context) { return sameAsUsers(noMatch, exchange) }
            return .fail(
                "the server answers 404 when no group matches; Entra expects 200 with an empty ListResponse "
                    + unconfirmed,
                evidence: evidence,
                fix: "On the server: answer a group filter that matches nobody with HTTP 200 and an empty "
                    + "ListResponse. Microsoft: \(EntraMessages.emptyResultQuote).", blocksDependants: false)
        }
        let page = HTMLAnswer(response).map { " (it answers \($0.summary))" } ?? ""
        return .fail(
            "404: the Tenant URL path does not point at a SCIM service\(page) \(unconfirmed)", evidence: evidence,
            fix: "Check the Tenant URL (\(EntraPortal.tenantURL)) against the application's SCIM settings page or "
                + "documentation; see test-connection.base-path.")
    }
}
