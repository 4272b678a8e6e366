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
