import Foundation

/// `test-connection.base-path`: when the Tenant URL does not answer like a SCIM service, looks for the usual
/// SCIM base paths on the same host ("did you mean …?").
struct TestConnectionBasePathProbe: Probe {
    /// Base paths SCIM services commonly live under, most common first.
    static let usualPaths = [
        "/scim/v2", "/scim", "/api/scim/v2", "/api/scim", "/scim/v2.0", "/v2", "/api/v2/scim", "/",
    ]
    static let maxCandidates = 10

    private static let filter = ["userName eq \""]
    private static let notFoundEverywhere = ExampleSetup()

    let description = ProbeDescription(
        id: "test-connection.base-path", section: .testConnection, title: "The Tenant URL path is a SCIM base",
        checks: "When the Tenant URL answers like something other than SCIM (a plain 404, an HTML page, a login "
            + "redirect), tries the usual SCIM base paths on the same host with Entra's query and suggests one that "
            + "answers like SCIM.",
        rationale:
            "Entra's 404 message only says \"ensure that the tenant URL is correct\"; the most common cause "
            + "is a base path with a missing or extra segment (/scim, /v2, an organisation id). Trying the "
            + "usual base paths on the same host turns that into a concrete corrected Tenant URL.",
        sources: [
            "Microsoft: Application provisioning in quarantine status "
                + "(application-provisioning-quarantine-status), 'SCIM Compliance issue'",
            "3rd-party: quarantine e-mail text (\"The tenant URL is usually in a format like: "
                + "https://<>/scim\", grokability/snipe-it#11913)",
            "RFC 7644 §3.2 (SCIM endpoints)",
        ],
        dependencies: ["tls.trust", "tls.hostname"], timeoutInRequests: 3,
        examples: [
            ProbeExample(
                "the Tenant URL answers SCIM",
                ExampleSetup(routes: [.get("/scim/v2/Users", query: filter, .json(200, ScimSamples.emptyList))]),
                expect: .pass, finding: "answers like a SCIM service"),
            ProbeExample(
                "a SCIM 404 for the filter while the list works",
                ExampleSetup(routes: [
                    .get("/scim/v2/Users", query: filter, .json(404, ScimSamples.error(404, detail: "not found"))),
                    .get("/scim/v2/Users", .json(200, ScimSamples.list([ScimSamples.user()]))),
                ]),
                expect: .pass, finding: "answers like a SCIM service"),
            ProbeExample(
                "a server that answers every unknown path with a SCIM 404",
                ExampleSetup(
                    tenantURL: "https://scim.example.com/api/v1",
                    routes: [
                        .get("/v2/Users", query: filter, .json(200, ScimSamples.emptyList)),
                        .anyRequest(.json(404, ScimSamples.error(404, detail: "No SCIM endpoint"))),
                    ]),
                expect: .fail, finding: "did you mean https://scim.example.com/v2?"),
            ProbeExample(
                "Tenant URL without /scim/v2",
                ExampleSetup(
                    tenantURL: "https://scim.example.com/",
                    routes: [.get("/scim/v2/Users", query: filter, .json(200, ScimSamples.emptyList))]),
                expect: .fail, finding: "did you mean https://scim.example.com/scim/v2?"),
            ProbeExample(
                "Tenant URL ending in /Users",
                ExampleSetup(
                    tenantURL: "https://scim.example.com/scim/v2/Users",
                    routes: [.get("/scim/v2/Users", query: filter, .json(200, ScimSamples.emptyList))]),
                expect: .fail, finding: "did you mean https://scim.example.com/scim/v2?"),
            ProbeExample(
                "web UI answers; the API refuses the token",
                ExampleSetup(
                    tenantURL: "https://scim.example.com/admin",
                    routes: [
                        .get(
                            "/admin/Users",
                            .html(200, "<!DOCTYPE html><html><body><div id=\"root\"></div></body></html>")),
                        .get(
                            "/api/scim/v2/Users", query: filter, .json(401, ScimSamples.error(401, detail: "bad token"))
                        ),
                    ]),
                expect: .fail, finding: "did you mean https://scim.example.com/api/scim/v2?"),
            ProbeExample(
                "login redirect",
                ExampleSetup(routes: [
                    .get(
                        "/scim/v2/Users", query: filter,
                        .response(HTTPResponse(status: 302, headers: [("Location", "/login?next=%2Fscim")]))),
                    .get("/scim/Users", query: filter, .json(200, ScimSamples.emptyList)),
                ]),
                expect: .fail, finding: "did you mean https://scim.example.com/scim?"),
            ProbeExample(
                "nothing answers like SCIM", notFoundEverywhere, expect: .fail,
                finding: "none of the usual base paths on scim.example.com"),
            ProbeExample(
                "every path redirects to a sign-in page (an SSO proxy)",
                ExampleSetup(routes: [
                    .anyRequest(
                        .response(
                            HTTPResponse(
                                status: 302,
                                headers: [("Location", "/login?returnUrl=%2Fscim"), ("Content-Type", "text/html")])))
                ]),
                expect: .fail, finding: "(it redirects to a sign-in page), and none of the usual base paths"),
            ProbeExample(
                "a server error says nothing about the path",
                ExampleSetup(routes: [.get("/scim/v2/Users", .json(500, "oops", contentType: "text/plain"))]),
                expect: .skip, finding: "does not show whether the path is wrong"),
            ProbeExample(
                "no answer",
                ExampleSetup(routes: [
                    .get("/scim/v2/Users", .failure(TransportError(kind: .refused, code: 7, message: "refused")))
                ]),
                expect: .skip, finding: "no HTTP answer to compare"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let tenant = try context.requireTenant()
        let exchange = try await context.testConnectionUsers()
        guard let response = exchange.response else {
            return .skip("no HTTP answer to compare (see network probes)", evidence: Evidence.exchange(exchange))
        }
        let pathWrong = try await context.tenantPathLooksWrong()
        if !pathWrong, SCIMAnswer.looksLikeSCIM(response) {
            let schemas = SCIMAnswer.schemas(response)?.joined(separator: ", ") ?? ""
            return .pass(
                "the Tenant URL answers like a SCIM service (HTTP \(response.status), \(schemas))",
                evidence: [Evidence.request(exchange.request), .status(response)])
        }
        let symptom: String
        // A redirect first: its body, if any, is only the redirect's own stub page.
        let signIn =
            (300..<400).contains(response.status) && RedirectAnswer(exchange: exchange, response: response).isLogin
        if signIn {
            symptom = "it redirects to a sign-in page"
        } else if let page = HTMLAnswer(response) {
            symptom = "it answers \(page.summary)"
        } else if response.status == 404 {
            symptom =
                SCIMAnswer.looksLikeSCIM(response)
                ? "/Users answers HTTP 404, even unfiltered" : "it answers HTTP 404 without a SCIM body"
        } else {
            return .skip(
                "the Tenant URL answered HTTP \(response.status), which does not show whether the path is wrong: "
                    + "see test-connection.users",
                evidence: Evidence.exchange(exchange))
        }

        let candidates = Self.candidates(for: tenant.path)
        let guid = await context.guid("test-connection-user")
        let tried = await withTaskGroup(of: (Int, Exchange).self) { group in
            for (index, candidate) in candidates.enumerated() {
                group.addTask {
                    let url = tenant.origin + candidate + "/Users?" + EntraQuery.matching(.users, equals: guid)
                    return (index, await context.get(url: url))
                }
            }
            var results: [(Int, Exchange)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map { (candidates[$0.0], $0.1) }
        }
        let summary = tried.map { path, exchange in
            "\(path.isEmpty ? "/" : path) → "
                + (exchange.response.map { "HTTP \($0.status)\(SCIMAnswer.looksLikeSCIM($0) ? " SCIM" : "")" }
                    ?? "no answer")
        }.joined(separator: "; ")
        var evidence = Evidence.exchange(exchange)
        evidence.append(Evidence("tried", summary))

        let best = tried.enumerated().compactMap { offset, entry -> (score: Int, offset: Int)? in
            let score = entry.1.response.map(Self.score) ?? 0
            return score > 0 ? (score, offset) : nil
        }.max { $0.score == $1.score ? $0.offset > $1.offset : $0.score < $1.score }

        guard let best else {
            return .fail(
                "the Tenant URL does not answer like SCIM (\(symptom)), and none of the usual base paths on "
                    + "\(tenant.host) answer like SCIM either",
                evidence: evidence,
                fix: "Find the SCIM base URL in the application's admin / SCIM provisioning settings page (or its "
                    + "documentation) and enter it in \(EntraPortal.tenantURL); it may be on another host, which "
                    + "this tool does not guess."
                    + (signIn || HTMLAnswer(response)?.kind == .login
                        ? " If the SCIM API is behind this same sign-in (an SSO proxy in front of the whole host), it "
                            + "must accept the bearer token instead: exempt the SCIM path from the sign-in." : ""))
        }
        let (path, found) = tried[best.offset]
        _ = await context.remember(.foundBasePath) { path }
        let suggestion = try await context.correctedTenantURL().url
        if let answer = found.response {
            evidence.append(Evidence("found", "\(found.request.url) → HTTP \(answer.status)"))
            evidence.append(.body(answer))
        }
        let refusal = best.score == 2 ? " (it refuses the token there: see auth.token-accepted after the change)" : ""
        return .fail(
            "the Tenant URL does not answer like SCIM (\(symptom)): did you mean \(suggestion)?\(refusal)",
            evidence: evidence,
            fix: "After confirming it with the application's documentation or SCIM settings page, set "
                + "\(EntraPortal.tenantURL) to \(suggestion), then select Test Connection.")
    }

    /// 3: a ListResponse with 200; 2: a SCIM error refusing the token; 1: any other SCIM JSON; 0: not SCIM.
    private static func score(_ response: HTTPResponse) -> Int {
        guard let schemas = SCIMAnswer.schemas(response),
            schemas.contains(where: { $0.hasPrefix(SchemaURN.prefix) })
        else { return 0 }
        if response.status == 200, schemas.contains(SchemaURN.listResponse) { return 3 }
        if response.status == 401 || response.status == 403 { return 2 }
        return 1
    }

    /// Base paths to try, without a trailing slash ("" is the root): the given path's parents (a Tenant URL that
    /// already ends in /Users or /v2), the given path plus /scim/v2, then the usual paths; never the given one.
    static func candidates(for givenPath: String) -> [String] {
        func normalized(_ path: String) -> String {
            var path = path
            while path.hasSuffix("/") { path.removeLast() }
            return path
        }
        let current = normalized(givenPath)
        var list: [String] = []
        var parent = current
        let known: Set<String> = ["users", "groups", "v2", "scim"]
        while let last = parent.split(separator: "/").last, known.contains(last.lowercased()) {
            parent = normalized(String(parent.dropLast(last.count)))
            list.append(parent)
        }
        if list.isEmpty, !current.isEmpty {
            list += [current + "/scim/v2", current + "/scim"]
        }
        list += usualPaths.map(normalized)
        var seen: Set<String> = [current]
        return Array(list.filter { seen.insert($0).inserted }.prefix(maxCandidates))
    }
}
