import Foundation

/// Verdicts the lifecycle probes share: a create's answer, a deletion, a filter for the test resource.
enum LifecycleVerdicts {
    static let userMappings = EntraPortal.attributeMappings(.users)

    /// The verdict on a create (`POST /Users` or `POST /Groups` with Entra's body).
    static func create(_ creation: LifecycleCreation, extra: [Evidence] = []) -> Verdict {
        let kind = creation.kind
        let request = shortRequest(creation.exchange)
        let evidence = LifecycleEvidence.write(creation.exchange, sent: creation.sent) + extra
        switch WriteAnswer(creation.exchange) {
        case .noAnswer(let error):
            return .fail(
                "\(request) got no answer (\(error.message)): Entra cannot create \(kind.plural)",
                evidence: evidence, fix: noAnswerFix("POST /\(kind.path)"))
        case .accepted(let response):
            if creation.id == nil, let answered = createdID(creation.exchange),
                let notProven = creation.result.notProven
            {
                return .fail(
                    "\(request) answered HTTP \(response.status) with id \(answered), but \(notProven): scim-doctor "
                        + "changes and deletes only what it proves it created, so the other \(kind.singular) probes "
                        + "do not run",
                    evidence: evidence + (creation.result.proof.map { Evidence.exchange($0) } ?? []),
                    fix: "On the server: answer POST /\(kind.path) with the \(kind.singular) it created (201 Created, "
                        + "its own new id) and make GET /\(kind.path)/{id} return that \(kind.singular); a create "
                        + "must never answer with an existing resource (RFC 7644 §3.3: 409 Conflict when the "
                        + "\(kind.matchingAttribute) is taken).")
            }
            guard let id = creation.id else {
                return .fail(
                    "\(request) answered HTTP \(response.status) without an id: Entra needs the id of the created "
                        + "\(kind.singular) to update, disable and delete it",
                    evidence: evidence,
                    fix: "On the server: answer POST /\(kind.path) with 201 Created and the created resource, "
                        + "including its \"id\" (RFC 7644 §3.3). The \(kind.singular) may now exist: "
                        + "`scim-doctor cleanup` finds it by its tag.")
            }
            if response.status == 201 {
                return .pass("\(request) answered 201 Created with id \(id)", evidence: evidence)
            }
            return .pass(
                "\(request) answered \(response.status) with id \(id) (201 Created is the SCIM answer; Microsoft's "
                    + "SCIM Validator accepts \(response.status) too)",
                evidence: evidence)
        case .rejected(let response):
            let said = LifecycleEvidence.said(creation.exchange)
            switch response.status {
            case 401, 403:
                return .fail(
                    "\(request) answered HTTP \(response.status): the token is not allowed to create \(kind.plural)",
                    evidence: evidence,
                    fix: "In the application: give the token Entra uses (its SCIM settings page) the right to create "
                        + "and change \(kind.plural), then update \(EntraPortal.secretToken) if it "
                        + "changes.")
            case 409:
                return .fail(
                    "\(request) answered 409 Conflict for a new, run-tagged \(kind.matchingAttribute): the server "
                        + "thinks it exists (a leftover of an earlier run? `scim-doctor cleanup` lists them)",
                    evidence: evidence,
                    fix: "On the server: answer 409 only when the \(kind.matchingAttribute) is really taken; remove "
                        + "leftovers with `scim-doctor cleanup <tenant-url> --yes`.")
            case 400..<500:
                guard kind == .users else {
                    return .fail(
                        "\(request) answered \(said): the server rejects Entra's group body",
                        evidence: evidence,
                        fix: "On the server: accept Entra's group create (core Group schema plus "
                            + "\(EntraBodies.adscimGroup), externalId, displayName, meta) and answer 201 with the "
                            + "group and its id.")
                }
                if let attribute = namedAttribute(in: response) {
                    return .fail(
                        "\(request) answered \(said), naming \"\(attribute)\": the server rejects Entra's default user "
                            + "body",
                        evidence: evidence, fix: attributeFix(attribute))
                }
                return .fail(
                    "\(request) answered \(said): the server rejects Entra's default user body without naming an "
                        + "attribute",
                    evidence: evidence,
                    fix: "On the server: accept Entra's default user create (every attribute of the body above; "
                        + "unknown or read-only attributes ignored rather than rejected) and answer 201 with the "
                        + "user and its id; its logs should say which attribute it refused. Or remove the mapping of "
                        + "that attribute in \(userMappings).")
            default:
                return .fail(
                    "\(request) answered \(said): Entra cannot create \(kind.plural)",
                    evidence: evidence,
                    fix: "On the server: answer POST /\(kind.path) with 201 Created and the created resource "
                        + "(check the application's logs for the error).")
            }
        }
    }

