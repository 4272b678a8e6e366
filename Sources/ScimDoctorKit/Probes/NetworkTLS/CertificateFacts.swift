import Foundation

/// What a certificate's own DER encoding says, for the facts CURLINFO_CERTINFO leaves out or words loosely:
/// the EC curve, the RSA modulus size, and (as fallbacks) the validity dates and Subject Alternative Names.
/// Reads only the fixed X.509 outline, bounds-checked: a malformed certificate gives nil, never a crash.
public struct CertificateFacts: Sendable, Equatable {
    /// The subject public key.
    public enum PublicKey: Sendable, Equatable {
        case rsa(bits: Int)
        /// A named curve: display name ("P-256") and its size in bits.
        case ec(curve: String, bits: Int)
        /// EC with a curve this reader does not know (or explicit parameters): the curve OID, if any.
        case ecUnknownCurve(oid: String?)
        /// Another algorithm (Ed25519, DSA, …): a readable name or the OID.
        case other(algorithm: String)
    }

    public var publicKey: PublicKey
    public var notBefore: Date?
    public var notAfter: Date?
    /// Whether the certificate carries a subjectAltName extension at all.
    public var hasSubjectAltName: Bool
    public var dnsNames: [String]
    /// IP address entries, as 4 or 16 raw bytes.
    public var ipAddresses: [[UInt8]]

    /// Parses the first certificate of a PEM text; nil when there is none or it is malformed.
    public init?(pem: String) {
        guard let der = Self.der(fromPEM: pem) else { return nil }
        self.init(der: der)
    }

    /// Parses a DER-encoded X.509 certificate.
    public init?(der: [UInt8]) {
        var top = DERReader(der)
        guard let certificate = top.next(), certificate.tag == DER.sequence else { return nil }
        var outer = top.children(of: certificate)
        guard let tbs = outer.next(), tbs.tag == DER.sequence else { return nil }
        var fields = outer.children(of: tbs)
        guard var field = fields.next() else { return nil }
        if field.tag == DER.context(0) {  // explicit version
            guard let next = fields.next() else { return nil }
            field = next
        }
        // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        guard field.tag == DER.integer, let signature = fields.next(), signature.tag == DER.sequence,
            let issuer = fields.next(), issuer.tag == DER.sequence,
            let validity = fields.next(), validity.tag == DER.sequence,
            let subject = fields.next(), subject.tag == DER.sequence,
            let keyInfo = fields.next(), keyInfo.tag == DER.sequence,
            let publicKey = Self.publicKey(fields.children(of: keyInfo))
        else { return nil }
        self.publicKey = publicKey
        var times = fields.children(of: validity)
        notBefore = times.next().flatMap { Self.time($0, der) }
        notAfter = times.next().flatMap { Self.time($0, der) }
        hasSubjectAltName = false
        dnsNames = []
        ipAddresses = []
        while let optional = fields.next() {
            guard optional.tag == DER.context(3) else { continue }  // issuer/subject unique IDs are skipped
            var wrapper = fields.children(of: optional)
            guard let list = wrapper.next(), list.tag == DER.sequence else { break }
            readExtensions(wrapper.children(of: list))
        }
    }

    // MARK: - PEM

    /// The DER bytes of the first `CERTIFICATE` block (or of a bare base64 text).
    static func der(fromPEM pem: String) -> [UInt8]? {
        var body = pem
        if let begin = pem.range(of: "-----BEGIN CERTIFICATE-----") {
            let rest = pem[begin.upperBound...]
            guard let end = rest.range(of: "-----END CERTIFICATE-----") else { return nil }
            body = String(rest[..<end.lowerBound])
        }
        let base64 = body.filter { !$0.isWhitespace }
        guard !base64.isEmpty, let data = Data(base64Encoded: base64) else { return nil }
        return [UInt8](data)
    }

    // MARK: - Subject public key

    static let rsaEncryption = "1.2.840.113549.1.1.1"
    static let rsaPSS = "1.2.840.113549.1.1.10"
    static let ecPublicKey = "1.2.840.10045.2.1"

