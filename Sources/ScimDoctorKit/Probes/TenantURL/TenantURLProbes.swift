/// The probes of this report section, in report order.
let tenantURLProbes: [any Probe] = [
    URLSyntaxProbe(),
    URLPasteArtifactsProbe(),
    URLQueryProbe(),
    URLPathProbe(),
    URLExpectedMatchProbe(),
]
