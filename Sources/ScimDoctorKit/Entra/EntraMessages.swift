import Foundation

/// What Microsoft says, quoted once: the texts Entra shows or Microsoft's documents state, that findings cite as
/// evidence. A probe's own words stay with the probe; these are facts several probes share.
enum EntraMessages {
    /// Microsoft's gallery requirement for a query that matches nothing (GALREQ).
    static let emptyResultQuote =
        "\"Return a successful response with zero results when a query doesn't match a user. "
        + "Don't return a bad request.\" (Microsoft, gallery provisioning requirements)"
    /// What Entra reports for an HTML answer (quarantine text, 3rd-party report SNIPE-14138).
    static let deserializeQuote =
        "\"We are not able to deserialize the resource received from your SCIM endpoint because your SCIM endpoint "
        + "is not fully compatible with the Azure Active Directory SCIM client. Here is the resource we received "
        + "from your SCIM endpoint: …\" (\(EntraErrorCode.serviceIncompatible))"
    /// What Entra reports for a 404 on its test query (quarantine e-mail, SNIPE-11913).
    static let notFoundQuote =
        "\"An HTTP/404 Not Found response was returned rather than the expected HTTP/200 OK response.\" "
        + "(\(EntraErrorCode.serviceIncompatible))"

    /// The last words of every report: the cycle, and how to retest without waiting for it.
    static let changesTakeTime =
        "Changes take time: Entra provisions on a cycle of about 40 minutes. After a fix, use Test Connection for the "
        + "credentials, then Provision on demand to retest one user at once instead of waiting for the next cycle."

    /// What Entra shows for a rejected token at Test Connection.
    static let invalidCredentials =
        "\"You appear to have entered invalid credentials. Please confirm you are using the correct information for "
        + "an administrative account.\" Error code: \(EntraErrorCode.credentialValidationUnavailable)"
    /// What Entra reports when a request gets no answer.
    static let sendingFailed =
        "\(EntraErrorCode.credentialValidationUnavailable): \"An error occurred while sending the request\""
}

/// The SCIM-side error codes Entra shows at Test Connection and in provisioning logs
/// (entra-graph.md §3.2, entra-provisioning.md §6), spelled once.
enum EntraErrorCode: String, Sendable, CaseIterable, CustomStringConvertible {
    case credentialValidationUnavailable = "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable"
    case credentialValidationFailure = "SystemForCrossDomainIdentityManagementCredentialValidationFailure"
    case serviceIncompatible = "SystemForCrossDomainIdentityManagementServiceIncompatible"
    case multipleEntriesInResponse = "SystemForCrossDomainIdentityManagementMultipleEntriesInResponse"
    case invalidCredentials = "SystemForCrossDomainIdentityManagementInvalidCredentials"
    case entryConflict = "SystemForCrossDomainIdentityManagementEntryConflict"

    var description: String { rawValue }
}