    /// Named curves: display name and size. Sizes follow the curve's prime, which is what "ECC key bits" means.
    static let curves: [String: (name: String, bits: Int)] = [
        "1.2.840.10045.3.1.1": ("P-192", 192),
        "1.3.132.0.33": ("P-224", 224),
        "1.2.840.10045.3.1.7": ("P-256", 256),
        "1.3.132.0.34": ("P-384", 384),
        "1.3.132.0.35": ("P-521", 521),
    ]

    static let otherAlgorithms: [String: String] = [
        "1.3.101.112": "Ed25519", "1.3.101.113": "Ed448", "1.3.101.110": "X25519", "1.3.101.111": "X448",
        "1.2.840.10040.4.1": "DSA",
    ]

    /// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
    private static func publicKey(_ info: DERReader) -> PublicKey? {
        var info = info
        guard let algorithm = info.next(), algorithm.tag == DER.sequence,
            let key = info.next(), key.tag == DER.bitString
        else { return nil }
        var identifier = info.children(of: algorithm)
        guard let oidElement = identifier.next(), oidElement.tag == DER.objectIdentifier,
            let oid = DER.oid(identifier.bytes[oidElement.content])
        else { return nil }
        switch oid {
        case rsaEncryption, rsaPSS:
            // BIT STRING: one "unused bits" byte, then RSAPublicKey ::= SEQUENCE { modulus INTEGER, exponent INTEGER }
            let content = info.bytes[key.content]
            guard content.first == 0 else { return nil }
            var inner = DERReader(Array(content.dropFirst()))
            guard let sequence = inner.next(), sequence.tag == DER.sequence else { return nil }
            var numbers = inner.children(of: sequence)
            guard let modulus = numbers.next(), modulus.tag == DER.integer else { return nil }
            let bits = DER.unsignedBitLength(numbers.bytes[modulus.content])
            return bits > 0 ? .rsa(bits: bits) : nil
        case ecPublicKey:
            guard let parameters = identifier.next(), parameters.tag == DER.objectIdentifier,
                let curveOID = DER.oid(identifier.bytes[parameters.content])
            else { return .ecUnknownCurve(oid: nil) }
            guard let curve = curves[curveOID] else { return .ecUnknownCurve(oid: curveOID) }
            return .ec(curve: curve.name, bits: curve.bits)
        default:
            return .other(algorithm: otherAlgorithms[oid] ?? oid)
        }
    }

    // MARK: - Validity

    /// UTCTime (YYMMDDHHMM[SS]Z, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMM[SS][.fff]Z).
    private static func time(_ element: DERElement, _ bytes: [UInt8]) -> Date? {
        guard element.tag == DER.utcTime || element.tag == DER.generalizedTime,
            let text = String(bytes: bytes[element.content], encoding: .ascii)
        else { return nil }
        var digits = text.hasSuffix("Z") ? String(text.dropLast()) : text
        if let dot = digits.firstIndex(of: ".") { digits = String(digits[..<dot]) }
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let numbers = Array(digits).map { Int(String($0)) ?? 0 }
        func number(_ start: Int, _ count: Int) -> Int {
            numbers[start..<(start + count)].reduce(0) { $0 * 10 + $1 }
        }
        let yearDigits = element.tag == DER.utcTime ? 2 : 4
        guard numbers.count == yearDigits + 8 || numbers.count == yearDigits + 10 else { return nil }
        var year = number(0, yearDigits)
        if yearDigits == 2 { year += year >= 50 ? 1900 : 2000 }
        let seconds = numbers.count == yearDigits + 10 ? number(yearDigits + 8, 2) : 0
        return UTCDate.make(
            year: year, month: number(yearDigits, 2), day: number(yearDigits + 2, 2),
            hour: number(yearDigits + 4, 2), minute: number(yearDigits + 6, 2), second: seconds)
    }

    // MARK: - Extensions

    static let subjectAltNameOID = "2.5.29.17"

