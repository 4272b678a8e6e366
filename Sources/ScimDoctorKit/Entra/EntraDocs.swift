import Foundation

/// Where Microsoft publishes the documents the probes cite: a source names a page by its file name (the slug in
/// parentheses, as in MicrosoftDocs/entra-docs), and learn.microsoft.com serves it under its area.
enum EntraDocs {
    /// The slugs cited, by the folder of docs/identity/ they live in (app-provisioning unless listed).
    private static let areas: [String: String] = [
        "howto-analyze-provisioning-logs": "monitoring-health",
        "app-gallery-user-provisioning-requirements": "enterprise-apps",
    ]
    private static let appProvisioning: Set<String> = [
        "use-scim-to-provision-users-and-groups", "application-provisioning-config-problem-scim-compatibility",
        "how-provisioning-works", "customize-application-attributes", "application-provisioning-quarantine-status",
        "on-premises-ecma-troubleshoot", "known-issues", "provision-on-demand", "scim-validator-tutorial",
        "application-provisioning-config-problem", "application-provisioning-config-problem-no-users-provisioned",
        "accidental-deletions", "application-provisioning-when-will-provisioning-finish-specific-user",
        "skip-out-of-scope-deletions",
    ]
    /// Microsoft's SCIM reference code and validation tests (AzureAD/SCIMReferenceCode on GitHub).
    static let scimReferenceCode = "https://github.com/AzureAD/SCIMReferenceCode"

    /// Microsoft Graph's resource pages cited (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0).
    private static let graphResources: Set<String> = [
        "synchronization-synchronizationstatus", "synchronization-synchronizationquarantine",
        "synchronization-synchronizationschedule", "synchronization-synchronizationjob", "synchronization-overview",
        "synchronization-objectmapping", "synchronization-attributemapping",
        "synchronization-synchronizationsecretkeystringvaluepair", "synchronization-synchronizationtaskexecution",
    ]
    /// Microsoft Graph's API pages cited (api-reference/v1.0/api).
    private static let graphAPIs: Set<String> = [
        "serviceprincipal-list", "synchronization-synchronization-list-jobs", "serviceprincipal-list-approleassignedto",
        "provisioningobjectsummary-list", "synchronization-synchronizationschema-get", "group-get",
    ]

    /// The published page of a slug; nil for one this table does not know.
    static func url(slug: String) -> String? {
        if graphResources.contains(slug) { return "https://learn.microsoft.com/graph/api/resources/\(slug)" }
        if graphAPIs.contains(slug) { return "https://learn.microsoft.com/graph/api/\(slug)" }
        let area = areas[slug] ?? (appProvisioning.contains(slug) ? "app-provisioning" : nil)
        return area.map { "https://learn.microsoft.com/entra/identity/\($0)/\(slug)" }
    }
}
