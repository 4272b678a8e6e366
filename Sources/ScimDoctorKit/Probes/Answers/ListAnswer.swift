import Foundation

// Reading a list/filter answer the way Entra does, and naming what is wrong with it.
// Used by the Test Connection probes; the Users and Groups probes may call `classifyListResponse` too.

/// A list or filter answer that has the shape Entra parses: HTTP 200, JSON, the ListResponse schema,
/// an integer `totalResults` and `Resources` absent or an array of objects.
public struct ListResponsePage: Sendable {
    public let response: HTTPResponse
    public let object: JSONValue
    public let totalResults: Int
    /// The `Resources` entries; empty when the member is absent.
    public let resources: [JSONValue]
    /// As sent; `application/json` is accepted here (users.content-type judges it).
    public var contentType: String? { response.contentType }
}

/// The outcome of `classifyListResponse`: the parsed list, or a failing verdict ready to return.
public enum ListCheck: Sendable {
    case list(ListResponsePage)
    case verdict(Verdict)

    /// Microsoft's gallery requirement for a query that matches nothing (GALREQ).
    static let emptyResultQuote =
        "\"Return a successful response with zero results when a query doesn't match a user. "
        + "Don't return a bad request.\" (Microsoft, gallery provisioning requirements)"
    /// What Entra reports for an HTML answer (quarantine text, 3rd-party report SNIPE-14138).
    static let deserializeQuote =
        "\"We are not able to deserialize the resource received from your SCIM endpoint because your SCIM endpoint "
        + "is not fully compatible with the Azure Active Directory SCIM client. Here is the resource we received "
        + "from your SCIM endpoint: …\" (SystemForCrossDomainIdentityManagementServiceIncompatible)"
    /// What Entra reports for a 404 on its test query (quarantine e-mail, SNIPE-11913).
    static let notFoundQuote =
        "\"An HTTP/404 Not Found response was returned rather than the expected HTTP/200 OK response.\" "
        + "(SystemForCrossDomainIdentityManagementServiceIncompatible)"
    /// Where the Tenant URL is changed.
    static let tenantURLField =
        "Entra ▸ Enterprise applications ▸ your app ▸ Provisioning ▸ Admin Credentials ▸ Tenant URL"
}

