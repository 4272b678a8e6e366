/// Every probe, in report order: the sections in the order of `Section`, each section's probes in the order
/// of its `…Probes` array. Explicit rather than discovered: adding a probe is one line in its section's list.
public let catalogue: [any Probe] =
    tenantURLProbes + networkProbes + secretTokenProbes + authenticationProbes + testConnectionProbes
    + userProbes + groupProbes + mappingProbes + userLifecycleProbes + groupLifecycleProbes
