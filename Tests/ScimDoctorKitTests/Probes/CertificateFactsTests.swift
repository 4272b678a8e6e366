import Foundation
import Testing

@testable import ScimDoctorKit

/// Public, throw-away self-signed test certificates generated with OpenSSL 3.0 for these tests
/// (`openssl req -x509 -newkey …`), subject "CN = scim.example.com, O = scim-doctor test" and SAN
/// "DNS:scim.example.com, DNS:*.scim.example.com, IP:203.0.113.10, IP:2001:db8::10" unless noted.
/// Not before Nov 29 20:40:3x 2026 GMT; not after Nov 26 20:40:3x 2036 GMT unless noted.
enum TestCertificates {
    /// RSA 1024
    static let rsa1024 = TLSExamples.rsa1024PEM

    /// RSA 2048
    static let rsa2048 = TLSExamples.rsa2048PEM

    /// EC P-256 (prime256v1)
    static let ecP256 = TLSExamples.ecP256PEM

    /// EC P-384 (secp384r1)
    static let ecP384 = TLSExamples.ecP384PEM

    /// EC P-521 (secp521r1)
    static let ecP521 = """
        -----BEGIN CERTIFICATE-----
        MIIClDCCAfWgAwIBAgIUHXD/xg80kuTcDKNBW3ypQ/9VbNgwCgYIKoZIzj0EAwIw
        NjEZMBcGA1UEAwwQc2NpbS5leGFtcGxlLmNvbTEZMBcGA1UECgwQc2NpbS1kb2N0
        b3IgdGVzdDAeFw0yNjExMjkyMDQwMzZaFw0zNjExMjYyMDQwMzZaMDYxGTAXBgNV
        BAMMEHNjaW0uZXhhbXBsZS5jb20xGTAXBgNVBAoMEHNjaW0tZG9jdG9yIHRlc3Qw
        gZswEAYHKoZIzj0CAQYFK4EEACMDgYYABADpVLfi3qy7y1wEC/BPTeC0ayt2KeiT
        RBsnT1eLxM1fEONFVgxBvIMqvYgjYlVXQNEYVb6QNHGYM57w+jlaZJ93tAAmy06o
        +ecrmTU1d446/T/idRQ6sugFLwAEXphpO9daB4wuHXCqVE0AW71kvhq7luhBFfZS
        DVXwYXUQKJ97K2KrnqOBnTCBmjAdBgNVHQ4EFgQUOmtA9E/ie/TOlG0XjOd+sGt1
        lSAwHwYDVR0jBBgwFoAUOmtA9E/ie/TOlG0XjOd+sGt1lSAwDwYDVR0TAQH/BAUw
        AwEB/zBHBgNVHREEQDA+ghBzY2ltLmV4YW1wbGUuY29tghIqLnNjaW0uZXhhbXBs
        ZS5jb22HBMsAcQqHECABDbgAAAAAAAAAAAAAABAwCgYIKoZIzj0EAwIDgYwAMIGI
        AkIA0f9jEOE1zhWf8EZiXTQw+UGniViHElSDLnbq5worAZ6AjgHaFcJKo/Lf20uV
        cDeZrhISMd3dSWan3Nk6xfW24MsCQgHpeTZPDZKSIaGcj+urqiWoamPtIIZv9iaO
        Zk+XWF/PbIBRjZM4VR5X37D0FOO4jFIrR4PHnpoF7dHLEqFw9vwomw==
        -----END CERTIFICATE-----
        """

    /// EC P-224 (secp224r1); CN=legacy.example.com, no extensions but the key identifiers
    static let ecP224 = TLSExamples.ecP224PEM

    /// Ed25519; notAfter in 2054, so a GeneralizedTime
    static let ed25519 = TLSExamples.ed25519PEM
}

@Suite("CertificateFacts: the DER reader")
struct CertificateFactsTests {
    @Test(
        "public key type and size, as `openssl x509 -text` reports them",
        arguments: [
            (TestCertificates.rsa1024, CertificateFacts.PublicKey.rsa(bits: 1024)),
            (TestCertificates.rsa2048, .rsa(bits: 2048)),
            (TestCertificates.ecP256, .ec(curve: "P-256", bits: 256)),
            (TestCertificates.ecP384, .ec(curve: "P-384", bits: 384)),
            (TestCertificates.ecP521, .ec(curve: "P-521", bits: 521)),
            (TestCertificates.ecP224, .ec(curve: "P-224", bits: 224)),
            (TestCertificates.ed25519, .other(algorithm: "Ed25519")),
        ])
    func publicKey(pem: String, expected: CertificateFacts.PublicKey) throws {
        let facts = try #require(CertificateFacts(pem: pem))
        #expect(facts.publicKey == expected)
    }