    /// Attributes of Entra's user body, longest first, that an error detail may name.
    private static let bodyAttributes: [String] = {
        let names = [
            "userName", "active", "displayName", "title", "emails", "preferredLanguage", "name", "givenName",
            "familyName", "formatted", "addresses", "streetAddress", "locality", "region", "postalCode", "country",
            "phoneNumbers", "externalId", "employeeNumber", "department", "meta", "roles", "primary",
            SchemaURN.enterpriseUser,
        ]
        return names.sorted { $0.count > $1.count }
    }()

    /// The first attribute of the body that the error's detail (or message) names as a word.
    static func namedAttribute(in response: HTTPResponse) -> String? {
        guard let message = SCIMAnswer.serverMessage(response)?.lowercased() else { return nil }
        for name in bodyAttributes {
            var search = message.startIndex..<message.endIndex
            while let range = message.range(of: name.lowercased(), range: search) {
                let before =
                    range.lowerBound == message.startIndex ? nil : message[message.index(before: range.lowerBound)]
                let after = range.upperBound == message.endIndex ? nil : message[range.upperBound]
                let isWord = { (c: Character?) in c.map { $0.isLetter || $0.isNumber } ?? false }
                if !isWord(before), !isWord(after) { return name }
                search = range.upperBound..<message.endIndex
            }
        }
        return nil
    }

    /// Where to fix a rejected attribute: the server, or the Entra mapping that sends it.
    static func attributeFix(_ attribute: String) -> String {
        if attribute.lowercased() == SchemaURN.enterpriseUser.lowercased() {
            let mapped = EntraDefaultMappings.user.filter { $0.target.hasPrefix(SchemaURN.enterpriseUser + ":") }
            return
                "On the server: accept the enterprise extension object Entra sends (\(SchemaURN.enterpriseUser) with "
                + "employeeNumber, department; RFC 7643 §4.3). Or, if the application does not need those attributes: "
                + "Entra sends the object only for mapped attributes with a value (derived from \"attributes whose "
                + "source value is null are omitted\"), so removing the mappings that target it ("
                + mapped.map(\.description).joined(separator: ", ") + ") in \(userMappings) avoids it; the manager "
                + "lives in the same extension, so it would not be provisioned either."
        }
        if ["meta", "roles", "primary"].contains(attribute) {
            return "On the server: accept \"\(attribute)\" as Entra sends it in every create (ignore it if unused); "
                + "it is not an attribute mapping, so it cannot be removed in Entra."
        }
        let mappings = EntraDefaultMappings.user.filter { mapping in
            mapping.target.lowercased() == attribute.lowercased()
                || mapping.target.lowercased().hasPrefix(attribute.lowercased() + "[")
                || mapping.target.lowercased().hasPrefix(attribute.lowercased() + ".")
                || mapping.target.lowercased().hasSuffix(":" + attribute.lowercased())
                || mapping.target.lowercased().hasSuffix("." + attribute.lowercased())
        }
        let named = mappings.isEmpty ? attribute : mappings.map(\.description).joined(separator: ", ")
        return "On the server: accept \"\(attribute)\" as Entra sends it (see the body above). Or, if the "
            + "application does not need it, remove the mapping (\(named)) in \(userMappings)."
    }

