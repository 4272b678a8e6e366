import Foundation

/// A ListResponse, read without trusting its shape.
struct ListPage: Sendable {
    let kind: ResourceKind
    let totalResults: Int
    /// Nil when the attribute is missing (a type error is a problem instead).
    let itemsPerPage: Int?
    let resources: [JSONValue]
    let exchange: Exchange
    let response: HTTPResponse

    /// The first resource's id and matching attribute (the list reader guarantees both are strings).
    var sample: (id: String, name: String)? {
        guard let first = resources.first, let id = first["id"]?.string else { return nil }
        return (id, first[kind.matchingAttribute]?.string ?? "")
    }
}

/// Why a response is not a usable ListResponse: the finding, its evidence and the server-side fix.
struct ListProblem: Error, Sendable {
    let finding: String
    let evidence: [Evidence]
    let fix: String

    var verdict: Verdict { .fail(finding, evidence: evidence, fix: fix) }
}

/// Reads `exchange` as a SCIM ListResponse of `kind` resources: HTTP 200, a JSON object whose `schemas` name the
/// ListResponse, integer `totalResults` (and `itemsPerPage` when present), and `Resources` whose members all carry a
/// string `id` and matching attribute. `subject` names the request in findings ("GET /Users?startIndex=1&count=1").
func readListPage(_ exchange: Exchange, kind: ResourceKind, subject: String) -> Result<ListPage, ListProblem> {
    // Transport failures, redirects, refused tokens, rate limits, server errors and HTML pages are diagnosed the way
    // the Test Connection probes do it; 400 and 404 mean something else on a page or a filter, so they stay here.
    if exchange.response.map({ $0.status != 200 && $0.status != 400 && $0.status != 404 || HTMLAnswer($0) != nil })
        ?? true, case .verdict(let verdict) = classifyListResponse(exchange, resource: kind.path, expectEmpty: false)
    {
        return .failure(
            ListProblem(finding: verdict.finding, evidence: verdict.evidence, fix: verdict.remediation ?? ""))
    }
    guard let response = exchange.response else {
        return .failure(
            ListProblem(
                finding: "\(subject) got no response", evidence: Evidence.exchange(exchange),
                fix: "On the server: make \(kind.path) answer (check the application's logs and any reverse proxy)."))
    }
    let evidence = Evidence.exchange(exchange)
    let listFix =
        "On the server: answer GET {Tenant URL}/\(kind.path) with HTTP 200 and a SCIM ListResponse "
        + "(RFC 7644 §3.4.2), as Entra expects for every query."
    guard response.status == 200 else {
        return .failure(
            ListProblem(
                finding: "\(subject) answered HTTP \(response.status) instead of 200 with a ListResponse",
                evidence: evidence + SCIMAnswer.errorEvidence(response),
                fix: response.status == 400 && exchange.request.url.contains("startIndex=")
                    ? "On the server: accept the startIndex and count query parameters on /\(kind.path) "
                        + "(RFC 7644 §3.4.2.4); Microsoft requires listing and paginating." : listFix))
    }
    guard let object = response.jsonObject else {
        return .failure(notJSON(response, evidence: evidence, kind: kind, subject: subject))
    }
    guard object.schemas.contains(SCIM.listResponse) else {
        return .failure(
            ListProblem(
                finding: "\(subject) is not a ListResponse: its schemas lack \(SCIM.listResponse)",
                evidence: evidence + [Evidence("schemas", JSONValue.describe(object["schemas"]))],
                fix: listFix + " Its \"schemas\" must be [\"\(SCIM.listResponse)\"]."))
    }
    let totalValue = object["totalResults"]
    guard let total = totalValue?.int, total >= 0 else {
        return .failure(
            ListProblem(
                finding: "\(subject): totalResults is \(JSONValue.describe(totalValue)), not a non-negative integer",
                evidence: evidence + [Evidence("totalResults", JSONValue.describe(totalValue))],
                fix: "On the server: send totalResults as a JSON number (RFC 7644 §3.4.2), e.g. \"totalResults\": 1."))
    }
    let perPageValue = object["itemsPerPage"]
    if perPageValue != nil, perPageValue?.int == nil {
        return .failure(
            ListProblem(
                finding: "\(subject): itemsPerPage is \(JSONValue.describe(perPageValue)), not an integer",
                evidence: evidence + [Evidence("itemsPerPage", JSONValue.describe(perPageValue))],
                fix: "On the server: send itemsPerPage as a JSON number (RFC 7644 §3.4.2), e.g. \"itemsPerPage\": 1."))
    }
    let resourcesFix =
        "On the server: return the matching resources in \"Resources\", each with a string \"id\" and "
        + "\"\(kind.matchingAttribute)\" (RFC 7644 §3.4.2; RFC 7643 §3.1)."
    let resourcesValue = object["Resources"]
    let rawResources: [JSONValue]
    switch resourcesValue {
    case nil where total == 0: rawResources = []
    case .array(let array)?: rawResources = array
    default:
        return .failure(
            ListProblem(
                finding:
                    "\(subject): Resources is \(JSONValue.describe(resourcesValue)) although totalResults is \(total)",
                evidence: evidence + [Evidence("Resources", JSONValue.describe(resourcesValue))], fix: resourcesFix))
    }
    if total > 0, rawResources.isEmpty {
        return .failure(
            ListProblem(
                finding: "\(subject): Resources is empty although totalResults is \(total)", evidence: evidence,
                fix: resourcesFix))
    }
    if rawResources.count > total {
        return .failure(
            ListProblem(
                finding: "\(subject): Resources holds \(rawResources.count) but totalResults says \(total)",
                evidence: evidence, fix: "On the server: make totalResults count every matching resource."))
    }
    var resources: [JSONValue] = []
    for (index, raw) in rawResources.enumerated() {
        guard raw.isObject else {
            return .failure(
                ListProblem(
                    finding:
                        "\(subject): Resources[\(index)] is \(JSONValue.describe(raw)), not a \(kind.singular) object",
                    evidence: evidence, fix: resourcesFix))
        }
        let resource = raw
        let id = resource["id"]
        if id?.string?.isEmpty != false {
            return .failure(
                ListProblem(
                    finding:
                        "\(subject): Resources[\(index)] has no string id (id is \(JSONValue.describe(id))); Microsoft: "
                        + "\"id is required … except for ListResponse with zero elements\"",
                    evidence: evidence, fix: resourcesFix))
        }
        let name = resource[kind.matchingAttribute]
        if name?.string == nil {
            return .failure(
                ListProblem(
                    finding: "\(subject): Resources[\(index)] has no string \(kind.matchingAttribute) "
                        + "(it is \(JSONValue.describe(name))), the attribute Entra matches \(kind.plural) on",
                    evidence: evidence, fix: resourcesFix))
        }
        resources.append(resource)
    }
    return .success(
        ListPage(
            kind: kind, totalResults: total, itemsPerPage: perPageValue?.int, resources: resources,
            exchange: exchange,
            response: response))
}

