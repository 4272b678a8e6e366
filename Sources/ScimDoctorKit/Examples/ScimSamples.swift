/// Canned SCIM bodies for probe examples and tests, shaped like Microsoft's own samples.
public enum ScimSamples {
    public static let listResponseSchema = SchemaURN.listResponse

    /// A ListResponse around `resources` (JSON object texts).
    public static func list(_ resources: [String], total: Int? = nil, itemsPerPage: Int? = nil) -> String {
        """
        {"schemas":["\(listResponseSchema)"],"totalResults":\(total ?? resources.count),\
        "startIndex":1,"itemsPerPage":\(itemsPerPage ?? resources.count),"Resources":[\(resources.joined(separator: ","))]}
        """
    }

    public static let emptyList = list([])

    public static func user(
        id: String = "2819c223", userName: String = "bjensen@example.com", active: Bool = true,
        externalId: String? = nil
    ) -> String {
        let external = externalId.map { #""externalId":"\#($0)","# } ?? ""
        return """
            {"schemas":["\(SchemaURN.user)"],"id":"\(id)",\(external)"userName":"\(userName)",\
            "active":\(active),"name":{"givenName":"Barbara","familyName":"Jensen"},\
            "emails":[{"value":"\(userName)","type":"work","primary":true}],"meta":{"resourceType":"User"}}
            """
    }

    public static func group(id: String = "e9e30dba", displayName: String = "Tour Guides", members: [String]? = nil)
        -> String
    {
        let membersPart =
            members.map { ids in
                ",\"members\":[" + ids.map { "{\"value\":\"\($0)\"}" }.joined(separator: ",") + "]"
            } ?? ""
        return """
            {"schemas":["\(SchemaURN.group)"],"id":"\(id)","displayName":"\(displayName)"\
            \(membersPart),"meta":{"resourceType":"Group"}}
            """
    }

    public static func error(_ status: Int, detail: String, scimType: String? = nil) -> String {
        let typePart = scimType.map { ",\"scimType\":\"\($0)\"" } ?? ""
        return """
            {"schemas":["\(SchemaURN.error)"],"status":"\(status)","detail":"\(detail)"\(typePart)}
            """
    }

    public static let loginPage = """
        <!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/login" method="post">\
        <input name="username"><input type="password" name="password"></form></body></html>
        """
}
