import Foundation

/// What an error code Entra shows (at Test Connection, in a provisioning log, in a quarantine e-mail) means on the
/// SCIM side, and which probes diagnose each likely cause (entra-graph.md §3.2, entra-provisioning.md §6-§7).
/// Gallery apps prefix the app's name (`ContosoEntryConflict`), SCIM apps `SystemForCrossDomainIdentityManagement`:
/// a code is recognised by its suffix. `scim-doctor explain CODE` prints these.
struct EntraCodeExplanation: Sendable {
    struct Cause: Sendable {
        /// The probe that reproduces the cause; nil when no SCIM-side probe can (an Entra-side or load cause).
        let probe: ProbeID?
        let cause: String
    }

    /// The codes (suffixes) this explanation covers.
    let codes: [String]
    let entraSaw: String
    let causes: [Cause]
    /// Microsoft's own remediation text, quoted, when it has one.
    let microsoft: String?
    let sources: [String]
    /// What to change in Entra (portal path), for a code about the provisioning job itself.
    var fix: String? = nil
    /// A code that is also an everyday word (`Active`, `Paused`): recognised only when it is the whole input.
    var wholeInputOnly = false

    static let logs = "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table"
    static let quarantine =
        "Microsoft: Application provisioning in quarantine status (application-provisioning-quarantine-status)"
    static let tutorial =
        "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint (use-scim-to-provision-users-and-groups)"
    static let ecma =
        "Microsoft: Troubleshoot on-premises application provisioning (on-premises-ecma-troubleshoot)"
    static let jobStatus =
        "Microsoft Graph: synchronizationStatus resource type (synchronization-synchronizationstatus)"
    static let quarantineReason =
        "Microsoft Graph: synchronizationQuarantine resource type (synchronization-synchronizationquarantine)"

    /// Texts of Entra's portal banner and quarantine e-mails, each pointing at the code it comes with.
    static let bannerPhrases: [(phrase: String, code: String)] = [
        ("You appear to have entered invalid credentials", EntraErrorCode.credentialValidationUnavailable.rawValue),
        ("An error occurred while sending the request", EntraErrorCode.credentialValidationUnavailable.rawValue),
        ("not able to deserialize the resource", EntraErrorCode.serviceIncompatible.rawValue),
        ("An HTTP/404 Not Found response was returned", EntraErrorCode.serviceIncompatible.rawValue),
        ("unable to parse the response", EntraErrorCode.serviceIncompatible.rawValue),
        ("expects to receive only one user or group", EntraErrorCode.multipleEntriesInResponse.rawValue),
    ]

    static let all: [EntraCodeExplanation] = scimSide + jobAndQuarantine

    /// Every SCIM-side probe an explanation names: what a joined run's Entra verdicts wait for and cite.
    static let scimProbes: [ProbeID] = all.flatMap(\.causes).compactMap(\.probe)
        .reduce(into: []) { found, id in if !found.contains(id) { found.append(id) } }

