import Foundation

extension CharacterSet {
    /// RFC 3986 §2.3's unreserved characters, ASCII only: what may stand unescaped in any part of a URL (and of a
    /// form body).
    static let urlUnreserved = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// Characters that may stand unescaped inside a quoted filter value in a query string.
    static let scimQueryValue: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~@")
        return set
    }()
}

func isPlainFilterValue(_ value: String) -> Bool {
    !value.contains("\"") && !value.contains("\\") && !value.isEmpty
}

/// Request line without scheme and host, for findings ("GET /scim/v2/Users?startIndex=1&count=1").

func swappedCase(_ value: String) -> String {
    String(
        value.map { character -> String in
            let text = String(character)
            let upper = text.uppercased()
            let lower = text.lowercased()
            if text == lower, upper != text, upper.lowercased() == text { return upper }
            if text == upper, lower != text, lower.uppercased() == text { return lower }
            return text
        }.joined())
}
