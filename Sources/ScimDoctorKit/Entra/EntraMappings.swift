import Foundation

struct EntraAttributeMapping: Sendable, CustomStringConvertible {
    /// The Entra source as the Mappings page shows it, e.g. `jobTitle`.
    let source: String
    /// The SCIM target as the Mappings page shows it, e.g. `emails[type eq "work"].value`.
    let target: String
    /// The schema that must declare the target.
    let schema: String
    /// Attribute paths (`name`, `name.givenName`) the schema must declare for the target to have a home.
    let requires: [String]
    /// False for defaults seen in the portal and vendor docs but not in Microsoft's table (3rd-party, unconfirmed).
    let confirmed: Bool

    var description: String { "\(source) → \(target)" + (confirmed ? "" : " (unconfirmed default)") }
}

/// Entra's default attribute mappings for a non-gallery SCIM application (entra-provisioning.md §3.1 and §4.1).
/// Microsoft's table ("Design your user and group schema") spells AD-style names (`user-PrincipalName`); these use the
/// names the Mappings page shows (`userPrincipalName`). Microsoft calls its table "an example": the exact default set
/// of a job is in Graph `…/synchronization/jobs/{id}/schema`.
enum EntraDefaultMappings {
    private static func core(
        _ source: String, _ target: String, _ requires: [String]? = nil, confirmed: Bool = true
    ) -> EntraAttributeMapping {
        EntraAttributeMapping(
            source: source, target: target, schema: SchemaURN.user, requires: requires ?? [target], confirmed: confirmed
        )
    }

    private static func enterprise(_ source: String, _ attribute: String) -> EntraAttributeMapping {
        EntraAttributeMapping(
            source: source, target: "\(SchemaURN.enterpriseUser):\(attribute)", schema: SchemaURN.enterpriseUser,
            requires: [attribute], confirmed: true)
    }

    private static func typed(_ attribute: String, _ type: String, _ sub: String) -> String {
        "\(attribute)[type eq \"\(type)\"].\(sub)"
    }

    /// "Provision Microsoft Entra ID Users", in the order the Mappings page lists them.
    static let user: [EntraAttributeMapping] = [
        core("userPrincipalName", "userName"),
        core("Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")", "active"),
        core("displayName", "displayName"),
        core("jobTitle", "title"),
        core("mail", typed("emails", "work", "value"), ["emails.value", "emails.type"]),
        core("proxyAddresses", typed("emails", "other", "value"), ["emails.value", "emails.type"]),
        core("preferredLanguage", "preferredLanguage", confirmed: false),
        core("givenName", "name.givenName"),
        core("surname", "name.familyName"),
        core("Join(\" \", [givenName], [surname])", "name.formatted", confirmed: false),
        core(
            "physicalDeliveryOfficeName", typed("addresses", "work", "formatted"),
            ["addresses.type", "addresses.formatted"], confirmed: false),
        core(
            "physicalDeliveryOfficeName", typed("addresses", "other", "formatted"),
            ["addresses.type", "addresses.formatted"]),
        core(
            "streetAddress", typed("addresses", "work", "streetAddress"),
            ["addresses.type", "addresses.streetAddress"]),
        core(
            "city", typed("addresses", "work", "locality"), ["addresses.type", "addresses.locality"], confirmed: false),
        core("state", typed("addresses", "work", "region"), ["addresses.type", "addresses.region"], confirmed: false),
        core("postalCode", typed("addresses", "work", "postalCode"), ["addresses.type", "addresses.postalCode"]),
        core(
            "country", typed("addresses", "work", "country"), ["addresses.type", "addresses.country"],
            confirmed: false),
        core("telephoneNumber", typed("phoneNumbers", "work", "value"), ["phoneNumbers.value", "phoneNumbers.type"]),
        core("mobile", typed("phoneNumbers", "mobile", "value"), ["phoneNumbers.value", "phoneNumbers.type"]),
        core(
            "facsimileTelephoneNumber", typed("phoneNumbers", "fax", "value"),
            ["phoneNumbers.value", "phoneNumbers.type"]),
        core("mailNickname", "externalId"),
        enterprise("employeeId", "employeeNumber"),
        enterprise("department", "department"),
        enterprise("manager", "manager"),
    ]

    /// "Provision Microsoft Entra ID Groups".
    static let group: [EntraAttributeMapping] = [
        EntraAttributeMapping(
            source: "displayName", target: "displayName", schema: SchemaURN.group, requires: ["displayName"],
            confirmed: true),
        EntraAttributeMapping(
            source: "members", target: "members", schema: SchemaURN.group, requires: ["members"], confirmed: true),
        EntraAttributeMapping(
            source: "objectId", target: "externalId", schema: SchemaURN.group, requires: ["externalId"], confirmed: true
        ),
    ]

    /// Attributes every resource has (RFC 7643 §3.1): a schema need not, and RFC 7643 §8.7.1 does not, list them.
    static let commonAttributes: Set<String> = ["id", "externalid", "meta"]
}