    /// The provisioning job's status codes (`status.code`) and quarantine reasons (`status.quarantine.reason`), as
    /// Microsoft Graph returns them and the portal shows them (entra-graph.md §2.2, §3.1, §3.1b).
    static let jobAndQuarantine: [EntraCodeExplanation] = [
        EntraCodeExplanation(
            codes: ["NotConfigured"], entraSaw: "the provisioning job has no credentials saved (no authorization)",
            causes: [
                Cause(
                    probe: nil, cause: "Provisioning Mode is not Automatic, or the Admin Credentials were never saved"),
                Cause(probe: "test-connection.users", cause: "the credentials must pass Test Connection before Save"),
            ],
            microsoft: nil, sources: [jobStatus],
            fix: "\(EntraPortal.provisioning): set Provisioning Mode to Automatic, enter the Tenant URL and Secret "
                + "Token under Admin Credentials, select Test Connection, then Save.", wholeInputOnly: true),
        EntraCodeExplanation(
            codes: ["NotRun"],
            entraSaw: "the job is configured (perhaps started) but its first cycle has not completed",
            causes: [
                Cause(
                    probe: nil,
                    cause: "the initial cycle is still running (from about 20 minutes to several hours), or the job "
                        + "was never started")
            ],
            microsoft: nil, sources: [jobStatus],
            fix: "Wait for the initial cycle and watch the provisioning logs; if it never starts, set "
                + "\(EntraPortal.provisioningStatus) to On and Save.", wholeInputOnly: true),
        EntraCodeExplanation(
            codes: ["Active"],
            entraSaw: "the job runs on its cycle (about every 40 minutes): nothing is wrong with the job",
            causes: [
                Cause(probe: nil, cause: "users that do not appear are out of scope or not assigned (Users and groups)")
            ],
            microsoft: nil, sources: [jobStatus], wholeInputOnly: true),
        EntraCodeExplanation(
            codes: ["Paused"], entraSaw: "the job is paused, usually by an admin (its state is kept)",
            causes: [Cause(probe: nil, cause: "Provisioning Status is Off")], microsoft: nil, sources: [jobStatus],
            fix: "Set \(EntraPortal.provisioningStatus) to On and Save (a paused job resumes where it stopped).",
            wholeInputOnly: true),
        EntraCodeExplanation(
            codes: ["Quarantine"],
            entraSaw: "the job is quarantined: high error volume or a critical error (often invalid credentials); it "
                + "runs less often (retries after 6 h, 12 h, 24 h, then daily) and is disabled after four weeks",
            causes: [
                Cause(probe: nil, cause: "the quarantine reason and error code say which (explain them too)"),
                Cause(probe: "auth.token-accepted", cause: "the Secret Token is rejected"),
                Cause(probe: "token.expiry", cause: "the Secret Token has expired"),
                Cause(probe: "test-connection.users", cause: "Entra's test query fails (404, an error, not SCIM)"),
            ],
            microsoft: nil, sources: [jobStatus, quarantine],
            fix: "Fix the cause, then \(EntraPortal.restartProvisioning) (a restart clears the quarantine).",
            wholeInputOnly: true),
        EntraCodeExplanation(
            codes: ["EncounteredQuarantineException"],
            entraSaw: "a critical error: invalid credentials, a Tenant URL that does not work, or a SCIM compliance "
                + "failure such as a 404 on the test query",
            causes: [
                Cause(probe: "auth.token-accepted", cause: "the Secret Token is wrong, expired or revoked"),
                Cause(probe: "token.expiry", cause: "a JWT Secret Token has expired"),
                Cause(probe: "url.path", cause: "the Tenant URL is not the SCIM base"),
                Cause(probe: "test-connection.users", cause: "the test query answers 404 or not like SCIM"),
            ],
            microsoft: "\"invalid credentials were provided. The provisioning service is unable to establish a "
                + "connection\"", sources: [quarantine, quarantineReason],
            fix: "After the fix: Test Connection and Save under Admin Credentials, then "
                + "\(EntraPortal.restartProvisioning)."),
        EntraCodeExplanation(
            codes: ["EncounteredEscrowProportionThreshold"],
            entraSaw: "more than 40 % of the provisioning events failed (evaluated once 5,000 have failed)",
            causes: [
                Cause(
                    probe: nil,
                    cause: "per-user errors: read the most frequent error codes in the provisioning logs and explain "
                        + "each (scim-doctor explain CODE)")
            ],
            microsoft: nil, sources: [quarantine, quarantineReason],
            fix: "Fix the most frequent errors, then \(EntraPortal.restartProvisioning) (it clears the escrows)."),
        EntraCodeExplanation(
            codes: ["EncounteredBaseEscrowThreshold", "EncounteredTotalEscrowThreshold"],
            entraSaw: "too many failed provisioning events; Microsoft describes these only as enum values (its "
                + "absolute caps of 40,000 and 60,000 failures plausibly correspond; unconfirmed)",
            causes: [
                Cause(probe: nil, cause: "per-user errors: the provisioning logs' most frequent error codes")
            ],
            microsoft: nil, sources: [quarantine, quarantineReason],
            fix: "Fix the most frequent errors, then \(EntraPortal.restartProvisioning)."),
        EntraCodeExplanation(
            codes: ["TooManyDeletes"], entraSaw: "the accidental-deletion threshold was reached",
            causes: [
                Cause(probe: nil, cause: "a scope or assignment change took many users out of scope at once")
            ],
            microsoft: nil, sources: [quarantine, quarantineReason],
            fix: "Review the pending deletions in the provisioning logs; allow them on the provisioning page, or undo "
                + "the scope or assignment change; then \(EntraPortal.restartProvisioning)."),
        EntraCodeExplanation(
            codes: ["QuarantinedOnDemand", "QuarantineOnDemand"],
            entraSaw: "Microsoft detected an issue with the application and set the job to quarantine by hand",
            causes: [Cause(probe: nil, cause: "an issue Microsoft detected with the application")],
            microsoft: nil, sources: [quarantine, quarantineReason], fix: "Contact Microsoft support."),
        EntraCodeExplanation(
            codes: ["IngestionInterrupted", "Unknown"], entraSaw: "a quarantine reason Microsoft does not document",
            causes: [Cause(probe: nil, cause: "undocumented: report it verbatim to Microsoft support")],
            microsoft: nil, sources: [quarantineReason], fix: "Contact Microsoft support with the reason as shown.",
            wholeInputOnly: true),
    ]

