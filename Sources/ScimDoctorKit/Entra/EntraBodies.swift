import Foundation

/// One of the two test users. Every name carries the run tag; e-mail addresses use the reserved example.com.
struct TestPerson: Sendable {
    let handle: String
    let givenName: String
    let familyName: String
    let title: String
    let department: String
    let employeeNumber: String
    let streetAddress: String
    let locality: String
    let region: String
    let postalCode: String
    let country: String
    /// Work, mobile, fax: digits only, the way Entra sends a number that was entered that way.
    let phones: [String]
    let preferredLanguage: String

    /// The main test user (created, read back, patched, disabled, deleted).
    static let ada = TestPerson(
        handle: "ada", givenName: "Ada", familyName: "Lovelace", title: "Analyst", department: "Engineering",
        employeeNumber: "1815", streetAddress: "12 Analytical Row", locality: "London", region: "Greater London",
        postalCode: "EC1A 1AA", country: "GB", phones: ["15555550100", "15555550101", "15555550102"],
        preferredLanguage: "en-GB")
    /// The second test user: Ada's manager and the group member.
    static let grace = TestPerson(
        handle: "grace", givenName: "Grace", familyName: "Hopper", title: "Computer Scientist",
        department: "Research", employeeNumber: "1906", streetAddress: "1 Compiler Way", locality: "Arlington",
        region: "VA", postalCode: "22201", country: "US", phones: ["15555550110", "15555550111", "15555550112"],
        preferredLanguage: "en-US")

    func userName(_ tag: String) -> String { identity(tag).name }
    func identity(_ tag: String) -> TestIdentity { TestIdentity.user(tag: tag, handle: handle) }
    func displayName(_ tag: String) -> String { "\(tag) \(givenName) \(familyName)" }
    func externalId(_ tag: String) -> String { identity(tag).externalId ?? "" }
    /// The work e-mail differs from the userName so that a server moving one into the other can be told.
    func email(_ tag: String) -> String { "\(tag)-\(handle).\(familyName.lowercased())@example.com" }
    var formattedName: String { "\(givenName) \(familyName)" }
    var formattedAddress: String { "\(streetAddress), \(locality) \(postalCode), \(country)" }
}

/// Entra's request bodies, exactly as entra-provisioning.md §3 and §4 give them.
enum EntraBodies {
    static let adscimGroup = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
    static let managerPath = "\(SchemaURN.enterpriseUser):manager"

    /// POST /Users with the default user mapping (§3.1, §3.4); the manager is set later by PATCH, as Entra does.
    static func user(_ person: TestPerson, tag: String) -> JSONValue {
        let phones = zip(["work", "mobile", "fax"], person.phones).map { type, number in
            object(["type": .string(type), "value": .string(number)])
        }
        return object([
            "schemas": .array([.string(SchemaURN.user), .string(SchemaURN.enterpriseUser)]),
            "externalId": .string(person.externalId(tag)),
            "userName": .string(person.userName(tag)),
            "active": .bool(true),
            "displayName": .string(person.displayName(tag)),
            "title": .string(person.title),
            "emails": .array([
                object(["primary": .bool(true), "type": .string("work"), "value": .string(person.email(tag))])
            ]),
            "preferredLanguage": .string(person.preferredLanguage),
            "name": object([
                "formatted": .string(person.formattedName), "familyName": .string(person.familyName),
                "givenName": .string(person.givenName),
            ]),
            "addresses": .array([
                object([
                    "type": .string("work"), "streetAddress": .string(person.streetAddress),
                    "locality": .string(person.locality), "region": .string(person.region),
                    "postalCode": .string(person.postalCode), "country": .string(person.country),
                    "formatted": .string(person.formattedAddress),
                ])
            ]),
            "phoneNumbers": .array(phones),
            SchemaURN.enterpriseUser: object([
                "employeeNumber": .string(person.employeeNumber), "department": .string(person.department),
            ]),
            "meta": object(["resourceType": .string("User")]),
            "roles": .array([]),
        ])
    }

