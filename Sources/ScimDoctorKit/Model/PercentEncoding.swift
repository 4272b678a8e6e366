/// Percent-encoding and -decoding of URL text, by hand: Foundation's goes through CoreFoundation and NSString,
/// which showed in profiles of a run. One way for every URL and form body the tool builds and every query it reads.
enum PercentEncoding {
    /// RFC 3986 §2.3's unreserved characters, ASCII only: what may stand unescaped in any part of a URL (and of a
    /// form body).
    static func isUnreserved(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCIIAlphanumeric || scalar == "-" || scalar == "." || scalar == "_" || scalar == "~"
    }

    /// What may stand unescaped inside a quoted filter value in a query string: ASCII letters and digits and
    /// `-._~@` (everything else is sent as UTF-8 bytes, `%C3%A9`).
    static func isQueryValue(_ scalar: Unicode.Scalar) -> Bool { isUnreserved(scalar) || scalar == "@" }

    /// RFC 3986 §3.4's query characters: unreserved, sub-delims, `:`, `@`, `/` and `?` (Foundation's
    /// `urlQueryAllowed`).
    static func isQuery(_ scalar: Unicode.Scalar) -> Bool {
        isUnreserved(scalar) || "!$&'()*+,;=:@/?".unicodeScalars.contains(scalar)
    }

    /// `text` with every scalar `keep` refuses written as `%XX` per UTF-8 byte (upper-case hex, as encoders do).
    /// Only ASCII is ever kept, as in Foundation's encoder.
    static func encoded(_ text: some StringProtocol, keeping keep: (Unicode.Scalar) -> Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII && keep(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { out += "%" + NumberText.hex(byte, width: 2, uppercase: true) }
            }
        }
        return out
    }

    /// A query component as a server reads it: `+` is a space and `%XX` a byte; left undecoded (but with its
    /// spaces) where an escape is malformed or the bytes are not UTF-8.
    static func decodedQueryComponent(_ component: some StringProtocol) -> String {
        let spaced = String(component.map { $0 == "+" ? " " : $0 })
        guard spaced.contains("%") else { return spaced }
        var bytes: [UInt8] = []
        var input = spaced.utf8.makeIterator()
        while let byte = input.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = input.next()?.asciiHexValue, let low = input.next()?.asciiHexValue else {
                return spaced
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self) ?? spaced
    }
}
