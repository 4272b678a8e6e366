/// The two SCIM resource types Entra provisions.
public enum ResourceKind: String, Sendable, Codable {
    case users = "Users"
    case groups = "Groups"

    /// The path segment after the Tenant URL.
    public var path: String { rawValue }
    public var singular: String { self == .users ? "user" : "group" }
    public var plural: String { self == .users ? "users" : "groups" }
    /// The attribute Entra matches on by default (and every resource must carry).
    public var matchingAttribute: String { self == .users ? "userName" : "displayName" }
    /// The extra query Entra adds to group lookups.
    public var extraQuery: String? { self == .users ? nil : "excludedAttributes=members" }
}
