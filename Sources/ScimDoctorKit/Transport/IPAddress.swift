import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address, parsed from text (brackets and a zone such as `%eth0` tolerated).
struct IPAddress: Equatable, CustomStringConvertible {
    /// 4 bytes for IPv4 (IPv4-mapped IPv6 addresses are stored as IPv4), 16 for IPv6.
    let bytes: [UInt8]
    let description: String

    init?(_ text: String) {
        var value = text.trimmingWhitespace()
        if value.hasPrefix("["), value.hasSuffix("]") { value = String(value.dropFirst().dropLast()) }
        if let zone = value.firstIndex(of: "%") { value = String(value[..<zone]) }
        guard !value.isEmpty, value.allSatisfy({ $0.isASCIIHexDigit || $0 == "." || $0 == ":" }) else { return nil }
        if let bytes = Self.parse(value, family: AF_INET, size: 4) {
            self.bytes = bytes
        } else if let bytes = Self.parse(value, family: AF_INET6, size: 16) {
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            self.bytes = mapped ? Array(bytes[12...]) : bytes
        } else {
            return nil
        }
        description = value
    }

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
        description = bytes.count == 4 ? bytes.map(String.init).joined(separator: ".") : Self.format6(bytes)
    }

    private static func parse(_ text: String, family: Int32, size: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let result = buffer.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        return result == 1 ? Array(buffer.prefix(size)) : nil
    }

    /// Plain (uncompressed) hex groups; enough for evidence.
    private static func format6(_ bytes: [UInt8]) -> String {
        stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// Where an address is reachable from, as far as Entra's cloud service is concerned.
    enum Scope: String {
        case `public`
        case `private` = "private"
        case sharedCGNAT = "carrier-grade NAT"
        case uniqueLocal = "unique local"
        case loopback
        case linkLocal = "link-local"
        case unspecified

        /// The Internet can route to it.
        var isPublic: Bool { self == .public }
    }

    var scope: Scope {
        let bytes = self.bytes
        if bytes.count == 4 {
            switch (bytes[0], bytes[1]) {
            case (0, _): return .unspecified
            case (10, _), (172, 16...31), (192, 168): return .private
            case (100, 64...127): return .sharedCGNAT
            case (127, _): return .loopback
            case (169, 254): return .linkLocal
            default: return .public
            }
        }
        if bytes.allSatisfy({ $0 == 0 }) { return .unspecified }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
        if bytes[0] & 0xFE == 0xFC { return .uniqueLocal }  // fc00::/7
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
        return .public
    }
}
