import Foundation

/// The SCIM Error message fields of a body (RFC 7644 §3.12), read without trusting its shape.
struct SCIMErrorFields: Sendable {
    var detail: String?
    var scimType: String?
    var isSCIMError: Bool

    init(detail: String?, scimType: String?, isSCIMError: Bool) {
        self.detail = detail
        self.scimType = scimType
        self.isSCIMError = isSCIMError
    }

    var summary: String {
        var parts: [String] = []
        if let scimType { parts.append("scimType \(scimType)") }
        if let detail { parts.append("detail \"\(oneLine(detail).prefix(200))\"") }
        return parts.joined(separator: ", ")
    }

    /// The Error fields of a JSON body (RFC 7644 §3.12), when it carries any.
    init?(_ response: HTTPResponse) {
        guard let object = response.jsonObject else { return nil }
        let detail = object["detail"]?.string
        let type = object["scimType"]?.string
        let isError = object.schemas.contains(SchemaURN.error)
        guard detail != nil || type != nil || isError else { return nil }
        self.init(detail: detail, scimType: type, isSCIMError: isError)
    }
}
