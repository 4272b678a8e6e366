import Foundation

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

enum FilterOutcome: Sendable {
    /// Exactly the expected resource.
    case exact(ListPage)
    /// Nothing: Entra would create the resource again.
    case none(ListPage)
    /// Several resources all bearing the value (a uniqueness problem in the data).
    case duplicates(ListPage)
    /// Other resources, or the expected one among others (the filter was ignored or misread).
    case others(ListPage)
    /// HTTP 400: the server does not support the filter.
    case rejected(Exchange, HTTPResponse)
    /// Any other failure to answer with a ListResponse.
    case problem(ListProblem)
}

extension ProbeContext {
    /// `GET {tenant}/{Users|Groups}?[excludedAttributes=members&]filter={attribute} eq "{value}"`, classified
    /// against the resource `expectedID` that should be found (case-insensitively equal values count as the same).
    func matchingFilter(_ kind: ResourceKind, value: String, expectedID: String) async throws -> FilterOutcome {
        let exchange = try await filter(kind.path, kind.matchingAttribute, equals: value, extraQuery: kind.extraQuery)
        if let response = exchange.response, response.status == 400 { return .rejected(exchange, response) }
        let page: ListPage
        switch readListPage(exchange, kind: kind, subject: shortRequest(exchange)) {
        case .failure(let problem): return .problem(problem)
        case .success(let value): page = value
        }
        if page.totalResults == 0 || page.resources.isEmpty { return .none(page) }
        if page.totalResults == 1, page.resources.count == 1, page.resources[0]["id"]?.string == expectedID {
            return .exact(page)
        }
        let names = page.resources.map { $0[kind.matchingAttribute]?.string?.lowercased() }
        if page.resources.count > 1, names.allSatisfy({ $0 == value.lowercased() }) { return .duplicates(page) }
        return .others(page)
    }

    /// The first page of `kind`: `userPage()` or `groupPage()`.
    func page(_ kind: ResourceKind) async throws -> Exchange {
        kind == .users ? try await userPage() : try await groupPage()
    }
}

/// Whether `value` can go into a quoted filter as is: Entra "can't perform filter queries on values containing
/// special characters" (known issues), and a quote or backslash would need escaping this tool does not guess.
