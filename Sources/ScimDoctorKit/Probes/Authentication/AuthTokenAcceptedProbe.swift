import Foundation

/// `auth.token-accepted`: Entra's Test Connection request with the Secret Token is not refused (401/403),
/// and when it is, whether the token or the Tenant URL is to blame.
struct AuthTokenAcceptedProbe: Probe {
    private static let users = "/scim/v2/Users"
    private static let serviceProviderConfig = "/scim/v2/ServiceProviderConfig"
    private static let spcBody = """
        {"schemas":["\(SchemaURN.serviceProviderConfig)"],"patch":{"supported":true},\
        "filter":{"supported":true,"maxResults":200}}
        """
    /// What ASP.NET Core, Spring Security and others answer without a valid token: 401, an empty text/html body,
    /// a Bearer challenge with only a realm, on every path, /ServiceProviderConfig included.
    private static let frameworkRefusal = HTTPResponse(
        status: 401,
        headers: [("Content-Type", "text/html; charset=utf-8"), ("WWW-Authenticate", "Bearer realm=\"api\"")])

    private static func refused(_ status: Int, challenge: String? = nil, detail: String = "Invalid token") -> Route {
        .get(
            users, query: ["userName eq \""], authorized: true,
            .json(
                status, ScimSamples.error(status, detail: detail),
                headers: challenge.map { [("WWW-Authenticate", $0)] } ?? []))
    }

