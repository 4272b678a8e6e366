import Foundation
import Testing

@testable import ScimDoctorKit

/// Public, throw-away self-signed test certificates generated with OpenSSL 3.0 for these tests
/// (`openssl req -x509 -newkey …`), subject "CN = scim.example.com, O = scim-doctor test" and SAN
/// "DNS:scim.example.com, DNS:*.scim.example.com, IP:203.0.113.10, IP:2001:db8::10" unless noted.
/// Not before Nov 29 20:40:3x 2026 GMT; not after Nov 26 20:40:3x 2036 GMT unless noted.
enum TestCertificates {
    /// RSA 1024
    static let rsa1024 = """
        -----BEGIN CERTIFICATE-----
        MIICkzCCAfygAwIBAgIUMTDrP9IlyLI2+UTiDEHIdlABEo4wDQYJKoZIhvcNAQEL
        BQAwNjEZMBcGA1UEAwwQc2NpbS5leGFtcGxlLmNvbTEZMBcGA1UECgwQc2NpbS1k
        b2N0b3IgdGVzdDAeFw0yNjExMjkyMDQwMzVaFw0zNjExMjYyMDQwMzVaMDYxGTAX
        BgNVBAMMEHNjaW0uZXhhbXBsZS5jb20xGTAXBgNVBAoMEHNjaW0tZG9jdG9yIHRl
        c3QwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBAL9d/351K1+4BZ/Om99aMXyb
        r1DL41B+E+1LY/5Li1EK3sPOzoyNQdBgKiIKfx9KoM3WpFIdjlIPjrM+QKnFlYct
        eJMhoONMBPCUHtfMIWS/8mzQesjJ+zIjbvNUgfldXIh3aIip63ZFKQuh2Agt+Mva
        rAESY9tPXhayirHX8m25AgMBAAGjgZ0wgZowHQYDVR0OBBYEFLqKBfadcpP4HGkH
        tN4yAkUrEVW1MB8GA1UdIwQYMBaAFLqKBfadcpP4HGkHtN4yAkUrEVW1MA8GA1Ud
        EwEB/wQFMAMBAf8wRwYDVR0RBEAwPoIQc2NpbS5leGFtcGxlLmNvbYISKi5zY2lt
        LmV4YW1wbGUuY29thwTLAHEKhxAgAQ24AAAAAAAAAAAAAAAQMA0GCSqGSIb3DQEB
        CwUAA4GBAE7UIYMF4hVhgcYegFTX3vCryahJDcpKip0R8MXCtLLXNK4HHsLcIqL/
        R1ko35qIHILURtHhMAENpNI0JtjYP8PycmxEvfl3wFTKvQrVKF0HOOjIrtBQjHyz
        VxeBrxsX4yz7nE4uOmFy1ETL2VDX84QwWtdIx4LpfBXTu7i7CowK
        -----END CERTIFICATE-----
        """

