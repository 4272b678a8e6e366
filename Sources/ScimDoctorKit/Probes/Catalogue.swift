/// Every probe, in report order (sections in the order of `Section`, then the order below).
/// Explicit rather than discovered: adding a probe is one line here.
public let catalogue: [any Probe] = [
    // Tenant URL
    URLSyntaxProbe(),
]