    /// The SCIM-side codes of provisioning logs and Test Connection.
    static let scimSide: [EntraCodeExplanation] = [
        EntraCodeExplanation(
            codes: ["InvalidCredentials"],
            entraSaw: "the provisioning job (or its quarantine) reports the credentials or the Tenant URL rejected",
            causes: [
                Cause(
                    probe: "auth.token-accepted",
                    cause: "the Secret Token is wrong, expired, revoked or not an admin token"),
                Cause(probe: "token.expiry", cause: "a JWT Secret Token has expired: Entra does not refresh it"),
                Cause(probe: "url.path", cause: "the Tenant URL names a resource (/Users) instead of the SCIM base"),
                Cause(probe: "test-connection.base-path", cause: "the Tenant URL is not the SCIM base path at all"),
            ],
            microsoft: nil, sources: [logs, quarantine]),
        EntraCodeExplanation(
            codes: [EntraErrorCode.credentialValidationFailure.rawValue],
            entraSaw: "Test Connection's query got a bad answer",
            causes: [
                Cause(
                    probe: "test-connection.users",
                    cause: "the filter query answered 400 or an error, e.g. {\"Errors\":{\"description\":"
                        + "\"incomplete_filter\"}} when the matching attribute is not filterable"),
                Cause(probe: "users.filter", cause: "filter=userName eq \"…\" is not supported"),
                Cause(
                    probe: "auth.token-accepted",
                    cause: "the token is rejected (reported in quarantine for invalid credentials; unconfirmed)"),
            ],
            microsoft: nil, sources: [logs, ecma]),
        EntraCodeExplanation(
            codes: [EntraErrorCode.credentialValidationUnavailable.rawValue],
            entraSaw: "Test Connection could not complete its call (\"An error occurred while sending the request\"); "
                + "the portal shows \"You appear to have entered invalid credentials\" with it, also for a rejected token",
            causes: [
                Cause(probe: "net.dns", cause: "the host does not resolve publicly, or only to private addresses"),
                Cause(probe: "net.tcp", cause: "a firewall or the wrong port: the connection does not open"),
                Cause(
                    probe: "tls.handshake",
                    cause: "no TLS on the port, or no TLS 1.2 (see also tls.protocol, tls.ciphers)"),
                Cause(
                    probe: "tls.trust",
                    cause: "the certificate chain is not publicly trusted (see tls.hostname, tls.validity)"),
                Cause(probe: "auth.token-accepted", cause: "the Secret Token is rejected (401/403)"),
                Cause(probe: "test-connection.users", cause: "the query times out or answers 5xx"),
            ],
            microsoft: nil, sources: [ecma, tutorial]),
        EntraCodeExplanation(
            codes: [EntraErrorCode.serviceIncompatible.rawValue],
            entraSaw: "the answer could not be parsed, or had the wrong status (\"unable to parse the response\")",
            causes: [
                Cause(
                    probe: "test-connection.users",
                    cause: "a non-SCIM answer (an HTML or login page) or a 404 for a filter that matches nobody"),
                Cause(
                    probe: "test-connection.groups",
                    cause: "/Groups is missing (a users-only server must answer it too)"),
                Cause(probe: "users.content-type", cause: "responses not labelled application/scim+json"),
                Cause(probe: "url.path", cause: "the Tenant URL ends in a resource, so Entra requests …/Users/Users"),
                Cause(probe: "test-connection.base-path", cause: "the Tenant URL is not the SCIM base path"),
            ],
            microsoft: "\"unable to parse the response … ensure that the SCIM server is compatible with the Microsoft "
                + "Entra SCIM client\"",
            sources: [logs, quarantine]),
        EntraCodeExplanation(
            codes: [EntraErrorCode.multipleEntriesInResponse.rawValue],
            entraSaw: "more than one resource for a filter, or members returned despite excludedAttributes=members",
            causes: [
                Cause(probe: "users.filter", cause: "the filter is ignored: every user comes back"),
                Cause(probe: "users.filter-case", cause: "letter case handled so that several users match"),
                Cause(probe: "groups.filter", cause: "the displayName filter is ignored"),
                Cause(probe: "groups.excluded-members", cause: "members returned although excluded"),
            ],
            microsoft: "\"The system expects to receive only one user or group in the response.\"", sources: [logs]),
        EntraCodeExplanation(
            codes: ["EntryConflict", "Conflict"],
            entraSaw: "a create collided with an existing object (409)",
            causes: [
                Cause(
                    probe: "users.filter-case", cause: "userName is compared case-sensitively, so the match is missed"),
                Cause(probe: "user-lifecycle.filter", cause: "the new user is not found by userName or id"),
                Cause(probe: "user-lifecycle.disable", cause: "disabled users are hidden from filter queries"),
                Cause(
                    probe: "user-lifecycle.duplicate", cause: "the server's uniqueness rule differs from Entra's match"),
            ],
            microsoft: "\"Correct the conflicting attribute values … Or, review your matching attribute configuration "
                + "if the conflicting user account was supposed to be matched and taken over.\"",
            sources: [logs]),
        EntraCodeExplanation(
            codes: ["DuplicateTargetEntries"],
            entraSaw: "more than one object in the application matched",
            causes: [Cause(probe: "users.filter", cause: "several users share the matching attribute's value")],
            microsoft: nil, sources: [logs]),
        EntraCodeExplanation(
            codes: ["InvalidAnchor"],
            entraSaw: "an object Entra created or matched earlier no longer exists",
            causes: [
                Cause(
                    probe: "user-lifecycle.read-back",
                    cause: "the server deleted or re-created the user: its id changed")
            ],
            microsoft: "restart the provisioning job so that it matches the objects again", sources: [logs]),
        EntraCodeExplanation(
            codes: [
                "SchemaAttributeNotFound", "UnprocessableEntity", "NotImplemented", "SchemaPropertyCanOnlyAcceptValue",
            ],
            entraSaw: "the application refused an attribute or an operation",
            causes: [
                Cause(
                    probe: "mappings.user-attributes", cause: "a mapping targets an attribute the server does not have"),
                Cause(
                    probe: "mappings.group-attributes", cause: "a group mapping targets an attribute the server lacks"),
                Cause(probe: "user-lifecycle.create", cause: "Entra's create body is refused"),
                Cause(probe: "user-lifecycle.patch", cause: "a PATCH form Entra sends is not supported"),
            ],
            microsoft: "\"unexpected response … configuration … might not be correct\"", sources: [logs]),
        EntraCodeExplanation(
            codes: ["MandatoryFieldsMissing", "MissingValues"],
            entraSaw: "an attribute the application requires was empty",
            causes: [
                Cause(
                    probe: "mappings.user-attributes",
                    cause: "the server requires an attribute whose Entra source is empty (Entra sends no nulls)")
            ],
            microsoft: nil, sources: [logs]),
        EntraCodeExplanation(
            codes: ["InsufficientRights", "MethodNotAllowed", "NotPermitted", "Unauthorized"],
            entraSaw: "Entra authenticated but was not authorized for the change",
            causes: [
                Cause(probe: "auth.token-accepted", cause: "the token lacks admin / provisioning rights"),
                Cause(probe: "user-lifecycle.patch", cause: "the endpoint forbids PATCH"),
                Cause(probe: "user-lifecycle.disable", cause: "disabling (active false) is refused"),
                Cause(probe: "user-lifecycle.delete", cause: "the endpoint forbids DELETE"),
            ],
            microsoft: "\"authenticated … but wasn't authorized to perform the update\"", sources: [logs]),
        EntraCodeExplanation(
            codes: ["TooManyRequests"],
            entraSaw: "the application answered 429",
            causes: [
                Cause(
                    probe: nil,
                    cause:
                        "the server's rate limit (Microsoft expects gallery apps to sustain 25 requests per second); "
                        + "scim-doctor does not probe load")
            ],
            microsoft: "\"There's nothing to do. This attempt is automatically retired.\" (sic)", sources: [logs]),
        EntraCodeExplanation(
            codes: ["Timeout", "WebExceptionProtocolError", "InternalServerError"],
            entraSaw: "a slow answer, a protocol error or a 5xx",
            causes: [
                Cause(probe: "net.tcp", cause: "the connection does not open in time"),
                Cause(probe: "test-connection.users", cause: "the query is slow or answers 5xx"),
                Cause(probe: "users.list", cause: "listing or paging breaks the server"),
                Cause(probe: "user-lifecycle.create", cause: "writes fail (the lifecycle probes, with --allow-writes)"),
            ],
            microsoft: "\"automatically retried in 40 minutes\"", sources: [logs]),
        EntraCodeExplanation(
            codes: ["ImportSkipped"],
            entraSaw: "the matching attribute is missing on the source user in Entra",
            causes: [Cause(probe: nil, cause: "Entra's data, not the SCIM endpoint: give the user a value")],
            microsoft: nil, sources: [logs]),
        EntraCodeExplanation(
            codes: ["EntrySynchronizationSkipped", "RedundantExport"],
            entraSaw: "the user is out of scope, or already in sync",
            causes: [Cause(probe: nil, cause: "no SCIM-side cause: check scope and assignments in Entra")],
            microsoft: nil, sources: [logs]),
        EntraCodeExplanation(
            codes: ["InternalError"], entraSaw: "an error of Entra's provisioning service",
            causes: [Cause(probe: nil, cause: "no SCIM-side cause")], microsoft: nil, sources: [logs]),
        EntraCodeExplanation(
            codes: ["LicenseLimitExceeded", "InvalidDomain"],
            entraSaw: "a business rule of the application refused the user",
            causes: [Cause(probe: nil, cause: "the application's licences or its allowed e-mail domains")],
            microsoft: nil, sources: [logs]),
    ]