    /// `body` without `attribute` (a top-level attribute, a sub-attribute such as `givenName` or `employeeNumber`,
    /// `primary` inside multi-valued items, or the enterprise extension object with its URN in `schemas`); nil when
    /// nothing of that name is there to remove.
    static func without(_ attribute: String, from body: JSONValue) -> JSONValue? {
        var result = body
        let name = attribute.lowercased()
        if name == SchemaURN.enterpriseUser.lowercased() {
            result.remove(SchemaURN.enterpriseUser)
            result.set("schemas", .array(body.schemas.filter { $0 != SchemaURN.enterpriseUser }.map { .string($0) }))
        } else if body[attribute] != nil {
            result.remove(attribute)
        } else {
            // A sub-attribute: inside a complex attribute (name, the enterprise object) or each multi-valued item.
            for member in body.members ?? [] {
                switch member.value {
                case .object where member.value[attribute] != nil:
                    var inner = member.value
                    inner.remove(attribute)
                    result.set(member.key, inner)
                case .array(let items) where items.contains(where: { $0[attribute] != nil }):
                    result.set(
                        member.key,
                        .array(
                            items.map { item in
                                var item = item
                                item.remove(attribute)
                                return item
                            }))
                default: break
                }
            }
        }
        return result == body ? nil : result
    }

    /// Only what every SCIM user needs and Entra always sends: schemas (core only), externalId, userName, active,
    /// displayName, emails, name.
    static func coreOnly(_ body: JSONValue) -> JSONValue {
        var result = object(["schemas": .array([.string(SchemaURN.user)])])
        for key in ["externalId", "userName", "active", "displayName", "emails", "name"] {
            if let value = body[key] { result.set(key, value) }
        }
        return result
    }

    /// What a group create body may leave out when the server rejects Entra's (to find out which part it rejects).
    struct GroupVariant: Sendable, Equatable {
        var adscim = true
        var meta = true
        static let entra = GroupVariant()
    }

    /// POST /Groups (§4.2): the core schema plus Microsoft's ADSCIM URI, and `meta`.
    static func group(tag: String, _ variant: GroupVariant = .entra) -> JSONValue {
        var schemas: [JSONValue] = [.string(SchemaURN.group)]
        if variant.adscim { schemas.append(.string(adscimGroup)) }
        var body = object([
            "schemas": .array(schemas), "externalId": .string(TestIdentity.group(tag: tag).externalId ?? ""),
            "displayName": .string(TestIdentity.group(tag: tag).name),
        ])
        if variant.meta { body.set("meta", object(["resourceType": .string("Group")])) }
        return body
    }

    static func patch(_ operations: [JSONValue]) -> JSONValue {
        object(["schemas": .array([.string(SchemaURN.patchOp)]), "Operations": .array(operations)])
    }

    static func operation(_ op: String, path: String? = nil, value: JSONValue? = nil) -> JSONValue {
        var operation = object(["op": .string(op)])
        if let path { operation.set("path", .string(path)) }
        if let value { operation.set("value", value) }
        return operation
    }
}

/// Entra's two PATCH dialects (§3.5).
enum PatchDialect: Sendable, Equatable {
    /// No flag: capitalised ops, `"False"` strings, one operation per attribute, `Remove` members with a value.
    case entraDefault
    /// `aadOptscim062020`: lower-case ops, booleans, a path-less replace, `members[value eq "…"]`.
    case scimCompliant

    var name: String { self == .entraDefault ? "Entra's default style" : "the aadOptscim062020 style" }
    var other: PatchDialect { self == .entraDefault ? .scimCompliant : .entraDefault }
    /// `Replace` / `replace`.
    func op(_ name: String) -> String {
        self == .entraDefault ? name.prefix(1).uppercased() + name.dropFirst().lowercased() : name.lowercased()
    }
}

extension ProbeContext {
    /// Whether the Tenant URL carries `aadOptscim062020` (bare or with a value, any letter case).
    var tenantHasCompliantFlag: Bool {
        let items = (tenant?.query ?? "").split(separator: "&").map { $0.split(separator: "=").first ?? "" }
        return items.contains { EntraFlag.documented($0) == EntraFlag.compliant }
    }

    /// The dialects `--patch-style` asks for, in the order they are tested.
    var patchDialects: [PatchDialect] {
        switch options.patchStyle {
        case .fromTenantURL: [tenantHasCompliantFlag ? .scimCompliant : .entraDefault]
        case .entraDefault: [.entraDefault]
        case .scimCompliant: [.scimCompliant]
        case .both: [.entraDefault, .scimCompliant]
        }
    }
}
