/// The probes of this report section, in report order.
let networkProbes: [any Probe] = [
    DNSProbe(),
    TCPProbe(),
    TLSHandshakeProbe(),
    TLSProtocolProbe(),
    TLSCiphersProbe(),
    TLSHostnameProbe(),
    TLSValidityProbe(),
    TLSKeySizeProbe(),
    // After the certificate facts it depends on: an expired or too-weak certificate also fails verification, and
    // that cause is reported once, by tls.validity / tls.key-size (see TLSVerifyCause).
    TLSTrustProbe(),
]