/// Classifies the answer to a list or filter request on `resource` ("Users" or "Groups").
/// - Parameters:
///   - expectEmpty: the request filters on a random GUID, so any returned resource means the filter was ignored.
///   - note: appended to every failing finding, e.g. "(group query form unconfirmed)".
/// - Returns: `.list` when the shape is right (and, with `expectEmpty`, nothing came back); otherwise a failing
///   verdict. A 404 gets a generic verdict: callers that can tell "wrong path" from "no match" check it first.
func classifyListResponse(
    _ exchange: Exchange, resource: String, expectEmpty: Bool, note: String? = nil
) -> ListCheck {
    let suffix = note.map { " \($0)" } ?? ""
    /// `blocking: false` for faults of the filter alone: the lists and lookups of existing resources
    /// still deserve their own verdicts.
    func fail(_ finding: String, _ evidence: [Evidence], fix: String, blocking: Bool = true) -> ListCheck {
        .verdict(.fail(finding + suffix, evidence: evidence, fix: fix, blocksDependants: blocking))
    }
    let line = "GET …/\(resource)"
    let response: HTTPResponse
    switch exchange.outcome {
    case .failure(let error):
        return fail(
            "no HTTP answer to \(line): \(error.message)",
            Evidence.exchange(exchange) + [
                Evidence(
                    "Entra reports",
                    "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable: "
                        + "\"An error occurred while sending the request\"")
            ],
            fix: ListResponseFixes.transport(error))
    case .success(let value):
        response = value
    }
    let evidence = Evidence.exchange(exchange)
    let status = response.status

    if (300..<400).contains(status) {
        let redirect = RedirectAnswer(exchange: exchange, response: response)
        return fail(redirect.finding(line), evidence, fix: redirect.fix)
    }
    if status == 401 || status == 403 {
        return fail(
            "HTTP \(status): token refused: see auth.token-accepted",
            evidence + SCIMAnswer.errorEvidence(response),
            fix: "Fix the Secret Token first (auth.token-accepted says how), then run this check again.")
    }
    if status == 429 {
        var retry = response.header("Retry-After").map { " (Retry-After: \($0))" } ?? ""
        if let waited = response.retriedAfterSeconds {
            retry += "; still 429 after waiting \(waited) s and retrying once"
        }
        return fail(
            "HTTP 429 on \(line): rate limited\(retry)",
            evidence + [Evidence("Entra reports", "TooManyRequests (Retry-After handling by Entra is unconfirmed)")],
            fix: "On the server (or its API gateway): raise the rate limit for the provisioning client; Microsoft "
                + "expects gallery apps to sustain 25 requests per second per tenant.")
    }
    if status >= 500 {
        let page = HTMLAnswer(response).map { " (\($0.summary))" } ?? ""
        let said = page.isEmpty ? SCIMAnswer.serverMessage(response).map { ": \"\($0)\"" } ?? "" : ""
        return fail(
            "\(SCIMAnswer.statusText(status)): the server failed on \(line)\(page)\(said)",
            evidence + [
                Evidence(
                    "Entra reports",
                    "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable … Response Status Code: "
                        + "\(SCIMAnswer.httpStatusName(status)); during provisioning: "
                        + "\"automatically retried in 40 minutes\"")
            ],
            fix: "On the server: read its log for this request (the time and the request line are above) and fix "
                + "the error; a 502/503/504 usually comes from a reverse proxy whose backend is down or slow.")
    }
    if let page = HTMLAnswer(response) {
        return fail(
            page.kind == .other
                ? "\(page.summary) instead of a SCIM ListResponse (HTTP \(status))"
                : "an HTML page instead of a SCIM ListResponse (HTTP \(status)): it looks like \(page.summary)",
            evidence + [Evidence("Entra reports", ListCheck.deserializeQuote)],
            fix: page.fix)
    }
    if status == 404 {
        return fail(
            "HTTP 404 for \(line): the server has no SCIM \(resource) endpoint at this path",
            evidence + SCIMAnswer.errorEvidence(response) + [Evidence("Entra reports", ListCheck.notFoundQuote)],
            fix: "Check the Tenant URL (\(ListCheck.tenantURLField)) against the application's SCIM settings page; "
                + "see test-connection.base-path.")
    }
    if status == 400 {
        let filter = SCIMAnswer.filterExpression(exchange.request) ?? "the query"
        let error = SCIMAnswer.error(response)
        let type = error?.scimType.map { ", scimType \($0)" } ?? ""
        return fail(
            "the server rejects the filter \(filter) (HTTP 400\(type))",
            evidence + SCIMAnswer.errorEvidence(response) + [
                Evidence("Entra reports", "SystemForCrossDomainIdentityManagementCredentialValidationFailure")
            ],
            fix: ListResponseFixes.badRequest(resource: resource, filter: filter), blocking: false)
    }
    if status != 200 {
        return fail(
            "\(SCIMAnswer.statusText(status)) instead of 200 with a ListResponse",
            evidence + SCIMAnswer.errorEvidence(response),
            fix: "On the server: answer \(line) with a filter with HTTP 200 and a SCIM ListResponse "
                + "(RFC 7644 §3.4.2).")
    }
    if let problem = classifyListBody(
        response, evidence: evidence, resource: resource, request: exchange.request, expectEmpty: expectEmpty)
    {
        return fail(problem.finding, problem.evidence, fix: problem.fix, blocking: problem.blocking)
    }
    // classifyListBody accepted the body, so these reads succeed.
    guard let object = response.jsonObject, let total = object["totalResults"]?.int else {
        return fail("the ListResponse could not be read", evidence, fix: "On the server: send a SCIM ListResponse.")
    }
    return .list(
        ListResponsePage(response: response, object: object, totalResults: total, resources: object.resources ?? []))
}

/// A failing body check, before the caller's note is appended.
private struct BodyProblem {
    let finding: String
    let evidence: [Evidence]
    let fix: String
    var blocking = true
}

