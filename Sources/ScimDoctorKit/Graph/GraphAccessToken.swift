import Foundation

/// What a Graph access token says about itself, read locally from its JWT payload (never verified: Graph does
/// that). Lets the run say up front which permissions are missing, and for which cloud and directory the token is.
public struct GraphAccessToken: Sendable, Equatable {
    /// `aud`: the resource, e.g. `https://graph.microsoft.com` or `00000003-0000-0000-c000-000000000000`.
    public var audience: String?
    /// `tid`: the directory the token was issued in.
    public var tenantID: String?
    /// `scp`: delegated permissions (an admin signed in).
    public var scopes: [String]
    /// `roles`: application permissions (client credentials).
    public var roles: [String]
    public var expires: Date?

    /// Nil when the token is not a readable JWT (Graph tokens are, but Microsoft does not promise it).
    public init?(_ token: Secret) {
        let parts = token.reveal().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Self.base64URL(String(parts[1])),
            case .success(let document) = JSONParser.parse(payload), document.value.isObject
        else { return nil }
        let claims = document.value
        audience = claims["aud"]?.string
        tenantID = claims["tid"]?.string
        scopes = (claims["scp"]?.string ?? "").split(separator: " ").map(String.init)
        roles = claims["roles"]?.array?.compactMap(\.string) ?? []
        expires = claims["exp"]?.int.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Delegated or application, for findings.
    public var kind: String { roles.isEmpty && !scopes.isEmpty ? "delegated (scp)" : "application (roles)" }

    /// The permissions of `needed` this token does not carry.
    public func missing(_ needed: [String]) -> [String] {
        let granted = scopes + roles
        return needed.filter { need in !granted.contains { GraphPermission.covers($0, need) } }
    }

    private static func base64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
