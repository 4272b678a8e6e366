/// The probes of this report section, in report order.
let groupProbes: [any Probe] = [
    GroupsListProbe(),
    GroupsCountProbe(),
    GroupsFilterProbe(),
    GroupsFilterCaseProbe(),
    GroupsExcludedMembersProbe(),
]
