import Foundation

/// A parsed JSON body, or why it could not be parsed. Never crashes on hostile input.
public enum JSONBody: Sendable {
    case object([String: any Sendable])
    case other(any Sendable)
    case invalid(String)

    public init(_ response: HTTPResponse) {
        if response.bodyTruncated {
            self = .invalid("the body was cut at \(response.body.count) bytes, so it cannot be parsed")
            return
        }
        if response.body.isEmpty {
            self = .invalid("the body is empty")
            return
        }
        guard String(validating: response.body, as: UTF8.self) != nil else {
            self = .invalid("the body is not valid UTF-8")
            return
        }
        do {
            let value = try JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])
            if let object = value as? [String: Any] {
                self = .object(object.mapValues { JSONBody.sendable($0) })
            } else {
                self = .other(JSONBody.sendable(value))
            }
        } catch {
            self = .invalid("the body is not valid JSON")
        }
    }

    public var object: [String: any Sendable]? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// Converts Foundation's JSON values into Sendable ones (dictionaries, arrays, strings, numbers, Bool, NSNull).
    static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let dictionary as [String: Any]: return dictionary.mapValues { sendable($0) }
        case let array as [Any]: return array.map { sendable($0) }
        case let number as NSNumber:
            // JSONSerialization boxes JSON booleans as char-typed numbers and fractions as doubles.
            switch String(cString: number.objCType) {
            case "c", "B": return number.boolValue
            case "d", "f": return number.doubleValue
            default: return number.intValue
            }
        case let string as String: return string
        default: return JSONNull()
        }
    }
}

/// JSON `null`.
public struct JSONNull: Sendable, Equatable {}

/// Reading SCIM documents without trusting their shape.
public enum SCIM {
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    public static let errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"

    /// Looks a key up case-insensitively (SCIM attribute names are case-insensitive: `Resources` vs `resources`).
    public static func value(_ object: [String: any Sendable], _ key: String) -> (any Sendable)? {
        if let value = object[key] { return value }
        return object.first { $0.key.lowercased() == key.lowercased() }?.value
    }

    public static func string(_ object: [String: any Sendable], _ key: String) -> String? {
        value(object, key) as? String
    }

    /// An integer that is really a JSON number (not a string holding digits).
    public static func int(_ object: [String: any Sendable], _ key: String) -> Int? {
        value(object, key) as? Int
    }

    public static func schemas(_ object: [String: any Sendable]) -> [String] {
        (value(object, "schemas") as? [any Sendable])?.compactMap { $0 as? String } ?? []
    }

    public static func resources(_ object: [String: any Sendable]) -> [[String: any Sendable]]? {
        (value(object, "Resources") as? [any Sendable])?.compactMap { $0 as? [String: any Sendable] }
    }

    /// A human name for a JSON value's type, for evidence ("string \"0\"").
    public static func describe(_ value: (any Sendable)?) -> String {
        switch value {
        case nil: "missing"
        case let string as String: "the string \"\(string.prefix(40))\""
        case let bool as Bool: "the boolean \(bool)"
        case let int as Int: "the number \(int)"
        case let double as Double: "the number \(double)"
        case is JSONNull: "null"
        case is [any Sendable]: "an array"
        case is [String: any Sendable]: "an object"
        default: "an unexpected value"
        }
    }
}
