import Foundation

/// The one JSON value of the tool: what servers answer (parsed by `JSONParser`, keys in the order sent), what it
/// sends (so its bodies read like Entra's and are the same every run), JWT claims and Graph answers alike.
/// Object members are looked up case-insensitively, as SCIM attribute names are (RFC 7643 §2.1).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    /// A number no Swift integer or finite double holds (400 digits, `1e999999`), as its text.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public let key: String
        public var value: JSONValue
    }

    /// The parsed body of a response, nil when it is not a JSON object.
    init?(response: HTTPResponse?) {
        guard let object = response?.jsonObject else { return nil }
        self = object
    }

    /// Compact JSON text.
    var text: String {
        switch self {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .int(let int): String(int)
        case .double(let double): String(double)
        case .number(let text): text
        case .string(let string): Self.quote(string)
        case .array(let array): "[" + array.map(\.text).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { Self.quote($0.key) + ":" + $0.value.text }.joined(separator: ",") + "}"
        }
    }

    var data: Data { Data(text.utf8) }

    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u" + NumberText.hex(scalar.value, width: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    /// An integer that is really a JSON number (not a string holding digits).
    var int: Int? { if case .int(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var members: [Member]? { if case .object(let value) = self { value } else { nil } }
    var isObject: Bool { members != nil }

    /// The string elements of `schemas` (SCIM's URN list).
    var schemas: [String] { self["schemas"]?.array?.compactMap(\.string) ?? [] }
    /// The object elements of `Resources` (a ListResponse's resources); nil when there is no such array.
    var resources: [JSONValue]? { self["Resources"]?.array?.filter(\.isObject) }

    /// A human name for a value's type, for evidence ("the string \"0\"").
    static func describe(_ value: JSONValue?) -> String {
        switch value {
        case nil: "missing"
        case .string(let string)?: "the string \"\(string.prefix(40))\""
        case .bool(let bool)?: "the boolean \(bool)"
        case .int(let int)?: "the number \(int)"
        case .double(let double)?: "the number \(double)"
        case .number(let text)?: "a number out of range (\(text.count > 20 ? "\(text.count) characters" : text))"
        case .null?: "null"
        case .array?: "an array"
        case .object?: "an object"
        }
    }

    /// A member of an object; SCIM attribute names are case-insensitive (the exact spelling wins).
    subscript(key: String) -> JSONValue? {
        guard let members else { return nil }
        return (members.first { $0.key == key } ?? members.first { $0.key.lowercased() == key.lowercased() })?.value
    }

    /// Sets (replacing any spelling of the key) or appends a member; a non-object becomes an object.
    mutating func set(_ key: String, _ value: JSONValue) {
        var members = self.members ?? []
        if let index = members.firstIndex(where: { $0.key.lowercased() == key.lowercased() }) {
            members[index].value = value
        } else {
            members.append(Member(key: key, value: value))
        }
        self = .object(members)
    }

    mutating func remove(_ key: String) {
        guard let members else { return }
        self = .object(members.filter { $0.key.lowercased() != key.lowercased() })
    }

    /// A short description of the value for findings: `"+1 (555) 555-0100"`, `true`, `missing`.
    var shown: String {
        let text = self.text
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}

/// Builds `{"key": value, …}` in the given order.
func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
    .object(pairs.map { JSONValue.Member(key: $0.key, value: $0.value) })
}
