/// The Entra side (`scim-doctor entra`), in report order: the sections after the SCIM side's, each in the order
/// of the troubleshooting list.
public let entraCatalogue: [any Probe] = [
    EntraPermissionsProbe(), EntraServicePrincipalProbe(), EntraJobProbe(), EntraStatusOnProbe(),
    EntraQuarantineProbe(), EntraFailuresProbe(), EntraTenantURLProbe(), EntraNotificationProbe(),
    EntraTestConnectionProbe(), EntraProvisionOnDemandProbe(),
    EntraUsersMappingProbe(), EntraGroupsMappingProbe(), EntraFlowTypesProbe(), EntraMatchingProbe(),
    EntraScopingFilterProbe(),
    EntraAssignmentsProbe(), EntraGroupSecurityProbe(), EntraNestedGroupsProbe(),
    EntraLogErrorsProbe(),
    EntraInitialCycleProbe(), EntraNextCycleProbe(),
]

/// Every probe of both commands (`list`, `explain`, the example test).
public let everyProbe: [any Probe] = catalogue + entraCatalogue
