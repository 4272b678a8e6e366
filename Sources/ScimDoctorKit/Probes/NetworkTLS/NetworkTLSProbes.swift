/// The probes of this report section, in report order.
let networkProbes: [any Probe] = [
    DNSProbe(),
    TCPProbe(),
    TLSHandshakeProbe(),
    TLSProtocolProbe(),
    TLSCiphersProbe(),
    TLSTrustProbe(),
    TLSHostnameProbe(),
    TLSValidityProbe(),
    TLSKeySizeProbe(),
]
