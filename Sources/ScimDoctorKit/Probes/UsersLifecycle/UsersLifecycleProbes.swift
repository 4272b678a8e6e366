/// The probes of this report section, in report order (write mode: they run only with --allow-writes).
let userLifecycleProbes: [any Probe] = [
    UserLifecycleCreateProbe(),
    UserLifecycleReadBackProbe(),
    UserLifecycleDuplicateProbe(),
    UserLifecycleFilterProbe(),
    UserLifecyclePatchProbe(),
    UserLifecycleManagerProbe(),
    UserLifecycleManagerQueryProbe(),
    UserLifecycleDisableProbe(),
    UserLifecycleDeleteProbe(),
]