    @Test("validity: UTCTime and GeneralizedTime")
    func validity() throws {
        let rsa = try #require(CertificateFacts(pem: TestCertificates.rsa2048))
        #expect(rsa.notBefore == Date(timeIntervalSince1970: 1_795_984_836))  // 2026-11-29 20:40:36Z
        #expect(rsa.notAfter == Date(timeIntervalSince1970: 2_111_344_836))  // 2036-11-26 20:40:36Z
        let ed = try #require(CertificateFacts(pem: TestCertificates.ed25519))
        #expect(ed.notBefore == Date(timeIntervalSince1970: 1_795_984_838))  // UTCTime 261129204038Z
        #expect(ed.notAfter == Date(timeIntervalSince1970: 2_659_984_838))  // GeneralizedTime 20540416204038Z
    }

    @Test("subjectAltName: DNS names and IP addresses")
    func subjectAltName() throws {
        let facts = try #require(CertificateFacts(pem: TestCertificates.ecP256))
        #expect(facts.hasSubjectAltName)
        #expect(facts.dnsNames == ["scim.example.com", "*.scim.example.com"])
        #expect(
            facts.ipAddresses == [
                [203, 0, 113, 10], [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [0x10],
            ])
        let legacy = try #require(CertificateFacts(pem: TestCertificates.ecP224))
        #expect(!legacy.hasSubjectAltName)
        #expect(legacy.dnsNames.isEmpty && legacy.ipAddresses.isEmpty)
    }

    @Test("PEM framing: surrounding text, a following chain certificate, a bare base64 body")
    func pemFraming() throws {
        let chain = "subject=CN = leaf\n" + TestCertificates.ecP384 + "\n" + TestCertificates.rsa2048 + "\n"
        #expect(CertificateFacts(pem: chain)?.publicKey == .ec(curve: "P-384", bits: 384))
        let bare = TestCertificates.rsa1024.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        #expect(CertificateFacts(pem: bare)?.publicKey == .rsa(bits: 1024))
    }

    @Test("malformed input gives nil, never a crash")
    func malformed() throws {
        #expect(CertificateFacts(pem: "") == nil)
        #expect(CertificateFacts(pem: "not a certificate") == nil)
        #expect(CertificateFacts(pem: "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----") == nil)
        #expect(CertificateFacts(pem: "-----BEGIN CERTIFICATE-----\nMIIB") == nil)
        let der = try #require(CertificateFacts.der(fromPEM: TestCertificates.rsa2048))
        // Every truncation: the outer length no longer fits, so nothing is read.
        for length in 0..<der.count {
            #expect(CertificateFacts(der: Array(der.prefix(length))) == nil)
        }
        // Every single corrupted byte: any answer is fine as long as reading terminates.
        for index in der.indices {
            for value: UInt8 in [0x00, 0x80, 0x84, 0xFF] {
                var corrupted = der
                corrupted[index] = value
                _ = CertificateFacts(der: corrupted)
            }
        }
        // Length fields that claim more than there is, indefinite lengths, multi-byte tags.
        #expect(CertificateFacts(der: [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
        #expect(CertificateFacts(der: [0x30, 0x80, 0x00, 0x00]) == nil)
        #expect(CertificateFacts(der: [0x1F, 0x81, 0x01, 0x00]) == nil)
    }

    @Test("OID and INTEGER decoding")
    func primitives() {
        #expect(DER.oid([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]) == "1.2.840.113549.1.1.1")
        #expect(DER.oid([0x2B, 0x81, 0x04, 0x00, 0x22]) == "1.3.132.0.34")
        #expect(DER.oid([0x55, 0x1D, 0x11]) == "2.5.29.17")
        #expect(DER.oid([0x86]) == nil)
        #expect(DER.oid([]) == nil)
        #expect(DER.unsignedBitLength([0x00, 0x80, 0x00]) == 16)
        #expect(DER.unsignedBitLength([0x01, 0xFF]) == 9)
        #expect(DER.unsignedBitLength([0x00]) == 0)
    }

    @Test("UTC calendar arithmetic")
    func utcDate() {
        #expect(UTCDate.make(year: 2026, month: 6, day: 1, hour: 0, minute: 0, second: 0) == ExampleSetup.defaultNow)
        #expect(
            UTCDate.make(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0)
                == Date(timeIntervalSince1970: 951_782_400))
        #expect(
            UTCDate.make(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59)
                == Date(timeIntervalSince1970: -1))
        #expect(UTCDate.make(year: 2026, month: 13, day: 1, hour: 0, minute: 0, second: 0) == nil)
    }
}
