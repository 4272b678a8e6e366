import Foundation

/// What a filter for one value found, as Entra's matching step sees it: the one classifier of a filter answer,
/// for the read-only probes, the lifecycle probes and the Test Connection query alike. "Exactly it" is one rule:
/// one resource, the expected id, and totalResults 1 (a second match on another page is still a second match).
enum FilterOutcome: Sendable {
    /// Exactly the expected resource.
    case exact(ListPage)
    /// Nothing: Entra would create the resource again (or, for a value that matches nobody, the right answer).
    case none(ListPage)
    /// Several resources all bearing the value (a uniqueness problem in the data).
    case duplicates(ListPage)
    /// Other resources, or the expected one among others (the filter was ignored or misread).
    case others(ListPage)
    /// HTTP 400: the server does not support the filter.
    case rejected(Exchange, HTTPResponse)
    /// Any other failure to answer with a ListResponse.
    case problem(ListProblem)

    /// Classifies a filter `attribute eq value` answer; `expectedID` nil means the value matches nobody (Entra's
    /// Test Connection query on a random GUID).
    init(_ exchange: Exchange, kind: ResourceKind, value: String, expectedID: String?, query: ListQuery = .filter) {
        if let response = exchange.response, response.status == 400 {
            self = .rejected(exchange, response)
            return
        }
        let page: ListPage
        switch readList(exchange, kind: kind, query: query) {
        case .failure(let problem):
            self = .problem(problem)
            return
        case .success(let value): page = value
        }
        if page.totalResults == 0 || page.resources.isEmpty {
            self = .none(page)
        } else if let expectedID, page.totalResults == 1, page.resources.count == 1,
            page.resources[0]["id"]?.string == expectedID
        {
            self = .exact(page)
        } else if page.resources.count > 1,
            page.resources.allSatisfy({ $0[kind.matchingAttribute]?.string?.lowercased() == value.lowercased() })
        {
            self = .duplicates(page)
        } else {
            self = .others(page)
        }
    }

    /// How a filter that must match nothing is mishandled without breaking the list itself: refused (400), or
    /// ignored (resources came back). Nil when the answer was right, or broken in another way.
    var faultOnEmptyMatch: FilterFault? {
        switch self {
        case .rejected: .rejected
        case .exact, .duplicates, .others: .ignored
        case .none, .problem: nil
        }
    }
}

/// A filter fault the Test Connection query already shows, so that the probes filtering on existing resources name
/// it once rather than repeat it.
enum FilterFault: Sendable, Equatable {
    /// HTTP 400: filtering on the attribute is refused.
    case rejected
    /// HTTP 200 with resources: the filter is ignored.
    case ignored

    /// The fault the Test Connection answer on `kind` shows, if it is one of these.
    init?(testConnection exchange: Exchange, kind: ResourceKind) {
        let value = SCIMAnswer.filterExpression(exchange.request)?.split(separator: "\"").dropFirst().first ?? ""
        guard let fault = FilterOutcome(exchange, kind: kind, value: String(value), expectedID: nil).faultOnEmptyMatch
        else { return nil }
        self = fault
    }

    /// "rejects userName filters (HTTP 400)" / "ignores userName filters".
    func describe(_ attribute: String) -> String {
        self == .rejected ? "rejects \(attribute) filters (HTTP 400)" : "ignores \(attribute) filters"
    }
}

extension ProbeContext {
    /// `GET {tenant}/{Users|Groups}?[excludedAttributes=members&]filter={attribute} eq "{value}"`, classified
    /// against the resource `expectedID` that should be found (case-insensitively equal values count as the same).
    func matchingFilter(_ kind: ResourceKind, value: String, expectedID: String) async throws -> FilterOutcome {
        let exchange = try await filter(kind.path, kind.matchingAttribute, equals: value, extraQuery: kind.extraQuery)
        return FilterOutcome(exchange, kind: kind, value: value, expectedID: expectedID)
    }

    /// The first page of `kind`: `userPage()` or `groupPage()`.
    func page(_ kind: ResourceKind) async throws -> Exchange {
        kind == .users ? try await userPage() : try await groupPage()
    }
}

/// Whether `value` can go into a quoted filter as is: Entra "can't perform filter queries on values containing
/// special characters" (known issues), and a quote or backslash would need escaping this tool does not guess.