    /// Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    private mutating func readExtensions(_ list: DERReader) {
        var list = list
        while let ext = list.next() {
            guard ext.tag == DER.sequence else { continue }
            var parts = list.children(of: ext)
            guard let idElement = parts.next(), idElement.tag == DER.objectIdentifier,
                DER.oid(parts.bytes[idElement.content]) == Self.subjectAltNameOID
            else { continue }
            var value = parts.next()
            if value?.tag == DER.boolean { value = parts.next() }
            guard let octets = value, octets.tag == DER.octetString else { continue }
            hasSubjectAltName = true
            var inner = DERReader(Array(parts.bytes[octets.content]))
            guard let names = inner.next(), names.tag == DER.sequence else { continue }
            var entries = inner.children(of: names)
            while let name = entries.next() {
                let content = Array(entries.bytes[name.content])
                switch name.tag {
                case 0x82:  // [2] dNSName, IA5String
                    if let text = String(bytes: content, encoding: .ascii) { dnsNames.append(text) }
                case 0x87:  // [7] iPAddress, 4 or 16 octets
                    if content.count == 4 || content.count == 16 { ipAddresses.append(content) }
                default: break
                }
            }
        }
    }
}

// MARK: - A minimal DER reader

/// One tag-length-value element: its tag and where its content lies in the reader's bytes.
struct DERElement {
    let tag: UInt8
    let content: Range<Int>
}

/// Reads consecutive DER elements from `bytes[start..<end]`. Only definite lengths and single-byte tags,
/// which is all DER allows in an X.509 certificate; anything else ends the reading.
struct DERReader {
    let bytes: [UInt8]
    private var index: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, 0..<bytes.count)
    }

    private init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    /// A reader over an element's content (its children, for a constructed element).
    func children(of element: DERElement) -> DERReader {
        DERReader(bytes, element.content)
    }

    mutating func next() -> DERElement? {
        guard index + 2 <= end else { return nil }
        let tag = bytes[index]
        guard tag & 0x1F != 0x1F else { return nil }  // multi-byte tag
        var cursor = index + 1
        let first = Int(bytes[cursor])
        cursor += 1
        var length = first
        if first & 0x80 != 0 {
            let count = first & 0x7F
            guard (1...4).contains(count), cursor + count <= end else { return nil }  // 0 = indefinite (BER only)
            length = 0
            for offset in 0..<count { length = length << 8 | Int(bytes[cursor + offset]) }
            cursor += count
        }
        guard length >= 0, length <= end - cursor else { return nil }
        index = cursor + length
        return DERElement(tag: tag, content: cursor..<(cursor + length))
    }
}

/// DER tags and value decoders.
enum DER {
    static let boolean: UInt8 = 0x01
    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let octetString: UInt8 = 0x04
    static let objectIdentifier: UInt8 = 0x06
    static let utcTime: UInt8 = 0x17
    static let generalizedTime: UInt8 = 0x18
    static let sequence: UInt8 = 0x30

    /// A constructed context-specific tag `[n]`.
    static func context(_ number: UInt8) -> UInt8 { 0xA0 | number }

    /// Dotted form of an OBJECT IDENTIFIER's content; nil when malformed.
    static func oid(_ content: ArraySlice<UInt8>) -> String? {
        guard !content.isEmpty else { return nil }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var pending = false
        for byte in content {
            guard value < (1 << 56) else { return nil }  // an arc too long to be real
            value = value << 7 | UInt64(byte & 0x7F)
            pending = byte & 0x80 != 0
            if !pending {
                arcs.append(value)
                value = 0
            }
        }
        guard !pending, let head = arcs.first else { return nil }
        let (root, second): (UInt64, UInt64) = head < 40 ? (0, head) : head < 80 ? (1, head - 40) : (2, head - 80)
        return ([root, second] + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }

    /// Bit length of an unsigned big-endian INTEGER content (leading zero bytes ignored).
    static func unsignedBitLength(_ content: ArraySlice<UInt8>) -> Int {
        guard let firstNonZero = content.firstIndex(where: { $0 != 0 }) else { return 0 }
        let significantBytes = content.endIndex - firstNonZero
        return (significantBytes - 1) * 8 + (8 - content[firstNonZero].leadingZeroBitCount)
    }
}
