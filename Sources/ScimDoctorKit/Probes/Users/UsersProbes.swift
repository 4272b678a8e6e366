/// The probes of this report section, in report order.
let userProbes: [any Probe] = [
    UsersListProbe(),
    UsersCountProbe(),
    UsersFilterProbe(),
    UsersFilterCaseProbe(),
    UsersFilterExternalIdProbe(),
    UsersContentTypeProbe(),
]
