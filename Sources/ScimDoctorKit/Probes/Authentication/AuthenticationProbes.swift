/// The probes of this report section, in report order.
let authenticationProbes: [any Probe] = [
    AuthRequiredProbe(),
    AuthTokenAcceptedProbe(),
    AuthClockSkewProbe(),
]