    let description = ProbeDescription(
        id: "auth.token-accepted", section: .authentication, title: "The Secret Token is accepted",
        checks: "Entra's Test Connection query with the Secret Token must not be refused with 401/403; when it is, "
            + "an unauthenticated look at /ServiceProviderConfig tells a rejected token from a wrong Tenant URL.",
        rationale:
            "A 401 or 403 on Test Connection is shown in Entra as \"You appear to have entered invalid "
            + "credentials\" whatever the cause; telling a rejected token from a Tenant URL that points at the "
            + "wrong service saves the admin from regenerating tokens that were fine.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Handling endpoint authentication'",
            "Microsoft: Application provisioning in quarantine status "
                + "(application-provisioning-quarantine-status) (invalid credentials)",
            "3rd-party: Test Connection banner text (MicrosoftDocs/azure-docs#54231)",
            "RFC 6750 §3.1 (invalid_token)",
        ],
        dependencies: ["tls.trust", "tls.hostname"],
        examples: [
            ProbeExample(
                "empty ListResponse",
                ExampleSetup(routes: [.get(users, authorized: true, .json(200, ScimSamples.emptyList))]),
                expect: .pass, finding: "not refused (HTTP 200)"),
            ProbeExample("404 is not a refusal", expect: .pass, finding: "not refused (HTTP 404)"),
            ProbeExample(
                "a redirect to a sign-in page says nothing about the token",
                ExampleSetup(routes: [
                    .get(
                        users, authorized: true,
                        .response(HTTPResponse(status: 302, headers: [("Location", "https://login.example.com/")])))
                ]),
                expect: .skip, finding: "cannot tell whether the token is accepted"),
            ProbeExample(
                "rate limited",
                ExampleSetup(routes: [.get(users, authorized: true, .json(429, "{}", headers: [("Retry-After", "60")]))]
                ),
                expect: .skip, finding: "HTTP 429"),
            ProbeExample(
                "expired token (Bearer invalid_token)",
                ExampleSetup(routes: [
                    refused(
                        401,
                        challenge: "Bearer realm=\"scim\", error=\"invalid_token\", "
                            + "error_description=\"The access token expired\"")
                ]),
                expect: .fail, finding: "expired or revoked"),
            ProbeExample(
                "401 on a SCIM service (ServiceProviderConfig answers)",
                ExampleSetup(routes: [
                    .get(users, authorized: true, .json(401, "{}", contentType: "application/json")),
                    .get(serviceProviderConfig, authorized: false, .json(200, spcBody)),
                ]),
                expect: .fail, finding: "token rejected (HTTP 401)"),
            ProbeExample(
                "token without the SCIM scope",
                ExampleSetup(routes: [refused(401, challenge: "Bearer error=\"insufficient_scope\", scope=\"scim\"")]),
                expect: .fail, finding: "lacks SCIM/admin rights"),
            ProbeExample(
                "token pasted with its Bearer prefix",
                ExampleSetup(
                    token: "Bearer " + ExampleSetup.defaultToken, routes: [refused(401, detail: "Invalid token")]),
                expect: .fail, finding: "sent with the \"Bearer \" prefix pasted in front of it"),
            ProbeExample(
                "403 from the SCIM service",
                ExampleSetup(routes: [refused(403, detail: "Token is not an admin token")]),
                expect: .fail, finding: "authenticated but not allowed"),
            ProbeExample(
                "401 with a Bearer realm on every path, empty HTML body (frameworks before routing)",
                ExampleSetup(routes: [.anyRequest(.response(Self.frameworkRefusal))]), expect: .fail,
                finding: "most likely the Secret Token is wrong, expired or revoked"),
            ProbeExample(
                "401 with a Bearer realm on /Users, 404 on an unknown path (routing before authentication)",
                ExampleSetup(routes: [
                    .get(
                        "/scim/v2/scim-doctor-no-such-resource-2d1e6a4e-0c1b-4c52-9a7e-3f5b8d9c0a11",
                        .html(404, "<html><title>Not Found</title></html>")),
                    .anyRequest(.response(Self.frameworkRefusal)),
                ]),
                expect: .fail, finding: "token rejected (HTTP 401): wrong, expired or revoked"),
            ProbeExample(
                "401 from something that is not SCIM",
                ExampleSetup(routes: [
                    .get(
                        users, authorized: true,
                        .response(
                            HTTPResponse(
                                status: 401, headers: [("Content-Type", "text/plain")], body: Data("Unauthorized".utf8))
                        ))
                ]),
                expect: .fail, finding: "in order of likelihood, the Tenant URL, then the Secret Token"),
            ProbeExample(
                "403 from a WAF page",
                ExampleSetup(routes: [
                    .get(
                        users, authorized: true,
                        .html(403, "<html><head><title>Attention Required! | Cloudflare</title></head></html>"))
                ]),
                expect: .fail, finding: "a proxy or WAF blocks the request"),
            ProbeExample(
                "server wants Basic authentication",
                ExampleSetup(routes: [
                    .get(
                        users, authorized: true,
                        .response(
                            HTTPResponse(
                                status: 401, headers: [("WWW-Authenticate", "Basic realm=\"Restricted\"")],
                                body: Data("401 Authorization Required".utf8))))
                ]),
                expect: .fail, finding: "Basic authentication"),
            ProbeExample(
                "no answer",
                ExampleSetup(routes: [
                    .get(users, .failure(TransportError(kind: .refused, code: 7, message: "Connection refused")))
                ]),
                expect: .fail, finding: "Connection refused"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.testConnectionUsers()
        let response: HTTPResponse
        switch exchange.outcome {
        case .failure(let error):
            return .fail(
                "no HTTP answer to Entra's Test Connection request: \(error.message)",
                evidence: Evidence.exchange(exchange), fix: ListResponseFixes.transport(error))
        case .success(let value):
            response = value
        }
        let status = response.status
        // Neither a redirect nor a rate limit is a verdict on the token; test-connection.users reports them.
        if (300..<400).contains(status) || status == 429 {
            return .skip(
                "HTTP \(status) before any authentication verdict: cannot tell whether the token is accepted "
                    + "(see test-connection.users)",
                evidence: Evidence.exchange(exchange))
        }
        guard status == 401 || status == 403 else {
            return .pass(
                "not refused (HTTP \(status)): the token got past authentication",
                evidence: [Evidence.request(exchange.request), .status(response)])
        }

        let challenges = response.headers.filter { $0.name.lowercased() == "www-authenticate" }
            .flatMap { AuthChallenge.parse($0.value) }
        let bearer = challenges.first { $0.scheme.lowercased() == "bearer" }
        var evidence = Evidence.exchange(exchange)
        for header in response.headers where header.name.lowercased() == "www-authenticate" {
            evidence.append(Evidence("WWW-Authenticate", header.value))
        }
        evidence += SCIMAnswer.errorEvidence(response)
        evidence.append(Self.entraShows)

        if bearer == nil, let other = challenges.first {
            return .fail(
                "HTTP \(status): the server asks for \(other.scheme) authentication, not a bearer token",
                evidence: evidence,
                fix: "On the server or the reverse proxy in front of it: accept Authorization: Bearer <Secret Token> "
                    + "on the SCIM routes; Entra sends nothing else (Basic authentication is not supported for "
                    + "new apps). If the \(other.scheme) prompt comes from a proxy login, exempt the SCIM path from it."
            )
        }

        let spc = try await context.get("ServiceProviderConfig", authorized: false)
        let spcLooksSCIM = spc.response.map(SCIMAnswer.looksLikeSCIM) ?? false
        let bearerError = bearer?.params["error"]?.lowercased()
        let scimLike =
            SCIMAnswer.looksLikeSCIM(response) || spcLooksSCIM
            || bearerError == "invalid_token" || bearerError == "insufficient_scope"
        evidence.append(
            Evidence(
                "ServiceProviderConfig",
                spc.response.map { "HTTP \($0.status) without credentials, \(spcLooksSCIM ? "SCIM JSON" : "not SCIM")" }
                    ?? "no answer"))

        if !scimLike, let page = HTMLAnswer(response), page.kind == .proxy {
            return .fail(
                "HTTP \(status) from \(page.summary), not from a SCIM service: a proxy or WAF blocks the request "
                    + "before the token is even checked",
                evidence: evidence,
                fix: "On the reverse proxy / WAF in front of the server: let requests to the SCIM routes through "
                    + "(allow Entra's AzureActiveDirectory IP ranges and the Authorization header), then run this "
                    + "check again.")
        }
        if !scimLike, bearer != nil {
            // A bearer-protected API refused the token. How the same host answers a path that surely does not
            // exist says whether it routes before it authenticates: a 404 there proves /Users is a route it
            // knows; a 401 everywhere proves nothing about the path, but a right token would have got past it.
            let missing = try await context.surelyMissingPath()
            evidence.append(
                Evidence(
                    "unknown path",
                    "\(shortRequest(missing)) → " + (missing.response.map { "HTTP \($0.status)" } ?? "no answer")))
            if missing.response?.status == 404 {
                return Self.rejected(
                    status: status, bearer: bearer, scimError: SCIMAnswer.error(response), evidence: evidence)
            }
            return .fail(
                "token rejected (HTTP \(status), WWW-Authenticate: Bearer): most likely the Secret Token is wrong, "
                    + "expired or revoked; the server refuses it on every path, so the Tenant URL cannot be "
                    + "confirmed until a valid token gets past authentication",
                evidence: evidence,
                fix: "1. " + Self.newTokenFix + " 2. If a new token gets the same answer, check the Tenant URL "
                    + "(\(EntraPortal.tenantURL)) against the application's SCIM settings page.")
        }
        guard scimLike else {
            return .fail(
                "HTTP \(status) from a path that does not look like a SCIM service (no Bearer challenge, no SCIM "
                    + "answer): scim-doctor cannot tell which is wrong; in order of likelihood, the Tenant URL, "
                    + "then the Secret Token",
                evidence: evidence,
                fix: "1. Check the Tenant URL (\(EntraPortal.tenantURL)) against the application's SCIM "
                    + "settings page (see test-connection.base-path); if a reverse proxy or WAF answers this "
                    + "refusal, let the SCIM routes through to the application. 2. Then the Secret Token: "
                    + Self.newTokenFix)
        }
        if SecretTokenText(context.token.reveal()).kinds.contains(.bearer) {
            // The likeliest reason by far: Entra sends the Secret Token as given, after its own "Bearer ".
            let said = [
                bearer?.params["error_description"], SCIMAnswer.error(response)?.detail, bearer?.params["error"],
            ]
            .compactMap { $0 }.first
            return .fail(
                "token rejected (HTTP \(status)): it was sent with the \"Bearer \" prefix pasted in front of it, so "
                    + "the server got \"Authorization: Bearer Bearer …\" (see token.format)"
                    + (said.map { ": \"\($0.prefix(120))\"" } ?? ""),
                evidence: evidence,
                fix: "Paste only the token itself, without \"Bearer \", into \(EntraPortal.secretToken) "
                    + "(Entra adds the Bearer scheme itself), "
                    + "select Test Connection, then Save.")
        }
        return Self.rejected(status: status, bearer: bearer, scimError: SCIMAnswer.error(response), evidence: evidence)
    }

    private static let entraShows = Evidence("Entra shows", EntraMessages.invalidCredentials)

    private static let newTokenFix =
        "In the application, generate a new Secret Token (a non-expiring API token with admin / SCIM provisioning "
        + "rights); paste it into \(EntraPortal.secretToken) "
        + "WITHOUT a \"Bearer \" prefix, select Test Connection, then Save."

    /// The SCIM service refused the token: say why, as precisely as the server did.
    private static func rejected(
        status: Int, bearer: AuthChallenge?, scimError: SCIMErrorFields?, evidence: [Evidence]
    ) -> Verdict {
        let said = [bearer?.params["error_description"], scimError?.detail].compactMap { $0 }.first
        let quoted = said.map { ": \"\($0.prefix(120))\"" } ?? ""
        switch bearer?.params["error"]?.lowercased() {
        case "invalid_token":
            return .fail(
                "token rejected (HTTP \(status), invalid_token): it is expired or revoked\(quoted)",
                evidence: evidence,
                fix: newTokenFix + " Entra never refreshes a Secret Token: use one that does not expire.")
        case "insufficient_scope":
            return .fail(
                "token rejected (HTTP \(status), insufficient_scope): the token lacks SCIM/admin rights\(quoted)",
                evidence: evidence,
                fix: newTokenFix + " Create it as an administrator / with the SCIM provisioning scope the application "
                    + "documents.")
        default:
            break
        }
        if status == 403 {
            return .fail(
                "authenticated but not allowed (HTTP 403): the token lacks the rights to read users\(quoted)",
                evidence: evidence + [
                    Evidence(
                        "Entra logs", "InsufficientRights / Unauthorized: \"authenticated … but wasn't authorized\"")
                ],
                fix: newTokenFix + " The token's owner or scope must allow SCIM provisioning (an admin token).")
        }
        return .fail(
            "token rejected (HTTP 401): wrong, expired or revoked, or not an admin token\(quoted)",
            evidence: evidence, fix: newTokenFix)
    }
}

/// One challenge of a `WWW-Authenticate` header (RFC 7235): the scheme and its auth-params.
private struct AuthChallenge {
    var scheme: String
    var params: [String: String] = [:]

