/// The probes of this report section, in report order (write mode: they run only with --allow-writes).
let groupLifecycleProbes: [any Probe] = [
    GroupLifecycleCreateProbe(),
    GroupLifecycleDuplicateProbe(),
    GroupLifecycleFilterProbe(),
    GroupLifecycleMembersProbe(),
    GroupLifecycleRenameProbe(),
    GroupLifecycleDeleteProbe(),
]
