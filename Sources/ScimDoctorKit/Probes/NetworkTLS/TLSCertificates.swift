import Foundation

/// Readers over what libcurl reports about a certificate (CURLINFO_CERTINFO with OpenSSL), tolerant of the
/// formats different OpenSSL versions and TLS backends print, with the certificate's DER as a fallback.
extension CertificateInfo {
    /// Facts from the PEM, when libcurl passed one that parses.
    var facts: CertificateFacts? { pem.isEmpty ? nil : CertificateFacts(pem: pem) }

    var subjectCommonName: String? { DistinguishedName.commonName(subject) }

    /// The CN of the subject, else the whole subject: how the report names a certificate.
    var displayName: String { DistinguishedName.display(subject) }
    var issuerDisplayName: String { DistinguishedName.display(issuer) }

    var validFrom: Date? { CertificateDate.parse(notBefore) ?? facts?.notBefore }
    var validUntil: Date? { CertificateDate.parse(notAfter) ?? facts?.notAfter }

    /// DNS and IP entries of the subjectAltName, from the certificate's DER whenever libcurl hands it over: its
    /// one-line text cannot be split safely (a dNSName may itself hold ", IP Address:127.0.0.1, DNS:localhost").
    /// libcurl's text only when there is no certificate to read.
    var alternativeNames: AlternativeNames {
        if let facts {
            guard facts.hasSubjectAltName else { return AlternativeNames(dns: [], ips: []) }
            return AlternativeNames(dns: facts.dnsNames, ips: facts.ipAddresses.compactMap { IPAddress(bytes: $0) })
        }
        return AlternativeNames(subjectAltNames)
    }

    /// The public key: RSA size from libcurl when it gives one; the curve (which libcurl never names) from DER.
    var publicKeyFacts: CertificateFacts.PublicKey? {
        if let facts { return facts.publicKey }
        if let bits = rsaKeyBits, bits > 0 { return .rsa(bits: bits) }
        return nil
    }
}

/// The Subject Alternative Name entries a host name is matched against.
struct AlternativeNames: Equatable {
    var dns: [String]
    var ips: [IPAddress]

    init(dns: [String], ips: [IPAddress]) {
        self.dns = dns
        self.ips = ips
    }

    /// Parses "DNS:localhost, IP Address:127.0.0.1" (also "IP:…"); other entry types (email, URI) are ignored.
    init(_ text: String) {
        var dns: [String] = []
        var ips: [IPAddress] = []
        for entry in text.split(separator: ",") {
            let item = entry.trimmingWhitespace()
            guard let colon = item.firstIndex(of: ":") else { continue }
            let kind = item[..<colon].trimmingWhitespace().lowercased()
            let value = item[item.index(after: colon)...].trimmingWhitespace()
            switch kind {
            case "dns": if !value.isEmpty { dns.append(value) }
            case "ip address", "ip": if let ip = IPAddress(value) { ips.append(ip) }
            default: break
            }
        }
        self.init(dns: dns, ips: ips)
    }

    var isEmpty: Bool { dns.isEmpty && ips.isEmpty }

    /// "DNS:a.example.com, IP:203.0.113.10" for evidence; a name that holds a comma or a space (which no host
    /// name does) is quoted, so it cannot pass for several entries.
    var listing: String {
        let names = dns.map { name in
            name.contains(where: { $0 == "," || $0 == " " || $0 == "\"" })
                ? "DNS:\(PrintableText.quoted(name))" : "DNS:\(name)"
        }
        return (names + ips.map { "IP:\($0)" }).joined(separator: ", ")
    }
}

