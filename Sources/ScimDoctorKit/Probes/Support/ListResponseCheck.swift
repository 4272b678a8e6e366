import Foundation

// Reading a list/filter answer the way Entra does, and naming what is wrong with it.
// Used by the Test Connection probes; the Users and Groups probes may call `classifyListResponse` too.

/// A list or filter answer that has the shape Entra parses: HTTP 200, JSON, the ListResponse schema,
/// an integer `totalResults` and `Resources` absent or an array of objects.
public struct ListResponsePage: Sendable {
    public let response: HTTPResponse
    public let object: [String: any Sendable]
    public let totalResults: Int
    /// The `Resources` entries; empty when the member is absent.
    public let resources: [[String: any Sendable]]
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
    guard let object = JSONBody(response).object, let total = SCIM.int(object, "totalResults") else {
        return fail("the ListResponse could not be read", evidence, fix: "On the server: send a SCIM ListResponse.")
    }
    let resources = (SCIM.value(object, "Resources") as? [any Sendable])?.compactMap { $0 as? [String: any Sendable] }
    return .list(ListResponsePage(response: response, object: object, totalResults: total, resources: resources ?? []))
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
    let object: [String: any Sendable]
    switch JSONBody(response) {
    case .invalid(let why):
        let deserialize = Evidence("Entra reports", ListCheck.deserializeQuote)
        guard let trouble = JSONTrouble(response) else {
            return BodyProblem(
                finding: "HTTP 200 but not JSON (\(why)): \(bodyExcerpt(response, limit: 80))",
                evidence: evidence + [deserialize], fix: serverFix)
        }
        return BodyProblem(
            finding: "HTTP 200 but \(trouble.clause)", evidence: evidence + [deserialize], fix: trouble.fix)
    case .other(let value):
        return BodyProblem(
            finding: "HTTP 200 but the JSON is \(SCIM.describe(value)), not a ListResponse object",
            evidence: evidence, fix: serverFix)
    case .object(let value):
        object = value
    }
    let schemas = SCIM.schemas(object)
    guard schemas.contains(SCIM.listResponse) else {
        let has = schemas.isEmpty ? "no schemas" : "schemas \(schemas.joined(separator: ", "))"
        return BodyProblem(
            finding: "HTTP 200 but schemas lack the ListResponse URN (\(has))", evidence: evidence, fix: serverFix)
    }
    let total = SCIM.value(object, "totalResults")
    guard let totalResults = total as? Int else {
        return BodyProblem(
            finding: "totalResults is \(SCIM.describe(total)), not an integer",
            evidence: evidence, fix: "On the server: send totalResults as a JSON number (0, not \"0\").")
    }
    let rawResources = SCIM.value(object, "Resources")
    var resources: [[String: any Sendable]] = []
    if let rawResources, !(rawResources is JSONNull) {
        guard let array = rawResources as? [any Sendable] else {
            return BodyProblem(
                finding: "Resources is \(SCIM.describe(rawResources)), not an array",
                evidence: evidence, fix: "On the server: send Resources as a JSON array of resources.")
        }
        resources = array.compactMap { $0 as? [String: any Sendable] }
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

// MARK: - Shared readers (also used by the Authentication probes)

/// The SCIM Error message fields of a body, when it has any.
struct SCIMErrorFields: Sendable {
    var detail: String?
    var scimType: String?
    var isSCIMError: Bool

    var summary: String {
        var parts: [String] = []
        if let scimType { parts.append("scimType \(scimType)") }
        if let detail { parts.append("detail \"\(oneLine(detail).prefix(200))\"") }
        return parts.joined(separator: ", ")
    }
}

/// Readers of one SCIM answer that never trust its shape.
enum SCIMAnswer {
    /// The `schemas` of a JSON object body; nil when the body is not a JSON object.
    static func schemas(_ response: HTTPResponse) -> [String]? {
        JSONBody(response).object.map(SCIM.schemas)
    }

    /// A JSON body whose schemas carry a SCIM URN (a ListResponse, an Error, a ServiceProviderConfig…).
    static func looksLikeSCIM(_ response: HTTPResponse) -> Bool {
        SCIMAnswer.schemas(response)?.contains { $0.hasPrefix("urn:ietf:params:scim:") } ?? false
    }

    static func error(_ response: HTTPResponse) -> SCIMErrorFields? {
        guard let object = JSONBody(response).object else { return nil }
        let detail = SCIM.string(object, "detail")
        let type = SCIM.string(object, "scimType")
        let isError = SCIM.schemas(object).contains(SCIM.errorSchema)
        guard detail != nil || type != nil || isError else { return nil }
        return SCIMErrorFields(detail: detail, scimType: type, isSCIMError: isError)
    }

    /// What an error body says in its own words: a SCIM `detail`, or the `message` / `error_description` / `error` /
    /// `title` of a framework's JSON error, or the first line of a short plain-text body; at most 160 characters.
    static func serverMessage(_ response: HTTPResponse) -> String? {
        var text: String?
        if let object = JSONBody(response).object {
            text = ["detail", "message", "error_description", "error", "title"].lazy
                .compactMap { SCIM.string(object, $0) }.first { !$0.isEmpty }
        } else if HTMLAnswer(response) == nil, response.body.count <= 4096, !response.bodyTruncated,
            let body = String(validating: response.body, as: UTF8.self)
        {
            text = body.split(whereSeparator: \.isNewline).first.map(String.init)
        }
        guard let line = text?.trimmingCharacters(in: .whitespaces), !line.isEmpty else { return nil }
        let visible = oneLine(line)
        return visible.count > 160 ? visible.prefix(160) + "…" : visible
    }

    static func errorEvidence(_ response: HTTPResponse) -> [Evidence] {
        guard let error = SCIMAnswer.error(response), !error.summary.isEmpty else { return [] }
        return [Evidence("SCIM error", error.summary)]
    }

    /// The decoded `filter` parameter of a request, e.g. `userName eq "…"`.
    static func filterExpression(_ request: HTTPRequest) -> String? {
        guard let query = URLComponents(string: request.url)?.percentEncodedQuery else { return nil }
        for pair in query.split(separator: "&") where pair.lowercased().hasPrefix("filter=") {
            let raw = pair.dropFirst("filter=".count).replacingOccurrences(of: "+", with: " ")
            return raw.removingPercentEncoding ?? raw
        }
        return nil
    }

    /// The .NET `HttpStatusCode` name Entra prints in "Response Status Code: …".
    static func httpStatusName(_ status: Int) -> String {
        let names = [
            400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
            406: "NotAcceptable", 408: "RequestTimeout", 409: "Conflict", 415: "UnsupportedMediaType",
            422: "UnprocessableEntity", 429: "TooManyRequests", 500: "InternalServerError", 501: "NotImplemented",
            502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout",
        ]
        return names[status] ?? "\(status)"
    }

    /// "HTTP 500 (InternalServerError)", or "HTTP 299" when the code has no .NET name.
    static func statusText(_ status: Int) -> String {
        let name = httpStatusName(status)
        return name == "\(status)" ? "HTTP \(status)" : "HTTP \(status) (\(name))"
    }
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

// MARK: - HTML answers

/// An HTML answer where SCIM JSON was expected, with its most likely origin.
struct HTMLAnswer: Sendable {
    enum Kind: Sendable { case login, singlePageApp, proxy, other }
    let kind: Kind
    let title: String?

    /// Nil when the answer is not HTML.
    init?(_ response: HTTPResponse) {
        let type = response.contentType?.lowercased() ?? ""
        let head = String(decoding: response.body.prefix(65_536), as: UTF8.self)
        let lower = head.lowercased()
        let start = lower.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        // An empty body under a text/html label (a bare redirect or error) is no page to describe.
        if start.isEmpty { return nil }
        // A JSON body under a text/html label is mislabelled JSON, not a page (users.content-type judges labels).
        if start.hasPrefix("{") || start.hasPrefix("[") { return nil }
        let looksHTML =
            start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
            || (start.hasPrefix("<!--") && lower.contains("<html"))
        guard type.contains("text/html") || type.contains("xhtml") || looksHTML else { return nil }
        title = HTMLAnswer.title(in: head)
        let titleLower = title?.lowercased() ?? ""
        if lower.contains("type=\"password\"") || lower.contains("type='password'") || lower.contains("type=password") {
            kind = .login
        } else if [
            "<div id=\"root\"", "<div id=\"app\"", "<app-root", "<div id=\"__next\"", "type=\"module\"",
            ".bundle.js", "/static/js/main.", "enable javascript to run this app",
        ].contains(where: lower.contains) {
            kind = .singlePageApp
        } else if [
            "cloudflare", "nginx", "akamai", "incapsula", "access denied", "request rejected",
            "web application firewall", "attention required",
        ].contains(where: lower.contains)
            || ["bad gateway", "service unavailable", "gateway timeout", "forbidden", "apache", "iis"]
                .contains(where: titleLower.contains)
        {
            kind = .proxy
        } else {
            kind = .other
        }
    }

    /// e.g. `a login page titled "Sign in"`.
    var summary: String {
        let titled = title.map { " titled \"\($0)\"" } ?? ""
        switch kind {
        case .login: return "a login page with a password field\(titled)"
        case .singlePageApp: return "a single-page app's index page\(titled)"
        case .proxy: return "a proxy or WAF page\(titled)"
        case .other: return "an HTML page\(titled)"
        }
    }

    var fix: String {
        switch kind {
        case .login:
            "The Tenant URL reaches the application's web sign-in, not its SCIM API: copy the SCIM base URL from "
                + "the application's SCIM settings page into \(ListCheck.tenantURLField) "
                + "(see test-connection.base-path)."
        case .singlePageApp:
            "The Tenant URL reaches the web front end (its catch-all route serves index.html), not the SCIM API: "
                + "copy the SCIM base URL from the application's SCIM settings page into "
                + "\(ListCheck.tenantURLField) (see test-connection.base-path)."
        case .proxy:
            "On the reverse proxy / WAF in front of the server: let GET /Users and /Groups with an Authorization "
                + "header through to the SCIM service (allow Entra's AzureActiveDirectory IP ranges), and check "
                + "that the Tenant URL path is routed to it."
        case .other:
            "Check the Tenant URL (\(ListCheck.tenantURLField)) against the application's SCIM settings page; the "
                + "SCIM service must answer JSON, not HTML (see test-connection.base-path)."
        }
    }

    private static func title(in html: String) -> String? {
        guard let open = html.range(of: "<title", options: .caseInsensitive),
            let close = html.range(of: ">", range: open.upperBound..<html.endIndex),
            let end = html.range(of: "</title", options: .caseInsensitive, range: close.upperBound..<html.endIndex)
        else { return nil }
        let words = html[close.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return words.isEmpty ? nil : String(words.prefix(80))
    }
}

// MARK: - Redirects

/// A 3xx answer: where it points and what kind of redirect it is.
struct RedirectAnswer: Sendable {
    enum Kind: Sendable { case login, httpsUpgrade, trailingSlash, elsewhere, noLocation }
    let status: Int
    let location: String?
    let kind: Kind

    init(exchange: Exchange, response: HTTPResponse) {
        status = response.status
        let requestURL = URL(string: exchange.request.url)
        guard let raw = response.header("Location"), !raw.isEmpty else {
            location = nil
            kind = .noLocation
            return
        }
        let target = URL(string: raw, relativeTo: requestURL)?.absoluteURL
        location = target?.absoluteString ?? raw
        kind = RedirectAnswer.kind(from: requestURL, to: target, raw: raw)
    }

    var isLogin: Bool { kind == .login }

    private static func kind(from sourceURL: URL?, to targetURL: URL?, raw: String) -> Kind {
        let words = ["login", "signin", "sign-in", "sign_in", "auth", "sso", "saml"]
        // URLComponents keeps a trailing slash that URL.path drops.
        guard let source = sourceURL.flatMap({ URLComponents(url: $0, resolvingAgainstBaseURL: true) }),
            let target = targetURL.flatMap({ URLComponents(url: $0, resolvingAgainstBaseURL: true) })
        else {
            return words.contains(where: raw.lowercased().contains) ? .login : .elsewhere
        }
        let sourceText = (source.percentEncodedPath + "?" + (source.percentEncodedQuery ?? "")).lowercased()
        let targetText = (target.percentEncodedPath + "?" + (target.percentEncodedQuery ?? "")).lowercased()
        let targetHost = target.host?.lowercased() ?? ""
        let otherHost = targetHost != (source.host?.lowercased() ?? "")
        if words.contains(where: { targetText.contains($0) && !sourceText.contains($0) })
            || (otherHost && words.contains(where: targetHost.contains))
        {
            return .login
        }
        let samePath = target.percentEncodedPath == source.percentEncodedPath
        if source.scheme == "http", target.scheme == "https", !otherHost, samePath { return .httpsUpgrade }
        if !otherHost, target.percentEncodedPath == source.percentEncodedPath + "/" { return .trailingSlash }
        return .elsewhere
    }

    func finding(_ line: String) -> String {
        guard let location else { return "\(line) redirects (HTTP \(status)) without a Location header" }
        switch kind {
        case .login: return "\(line) redirects to \(location), a sign-in page: Entra expects a direct 200"
        case .httpsUpgrade: return "\(line) redirects to \(location) (http → https): Entra expects a direct 200"
        case .trailingSlash:
            return "\(line) redirects to \(location) (adds a trailing slash): Entra expects a direct 200"
        default: return "\(line) redirects to \(location) (HTTP \(status)): Entra expects a direct 200"
        }
    }

    var fix: String {
        let unconfirmed = " (whether Entra follows redirects is unconfirmed; it expects a direct 200.)"
        switch kind {
        case .login:
            return "The Tenant URL reaches a page that wants an interactive sign-in: enter the application's SCIM API "
                + "base URL in \(ListCheck.tenantURLField) (see test-connection.base-path), and make the server "
                + "authenticate SCIM requests by the bearer token instead of redirecting them." + unconfirmed
        case .httpsUpgrade:
            return "Use the https:// URL in \(ListCheck.tenantURLField)." + unconfirmed
        case .trailingSlash:
            return "On the server: answer /Users and /Groups without the trailing-slash redirect (Entra appends "
                + "/Users to the Tenant URL itself, so the Tenant URL cannot fix this)." + unconfirmed
        case .elsewhere:
            let base = location.map(RedirectAnswer.base(of:)) ?? "the redirect target"
            return "Put the redirect target's base (\(base)) in \(ListCheck.tenantURLField), or make the server "
                + "answer at the original URL." + unconfirmed
        case .noLocation:
            return "On the server: answer the SCIM request with HTTP 200 and a ListResponse, not a redirect."
                + unconfirmed
        }
    }

    /// The location without query and without a trailing /Users or /Groups.
    static func base(of location: String) -> String {
        var text = location.split(separator: "?", maxSplits: 1).first.map(String.init) ?? location
        for suffix in ["/", "/Users", "/Groups"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        return text
    }
}

// MARK: - Bodies that do not parse

/// Why a body that does not parse as JSON is unusable, as precisely as one pass over it can tell: invalid UTF-8 (and
/// where), JSON cut short, or JSON nested deeper than parsers accept. Nil for a body that parses, an empty body, a body
/// the transport cut at its size cap (reported as too large), and any other syntax error.
struct JSONTrouble: Sendable {
    enum Kind: Sendable, Equatable {
        /// The first byte that is not UTF-8, its offset and the text before it.
        case invalidUTF8(byte: UInt8, offset: Int, before: String)
        /// The JSON stops with `unclosed` arrays/objects open, or inside a string.
        case truncated(bytes: Int, unclosed: Int, inString: Bool)
        /// Balanced JSON whose nesting exceeds what parsers accept.
        case tooDeep(levels: Int)
    }

    /// .NET's JSON readers (System.Text.Json, Newtonsoft.Json 13) stop at 64 levels unless configured otherwise.
    static let dotNetMaxDepth = 64

    let kind: Kind

    init?(_ response: HTTPResponse) {
        guard case .invalid = JSONBody(response), !response.bodyTruncated, !response.body.isEmpty else { return nil }
        let bytes = response.body
        if let bad = JSONTrouble.firstInvalidUTF8(bytes) {
            kind = bad
            return
        }
        var stack: [UInt8] = []
        var maxDepth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(byte)
                maxDepth = max(maxDepth, stack.count)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                // A closing bracket that does not match is a plain syntax error, not one of these.
                guard stack.last == (byte == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")) else {
                    return nil
                }
                stack.removeLast()
            default:
                break
            }
        }
        if inString || !stack.isEmpty {
            kind = .truncated(bytes: bytes.count, unclosed: stack.count, inString: inString)
        } else if maxDepth > JSONTrouble.dotNetMaxDepth {
            kind = .tooDeep(levels: maxDepth)
        } else {
            return nil
        }
    }

    /// Completes "HTTP 200 but …" (or "… is not a SCIM ListResponse: …").
    var clause: String {
        switch kind {
        case .invalidUTF8(let byte, let offset, let before):
            let hex = String(byte, radix: 16, uppercase: true)
            let latin1 = byte >= 0x80 ? " (Latin-1 or Windows-1252 text labelled as UTF-8?)" : ""
            return "the body is not valid UTF-8: byte 0x\(hex) at offset \(offset), after \"…\(before)\"\(latin1)"
        case .truncated(let bytes, let unclosed, let inString):
            let open =
                inString
                ? "inside a string" + (unclosed > 0 ? " with \(unclosed) bracket(s) unclosed" : "")
                : "with \(unclosed) bracket(s) unclosed"
            return "the JSON is cut short: it stops after \(bytes) bytes \(open)"
        case .tooDeep(let levels):
            return "the JSON nests \(levels) levels deep: parsers refuse that (.NET's JSON readers stop at "
                + "\(JSONTrouble.dotNetMaxDepth) levels by default)"
        }
    }

    var fix: String {
        switch kind {
        case .invalidUTF8:
            "On the server: encode every response in UTF-8 (RFC 8259 §8.1), as its Content-Type charset says; text "
                + "from a Latin-1 or Windows-1252 source must be converted."
        case .truncated:
            "On the server or the proxy in front of it: send the whole body; a Content-Length smaller than the body, "
                + "a buffer limit or a crash mid-response cuts it."
        case .tooDeep:
            "On the server: answer with a plain SCIM ListResponse; no member needs more than a few levels of nesting."
        }
    }

    /// The first byte sequence that is not UTF-8, with up to 40 characters of text before it.
    private static func firstInvalidUTF8(_ bytes: Data) -> Kind? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .error:
                let start = max(0, offset - 160)
                let text = String(
                    decoding: bytes[(bytes.startIndex + start)..<(bytes.startIndex + offset)], as: UTF8.self)
                let before = String(text.suffix(40)).unicodeScalars.map { $0.value < 0x20 ? " " : String($0) }
                    .joined()
                return .invalidUTF8(byte: bytes[bytes.startIndex + offset], offset: offset, before: before)
            case .emptyInput:
                return nil
            }
        }
    }
}

