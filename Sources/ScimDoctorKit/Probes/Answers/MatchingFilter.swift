import Foundation

/// The matching lookups of `users.filter(-case)` and `groups.filter(-case)`: Entra finds an existing user by
/// `userName eq "…"` and an existing group by `displayName eq "…"` (with `excludedAttributes=members`) before deciding
/// to create or update it.
enum MatchingFilter {
    /// The sample resource of the first page, or the skip verdict when there is none to filter on.
    static func sample(_ context: ProbeContext, _ kind: ResourceKind, listProbe: ProbeID) async throws
        -> Sample
    {
        let exchange = try await context.page(kind)
        guard case .success(let page) = readList(exchange, kind: kind, query: .page) else {
            return .none(.skip("the \(kind.singular) list could not be read (see \(listProbe))"))
        }
        guard let sample = page.sample else {
            return .none(.skip("no \(kind.plural) in the tenant to filter on"))
        }
        guard isPlainFilterValue(sample.name) else {
            return .none(
                .skip(
                    "the sample \(kind.matchingAttribute) contains a quote or backslash; Entra can't filter on values "
                        + "with special characters (known issue), so this tool does not either"))
        }
        return .found(id: sample.id, name: sample.name)
    }

    /// A resource to filter on, or why there is none.
    enum Sample {
        case found(id: String, name: String)
        case none(Verdict)
    }

    /// Runs `attribute eq "value"` and words the verdict; `differentCase` marks the case-swapped variant.
    static func verdict(
        _ context: ProbeContext, _ kind: ResourceKind, value: String, expectedID: String, differentCase: Bool
    ) async throws -> Verdict {
        let attribute = kind.matchingAttribute
        let query = "\(attribute) eq \"\(value)\"" + (differentCase ? " (different case)" : "")
        switch try await context.matchingFilter(kind, value: value, expectedID: expectedID) {
        case .problem(let problem):
            return problem.verdict
        case .rejected(let exchange, _):
            if let probe = try await reportedBy(context, kind, .rejected) {
                return alreadyReported(.rejected, kind, by: probe, evidence: Evidence.exchange(exchange))
            }
            return .fail(
                "filter unsupported: \(query) answered HTTP 400; Entra matches \(kind.plural) with this filter",
                evidence: Evidence.exchange(exchange),
                fix: "On the server: support filter=\(attribute) eq \"…\" on /\(kind.path) (RFC 7644 §3.4.2.2)"
                    + (kind == .groups ? ", together with excludedAttributes=members" : "")
                    + ". Or, if the server can filter on another unique attribute, make it the matching attribute in "
                    + "\(EntraPortal.matchingPrecedence(kind)).")
        case .exact(let page):
            return .pass(
                "\(query) finds exactly that \(kind.singular)"
                    + (differentCase ? ": \(attribute) is compared case-insensitively" : ""),
                evidence: Evidence.exchange(page.exchange))
        case .none(let page) where differentCase:
            return caseSensitive(kind, query: query, evidence: Evidence.exchange(page.exchange))
        case .none(let page):
            return .fail(
                "the filter does not find an existing \(kind.singular): Entra will try to create it and get 409 "
                    + "(duplicate)",
                evidence: Evidence.exchange(page.exchange) + [Evidence("expected", "id \(expectedID)")],
                fix: "On the server: make filter=\(attribute) eq \"…\" on /\(kind.path) return the \(kind.singular) "
                    + "whose \(attribute) equals the value (RFC 7644 §3.4.2.2); Entra matches \(kind.plural) with it.")
        case .duplicates(let page):
            return .fail(
                "\(page.resources.count) \(kind.plural) share the \(attribute) \"\(value)\": Entra expects one "
                    + "(\(EntraErrorCode.multipleEntriesInResponse))"
                    + (kind == .groups ? "; Microsoft: \"Groups must have uniqueness on the displayName value\"" : ""),
                evidence: Evidence.exchange(page.exchange) + ids(page),
                fix: "In the application: rename or remove the duplicate \(kind.plural), and make the server refuse a "
                    + "second \(kind.singular) with the same \(attribute) (HTTP 409).")
        case .others(let page):
            if let probe = try await reportedBy(context, kind, .ignored) {
                return alreadyReported(.ignored, kind, by: probe, evidence: Evidence.exchange(page.exchange))
            }
            return .fail(
                "filter returns other \(kind.plural) (ignored?): Entra would match the wrong \(kind.singular) / "
                    + "MultipleEntriesInResponse (\(query) got totalResults \(page.totalResults))",
                evidence: Evidence.exchange(page.exchange) + [Evidence("expected", "id \(expectedID)")] + ids(page),
                fix:
                    "On the server: apply the filter parameter on /\(kind.path) (RFC 7644 §3.4.2.2) and return "
                    + "only the "
                    + "\(kind.plural) whose \(attribute) equals the value, instead of the whole list.")
        }
    }

    /// The Test Connection probe that already reports `fault` for this kind's matching attribute (Entra's Test
    /// Connection query filters on the same attribute), if one does: the lookup of an existing resource would only
    /// repeat it.
    static func reportedBy(_ context: ProbeContext, _ kind: ResourceKind, _ fault: FilterFault)
        async throws -> String?
    {
        let users = FilterFault(testConnection: try await context.testConnectionUsers(), kind: .users)
        if kind == .users { return users == fault ? "test-connection.users" : nil }
        let groups = FilterFault(testConnection: try await context.testConnectionGroups(), kind: .groups)
        guard groups == fault else { return nil }
        return users == fault ? "test-connection.users" : "test-connection.groups"
    }

    static func alreadyReported(
        _ fault: FilterFault, _ kind: ResourceKind, by probe: String, evidence: [Evidence]
    ) -> Verdict {
        .skip(
            "the server \(fault.describe(kind.matchingAttribute)) altogether, as \(probe) reports: matching "
                + "existing \(kind.plural) cannot work until that is fixed",
            evidence: evidence)
    }

    /// The verdict when the case-swapped value finds nothing.
    private static func caseSensitive(_ kind: ResourceKind, query: String, evidence: [Evidence]) -> Verdict {
        if kind == .users {
            return .fail(
                "userName matching is case-sensitive: Entra sends the source casing as-is (inferred), so a user whose "
                    + "UPN casing differs is not matched and Entra creates a duplicate / gets 409",
                evidence: evidence,
                fix: "On the server: compare userName case-insensitively in filters (RFC 7643 §4.1.1: userName is "
                    + "caseExact false), so userName eq \"Alice@Contoso.com\" finds alice@contoso.com.")
        }
        return .warn(
            "displayName matching is case-sensitive: Microsoft's SCIM Validator test \"Filter for existing group "
                + "different case\" fails (a validator expectation; Entra's own need for it is not documented)",
            evidence: evidence,
            fix: "On the server: compare group displayName case-insensitively in filters (RFC 7643 §8.7.1 declares it "
                + "caseExact false).")
    }

    private static func ids(_ page: ListPage) -> [Evidence] {
        let ids = page.resources.prefix(5).map { $0["id"]?.string ?? "?" }
        return [Evidence("returned ids", ids.joined(separator: ", ") + (page.resources.count > 5 ? ", …" : ""))]
    }
}
