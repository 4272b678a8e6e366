import Foundation

/// What `GET {tenant}/Schemas` declares, read without trusting its shape. Accepts a ListResponse, a bare array of
/// Schema resources, or a single Schema resource. Schema ids and attribute names compare case-insensitively.
struct SchemaDocument: Sendable {
    /// Attribute definitions by lower-cased schema id.
    let schemas: [String: [JSONValue]]
    /// The schema ids as served.
    let ids: [String]
    let exchange: Exchange
    let response: HTTPResponse

    func has(_ schema: String) -> Bool { schemas[schema.lowercased()] != nil }

    /// Whether `schema` declares `path` (`title`, `name.givenName`; a sub-attribute through `subAttributes`).
    func declares(_ schema: String, _ path: String) -> Bool {
        guard let attributes = schemas[schema.lowercased()] else { return false }
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard let top = Self.find(parts[0], in: attributes) else { return false }
        guard parts.count == 2 else { return true }
        let subs = top["subAttributes"]?.array?.filter(\.isObject)
        return Self.find(parts[1], in: subs ?? []) != nil
    }

    private static func find(_ name: String, in attributes: [JSONValue]) -> JSONValue? {
        attributes.first { $0["name"]?.string?.lowercased() == name.lowercased() }
    }

    /// Request and status, the evidence every mapping verdict starts with.
    var evidence: [Evidence] {
        [Evidence.request(exchange.request), .status(response), Evidence("schemas", ids.joined(separator: ", "))]
    }
}

/// `/Schemas` as read, or the skip verdict when the server does not serve it usably.
enum SchemaFetch: Sendable {
    case served(SchemaDocument)
    case notServed(Verdict)
}

extension ProbeContext {
    /// `GET {tenant}/Schemas`, parsed. Entra does not call it for non-gallery apps, so every way of not serving it is a
    /// skip rather than a fault.
    func schemaDocument() async throws -> SchemaFetch {
        let exchange = try await get("Schemas")
        let reason = "(Entra does not require it for non-gallery apps)"
        guard let response = exchange.response else {
            return .notServed(.skip("/Schemas could not be read \(reason)", evidence: Evidence.exchange(exchange)))
        }
        guard response.status == 200 else {
            return .notServed(
                .skip(
                    "the server does not serve /Schemas: HTTP \(response.status) \(reason)",
                    evidence: Evidence.exchange(exchange)))
        }
        let entries: [JSONValue]
        switch response.json {
        case .success(let document) where document.value.isObject:
            entries = document.value["Resources"]?.array ?? [document.value]
        case .success(let document) where document.value.array != nil: entries = document.value.array ?? []
        default:
            return .notServed(
                .skip(
                    "the server does not serve /Schemas as SCIM JSON \(reason)", evidence: Evidence.exchange(exchange)))
        }
        var schemas: [String: [JSONValue]] = [:]
        var ids: [String] = []
        for entry in entries where entry.isObject {
            guard let id = entry["id"]?.string else { continue }
            schemas[id.lowercased()] = entry["attributes"]?.array?.filter(\.isObject) ?? []
            ids.append(id)
        }
        guard !schemas.isEmpty else {
            return .notServed(
                .skip(
                    "the server does not serve /Schemas: the response lists no schema with an id \(reason)",
                    evidence: Evidence.exchange(exchange)))
        }
        return .served(SchemaDocument(schemas: schemas, ids: ids, exchange: exchange, response: response))
    }
}

extension EntraAttributeMapping {
    /// `source → target` with the enterprise URN shortened, for one-line findings.
    var label: String {
        let shortTarget =
            target.hasPrefix(SchemaURN.enterpriseUser + ":")
            ? String(target.dropFirst(SchemaURN.enterpriseUser.count + 1)) : target
        return "\(source) → \(shortTarget)" + (confirmed ? "" : " (unconfirmed default)")
    }

    /// Whether `document` declares every attribute this mapping needs (common attributes need no declaration).
    func isDeclared(in document: SchemaDocument) -> Bool {
        requires.allSatisfy { path in
            EntraDefaultMappings.commonAttributes.contains(path.lowercased()) || document.declares(schema, path)
        }
    }
}
