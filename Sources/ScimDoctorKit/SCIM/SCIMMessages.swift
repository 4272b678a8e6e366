import Foundation

/// The SCIM message schemas (RFC 7644 §3.4.2, §3.12).
public enum SCIM {
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    public static let errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"
}
