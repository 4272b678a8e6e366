import Foundation

/// `test-connection.users`: Entra's Test Connection request, `GET {Tenant URL}/Users?filter=userName eq "<GUID>"`,
/// gets HTTP 200 with an empty ListResponse.
struct TestConnectionUsersProbe: Probe {
    private static let users = "/scim/v2/Users"
    private static let query = ["userName eq \""]
    private static func answer(_ reply: Reply) -> ExampleSetup {
        ExampleSetup(routes: [.get(users, query: query, reply)])
    }
    private static func failure(_ kind: TransportError.Kind, _ code: Int, _ message: String) -> ExampleSetup {
        answer(.failure(TransportError(kind: kind, code: code, message: message)))
    }
    private static func redirect(_ location: String) -> ExampleSetup {
        answer(.response(HTTPResponse(status: 302, headers: [("Location", location)])))
    }
    private static let spaIndex = """
        <!doctype html><html lang="en"><head><title>Acme Console</title>\
        <script type="module" src="/assets/index-4f2a.js"></script></head><body><div id="root"></div></body></html>
        """
    private static let proxyPage = """
        <html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>\
        <hr><center>nginx</center></body></html>
        """

    let description = ProbeDescription(
        id: "test-connection.users", section: .testConnection, title: "Entra's Test Connection query succeeds",
        checks: "Replays Entra's Test Connection request, GET /Users?filter=userName eq \"<random GUID>\" with the "
            + "token, which must answer HTTP 200 with an empty SCIM ListResponse (totalResults 0).",
        rationale:
            "This is the request Entra's Test Connection sends, and the one at the start of every "
            + "provisioning cycle and before provisioning on demand: a filter for a random GUID that must "
            + "answer 200 with an empty ListResponse. Anything else (404, 400, HTML, 401) fails Test "
            + "Connection or quarantines the job.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Getting started' (Test Connection) and 'Get User by "
                + "query - Zero results'",
            "Microsoft: Troubleshoot on-premises application provisioning (on-premises-ecma-troubleshoot), "
                + "'Understand incoming SCIM requests' (the literal request and the error format)",
            "Microsoft: Application provisioning in quarantine status "
                + "(application-provisioning-quarantine-status), 'SCIM Compliance issue'",
            "Microsoft: App gallery user provisioning requirements "
                + "(app-gallery-user-provisioning-requirements) (\"Don't return a bad request\")",
            "RFC 7644 §3.4.2 (query resources), §3.4.2.2 (filtering)",
        ],
        dependencies: ["auth.token-accepted"],
        examples: [
            ProbeExample(
                "empty ListResponse", answer(.json(200, ScimSamples.emptyList)), expect: .pass,
                finding: "HTTP 200, empty ListResponse (totalResults 0)"),
            ProbeExample(
                "no Resources member, application/json",
                answer(
                    .json(
                        200, "{\"schemas\":[\"\(ScimSamples.listResponseSchema)\"],\"totalResults\":0}",
                        contentType: "application/json")),
                expect: .pass, finding: "empty ListResponse"),
            ProbeExample(
                "404 for a user that matches nobody",
                ExampleSetup(routes: [
                    .get(users, query: query, .json(404, ScimSamples.error(404, detail: "User not found"))),
                    .get(users, query: ["startIndex=1"], .json(200, ScimSamples.list([ScimSamples.user()]))),
                ]),
                expect: .fail, finding: "answers 404 when no user matches"),
            ProbeExample(
                "404 because the path is wrong", expect: .fail,
                finding: "Tenant URL path does not point at a SCIM service"),
            ProbeExample(
                "SCIM-shaped 404 on every path: still the wrong path",
                ExampleSetup(routes: [
                    .anyRequest(.json(404, ScimSamples.error(404, detail: "No SCIM endpoint")))
                ]),
                expect: .fail, finding: "Tenant URL path does not point at a SCIM service"),
            ProbeExample(
                "filter rejected",
                answer(.json(400, ScimSamples.error(400, detail: "Unsupported filter", scimType: "invalidFilter"))),
                expect: .fail, finding: "rejects the filter userName eq"),
            ProbeExample(
                "token refused", answer(.json(401, ScimSamples.error(401, detail: "Invalid token"))), expect: .fail,
                finding: "token refused: see auth.token-accepted"),
            ProbeExample(
                "forbidden", answer(.json(403, ScimSamples.error(403, detail: "Forbidden"))), expect: .fail,
                finding: "HTTP 403: token refused"),
            ProbeExample("login page", answer(.html(200, ScimSamples.loginPage)), expect: .fail, finding: "login page"),
            ProbeExample("web app index", answer(.html(200, spaIndex)), expect: .fail, finding: "single-page app"),
            ProbeExample("proxy error page", answer(.html(502, proxyPage)), expect: .fail, finding: "HTTP 502"),
            ProbeExample(
                "proxy page served as 200",
                answer(.response(HTTPResponse(status: 200, body: Data(proxyPage.utf8)))),
                expect: .fail, finding: "proxy or WAF page"),
            ProbeExample(
                "redirect to a sign-in page", redirect("https://login.example.com/authorize?client_id=x"),
                expect: .fail, finding: "a sign-in page"),
            ProbeExample(
                "redirect adding a trailing slash",
                redirect("/scim/v2/Users/?filter=userName%20eq%20%22x%22"), expect: .fail,
                finding: "adds a trailing slash"),
            ProbeExample(
                "redirect elsewhere", redirect("https://api.example.com/scim/v2/Users"), expect: .fail,
                finding: "redirects to https://api.example.com/scim/v2/Users"),
            ProbeExample(
                "not JSON", answer(.json(200, "OK", contentType: "text/plain")), expect: .fail, finding: "not JSON"),
            ProbeExample(
                "invalid UTF-8",
                answer(.response(HTTPResponse(status: 200, body: Data([0x7B, 0xFF, 0xFE, 0x7D])))),
                expect: .fail, finding: "not valid UTF-8"),
            ProbeExample(
                "server error",
                answer(.json(500, "{\"error\":\"NullReferenceException\"}", contentType: "application/json")),
                expect: .fail, finding: "HTTP 500 (InternalServerError)"),
            ProbeExample(
                "server error naming the exception",
                answer(
                    .json(
                        500,
                        #"{"status":500,"error":"Internal Server Error","message":"NullPointerException in Filter"}"#,
                        contentType: "application/json")),
                expect: .fail, finding: "failed on GET …/Users: \"NullPointerException in Filter\""),
            ProbeExample(
                "JSON cut short",
                answer(.json(200, "{\"schemas\":[\"\(ScimSamples.listResponseSchema)\"],\"totalResults\":")),
                expect: .fail, finding: "the JSON is cut short: it stops after 81 bytes with 1 bracket(s) unclosed"),
            ProbeExample(
                "Latin-1 text labelled UTF-8",
                answer(
                    .response(
                        HTTPResponse(
                            status: 200, headers: [("Content-Type", "application/scim+json; charset=utf-8")],
                            body: Data(#"{"totalResults":0,"server":"Caf"#.utf8) + Data([0xE9]) + Data(#""}"#.utf8)))),
                expect: .fail, finding: "byte 0xE9 at offset 31, after \"…{\"totalResults\":0,\"server\":\"Caf\""),
            ProbeExample(
                "rate limited", answer(.json(429, "{}", headers: [("Retry-After", "30")])), expect: .fail,
                finding: "rate limited (Retry-After: 30)"),
            ProbeExample(
                "still rate limited after waiting as asked", answer(.json(429, "{}", headers: [("Retry-After", "0")])),
                expect: .fail, finding: "still 429 after waiting 0 s and retrying"),
            ProbeExample(
                "not a ListResponse",
                answer(.json(200, "{\"schemas\":[\"\(SchemaURN.user)\"],\"totalResults\":0}")),
                expect: .fail, finding: "lack the ListResponse URN"),
            ProbeExample(
                "JSON array instead of an object", answer(.json(200, "[]")), expect: .fail,
                finding: "not a ListResponse object"),
            ProbeExample(
                "totalResults as a string",
                answer(.json(200, "{\"schemas\":[\"\(ScimSamples.listResponseSchema)\"],\"totalResults\":\"0\"}")),
                expect: .fail, finding: "totalResults is the string \"0\""),
            ProbeExample(
                "Resources not an array",
                answer(
                    .json(
                        200, "{\"schemas\":[\"\(ScimSamples.listResponseSchema)\"],\"totalResults\":0,\"Resources\":{}}"
                    )),
                expect: .fail, finding: "Resources is an object"),
            ProbeExample(
                "filter ignored",
                answer(.json(200, ScimSamples.list([ScimSamples.user(), ScimSamples.user(id: "2", userName: "b@x")]))),
                expect: .fail, finding: "filter ignored: the server returned 2 user(s)"),
            ProbeExample(
                "huge body cut by the transport",
                answer(
                    .response(
                        HTTPResponse(
                            status: 200, headers: [("Content-Type", "application/scim+json")],
                            body: Data("{\"schemas\":[".utf8), bodyTruncated: true))),
                expect: .fail, finding: "body is too large"),
            ProbeExample(
                "deeply nested JSON",
                answer(.json(200, String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000))),
                expect: .fail, finding: "the JSON nests 5000 levels deep"),
            ProbeExample(
                "timeout", failure(.timeout, 28, "Operation timed out after 30000 milliseconds"), expect: .fail,
                finding: "no HTTP answer"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.testConnectionUsers()
        if let response = exchange.response, response.status == 404 {
            return try await Self.notFound(exchange, response, context)
        }
        switch readList(exchange, kind: .users, query: .testConnection()) {
        case .failure(let problem):
            return problem.verdict
        case .success(let page):
            return .pass(
                "HTTP 200, empty ListResponse (totalResults \(page.totalResults))",
                evidence: [Evidence.request(exchange.request), .status(page.response), .body(page.response)])
        }
    }

    /// A 404: "no user matches" (the SCIM service is there) or "wrong path" (nothing SCIM answers).
    private static func notFound(_ exchange: Exchange, _ response: HTTPResponse, _ context: ProbeContext)
        async throws -> Verdict
    {
        let control = try await context.userPage()
        let listWorks = answersList(control, .users)
        var evidence = Evidence.exchange(exchange) + SCIMAnswer.errorEvidence(response)
        evidence.append(
            Evidence(
                "unfiltered list",
                "\(control.request.url) → "
                    + (control.response.map { "HTTP \($0.status)\(listWorks ? ", a SCIM ListResponse" : "")" }
                        ?? "no answer")))
        evidence.append(Evidence("Entra reports", EntraMessages.notFoundQuote))
        let pathWrong = try await context.tenantPathLooksWrong()
        if listWorks || (!pathWrong && SCIMAnswer.looksLikeSCIM(response)) {
            // The SCIM service is there; the lists and filters on existing users are still worth checking.
            return .fail(
                "the server answers 404 when no user matches; Entra expects 200 with an empty ListResponse",
                evidence: evidence,
                fix: "On the server (the application's developer): answer a filter that matches nobody with HTTP 200 "
                    + "and {\"schemas\":[\"\(SchemaURN.listResponse)\"],\"totalResults\":0,\"Resources\":[]}. "
                    + "Microsoft: \(EntraMessages.emptyResultQuote).", blocksDependants: false)
        }
        let page = HTMLAnswer(response).map { " (it answers \($0.summary))" } ?? ""
        return .fail(
            "404: the Tenant URL path does not point at a SCIM service\(page)", evidence: evidence,
            fix: "Check the Tenant URL (\(EntraPortal.tenantURL)) against the application's SCIM settings page or "
                + "documentation; see test-connection.base-path for a path on this host that does answer SCIM.")
    }
}
