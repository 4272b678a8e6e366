import Foundation

/// A JSON value that keeps its keys in order, so the bodies sent read like Entra's and are the same every run.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    struct Member: Sendable, Equatable {
        let key: String
        var value: JSONValue
    }

    /// From a `JSONBody` value (object keys sorted, since the server's order is unknown).
    init(_ value: (any Sendable)?) {
        switch value {
        case let bool as Bool: self = .bool(bool)
        case let int as Int: self = .int(int)
        case let double as Double: self = .double(double)
        case let string as String: self = .string(string)
        case let array as [any Sendable]: self = .array(array.map { JSONValue($0) })
        case let object as [String: any Sendable]:
            self = .object(object.keys.sorted().map { Member(key: $0, value: JSONValue(object[$0])) })
        default: self = .null
        }
    }

    /// The parsed body of a response, nil when it is not a JSON object.
    init?(response: HTTPResponse?) {
        guard let response, let object = JSONBody(response).object else { return nil }
        self = JSONValue(object)
    }

    /// Compact JSON text.
    var text: String {
        switch self {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .int(let int): String(int)
        case .double(let double): String(double)
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
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var members: [Member]? { if case .object(let value) = self { value } else { nil } }

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