    /// DELETE the test resource, then GET it: 204 (200 tolerated) and 404.
    static func delete(_ context: ProbeContext, _ kind: ResourceKind, id: String) async throws -> Verdict {
        let deletion = try await context.delete(kind, id: id)
        let request = shortRequest(deletion)
        var evidence = Evidence.exchange(deletion)
        switch WriteAnswer(deletion) {
        case .noAnswer(let error):
            return .fail(
                "\(request) got no answer (\(error.message))", evidence: evidence,
                fix: noAnswerFix("DELETE /\(kind.path)/{id}"))
        case .rejected(let response):
            return .fail(
                "\(request) answered \(LifecycleEvidence.said(deletion)) instead of 204: Entra deletes a "
                    + "\(kind.singular) this way when it is deleted in Entra",
                evidence: evidence + SCIMAnswer.errorEvidence(response),
                fix: "On the server: support DELETE /\(kind.path)/{id} and answer 204 No Content (RFC 7644 §3.6).")
        case .accepted(let response):
            let check = try await context.readResource(kind, id)
            evidence += Evidence.exchange(check)
            let note = response.status == 204 ? "" : " (HTTP \(response.status) tolerated; 204 is the SCIM answer)"
            switch check.response?.status {
            case 404?:
                return .pass(
                    "\(request) answered \(response.status) and GET then answers 404\(note)", evidence: evidence)
            case 200?:
                // A soft delete: RFC 7644 §3.6 requires 404 afterwards. What it costs depends on whether the
                // matching query still finds the resource.
                let kept = JSONValue(response: check.response)
                let inactive = kept?["active"] == .bool(false) ? " (kept with active false)" : ""
                var consequence = ""
                if let name = kept?[kind.matchingAttribute]?.string {
                    let filter = try await context.readFilter(kind, kind.matchingAttribute, equals: name)
                    evidence += Evidence.exchange(filter, body: false)
                    switch FilterOutcome(filter, kind: kind, value: name, expectedID: id) {
                    case .exact, .duplicates, .others:
                        consequence =
                            "; filter=\(kind.matchingAttribute) eq still finds it, so Entra matches it again (and "
                            + "updates a \(kind.singular) it deleted)"
                    case .none:
                        consequence =
                            "; filter=\(kind.matchingAttribute) eq no longer finds it, so Entra creates the "
                            + "\(kind.singular) again, and the server then refuses (409) or duplicates the "
                            + "\(kind.matchingAttribute) it still holds"
                    case .rejected, .problem: break
                    }
                }
                return .fail(
                    "soft delete: DELETE answered \(response.status) but the \(kind.singular) remains\(inactive): "
                        + "GET /\(kind.path)/\(id) still answers 200 (RFC 7644 §3.6 requires 404)\(consequence)",
                    evidence: evidence,
                    fix: "On the server: remove the \(kind.singular) on DELETE so that GET answers 404 (Entra's "
                        + "DELETE is a hard delete; Microsoft: the only time a user shouldn't be returned is when "
                        + "it's hard deleted). The test \(kind.plural) this run made remain: scim-doctor's DELETE only "
                        + "deactivates them here, so remove them in the application.")
            default:
                return .fail(
                    "after \(request) answered \(response.status), GET /\(kind.path)/\(id) answered "
                        + "\(LifecycleEvidence.said(check)) instead of 404",
                    evidence: evidence,
                    fix: "On the server: answer GET for a deleted \(kind.singular) with 404 Not Found (RFC 7644 §3.6).")
            }
        }
    }

    /// Whether a resource read back lists `memberID` among its members.
    static func hasMember(_ resource: JSONValue, _ memberID: String) -> Bool {
        (resource["members"]?.array ?? []).contains { $0["value"]?.string == memberID }
    }
}
