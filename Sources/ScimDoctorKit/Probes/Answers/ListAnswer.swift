import Foundation

// The one reading of a list or filter answer, the way Entra reads it, naming what is wrong with it: used by the
// Test Connection, Users and Groups probes, the lifecycle probes and `cleanup` alike, with one wording per fault.

/// A ListResponse that has the shape Entra parses: HTTP 200, JSON, the ListResponse schema, a non-negative integer
/// `totalResults` (and `itemsPerPage` when present), and `Resources` (absent only when empty) whose entries all carry
/// a string `id` and matching attribute.
struct ListPage: Sendable {
    let kind: ResourceKind
    let object: JSONValue
    let totalResults: Int
    /// Nil when the attribute is missing (a type error is a problem instead).
    let itemsPerPage: Int?
    let resources: [JSONValue]
    let exchange: Exchange
    let response: HTTPResponse

    /// As sent; `application/json` is accepted here (users.content-type judges it).
    var contentType: String? { response.contentType }

    /// The first resource's id and matching attribute (the reader guarantees both are strings).
    var sample: (id: String, name: String)? {
        guard let first = resources.first, let id = first["id"]?.string else { return nil }
        return (id, first[kind.matchingAttribute]?.string ?? "")
    }
}

/// Why an answer is not a usable ListResponse: the finding, its evidence and the fix.
struct ListProblem: Error, Sendable {
    let finding: String
    let evidence: [Evidence]
    let fix: String
    /// False for faults of the filter alone: the lists and lookups of existing resources still deserve verdicts.
    var blocking = true

    var verdict: Verdict { .fail(finding, evidence: evidence, fix: fix, blocksDependants: blocking) }

    /// The problem of a filter answered 400, worded as every reader words it.
    static func rejectedFilter(_ exchange: Exchange, kind: ResourceKind) -> ListProblem {
        guard case .failure(let problem) = readList(exchange, kind: kind, query: .filter) else {
            return ListProblem(finding: "the filter was rejected", evidence: Evidence.exchange(exchange), fix: "")
        }
        return problem
    }
}

/// What a list request is for; it decides only what a 400 or a 404 means.
enum ListQuery: Sendable, Equatable {
    /// Entra's Test Connection query: a filter on a random value, so anything returned means the filter was ignored.
    /// `note` is appended to every failing finding (e.g. "(group query form unconfirmed)").
    case testConnection(note: String? = nil)
    /// A filter on an existing resource's value.
    case filter
    /// A page of the collection (`startIndex`, `count`).
    case page
    /// A filter with `attributes=id`: its resources carry only their id.
    case idsOnly
}

