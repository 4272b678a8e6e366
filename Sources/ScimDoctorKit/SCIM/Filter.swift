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

/// A query component as a server reads it: `+` is a space and `%XX` a byte; left undecoded (but with its spaces)
/// where an escape is malformed or the bytes are not UTF-8. By hand: Foundation's goes through NSString.
func decodedQueryComponent(_ component: some StringProtocol) -> String {
    let spaced = String(component.map { $0 == "+" ? " " : $0 })
    guard spaced.contains("%") else { return spaced }
    var bytes: [UInt8] = []
    var input = spaced.utf8.makeIterator()
    while let byte = input.next() {
        guard byte == UInt8(ascii: "%") else {
            bytes.append(byte)
            continue
        }
        guard let high = input.next().flatMap(hexValue), let low = input.next().flatMap(hexValue) else {
            return spaced
        }
        bytes.append(high << 4 | low)
    }
    return String(validating: bytes, as: UTF8.self) ?? spaced
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

func isPlainFilterValue(_ value: String) -> Bool {
    !value.contains("\"") && !value.contains("\\") && !value.isEmpty
}

/// `value` with the case of every letter swapped, keeping only letters whose case round-trips (ß stays ß),
/// so a case-insensitive server must still match it. Equal to `value` when it has no such letter.
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
