/// Canned `/Schemas` bodies for probe examples and tests: the User, EnterpriseUser and Group schemas in the shape of
/// RFC 7643 §8.7.1 (abridged: descriptions shortened, rarely used attributes such as ims, photos, entitlements and
/// x509Certificates left out). Like the RFC, they do not list the common attributes id, externalId and meta.
public enum ScimSchemaSamples {
    /// `/Schemas` under the examples' default Tenant URL.
    static let path = "/scim/v2/Schemas"

    /// An example whose server answers `GET /Schemas` with `body`.
    static func served(_ body: String) -> ExampleSetup { ExampleSetup(routes: [.get(path, .json(200, body))]) }

    public static let userURN = SchemaURN.user
    public static let enterpriseUserURN = SchemaURN.enterpriseUser
    public static let groupURN = SchemaURN.group
    static let schemaURN = SchemaURN.schema

    /// One attribute definition. `subAttributes` make it complex.
    static func attribute(
        _ name: String, type: String = "string", multiValued: Bool = false, required: Bool = false,
        caseExact: Bool = false, mutability: String = "readWrite", uniqueness: String = "none",
        referenceTypes: [String] = [], subAttributes: [String] = []
    ) -> String {
        var fields = [
            "\"name\":\"\(name)\"", "\"type\":\"\(subAttributes.isEmpty ? type : "complex")\"",
            "\"multiValued\":\(multiValued)", "\"description\":\"\(name)\"", "\"required\":\(required)",
        ]
        if type == "string" || type == "reference" { fields.append("\"caseExact\":\(caseExact)") }
        if !referenceTypes.isEmpty {
            fields.append("\"referenceTypes\":[" + referenceTypes.map { "\"\($0)\"" }.joined(separator: ",") + "]")
        }
        if !subAttributes.isEmpty { fields.append("\"subAttributes\":[" + subAttributes.joined(separator: ",") + "]") }
        fields.append("\"mutability\":\"\(mutability)\"")
        fields.append("\"returned\":\"default\"")
        if type == "string" || type == "reference" { fields.append("\"uniqueness\":\"\(uniqueness)\"") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The core User attributes, by name (sub-attributes may be omitted as "addresses.locality").
    static func userAttributes(omitting omitted: Set<String> = []) -> [String] {
        func subs(_ parent: String, _ names: [String], booleans: [String] = []) -> [String] {
            names.filter { !omitted.contains("\(parent).\($0)") }.map { attribute($0) }
                + booleans.filter { !omitted.contains("\(parent).\($0)") }.map { attribute($0, type: "boolean") }
        }
        // value, display, type and primary: the sub-attributes of emails, phoneNumbers and roles.
        func valueSubs(_ parent: String) -> [String] {
            subs(parent, ["value", "display", "type"], booleans: ["primary"])
        }
        let all: [(String, String)] = [
            ("userName", attribute("userName", required: true, uniqueness: "server")),
            (
                "name",
                attribute(
                    "name",
                    subAttributes: subs(
                        "name",
                        ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"]))
            ),
            ("displayName", attribute("displayName")),
            ("nickName", attribute("nickName")),
            ("profileUrl", attribute("profileUrl", type: "reference", referenceTypes: ["external"])),
            ("title", attribute("title")),
            ("userType", attribute("userType")),
            ("preferredLanguage", attribute("preferredLanguage")),
            ("locale", attribute("locale")),
            ("timezone", attribute("timezone")),
            ("active", attribute("active", type: "boolean")),
            (
                "emails",
                attribute("emails", multiValued: true, subAttributes: valueSubs("emails"))
            ),
            ("phoneNumbers", attribute("phoneNumbers", multiValued: true, subAttributes: valueSubs("phoneNumbers"))),
            (
                "addresses",
                attribute(
                    "addresses", multiValued: true,
                    subAttributes: subs(
                        "addresses",
                        ["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type"],
                        booleans: ["primary"]))
            ),
            (
                "groups",
                attribute(
                    "groups", multiValued: true, mutability: "readOnly",
                    subAttributes: [attribute("value"), attribute("$ref", type: "reference"), attribute("display")])
            ),
            ("roles", attribute("roles", multiValued: true, subAttributes: valueSubs("roles"))),
        ]
        return all.filter { !omitted.contains($0.0) }.map(\.1)
    }

    /// The EnterpriseUser extension attributes.
    static func enterpriseAttributes(omitting omitted: Set<String> = []) -> [String] {
        let all: [(String, String)] = [
            ("employeeNumber", attribute("employeeNumber")),
            ("costCenter", attribute("costCenter")),
            ("organization", attribute("organization")),
            ("division", attribute("division")),
            ("department", attribute("department")),
            (
                "manager",
                attribute(
                    "manager",
                    subAttributes: [
                        attribute("value"), attribute("$ref", type: "reference", referenceTypes: ["User"]),
                        attribute("displayName", mutability: "readOnly"),
                    ])
            ),
        ]
        return all.filter { !omitted.contains($0.0) }.map(\.1)
    }

    /// The Group attributes.
    static func groupAttributes(omitting omitted: Set<String> = []) -> [String] {
        let all: [(String, String)] = [
            ("displayName", attribute("displayName")),
            (
                "members",
                attribute(
                    "members", multiValued: true,
                    subAttributes: [
                        attribute("value", mutability: "immutable"),
                        attribute(
                            "$ref", type: "reference", mutability: "immutable", referenceTypes: ["User", "Group"]),
                        attribute("type", mutability: "immutable"),
                    ])
            ),
        ]
        return all.filter { !omitted.contains($0.0) }.map(\.1)
    }

    /// A Schema resource.
    public static func schema(id: String, name: String, attributes: [String]) -> String {
        """
        {"schemas":["\(schemaURN)"],"id":"\(id)","name":"\(name)","description":"\(name) schema",\
        "attributes":[\(attributes.joined(separator: ","))],\
        "meta":{"resourceType":"Schema","location":"/v2/Schemas/\(id)"}}
        """
    }

    /// A `/Schemas` response. `omittingUser`, `omittingEnterprise`, `omittingGroup` drop attributes ("title",
    /// "addresses.locality"); `enterprise`/`group` false drops the whole schema; `bareArray` answers a JSON array
    /// instead of a ListResponse.
    public static func schemas(
        omittingUser: Set<String> = [], omittingEnterprise: Set<String> = [], omittingGroup: Set<String> = [],
        user: Bool = true, enterprise: Bool = true, group: Bool = true, bareArray: Bool = false
    ) -> String {
        var resources: [String] = []
        if user {
            resources.append(schema(id: userURN, name: "User", attributes: userAttributes(omitting: omittingUser)))
        }
        if enterprise {
            resources.append(
                schema(
                    id: enterpriseUserURN, name: "EnterpriseUser",
                    attributes: enterpriseAttributes(omitting: omittingEnterprise)))
        }
        if group {
            resources.append(schema(id: groupURN, name: "Group", attributes: groupAttributes(omitting: omittingGroup)))
        }
        return bareArray ? "[" + resources.joined(separator: ",") + "]" : ScimSamples.list(resources)
    }
}