/// The problem for a 200 whose body is not a JSON object: an HTML page, a cut or binary body, or other JSON.
private func notJSON(
    _ response: HTTPResponse, evidence: [Evidence], kind: ResourceKind, subject: String
) -> ListProblem {
    let type = response.contentType?.lowercased() ?? ""
    let start = response.body.prefix(64).drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    if type.contains("html") || start.first == UInt8(ascii: "<") {
        return ListProblem(
            finding: "\(subject) returned an HTML page, not SCIM JSON: Entra reports it cannot deserialize the "
                + "resource (SystemForCrossDomainIdentityManagementServiceIncompatible)",
            evidence: evidence,
            fix:
                "Check the Tenant URL points at the SCIM base (Entra ▸ Provisioning ▸ Admin Credentials ▸ Tenant URL); "
                + "on the server or reverse proxy, route \(kind.path) to the SCIM implementation, not a web page.")
    }
    let reason: String
    switch response.json {
    case .failure(let trouble): reason = trouble.clause
    case .success(let document): reason = "the body is \(JSONValue.describe(document.value)), not a JSON object"
    }
    return ListProblem(
        finding: "\(subject) is not a SCIM ListResponse: \(reason)", evidence: evidence,
        fix: "On the server: answer GET {Tenant URL}/\(kind.path) with a complete JSON ListResponse "
            + "(RFC 7644 §3.4.2); a one-resource page is a few hundred bytes.")
}

/// What a filter `matchingAttribute eq "value"` found, as Entra's matching step would see it.