// MARK: - One filter fault, one finding

/// How the server mishandles a filter that must match nothing (Entra's Test Connection query on a random GUID), when it
/// does so without breaking the list itself: the probes that filter on existing resources would only repeat it.
enum FilterFault: Sendable, Equatable {
    /// HTTP 400: filtering on the attribute is refused.
    case rejected
    /// HTTP 200 with resources: the filter is ignored.
    case ignored

    /// The fault the Test Connection answer shows, if it is one of these.
    init?(testConnection exchange: Exchange, resource: String) {
        guard let response = exchange.response else { return nil }
        if response.status == 400 {
            self = .rejected
            return
        }
        guard response.status == 200,
            case .list(let page) = classifyListResponse(exchange, resource: resource, expectEmpty: false),
            page.totalResults > 0 || !page.resources.isEmpty
        else { return nil }
        self = .ignored
    }

    /// "rejects userName filters (HTTP 400)" / "ignores userName filters".
    func describe(_ attribute: String) -> String {
        self == .rejected ? "rejects \(attribute) filters (HTTP 400)" : "ignores \(attribute) filters"
    }
}

/// Server text on one line: line breaks and tabs become single spaces, so a multi-line error ("1 validation
/// error for EnterpriseUser\nmanager") reads as words rather than running together; every other unprintable
/// character is shown as `\u{1b}`, as everywhere else (`PrintableText`).
func oneLine(_ text: String) -> String {
    let spaced = String(
        String.UnicodeScalarView(
            text.unicodeScalars.map { "\n\r\t\u{0B}\u{0C}".unicodeScalars.contains($0) ? " " : $0 }))
    return PrintableText.line(spaced.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
}
