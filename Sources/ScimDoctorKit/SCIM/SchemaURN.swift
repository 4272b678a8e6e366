import Foundation

/// SCIM schema URNs the attribute mappings target.
enum SchemaURN {
    static let user = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let group = "urn:ietf:params:scim:schemas:core:2.0:Group"
}

/// One attribute mapping of Entra's default configuration for a non-gallery SCIM app:
/// an Entra source attribute (or expression) flowing into a SCIM target attribute.
