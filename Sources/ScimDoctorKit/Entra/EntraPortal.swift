import Foundation

/// Every place in the Microsoft Entra admin center that a fix points to, spelled once, so that the report names
/// one location one way (Microsoft's blade and mapping names). Fixes interpolate these.
public enum EntraPortal {
    /// The enterprise application (service principal).
    public static let enterpriseApp = "Entra ▸ Enterprise applications ▸ your app"
    /// Its ids: Application ID (`--app-id`) and Object ID (`--sp-id`).
    public static let overview = enterpriseApp + " ▸ Overview"
    /// Who is assigned (the scope of "Sync only assigned users and groups").
    public static let addAssignment = enterpriseApp + " ▸ Users and groups ▸ Add user/group"
    public static let provisioningLogs = enterpriseApp + " ▸ Provisioning logs"
    /// The directory's users (object id, user principal name).
    public static let users = "Entra ▸ Users"
    /// A new security group (assignable to applications).
    public static let newSecurityGroup = "Entra ▸ Groups ▸ New group ▸ Group type Security"
    /// Where the permissions of the app registration a Graph token comes from are granted.
    public static let apiPermissions = "Entra ▸ App registrations ▸ your app ▸ API permissions"
    /// The app's provisioning page.
    public static let provisioning = enterpriseApp + " ▸ Provisioning"
    public static let provisioningSettings = provisioning + " ▸ Settings"
    public static let provisionOnDemand = provisioning + " ▸ Provision on demand"
    public static let adminCredentials = provisioning + " ▸ Admin Credentials"
    public static let tenantURL = adminCredentials + " ▸ Tenant URL"
    public static let secretToken = adminCredentials + " ▸ Secret Token"
    public static let mappings = provisioning + " ▸ Mappings"
    /// The job's On/Off switch.
    public static let provisioningStatus = provisioning + " ▸ Provisioning Status"
    public static let restartProvisioning = provisioning + " ▸ Restart provisioning"

    /// "Provision Microsoft Entra ID Users" / "… Groups": the mapping of one kind (names vary per app; these are the
    /// defaults).
    public static func mappingName(_ kind: ResourceKind) -> String {
        kind == .users ? "Provision Microsoft Entra ID Users" : "Provision Microsoft Entra ID Groups"
    }

    public static func mapping(_ kind: ResourceKind) -> String { mappings + " ▸ " + mappingName(kind) }
    public static func attributeMappings(_ kind: ResourceKind) -> String { mapping(kind) + " ▸ Attribute Mappings" }
    /// Where the matching attribute is chosen (Matching precedence 1).
    public static func matchingPrecedence(_ kind: ResourceKind) -> String { mapping(kind) + " ▸ Matching precedence" }
    /// A mapping's scoping filter.
    public static let sourceObjectScope = mappings + " ▸ the mapping ▸ Source Object Scope"
    /// A mapping's Create/Update/Delete switches.
    public static let targetObjectActions = mappings + " ▸ the mapping ▸ Target Object Actions"
    /// The mapping's Enabled switch.
    public static func mappingEnabled(_ kind: ResourceKind) -> String { mapping(kind) + " ▸ Enabled" }
}
