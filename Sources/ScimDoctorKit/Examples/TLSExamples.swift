import Foundation

/// Scripted handshakes and certificates for the Network and TLS probe examples. The PEMs are throw-away
/// self-signed test certificates (CN=scim.example.com, SAN DNS:scim.example.com, DNS:*.scim.example.com,
/// IP:203.0.113.10, IP:2001:db8::10) generated with OpenSSL 3 for these examples; only their keys matter here.
/// Dates are chosen around the fixed example clock, 2026-06-01.
enum TLSExamples {
    // MARK: Routes (which handshake of SharedObservations a connect-only request is)

    /// `tlsHarvest()`: no verification, no version pin.
    static func harvest(_ reply: Reply) -> Route {
        Route.connect(when: { !$0.verify && $0.maxVersion == nil && $0.cipherList == nil }, reply)
    }

    /// `tls12()`: TLS 1.2 only, default ciphers.
    static func tls12(_ reply: Reply) -> Route {
        Route.connect(when: { $0.maxVersion == .tls12 && $0.cipherList == nil }, reply)
    }

    /// `tlsEntraCiphers()`: TLS 1.2 with Entra's eight suites.
    static func entraCiphers(_ reply: Reply) -> Route {
        Route.connect(when: { $0.cipherList != nil }, reply)
    }

    /// `tlsVerified()` (and the check without `--ca-file`).
    static func verified(_ reply: Reply, caFile: Bool? = nil) -> Route {
        Route.connect(when: { $0.verify && (caFile == nil || ($0.caFile != nil) == caFile) }, reply)
    }

    /// Every handshake succeeds with `session`.
    static func healthy(_ session: TLSSession = tls13) -> [Route] {
        [tls12(.handshake(tls12Session(session.certificates))), Route.connect(.handshake(session))]
    }

    // MARK: Sessions

    static let tls13 = TLSSession(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", certificates: chain)

    static func tls12Session(_ certificates: [CertificateInfo] = chain) -> TLSSession {
        TLSSession(version: "TLSv1.2", cipher: "ECDHE-RSA-AES128-GCM-SHA256", certificates: certificates)
    }

    static func session(_ certificates: [CertificateInfo]) -> TLSSession {
        TLSSession(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", certificates: certificates)
    }

    static func handshake(timings: Timings = Timings(nameLookup: 0.004, connect: 0.016, tlsHandshake: 0.048))
        -> Reply
    {
        .response(HTTPResponse(status: 0, primaryIP: "203.0.113.10", tls: tls13, timings: timings))
    }

    // MARK: Certificates

    static let defaultSAN = "DNS:scim.example.com, DNS:www.scim.example.com"

    /// A leaf for scim.example.com valid 2026-01-10 – 2027-01-10, RSA 2048 as libcurl reports it. A leaf with
    /// another SAN text and no PEM given carries none: the sample PEM's DER would contradict the text.
    static func leaf(
        subject: String = "CN = scim.example.com", issuer: String = "C = US, O = Example Trust, CN = Example TLS CA R1",
        notBefore: String = "Jan 10 00:00:00 2026 GMT", notAfter: String = "Jan 10 23:59:59 2027 GMT",
        san: String = defaultSAN, algorithm: String = "rsaEncryption", rsaKeyBits: Int? = 2048, pem: String? = nil
    ) -> CertificateInfo {
        CertificateInfo(
            subject: subject, issuer: issuer, notBefore: notBefore, notAfter: notAfter, subjectAltNames: san,
            publicKeyAlgorithm: algorithm, rsaKeyBits: rsaKeyBits, pem: pem ?? (san == defaultSAN ? rsa2048PEM : ""))
    }

    /// The issuing CA the leaf names, valid 2024–2030.
    static func intermediate(
        notBefore: String = "Mar 13 00:00:00 2024 GMT", notAfter: String = "Mar 12 23:59:59 2030 GMT"
    ) -> CertificateInfo {
        CertificateInfo(
            subject: "C = US, O = Example Trust, CN = Example TLS CA R1",
            issuer: "C = US, O = Example Trust, CN = Example Root CA X1", notBefore: notBefore, notAfter: notAfter,
            publicKeyAlgorithm: "rsaEncryption", rsaKeyBits: 2048)
    }

    static let chain = [leaf(), intermediate()]

    /// A self-signed certificate (subject = issuer), as a test server sends it.
    static let selfSigned = leaf(
        subject: "CN = scim.example.com, O = scim-doctor test", issuer: "CN = scim.example.com, O = scim-doctor test")

    // MARK: Transport errors (libcurl's texts)

    static let refused = TransportError(
        kind: .refused, code: 7,
        message: "Failed to connect to scim.example.com port 443 after 31 ms: Couldn't connect to server")
    static let connectTimeout = TransportError(
        kind: .connectTimeout, code: 28, message: "Connection timed out after 2001 milliseconds")
    static let resolve = TransportError(
        kind: .resolve, code: 6, message: "Could not resolve host: scim.example.com")
    static let handshakeTimeout = TransportError(
        kind: .timeout, code: 28, message: "Operation timed out after 7002 milliseconds with 0 bytes received",
        timings: Timings(connect: 0.02))
    static let plainHTTP = TransportError(
        kind: .tlsHandshake, code: 35, message: "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number",
        timings: Timings(connect: 0.02))
    static let protocolVersion = TransportError(
        kind: .tlsHandshake, code: 35,
        message: "OpenSSL/3.0.19: error:0A00042E:SSL routines::tlsv1 alert protocol version")
    static let handshakeFailure = TransportError(
        kind: .tlsHandshake, code: 35,
        message: "OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 alert handshake failure")
    static let reset = TransportError(
        kind: .tlsHandshake, code: 35, message: "Recv failure: Connection reset by peer")

    static func verify(_ message: String, _ result: Int) -> TransportError {
        TransportError(kind: .tlsVerify, code: 60, message: message, verifyResult: result)
    }

    // MARK: PEMs

    /// RSA 2048 bits.
    static let rsa2048PEM = """
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
    /// RSA 1024 bits.
    static let rsa1024PEM = """
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
    /// EC P-256 (prime256v1).
    static let ecP256PEM = """
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
    /// EC P-384 (secp384r1).
    static let ecP384PEM = """
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
    /// EC P-224 (secp224r1), CN=legacy.example.com, no SAN.
    static let ecP224PEM = """
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
    /// Ed25519, CN=ed.example.com, no SAN.
    static let ed25519PEM = """
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