/// Reads `exchange` as a ListResponse of `kind` resources.
func readList(_ exchange: Exchange, kind: ResourceKind, query: ListQuery) -> Result<ListPage, ListProblem> {
    var note = ""
    if case .testConnection(let text?) = query { note = " " + text }
    func fail(_ finding: String, _ evidence: [Evidence], fix: String, blocking: Bool = true)
        -> Result<ListPage, ListProblem>
    {
        .failure(ListProblem(finding: finding + note, evidence: evidence, fix: fix, blocking: blocking))
    }
    let resource = kind.path
    let line = "GET …/\(resource)"
    let subject = shortRequest(exchange)
    let response: HTTPResponse
    switch exchange.outcome {
    case .failure(let error):
        return fail(
            "no HTTP answer to \(line): \(error.message)",
            Evidence.exchange(exchange) + [
                Evidence("Entra reports", EntraMessages.sendingFailed)
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
                    "\(EntraErrorCode.credentialValidationUnavailable) … Response Status Code: "
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
            evidence + [Evidence("Entra reports", EntraMessages.deserializeQuote)],
            fix: page.fix)
    }
    let listFix =
        "On the server: answer GET {Tenant URL}/\(resource) with HTTP 200 and a SCIM ListResponse "
        + "(RFC 7644 §3.4.2), as Entra expects for every query."
    switch (status, query) {
    case (404, .page), (404, .filter), (400, .page):
        // (A filter or page answered 404 where the list itself works: "no match as 404", not a wrong path.)
        return fail(
            "\(subject) answered HTTP \(status) instead of 200 with a ListResponse",
            evidence + SCIMAnswer.errorEvidence(response),
            fix: status == 400 && exchange.request.url.contains("startIndex=")
                ? "On the server: accept the startIndex and count query parameters on /\(resource) "
                    + "(RFC 7644 §3.4.2.4); Microsoft requires listing and paginating." : listFix)
    case (404, _):
        return fail(
            "HTTP 404 for \(line): the server has no SCIM \(resource) endpoint at this path",
            evidence + SCIMAnswer.errorEvidence(response) + [Evidence("Entra reports", EntraMessages.notFoundQuote)],
            fix: "Check the Tenant URL (\(EntraPortal.tenantURL)) against the application's SCIM settings page; "
                + "see test-connection.base-path.")
    case (400, _):
        let filter = SCIMAnswer.filterExpression(exchange.request) ?? "the query"
        let type = SCIMAnswer.error(response)?.scimType.map { ", scimType \($0)" } ?? ""
        return fail(
            "the server rejects the filter \(filter) (HTTP 400\(type))",
            evidence + SCIMAnswer.errorEvidence(response) + [
                Evidence("Entra reports", EntraErrorCode.credentialValidationFailure.rawValue)
            ],
            fix: ListResponseFixes.badRequest(resource: resource, filter: filter), blocking: false)
    case (200, _): break
    default:
        return fail(
            "\(SCIMAnswer.statusText(status)) instead of 200 with a ListResponse",
            evidence + SCIMAnswer.errorEvidence(response),
            fix: "On the server: answer \(line) with HTTP 200 and a SCIM ListResponse (RFC 7644 §3.4.2).")
    }
    return readListBody(exchange, response, kind: kind, query: query, evidence: evidence).mapError { problem in
        ListProblem(
            finding: problem.finding + note, evidence: problem.evidence, fix: problem.fix, blocking: problem.blocking)
    }
}

/// The checks of a 200 body, each fault worded once.
private func readListBody(
    _ exchange: Exchange, _ response: HTTPResponse, kind: ResourceKind, query: ListQuery, evidence: [Evidence]
) -> Result<ListPage, ListProblem> {
    func fail(_ finding: String, _ evidence: [Evidence], fix: String, blocking: Bool = true)
        -> Result<ListPage, ListProblem>
    {
        .failure(ListProblem(finding: finding, evidence: evidence, fix: fix, blocking: blocking))
    }
    let serverFix =
        "On the server: answer with a SCIM ListResponse: {\"schemas\":[\"\(SchemaURN.listResponse)\"],"
        + "\"totalResults\":0,\"Resources\":[]} (Microsoft's \"Get User by query - Zero results\" example)."
    if response.bodyTruncated {
        return fail(
            "the body is too large: more than \(response.body.count) bytes"
                + (response.header("Content-Length").map { " (Content-Length: \($0))" } ?? "")
                + ", so scim-doctor cut it there; an answer to this query is a few hundred bytes",
            evidence,
            fix: "On the server: answer a filter with only the matching resources (and honour count), not a huge body.")
    }
    let object: JSONValue
    switch response.json {
    case .failure(let failure):
        let deserialize = Evidence("Entra reports", EntraMessages.deserializeQuote)
        guard let trouble = JSONTrouble(response) else {
            return fail(
                "HTTP 200 but not JSON (\(failure.clause)): \(bodyExcerpt(response, limit: 80))",
                evidence + [deserialize], fix: serverFix)
        }
        return fail("HTTP 200 but \(trouble.clause)", evidence + [deserialize], fix: trouble.fix)
    case .success(let document) where !document.value.isObject:
        return fail(
            "HTTP 200 but the JSON is \(JSONValue.describe(document.value)), not a ListResponse object", evidence,
            fix: serverFix)
    case .success(let document):
        object = document.value
    }
    let schemas = object.schemas
    guard schemas.contains(SchemaURN.listResponse) else {
        let has = schemas.isEmpty ? "no schemas" : "schemas \(schemas.joined(separator: ", "))"
        return fail("HTTP 200 but schemas lack the ListResponse URN (\(has))", evidence, fix: serverFix)
    }
    let totalValue = object["totalResults"]
    guard let total = totalValue?.int, total >= 0 else {
        return fail(
            "totalResults is \(JSONValue.describe(totalValue)), not a non-negative integer", evidence,
            fix: "On the server: send totalResults as a JSON number (RFC 7644 §3.4.2), e.g. \"totalResults\": 1 "
                + "(a number, not \"1\").")
    }
    let perPageValue = object["itemsPerPage"]
    if perPageValue != nil, perPageValue?.int == nil {
        return fail(
            "itemsPerPage is \(JSONValue.describe(perPageValue)), not an integer", evidence,
            fix: "On the server: send itemsPerPage as a JSON number (RFC 7644 §3.4.2), e.g. \"itemsPerPage\": 1.")
    }
    let resourcesFix =
        "On the server: return the matching resources in \"Resources\", each with a string \"id\" and "
        + "\"\(kind.matchingAttribute)\" (RFC 7644 §3.4.2; RFC 7643 §3.1)."
    let resourcesValue = object["Resources"]
    let entries: [JSONValue]
    switch resourcesValue {
    case nil where total == 0, .null? where total == 0: entries = []
    case .array(let array)?: entries = array
    default:
        return fail(
            "Resources is \(JSONValue.describe(resourcesValue)) although totalResults is \(total)",
            evidence + [Evidence("Resources", JSONValue.describe(resourcesValue))], fix: resourcesFix)
    }
    if case .testConnection = query, total > 0 || !entries.isEmpty {
        let count = entries.isEmpty ? total : entries.count
        let groups = kind == .groups
        let attribute =
            SCIMAnswer.filterExpression(exchange.request)?.split(separator: " ").first.map(String.init) ?? "a value"
        return fail(
            "filter ignored: the server returned \(count) \(groups ? "group(s)" : "user(s)") for a "
                + "\(attribute) that matches nobody: Entra would match the wrong \(groups ? "group" : "user") "
                + "(or get MultipleEntriesInResponse)",
            evidence + [Evidence("totalResults", "\(total), \(entries.count) in Resources")],
            fix: "On the server: apply the filter (\(attribute) eq \"…\") and return only matching resources; "
                + "Entra takes a returned resource as the match.", blocking: false)
    }
    if total > 0, entries.isEmpty {
        return fail("Resources is empty although totalResults is \(total)", evidence, fix: resourcesFix)
    }
    if entries.count > total {
        return fail(
            "Resources holds \(entries.count) but totalResults says \(total)", evidence,
            fix: "On the server: make totalResults count every matching resource.")
    }
    for (index, entry) in entries.enumerated() {
        guard entry.isObject else {
            return fail(
                "Resources[\(index)] is \(JSONValue.describe(entry)), not a \(kind.singular) object", evidence,
                fix: resourcesFix)
        }
        let id = entry["id"]
        if id?.string?.isEmpty != false {
            return fail(
                "Resources[\(index)] has no string id (id is \(JSONValue.describe(id))); Microsoft: \"id is required "
                    + "… except for ListResponse with zero elements\"", evidence, fix: resourcesFix)
        }
        let name = entry[kind.matchingAttribute]
        if query != .idsOnly, name?.string == nil {
            return fail(
                "Resources[\(index)] has no string \(kind.matchingAttribute) (it is \(JSONValue.describe(name))), the "
                    + "attribute Entra matches \(kind.plural) on", evidence, fix: resourcesFix)
        }
    }
    return .success(
        ListPage(
            kind: kind, object: object, totalResults: total, itemsPerPage: perPageValue?.int, resources: entries,
            exchange: exchange, response: response))
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
        let kind: ResourceKind = resource == "Groups" ? .groups : .users
        return "On the server: support filter=\(attribute) eq \"value\" on /\(resource) and answer 200 with an "
            + "empty ListResponse when nothing matches. Or, if the application documents another matching "
            + "attribute, make that the matching attribute in \(EntraPortal.attributeMappings(kind)) (Matching "
            + "precedence 1)."
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

/// Whether an exchange is a well-formed ListResponse of `kind`.
func answersList(_ exchange: Exchange, _ kind: ResourceKind) -> Bool {
    (try? readList(exchange, kind: kind, query: .filter).get()) != nil
}
