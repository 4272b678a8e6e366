import Foundation

/// Where a sent value lives in a SCIM resource.
enum AttributeLocation: Sendable {
    /// Nested attribute names (`["name", "givenName"]`, `[enterprise URN, "employeeNumber"]`).
    case path([String])
    /// `attribute[type eq "type"].sub` of a multi-valued attribute.
    case typed(String, type: String, sub: String)
}

/// One attribute the create sent, named as Entra's Mappings page names its target.
struct SentAttribute: Sendable {
    let target: String
    let expected: JSONValue
    let location: AttributeLocation

    /// The default Entra mapping that produces it, e.g. `telephoneNumber → phoneNumbers[type eq "work"].value`.
    var mapping: String {
        EntraDefaultMappings.user.first { $0.target.lowercased() == target.lowercased() }?.description
            ?? target
    }
}

/// What became of a sent attribute on the way back.
enum AttributeDrift: Sendable {
    case dropped
    case moved(to: String)
    case reformatted(got: JSONValue, note: String?)
    case changed(got: JSONValue)
}

enum ReadBack {
    /// Every mapped attribute of Entra's default user body (not `schemas`, `meta`, `roles` or `primary`, which are
    /// not mappings).
    static func sentAttributes(_ person: TestPerson, tag: String) -> [SentAttribute] {
        func path(_ target: String, _ value: JSONValue, _ names: [String]) -> SentAttribute {
            SentAttribute(target: target, expected: value, location: .path(names))
        }
        func typed(_ attribute: String, _ type: String, _ sub: String, _ value: String) -> SentAttribute {
            SentAttribute(
                target: "\(attribute)[type eq \"\(type)\"].\(sub)", expected: .string(value),
                location: .typed(attribute, type: type, sub: sub))
        }
        let enterprise = SchemaURN.enterpriseUser
        return [
            path("userName", .string(person.userName(tag)), ["userName"]),
            path("active", .bool(true), ["active"]),
            path("displayName", .string(person.displayName(tag)), ["displayName"]),
            path("title", .string(person.title), ["title"]),
            typed("emails", "work", "value", person.email(tag)),
            path("preferredLanguage", .string(person.preferredLanguage), ["preferredLanguage"]),
            path("name.givenName", .string(person.givenName), ["name", "givenName"]),
            path("name.familyName", .string(person.familyName), ["name", "familyName"]),
            path("name.formatted", .string(person.formattedName), ["name", "formatted"]),
            typed("addresses", "work", "formatted", person.formattedAddress),
            typed("addresses", "work", "streetAddress", person.streetAddress),
            typed("addresses", "work", "locality", person.locality),
            typed("addresses", "work", "region", person.region),
            typed("addresses", "work", "postalCode", person.postalCode),
            typed("addresses", "work", "country", person.country),
            typed("phoneNumbers", "work", "value", person.phones[0]),
            typed("phoneNumbers", "mobile", "value", person.phones[1]),
            typed("phoneNumbers", "fax", "value", person.phones[2]),
            path("externalId", .string(person.externalId(tag)), ["externalId"]),
            path("\(enterprise):employeeNumber", .string(person.employeeNumber), [enterprise, "employeeNumber"]),
            path("\(enterprise):department", .string(person.department), [enterprise, "department"]),
        ]
    }

    /// The value at `location`, with a note when the multi-valued `type` came back in another letter case.
    static func locate(_ location: AttributeLocation, in resource: JSONValue) -> (value: JSONValue, note: String?)? {
        switch location {
        case .path(let names):
            var current: JSONValue? = resource
            for name in names { current = current?[name] }
            guard let current, current != .null else { return nil }
            return (current, nil)
        case .typed(let attribute, let type, let sub):
            let elements = resource[attribute]?.array ?? []
            if let element = elements.first(where: { $0["type"]?.string == type }),
                let value = element[sub], value != .null
            {
                return (value, nil)
            }
            guard
                let element = elements.first(where: { $0["type"]?.string?.lowercased() == type.lowercased() }),
                let value = element[sub], value != .null
            else { return nil }
            return (value, "type \(element["type"]?.shown ?? "?") for sent \"\(type)\"")
        }
    }

    /// Letters and digits only, lower-cased: equal for a reformatted value ("+1 (555) 555-0100" and "15555550100").
    static func normalized(_ value: JSONValue) -> String {
        let text: String
        switch value {
        case .string(let string): text = string
        case .bool(let bool): text = bool ? "true" : "false"
        default: text = value.text
        }
        return String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
    }

    /// Every leaf of a resource with its path in mapping notation (`phoneNumbers[type eq "work"].value`,
    /// `urn:…:User:employeeNumber`), except `id`, `meta` and `schemas`.
    static func leaves(_ value: JSONValue, path: String = "", urnParent: Bool = false) -> [(String, JSONValue)] {
        switch value {
        case .object(let members):
            return members.flatMap { member -> [(String, JSONValue)] in
                if path.isEmpty, ["id", "meta", "schemas"].contains(member.key.lowercased()) { return [] }
                let child = path.isEmpty ? member.key : urnParent ? "\(path):\(member.key)" : "\(path).\(member.key)"
                return leaves(member.value, path: child, urnParent: path.isEmpty && member.key.hasPrefix("urn:"))
            }
        case .array(let elements):
            return elements.enumerated().flatMap { index, element -> [(String, JSONValue)] in
                let label = element["type"]?.string.map { "[type eq \"\($0)\"]" } ?? "[\(index)]"
                return leaves(element, path: path + label)
            }
        default:
            return [(path, value)]
        }
    }

    /// Each sent attribute that did not come back exactly as sent. Values are compared case-sensitively,
    /// attribute names case-insensitively.
    static func drift(_ sent: [SentAttribute], in resource: JSONValue) -> [(SentAttribute, AttributeDrift)] {
        let targets = Set(sent.map { $0.target.lowercased() })
        let others = leaves(resource).filter { !targets.contains($0.0.lowercased()) }
        return sent.compactMap { attribute -> (SentAttribute, AttributeDrift)? in
            guard let (value, note) = locate(attribute.location, in: resource) else {
                if let moved = others.first(where: { $0.1 == attribute.expected }) {
                    return (attribute, .moved(to: moved.0))
                }
                return (attribute, .dropped)
            }
            if value == attribute.expected {
                return note.map { (attribute, .reformatted(got: value, note: $0)) }
            }
            if normalized(value) == normalized(attribute.expected) {
                return (attribute, .reformatted(got: value, note: note))
            }
            return (attribute, .changed(got: value))
        }
    }
}