    /// The explanations a pasted text names: by code (as a suffix of a word, so `ContosoEntryConflict` is
    /// EntryConflict) or by a phrase of Entra's banner; the longest matching code wins for each word.
    static func matching(_ text: String) -> [(code: String, explanation: EntraCodeExplanation)] {
        var found: [(code: String, explanation: EntraCodeExplanation)] = []
        func add(_ word: String, _ explanation: EntraCodeExplanation) {
            if !found.contains(where: { $0.explanation.codes == explanation.codes }) {
                found.append((word, explanation))
            }
        }
        let lowered = text.lowercased()
        let whole = text.trimmingWhitespaceAndNewlines().lowercased()
        if let exact = all.first(where: { $0.codes.contains { $0.lowercased() == whole } }) {
            return [(text.trimmingWhitespaceAndNewlines(), exact)]
        }
        for word in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let candidates = all.filter { !$0.wholeInputOnly }
                .flatMap { explanation in explanation.codes.map { (code: $0, explanation) } }
                .filter { word.lowercased().hasSuffix($0.code.lowercased()) }
            if let best = candidates.max(by: { $0.code.count < $1.code.count }) { add(String(word), best.1) }
        }
        for (phrase, code) in bannerPhrases where lowered.contains(phrase.lowercased()) {
            if let explanation = all.first(where: { $0.codes.contains(code) }) { add(code, explanation) }
        }
        return found
    }
}