/// The 200 body checks; nil when the body is a well-formed (and, with `expectEmpty`, empty) ListResponse.
private func classifyListBody(
    _ response: HTTPResponse, evidence: [Evidence], resource: String, request: HTTPRequest, expectEmpty: Bool
) -> BodyProblem? {
    let serverFix =
        "On the server: answer with a SCIM ListResponse: {\"schemas\":[\"\(SCIM.listResponse)\"],"
        + "\"totalResults\":0,\"Resources\":[]} (Microsoft's \"Get User by query - Zero results\" example)."
    if response.bodyTruncated {
        return BodyProblem(
            finding: "the body is too large: more than \(response.body.count) bytes"
                + (response.header("Content-Length").map { " (Content-Length: \($0))" } ?? "")
                + ", so scim-doctor cut it there; an answer to this query is a few hundred bytes",
            evidence: evidence,
            fix: "On the server: answer a filter with only the matching resources (and honour count), not a huge body.")
    }
    let object: JSONValue
    switch response.json {
    case .failure(let failure):
        let deserialize = Evidence("Entra reports", ListCheck.deserializeQuote)
        guard let trouble = JSONTrouble(response) else {
            return BodyProblem(
                finding: "HTTP 200 but not JSON (\(failure.clause)): \(bodyExcerpt(response, limit: 80))",
                evidence: evidence + [deserialize], fix: serverFix)
        }
        return BodyProblem(
            finding: "HTTP 200 but \(trouble.clause)", evidence: evidence + [deserialize], fix: trouble.fix)
    case .success(let document) where !document.value.isObject:
        return BodyProblem(
            finding: "HTTP 200 but the JSON is \(JSONValue.describe(document.value)), not a ListResponse object",
            evidence: evidence, fix: serverFix)
    case .success(let document):
        object = document.value
    }
    let schemas = object.schemas
    guard schemas.contains(SCIM.listResponse) else {
        let has = schemas.isEmpty ? "no schemas" : "schemas \(schemas.joined(separator: ", "))"
        return BodyProblem(
            finding: "HTTP 200 but schemas lack the ListResponse URN (\(has))", evidence: evidence, fix: serverFix)
    }
    let total = object["totalResults"]
    guard let totalResults = total?.int else {
        return BodyProblem(
            finding: "totalResults is \(JSONValue.describe(total)), not an integer",
            evidence: evidence, fix: "On the server: send totalResults as a JSON number (0, not \"0\").")
    }
    let rawResources = object["Resources"]
    var resources: [JSONValue] = []
    if let rawResources, rawResources != .null {
        guard let array = rawResources.array else {
            return BodyProblem(
                finding: "Resources is \(JSONValue.describe(rawResources)), not an array",
                evidence: evidence, fix: "On the server: send Resources as a JSON array of resources.")
        }
        resources = array.filter(\.isObject)
        if resources.count != array.count {
            return BodyProblem(
                finding: "Resources holds \(array.count - resources.count) entries that are not objects",
                evidence: evidence, fix: "On the server: send Resources as a JSON array of resource objects.")
        }
    }
    if expectEmpty, totalResults > 0 || !resources.isEmpty {
        let count = resources.isEmpty ? totalResults : resources.count
        let groups = resource == "Groups"
        let attribute = SCIMAnswer.filterExpression(request)?.split(separator: " ").first.map(String.init) ?? "a value"
        return BodyProblem(
            finding: "filter ignored: the server returned \(count) \(groups ? "group(s)" : "user(s)") for a "
                + "\(attribute) that matches nobody: Entra would match the wrong \(groups ? "group" : "user") "
                + "(or get MultipleEntriesInResponse)",
            evidence: evidence + [Evidence("totalResults", "\(totalResults), \(resources.count) in Resources")],
            fix: "On the server: apply the filter (\(attribute) eq \"…\") and return only matching resources; "
                + "Entra takes a returned resource as the match.", blocking: false)
    }
    return nil
}

enum ListResponseFixes {
    static func transport(_ error: TransportError) -> String {
        switch error.kind {
        case .timeout, .connectTimeout:
            "On the server: answer the filter query quickly (Entra's timeout is unpublished; a timed-out request is "
                + "\"automatically retried in 40 minutes\"); see the net.* probes if nothing answers at all."
        default:
            "Make the SCIM endpoint reachable over https from the internet (Entra's AzureActiveDirectory IP "
                + "ranges); the net.* and tls.* probes show where the connection breaks."
        }
    }

    static func badRequest(resource: String, filter: String) -> String {
        let attribute = filter.split(separator: " ").first.map(String.init) ?? "the matching attribute"
        let mapping =
            resource == "Groups" ? "Provision Microsoft Entra ID Groups" : "Provision Microsoft Entra ID Users"
        return "On the server: support filter=\(attribute) eq \"value\" on /\(resource) and answer 200 with an "
            + "empty ListResponse when nothing matches. Or, if the application documents another matching "
            + "attribute, make that the matching attribute in Entra ▸ Provisioning ▸ Mappings ▸ \(mapping) ▸ "
            + "Attribute Mappings (Matching precedence 1)."
    }
}

extension ProbeContext {
    /// Whether the Tenant URL's path itself is wrong: Entra's query and an unfiltered `/Users` list both answer
    /// 404, an HTML page or a sign-in redirect. A SCIM-shaped 404 body does not make the path right: many SCIM
    /// servers answer every unknown path with a SCIM Error.
    public func tenantPathLooksWrong() async throws -> Bool {
        func notSCIMService(_ exchange: Exchange) -> Bool {
            guard let response = exchange.response else { return false }
            if response.status == 404 || HTMLAnswer(response) != nil { return true }
            return (300..<400).contains(response.status)
                && RedirectAnswer(exchange: exchange, response: response).isLogin
        }
        guard notSCIMService(try await testConnectionUsers()) else { return false }
        return notSCIMService(try await userPage())
    }
}

/// Whether an exchange is a well-formed ListResponse for `resource`.
func answersList(_ exchange: Exchange, _ resource: String) -> Bool {
    if case .list = classifyListResponse(exchange, resource: resource, expectEmpty: false) { return true }
    return false
}
