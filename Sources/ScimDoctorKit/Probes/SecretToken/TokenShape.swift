import Foundation

/// What a Secret Token looks like from the outside, read locally without verifying any signature.
enum TokenShape {
    /// Not a JWT: only the server that issued it knows when it expires.
    case opaque
    /// A signed JWT (JWS, three parts) whose header and claims decode.
    case jwt(header: JSONValue, claims: JSONValue)
    /// An encrypted JWT (JWE, five parts): its claims cannot be read without the key.
    case encrypted
    /// Looks like a JWT (three parts, starting with `eyJ`) but does not decode; the reason says why.
    case malformed(String)

    /// Reads `token`, which should already be stripped of paste artifacts (`SecretTokenText.core`).
    init(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard token.hasPrefix("eyJ"), parts.count == 3 || parts.count == 5 else {
            self = .opaque
            return
        }
        if parts.count == 5 {
            self = .encrypted
            return
        }
        guard let header = Self.object(parts[0]) else {
            self = .malformed("its header (first part) is not base64url-encoded JSON")
            return
        }
        guard header["alg"]?.string != nil else {
            self = .malformed("its header has no \"alg\"")
            return
        }
        guard let claims = Self.object(parts[1]) else {
            self = .malformed("its payload (second part) is not base64url-encoded JSON")
            return
        }
        self = .jwt(header: header, claims: claims)
    }

    /// A base64url part decoded as a JSON object; nil when it is not one.
    private static func object(_ part: String) -> JSONValue? {
        guard let data = base64URLDecode(part), let value = try? JSONParser.parse(data).get().value, value.isObject
        else { return nil }
        return value
    }

    static func base64URLDecode(_ text: String) -> Data? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    /// A NumericDate claim (`exp`, `nbf`, `iat`): a JSON number of seconds since 1970.
    /// `.some(nil)` when the claim is present but not a number.
    static func date(_ claims: JSONValue, _ name: String) -> Date?? {
        guard let value = claims[name] else { return .none }
        switch value {
        case .int(let int): return .some(Date(timeIntervalSince1970: TimeInterval(int)))
        case .double(let double) where double.isFinite: return .some(Date(timeIntervalSince1970: double))
        default: return .some(nil)
        }
    }
}

/// Unsigned JWTs for the examples: base64url of the JSON parts, with "sig" as the signature part.
