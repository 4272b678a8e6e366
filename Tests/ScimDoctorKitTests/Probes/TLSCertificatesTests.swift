import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Reading libcurl's certificate fields")
struct TLSCertificatesTests {
    @Test(
        "certificate dates in the formats TLS backends print",
        arguments: [
            "Dec 29 20:08:42 2026 GMT", "Dec 29 20:08:42.000 2026 GMT", "dec 29 20:08:42 2026",
            "2026-12-29 20:08:42 GMT",
            "2026-12-29T20:08:42Z", "  Dec 29 20:08:42 2026 GMT  ",
        ])
    func dates(text: String) {
        #expect(CertificateDate.parse(text) == Date(timeIntervalSince1970: 1_798_574_922))
    }

    @Test("a space-padded day, and text that is no date")
    func otherDates() {
        #expect(
            CertificateDate.parse("Jun  1 00:00:00 2026 GMT") == ExampleSetup.defaultNow)
        for text in ["", "?", "Foo 29 20:08:42 2026 GMT", "Dec 29 2026", "2026-12-29", "Dec 32 20:08:42 2026 GMT"] {
            #expect(CertificateDate.parse(text) == nil, "\(text)")
        }
    }

    @Test(
        "the common name in every distinguished-name style",
        arguments: [
            ("CN = localhost, O = X", "localhost"), ("CN=localhost", "localhost"), ("O=X,CN=localhost", "localhost"),
            ("/C=US/O=X/CN=localhost", "localhost"), ("C = US, O = \"Example, Inc.\", CN = R3", "R3"),
            ("commonName = a.example.com", "a.example.com"), ("O = No Name", nil),
            // OpenSSL 3 as libcurl prints it: each byte of non-ASCII UTF-8 and each control character as \XX.
            ("CN = m\\C3\\BCnchen.example, O = \"M\\C3\\BCller, S\\C3\\B6hne & Co\"", "münchen.example"),
            ("CN = \"evil\\1B[31m\"", "evil\u{1B}[31m"), ("CN = a\\,b", "a,b"), ("CN = a\\", "a\\"),
            ("CN = x\\FF", "x\u{FFFD}"),
        ] as [(String, String?)])
    func commonName(subject: String, expected: String?) {
        #expect(DistinguishedName.commonName(subject) == expected)
    }

    @Test("an organisation name with a comma and non-ASCII letters, as OpenSSL 3 escapes them")
    func escapedAttributes() {
        let attributes = DistinguishedName.attributes(#"C = DE, O = "M\C3\BCller, S\C3\B6hne & Co", CN = a.example"#)
        #expect(attributes.map(\.key) == ["C", "O", "CN"])
        #expect(attributes.map(\.value) == ["DE", "Müller, Söhne & Co", "a.example"])
    }

    @Test("subjectAltName text, IPv6 printed expanded and upper-case by OpenSSL")
    func alternativeNames() throws {
        let names = AlternativeNames(
            "DNS:scim.example.com, DNS:*.scim.example.com, IP Address:203.0.113.10, IP Address:2001:DB8:0:0:0:0:0:10, "
                + "email:admin@example.com")
        #expect(names.dns == ["scim.example.com", "*.scim.example.com"])
        let facts = try #require(CertificateFacts(pem: TestCertificates.ecP256))
        #expect(names.ips.map(\.bytes) == facts.ipAddresses)
        #expect(AlternativeNames("").isEmpty)
    }

    @Test("the DER is the fallback when libcurl gives no SAN text")
    func alternativeNamesFromDER() {
        let leaf = CertificateInfo(
            subject: "CN = scim.example.com", issuer: "CN = x", notBefore: "", notAfter: "", subjectAltNames: "",
            pem: TestCertificates.rsa2048)
        #expect(leaf.alternativeNames.dns == ["scim.example.com", "*.scim.example.com"])
        #expect(leaf.alternativeNames.ips.map(\.description) == ["203.0.113.10", "2001:db8:0:0:0:0:0:10"])
        #expect(leaf.publicKeyFacts == .rsa(bits: 2048))
        #expect(leaf.validUntil == Date(timeIntervalSince1970: 2_111_344_836))
    }

    @Test(
        "RFC 6125 host name matching",
        arguments: [
            ("scim.example.com", "scim.example.com", true), ("SCIM.Example.com", "scim.example.COM", true),
            ("scim.example.com.", "scim.example.com", true), ("scim.example.com", "*.example.com", true),
            ("a.b.example.com", "*.example.com", false), ("example.com", "*.example.com", false),
            ("example.com", "*.com", false), ("scim.example.com", "s*.example.com", false),
            ("scim.example.com", "*.*.com", false), ("scim.example.com", "example.com", false),
            ("scim.example.com", "", false),
        ])
    func hostNames(host: String, pattern: String, matches: Bool) {
        #expect(HostNameMatch.matches(host: host, pattern: pattern) == matches)
    }

    @Test(
        "address scopes",
        arguments: [
            ("203.0.113.10", IPAddress.Scope.public), ("8.8.8.8", .public), ("10.0.0.1", .private),
            ("172.16.0.1", .private), ("172.31.255.255", .private), ("172.32.0.1", .public), ("192.168.1.1", .private),
            ("100.64.0.1", .sharedCGNAT), ("100.128.0.1", .public), ("127.0.0.1", .loopback),
            ("169.254.1.1", .linkLocal),
            ("0.0.0.0", .unspecified), ("::1", .loopback), ("[::1]", .loopback), ("fe80::1%eth0", .linkLocal),
            ("fd12:3456::4", .uniqueLocal), ("fc00::1", .uniqueLocal), ("2001:db8::10", .public),
            ("::ffff:10.1.2.3", .private), ("::", .unspecified),
        ])
    func scopes(address: String, scope: IPAddress.Scope) throws {
        #expect(try #require(IPAddress(address)).scope == scope)
    }

    @Test("host names are not addresses")
    func notAddresses() {
        for text in ["scim.example.com", "", "1.2.3", "999.1.1.1", "cafe", "localhost"] {
            #expect(IPAddress(text) == nil, "\(text)")
        }
    }

    @Test("cipher names in IANA form")
    func cipherNames() {
        #expect(
            TLSProbeSupport.ianaCipherName("ECDHE-RSA-AES128-GCM-SHA256") == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        #expect(TLSProbeSupport.ianaCipherName("TLS_AES_256_GCM_SHA384") == "TLS_AES_256_GCM_SHA384")
        #expect(TLSProbeSupport.ianaCipherName("AES128-SHA") == "AES128-SHA (OpenSSL name)")
    }

    /// One dNSName that reads, in libcurl's one-line text, like three entries: made by openssl at test time.
    @Test(
        "subjectAltName comes from the DER: one spoofing dNSName is one name, not an IP and localhost",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func spoofedAlternativeName() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("san-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let spoof = "evil.example, IP Address:127.0.0.1, DNS:localhost"
        let config = """
            [req]
            distinguished_name = dn
            x509_extensions = ext
            prompt = no
            [dn]
            CN = evil.example
            [ext]
            subjectAltName = @alt
            [alt]
            DNS.1 = \(spoof)

            """
        try config.write(to: directory.appendingPathComponent("c.cnf"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.currentDirectoryURL = directory
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem",
            "-out", "c.pem", "-days", "2", "-config", "c.cnf",
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let pem = try String(contentsOf: directory.appendingPathComponent("c.pem"), encoding: .utf8)
        let certificate = CertificateInfo(
            subject: "CN = evil.example", issuer: "CN = evil.example", notBefore: "", notAfter: "",
            subjectAltNames: "DNS:\(spoof)", pem: pem)
        let names = certificate.alternativeNames
        #expect(names.dns == [spoof])
        #expect(names.ips.isEmpty)
        #expect(!names.dns.contains("localhost"))
    }
}