/// Distinguished names as OpenSSL prints them: "CN = localhost, O = X" (OpenSSL 3), "CN=localhost,O=X"
/// (RFC 2253 style) or "/C=US/O=X/CN=localhost" (the old one-line form).
enum DistinguishedName {
    /// The attribute/value pairs, in printed order. A backslash and two hex digits is one byte of the value (OpenSSL
    /// so prints control characters and each byte of non-ASCII UTF-8: `M\C3\BCller` is "Müller"; RFC 4514 the
    /// same), a backslash before any other character is that character.
    static func attributes(_ text: String) -> [(key: String, value: String)] {
        let bytes = Array(text.trimmingWhitespace().utf8)
        let separators: Set<UInt8> =
            bytes.first == UInt8(ascii: "/") ? [UInt8(ascii: "/")] : [UInt8(ascii: ","), UInt8(ascii: "+")]
        var parts: [String] = []
        var current: [UInt8] = []
        var quoted = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\\"), index < bytes.count {
                if index + 1 < bytes.count, let high = bytes[index].asciiHexValue,
                    let low = bytes[index + 1].asciiHexValue
                {
                    current.append(high << 4 | low)
                    index += 2
                } else {
                    current.append(bytes[index])
                    index += 1
                }
            } else if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted, separators.contains(byte) {
                parts.append(String(decoding: current, as: UTF8.self))
                current = []
            } else {
                current.append(byte)
            }
        }
        parts.append(String(decoding: current, as: UTF8.self))
        return parts.compactMap { part in
            guard let equals = part.firstIndex(of: "=") else { return nil }
            let key = part[..<equals].trimmingWhitespace().uppercased()
            let value = part[part.index(after: equals)...].trimmingWhitespace()
            return key.isEmpty ? nil : (key, value)
        }
    }

    /// The most specific (last) common name.
    static func commonName(_ text: String) -> String? {
        attributes(text).last { $0.key == "CN" || $0.key == "COMMONNAME" }?.value
    }

    static func display(_ text: String) -> String {
        if let name = commonName(text), !name.isEmpty { return name }
        let trimmed = text.trimmingWhitespace()
        return trimmed.isEmpty ? "(empty name)" : trimmed
    }

}

/// Certificate dates as libcurl prints them: "Dec 29 20:08:42 2026 GMT" (OpenSSL, day padded with a space),
/// "2026-12-29 20:08:42 GMT" (other backends), ISO 8601 "2026-12-29T20:08:42Z".
enum CertificateDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        var text = text.trimmingWhitespace()
        if text.first?.isNumber == true {  // ISO 8601: "T" between date and time, "Z" for UTC
            text = text.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " ")
        }
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = tokens.first else { return nil }
        if let month = months.firstIndex(of: first.prefix(3).lowercased()), tokens.count >= 4,
            let day = Int(tokens[1]), let year = Int(tokens[3]), let time = clock(tokens[2])
        {
            return UTCDate.make(
                year: year, month: month + 1, day: day, hour: time.hour, minute: time.minute, second: time.second)
        }
        let date = first.split(separator: "-").compactMap { Int($0) }
        if date.count == 3, tokens.count >= 2, let time = clock(tokens[1]) {
            return UTCDate.make(
                year: date[0], month: date[1], day: date[2], hour: time.hour, minute: time.minute,
                second: time.second)
        }
        return nil
    }

    /// "20:08:42" or "20:08:42.123".
    private static func clock(_ text: String) -> (hour: Int, minute: Int, second: Int)? {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let hour = Int(parts[0]), let minute = Int(parts[1]),
            let second = Int(parts[2].split(separator: ".").first ?? "")
        else { return nil }
        return (hour, minute, second)
    }

    /// Whole days from `from` to `to` (rounded towards zero), for "in 12 days" / "3 days ago".
    static func days(from: Date, to: Date) -> Int {
        Int(to.timeIntervalSince(from) / 86_400)
    }
}

/// Host name matching as RFC 6125 describes it for TLS clients: case-insensitive, a wildcard only as the whole
/// left-most label, standing for exactly one label, never matching a bare public suffix like "*.com".
enum HostNameMatch {
    static func matches(host: String, pattern: String) -> Bool {
        let host = normalize(host)
        let pattern = normalize(pattern)
        guard !host.isEmpty, !pattern.isEmpty else { return false }
        guard pattern.hasPrefix("*.") else { return host == pattern }
        let suffix = pattern.dropFirst(2)
        guard !suffix.contains("*"), suffix.split(separator: ".").count >= 2 else { return false }
        guard let dot = host.firstIndex(of: ".") else { return false }
        let firstLabel = host[..<dot]
        return !firstLabel.isEmpty && host[host.index(after: dot)...] == suffix
    }

