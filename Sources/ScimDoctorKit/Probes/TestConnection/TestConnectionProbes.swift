/// The probes of this report section, in report order.
let testConnectionProbes: [any Probe] = [
    TestConnectionUsersProbe(),
    TestConnectionGroupsProbe(),
    TestConnectionBasePathProbe(),
]
