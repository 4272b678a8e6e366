/// The probes of this report section, in report order.
let networkProbes: [any Probe] = [
]
