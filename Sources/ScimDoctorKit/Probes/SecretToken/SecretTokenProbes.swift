/// The probes of this report section, in report order.
let secretTokenProbes: [any Probe] = [
    TokenFormatProbe(),
    TokenExpiryProbe(),
]