    private static func normalize(_ name: String) -> String {
        var lower = name.trimmingWhitespace().lowercased()
        while lower.hasSuffix(".") { lower.removeLast() }
        return lower
    }
}

// MARK: - Shared pieces of the Network and TLS probes

enum TLSProbeSupport {
    static let httpSkip = "http:// URL: no TLS to check"

    /// The reason for skipping a TLS probe on a plain-http Tenant URL; nil for https.
    /// A failure of the TLS the HTTP probes need (they verify as Entra does, so they are skipped after it), with
    /// the next step that shows what they would find: a development CA through --ca-file, or -k.
    static func failure(_ context: ProbeContext, _ finding: String, evidence: [Evidence], fix: String) -> Verdict {
        var fix = fix
        if !context.options.insecure {
            fix +=
                " To see what the other probes find meanwhile, run again with --ca-file <CA.pem> (a development "
                + "CA you trust) or -k (no verification): the HTTP probes then run; Entra itself still verifies."
        }
        return .fail(finding, evidence: evidence, fix: fix)
    }

    static func skipForHTTP(_ context: ProbeContext) throws -> Verdict? {
        try context.requireTenant().scheme == "https" ? nil : .skip(httpSkip)
    }

    /// The certificates the server sent (leaf first), or the verdict explaining why there are none.
    enum Chain {
        case certificates([CertificateInfo])
        case unavailable(Verdict)
    }

    static func harvestedChain(_ context: ProbeContext) async throws -> Chain {
        switch try await context.tlsHarvest() {
        case .failure(let error):
            return .unavailable(
                .skip(
                    "no certificate to read: the TLS handshake failed (see tls.handshake)",
                    evidence: [Evidence.transportError(error)]))
        case .success(let response):
            guard let chain = response.tls?.certificates, !chain.isEmpty else {
                return .unavailable(.skip("the TLS library did not report the server's certificates"))
            }
            return .certificates(chain)
        }
    }

    /// "TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" for evidence.
    static func sessionEvidence(_ session: TLSSession?) -> Evidence {
        guard let session, !session.version.isEmpty || !session.cipher.isEmpty else {
            return Evidence("TLS", "handshake completed (version and cipher not reported)")
        }
        let cipher = session.cipher.isEmpty ? "cipher not reported" : ianaCipherName(session.cipher)
        return Evidence("TLS", "\(session.version.isEmpty ? "version not reported" : session.version), \(cipher)")
    }

    /// OpenSSL's cipher name in IANA form where known (Entra's list uses IANA names); TLS 1.3 names already are.
    static func ianaCipherName(_ name: String) -> String {
        if name.hasPrefix("TLS_") { return name }
        if let suite = EntraTLS.cipherSuites.first(where: { $0.openSSL.caseInsensitiveCompare(name) == .orderedSame }) {
            return suite.iana
        }
        return "\(name) (OpenSSL name)"
    }

    /// "TCP connect 12 ms, TLS handshake 31 ms" from libcurl's cumulative phase times.
    static func timingEvidence(_ timings: Timings, tls: Bool) -> Evidence? {
        var parts: [String] = []
        if timings.connect > 0 { parts.append("TCP connect \(milliseconds(timings.connect - timings.nameLookup))") }
        if tls, timings.tlsHandshake > 0 {
            parts.append("TLS handshake \(milliseconds(timings.tlsHandshake - timings.connect))")
        }
        return parts.isEmpty ? nil : Evidence("timing", parts.joined(separator: ", "))
    }

    static func milliseconds(_ seconds: Double) -> String {
        "\(Int((max(seconds, 0) * 1_000).rounded())) ms"
    }

    /// "10 s", "2.5 s".
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        return milliseconds == 0 ? "\(seconds) s" : "\(Double(seconds) + Double(milliseconds) / 1_000) s"
    }

    /// One line describing a certificate for evidence.
    static func certificateEvidence(_ certificate: CertificateInfo, label: String = "certificate") -> Evidence {
        var text = "subject \(certificate.subject), issuer \(certificate.issuer)"
        if !certificate.notAfter.isEmpty { text += ", valid \(certificate.notBefore) – \(certificate.notAfter)" }
        return Evidence(label, text)
    }
}
