import Foundation

/// Every SCIM URN the tool reads or sends (RFC 7643 §8.7.1, RFC 7644 §3.4.2, §3.5.2, §3.12), spelled once.
public enum SchemaURN {
    /// What every SCIM URN starts with.
    public static let prefix = "urn:ietf:params:scim:"
    public static let user = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    public static let group = "urn:ietf:params:scim:schemas:core:2.0:Group"
    public static let serviceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:Schema"
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    public static let error = "urn:ietf:params:scim:api:messages:2.0:Error"
    public static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
}