    /// RSA 2048
    static let rsa2048 = """
        -----BEGIN CERTIFICATE-----
        MIIDmDCCAoCgAwIBAgIURbJwNzcUGHFDiffjnCrWBIJoIEUwDQYJKoZIhvcNAQEL
        BQAwNjEZMBcGA1UEAwwQc2NpbS5leGFtcGxlLmNvbTEZMBcGA1UECgwQc2NpbS1k
        b2N0b3IgdGVzdDAeFw0yNjExMjkyMDQwMzZaFw0zNjExMjYyMDQwMzZaMDYxGTAX
        BgNVBAMMEHNjaW0uZXhhbXBsZS5jb20xGTAXBgNVBAoMEHNjaW0tZG9jdG9yIHRl
        c3QwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCwTo4zRvTcmlQ/1JQO
        GtItjL20Ly7jhHhG1cqe2pe71pMjwVSmHbYp+vOh2Al2nd6X4nYIiDj+mV5/ed2y
        EEOtdXuVsam4ah0h9NfUmxjZ2Tty6DYbkOasn38Drw/H+zBx6TFNFw62VxkN+B6j
        avtpoTl2uVAv3dEutr81F1UWDlrOj4S7e4TmaumtL7M6/ftpbQp7uBJya/NHjXHR
        Q6wUDq4/i0jnL+/FNc9v/0l4M5O4sTEvEOP35OVJhQ9JOiYkXaxYOOf2QpsZp4/2
        ClnsAgd8W3T35yCvCkCWmNTjGbecY0BCK8NrkM3ncrLlctrf8EZhZGjLCKjTbf8Z
        OAD7AgMBAAGjgZ0wgZowHQYDVR0OBBYEFH2MTPLg31VT9qxICMdJfrqIJnkpMB8G
        A1UdIwQYMBaAFH2MTPLg31VT9qxICMdJfrqIJnkpMA8GA1UdEwEB/wQFMAMBAf8w
        RwYDVR0RBEAwPoIQc2NpbS5leGFtcGxlLmNvbYISKi5zY2ltLmV4YW1wbGUuY29t
        hwTLAHEKhxAgAQ24AAAAAAAAAAAAAAAQMA0GCSqGSIb3DQEBCwUAA4IBAQAOly1o
        L3R+E+0JKYql97Kh7k1Uads1DKm5zmidxPaQnfuDTJulDu1PGGTTMMredTdKmBRQ
        6VOFzl/wrtnarPP8Rh6IP1GoTaz1WuJFjQIA9X56Jm6i05XPWafUfrBIzW+b0Ak7
        X1OWlSMhS38+fFdaR00bh+4v9Z8oU7nvahpqExiYgmTrjQJZnpNcWTHWhrU7TYiw
        LWD17IVpE9UELrjUOdRbIfY28d9dgJQSxvA7jtg1bVGlNoWgJDB1dZZvocdjKRWa
        +FvYVQ0Spel1HsjN7afPrbyz/hUw5FRWoe6WhD1VRd/51pehxIH9F7RXI8qyYLln
        N8279VSf7IWzOrJC
        -----END CERTIFICATE-----
        """

    /// EC P-256 (prime256v1)
    static let ecP256 = """
        -----BEGIN CERTIFICATE-----
        MIICCzCCAbKgAwIBAgIUE2RGhz1M6EJd5oh1HSQ7nDIXIwMwCgYIKoZIzj0EAwIw
        NjEZMBcGA1UEAwwQc2NpbS5leGFtcGxlLmNvbTEZMBcGA1UECgwQc2NpbS1kb2N0
        b3IgdGVzdDAeFw0yNjExMjkyMDQwMzZaFw0zNjExMjYyMDQwMzZaMDYxGTAXBgNV
        BAMMEHNjaW0uZXhhbXBsZS5jb20xGTAXBgNVBAoMEHNjaW0tZG9jdG9yIHRlc3Qw
        WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARfloxNEByZrF7Ejp9CPHvKBQfKQs3a
        gP0Ear+c/SptjcxslJWgSF9Pe76PYC8grodhXWNs8/2tqH+vLe9AUw3do4GdMIGa
        MB0GA1UdDgQWBBTHvYRzGYAzLWbXBvQuqlHgRBp9bzAfBgNVHSMEGDAWgBTHvYRz
        GYAzLWbXBvQuqlHgRBp9bzAPBgNVHRMBAf8EBTADAQH/MEcGA1UdEQRAMD6CEHNj
        aW0uZXhhbXBsZS5jb22CEiouc2NpbS5leGFtcGxlLmNvbYcEywBxCocQIAENuAAA
        AAAAAAAAAAAAEDAKBggqhkjOPQQDAgNHADBEAiA29zXkxxpXQGs4NubalqHJTftI
        //PM1qpwgJvfN3MpdAIgVbiGLtNENtMMYFmHcy8aADVD6JEhAY6DZ8uBt8as/aY=
        -----END CERTIFICATE-----
        """

