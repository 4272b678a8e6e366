import Foundation

/// Every place in the Microsoft Entra admin center that a fix points to, spelled once, so that the report names
/// one location one way (Microsoft's blade and mapping names). Fixes interpolate these.
public enum EntraPortal {
    /// The app's provisioning page.
    public static let provisioning = "Entra ▸ Enterprise applications ▸ your app ▸ Provisioning"
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
    /// The mapping's Enabled switch.
    public static func mappingEnabled(_ kind: ResourceKind) -> String { mapping(kind) + " ▸ Enabled" }
}
