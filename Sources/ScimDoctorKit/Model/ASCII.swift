/// ASCII character classes. The standard library's (`isHexDigit`, `isNumber`, letters) also take other scripts'
/// and fullwidth forms, which ids, hash names and URL text must not.
extension Unicode.Scalar {
    /// An ASCII letter or digit (RFC 3986's ALPHA and DIGIT).
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}

extension Character {
    /// 0-9, a-f, A-F.
    public var isASCIIHexDigit: Bool { isASCII && isHexDigit }
}

extension UInt8 {
    /// The value of an ASCII hex digit (0-9, a-f, A-F), nil for any other byte.
    var asciiHexValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