    /// Parses `Bearer realm="x", error="invalid_token", Basic realm="y"`; commas inside quotes are kept.
    static func parse(_ header: String) -> [AuthChallenge] {
        var challenges: [AuthChallenge] = []
        for item in splitOutsideQuotes(header) {
            let text = item.trimmingWhitespace()
            guard !text.isEmpty else { continue }
            let firstWord = text.prefix { !$0.isWhitespace }
            if !firstWord.contains("=") {
                challenges.append(AuthChallenge(scheme: String(firstWord)))
                let rest = text.dropFirst(firstWord.count).trimmingWhitespace()
                if rest.contains("=") { addParam(rest, to: &challenges) }
            } else {
                addParam(text, to: &challenges)
            }
        }
        return challenges
    }

    private static func addParam(_ text: String, to challenges: inout [AuthChallenge]) {
        guard !challenges.isEmpty, let equals = text.firstIndex(of: "=") else { return }
        let key = text[..<equals].trimmingWhitespace().lowercased()
        var value = text[text.index(after: equals)...].trimmingWhitespace()
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        // A token68 ("Basic abc==") ends in "=" with nothing after it: not a parameter.
        guard !key.contains(" ") else { return }
        challenges[challenges.count - 1].params[key] = value
    }

    private static func splitOutsideQuotes(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in text {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == "," && !quoted {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }
}
