import Foundation

/// `auth.required`: Entra's Test Connection request without any credentials must be refused.
struct AuthRequiredProbe: Probe {
    private static let users = "/scim/v2/Users"
    private static let noCredentials = ExampleSetup(routes: [
        .get(users, authorized: false, .json(401, ScimSamples.error(401, detail: "Authorization header missing")))
    ])

    let description = ProbeDescription(
        id: "auth.required", section: .authentication, title: "The endpoint refuses requests without credentials",
        checks: "Entra's Test Connection query sent without the Authorization header must get 401 or 403: "
            + "an endpoint that answers without the token gives every user's data to anyone.",
        rationale:
            "Entra always sends the token, so an endpoint that also answers without it still passes Test "
            + "Connection, but then hands every user's data to anyone who finds the URL. Microsoft requires "
            + "the application to authenticate Entra with a bearer token.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), requirements table (\"Accept a single bearer token "
                + "for authentication and authorization\")",
            "RFC 7644 §2 (authentication and authorization)",
            "RFC 6750 §3 (WWW-Authenticate on 401)",
        ],
        dependencies: ["tls.trust", "tls.hostname"],
        examples: [
            ProbeExample(
                "401 without credentials", noCredentials, expect: .pass, finding: "refused without credentials"),
            ProbeExample(
                "403 without credentials",
                ExampleSetup(routes: [.get(users, authorized: false, .json(403, ScimSamples.error(403, detail: "no")))]
                ),
                expect: .pass, finding: "HTTP 403"),
            ProbeExample(
                "redirect to a login page",
                ExampleSetup(routes: [
                    .get(
                        users, authorized: false,
                        .response(HTTPResponse(status: 302, headers: [("Location", "https://scim.example.com/login")])))
                ]),
                expect: .pass, finding: "refused by redirect"),
            ProbeExample(
                "answers the query without credentials",
                ExampleSetup(routes: [.get(users, authorized: false, .json(200, ScimSamples.emptyList))]),
                expect: .fail, finding: "open to anyone"),
            ProbeExample(
                "answers plain JSON without credentials",
                ExampleSetup(routes: [
                    .get(users, authorized: false, .json(200, "[]", contentType: "application/json"))
                ]),
                expect: .fail, finding: "without any credentials"),
            ProbeExample(
                "404 without credentials (path may be wrong)", expect: .skip,
                finding: "got HTTP 404: see test-connection.users"),
            ProbeExample(
                "HTML page without credentials",
                ExampleSetup(routes: [.get(users, authorized: false, .html(200, ScimSamples.loginPage))]),
                expect: .skip, finding: "HTTP 200 with a login page with a password field"),
            ProbeExample(
                "no answer at all",
                ExampleSetup(routes: [
                    .get(
                        users, authorized: false,
                        .failure(TransportError(kind: .timeout, code: 28, message: "timed out")))
                ]),
                expect: .fail, finding: "timed out"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.unauthenticatedUsers()
        let evidence = Evidence.exchange(exchange)
        let response: HTTPResponse
        switch exchange.outcome {
        case .failure(let error):
            return .fail(
                "no HTTP answer to the request without credentials: \(error.message)", evidence: evidence,
                fix: ListResponseFixes.transport(error))
        case .success(let value):
            response = value
        }
        let status = response.status
        if status == 401 || status == 403 {
            return .pass("refused without credentials (HTTP \(status))", evidence: evidence)
        }
        if (300..<400).contains(status) {
            let redirect = RedirectAnswer(exchange: exchange, response: response)
            let target = redirect.location ?? "no Location"
            let login = redirect.isLogin ? "a login page" : "another page"
            return .pass(
                "refused by redirect to \(login) (\(target)): no data without credentials; "
                    + "Entra cannot sign in interactively (see test-connection.users)",
                evidence: evidence)
        }
        let html = HTMLAnswer(response)
        let isJSON = (try? response.json.get()) != nil
        if status == 200, html == nil, isJSON {
            return .fail(
                "the endpoint answers without any credentials: it is open to anyone (HTTP 200 with JSON)",
                evidence: evidence,
                fix: "On the server (its SCIM implementation or the reverse proxy in front of it): require the "
                    + "bearer token on every SCIM route and answer 401 when the Authorization header is missing "
                    + "or wrong.")
        }
        let shape = html.map { " with \($0.summary)" } ?? ""
        return .skip(
            "the request without credentials got HTTP \(status)\(shape): see test-connection.users "
                + "(cannot tell whether credentials are required)",
            evidence: evidence)
    }
}