    /// EC P-384 (secp384r1)
    static let ecP384 = """
        -----BEGIN CERTIFICATE-----
        MIICSDCCAc+gAwIBAgIUJxwIsajV8UXS8oDzoi7/7twm49wwCgYIKoZIzj0EAwIw
        NjEZMBcGA1UEAwwQc2NpbS5leGFtcGxlLmNvbTEZMBcGA1UECgwQc2NpbS1kb2N0
        b3IgdGVzdDAeFw0yNjExMjkyMDQwMzZaFw0zNjExMjYyMDQwMzZaMDYxGTAXBgNV
        BAMMEHNjaW0uZXhhbXBsZS5jb20xGTAXBgNVBAoMEHNjaW0tZG9jdG9yIHRlc3Qw
        djAQBgcqhkjOPQIBBgUrgQQAIgNiAAQRwWnS2I0XiZQrr07oWaXM16yU1qMBiYQK
        cWWcMJipYNUcCC69fqZGBTjdOTJA8BR34N2VmKDxeQbbwNG4BdjO0aqiXBK0UsFP
        BFvtC36Ulsot+LI3Jic83RVssH0Sn7OjgZ0wgZowHQYDVR0OBBYEFLaHQU7PTIAb
        iTYdAP6QzkKP4XUwMB8GA1UdIwQYMBaAFLaHQU7PTIAbiTYdAP6QzkKP4XUwMA8G
        A1UdEwEB/wQFMAMBAf8wRwYDVR0RBEAwPoIQc2NpbS5leGFtcGxlLmNvbYISKi5z
        Y2ltLmV4YW1wbGUuY29thwTLAHEKhxAgAQ24AAAAAAAAAAAAAAAQMAoGCCqGSM49
        BAMCA2cAMGQCMQDCfZq39tOM+tVqFAVOjiCNiSD2n5+Fr9wNDAbUgZGwHOAYJV3n
        S7t1WL7A3iGzRoACLzF0AHGJn3Bup9RoUyuVVKW+jTqXyO4goYgzR82Pc9IljCX0
        lWWheWO1TYiz3wgf
        -----END CERTIFICATE-----
        """

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
    static let ecP224 = """
        -----BEGIN CERTIFICATE-----
        MIIBfTCCASqgAwIBAgIUfvmyVdl8LpX8fa3/GyhpkcqNYqgwCgYIKoZIzj0EAwIw
        HTEbMBkGA1UEAwwSbGVnYWN5LmV4YW1wbGUuY29tMB4XDTI2MTEyOTIwNDAzNloX
        DTM2MTEyNjIwNDAzNlowHTEbMBkGA1UEAwwSbGVnYWN5LmV4YW1wbGUuY29tME4w
        EAYHKoZIzj0CAQYFK4EEACEDOgAEp66PsvI29DJ7r1+5YDod1CjbqAjuNGVtGVnG
        iLT43jm0qcXHl/Z0GIfzyJv/sXj7ZUpVZI7itLKjUzBRMB0GA1UdDgQWBBRjsBYd
        stLXr9wNnWYtgGsOljCC7jAfBgNVHSMEGDAWgBRjsBYdstLXr9wNnWYtgGsOljCC
        7jAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0EAMD4CHQC7ddoEXXUfzChZ
        rXgcDeU1jRO6sMJdACKGu0vbAh0A7ssSK2JcscyGBYhFmZl5DmshCzV7LAXYxndW
        nw==
        -----END CERTIFICATE-----
        """

    /// Ed25519; notAfter in 2054, so a GeneralizedTime
    static let ed25519 = """
        -----BEGIN CERTIFICATE-----
        MIIBSDCB+6ADAgECAhRae1AHDWiOyxXKVVk3SWRagx+NljAFBgMrZXAwGTEXMBUG
        A1UEAwwOZWQuZXhhbXBsZS5jb20wIBcNMjYxMTI5MjA0MDM4WhgPMjA1NDA0MTYy
        MDQwMzhaMBkxFzAVBgNVBAMMDmVkLmV4YW1wbGUuY29tMCowBQYDK2VwAyEAl/Hc
        gUnYsgezW4a3REPqnz2IQkI87xoNJVxHfhJUO72jUzBRMB0GA1UdDgQWBBRSw4oh
        HnR4gx51gaTC+YEI6N1RmjAfBgNVHSMEGDAWgBRSw4ohHnR4gx51gaTC+YEI6N1R
        mjAPBgNVHRMBAf8EBTADAQH/MAUGAytlcANBAJA2VR/fsMOZMFytd2lDZVjzgp5M
        kJE9sEKZLxYSXi9KCUMZRhUOUtnnl83IswPr1tLfR1P6K6C3XenexCqIcQk=
        -----END CERTIFICATE-----
        """
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
