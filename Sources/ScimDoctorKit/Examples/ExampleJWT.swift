import Foundation

enum ExampleJWT {
    static func make(header: String = #"{"alg":"RS256","typ":"JWT"}"#, payload: String) -> String {
        "\(encode(header)).\(encode(payload)).sig"
    }

    /// A token with the claims given as seconds relative to `ExampleSetup.defaultNow`.
    static func make(iss: String = "https://auth.example.com/", expIn: Int? = nil, nbfIn: Int? = nil) -> String {
        let now = Int(ExampleSetup.defaultNow.timeIntervalSince1970)
        var claims = [#""iss":"\#(iss)""#, #""sub":"entra-provisioning""#, #""iat":\#(now - 86_400)"#]
        if let expIn { claims.append(#""exp":\#(now + expIn)"#) }
        if let nbfIn { claims.append(#""nbf":\#(now + nbfIn)"#) }
        return make(payload: "{" + claims.joined(separator: ",") + "}")
    }

    static func encode(_ json: String) -> String {
        Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
