/// The probes of this report section, in report order.
let mappingProbes: [any Probe] = [
    UserAttributesProbe(),
    GroupAttributesProbe(),
]
