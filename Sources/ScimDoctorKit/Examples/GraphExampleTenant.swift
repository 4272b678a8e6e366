import Foundation

/// A scripted Microsoft Graph for the Entra probes' examples, in the shapes Microsoft documents
/// (entra-graph.md §2): one SCIM application with a healthy job, both mappings enabled, assigned-only scope with
/// one user and one security group assigned, and a quiet week of provisioning logs. Each example changes one thing.
public struct GraphExampleTenant: Sendable {
    public static let spID = "8e881353-1735-45af-af21-ee1344582a4d"
    public static let appID = "219561ee-1480-4c67-9aa6-63d861fae3ef"
    public static let jobID = "scim.ff8bf889e03141ac8f7baedb059892ee.219561ee-1480-4c67-9aa6-63d861fae3ef"
    public static let groupID = "5e6c9ae1-2b1f-4c1e-9d7a-0b7d3f1e2a44"
    public static let tenant = "contoso.onmicrosoft.com"
    static let graph = "https://graph.microsoft.com"
    static let sp = "/v1.0/servicePrincipals/\(spID)"

    public var servicePrincipals: [String] = [Self.servicePrincipal()]
    public var jobs: [String] = [Self.job()]
    public var userMapping: String? = Self.mapping("User", SchemaURN.enterpriseUser)
    public var groupMapping: String? = Self.mapping("Group", SchemaURN.group)
    public var secrets: [(String, String)] = [
        ("BaseAddress", ExampleSetup.defaultTenantURL), ("SecretToken", "*"),
        ("SyncAll", "false"),
        (
            "SyncNotificationSettings",
            #"{\"Enabled\":true,\"Recipients\":\"it-ops@contoso.com\",\"DeleteThresholdEnabled\":true,\"DeleteThresholdValue\":500}"#
        ),
    ]
    public var assignments: [String] = [
        Self.assignment("cdb555e3-b33e-4fd5-a427-17fadacbdfa7", "User", "Alan Turing"),
        Self.assignment(Self.groupID, "Group", "Engineering"),
    ]
    public var groupSecurityEnabled = true
    public var groupMembers: [String] = [
        ##"{"@odata.type":"#microsoft.graph.user","id":"cdb555e3-b33e-4fd5-a427-17fadacbdfa7","displayName":"Alan Turing"}"##
    ]
    public var events: [String] = [Self.event(status: "success", code: "")]
    /// Reads answered with this status and Graph's error body instead: "sp", "jobs", "schema", "secrets",
    /// "assignments", "groups", "logs".
    public var refused: [String: (status: Int, code: String)] = [:]
    /// The token's delegated permissions (`scp`), and its audience.
    public var scopes = GraphPermission.readOnly
    public var audience = "https://graph.microsoft.com"

    public init() {}

    /// The example: `scim-doctor entra --tenant contoso.onmicrosoft.com --app-id …` against this Graph.
    public func setup(expectedURL: String? = nil, application: EntraTarget.Application = .appID(appID))
        -> ExampleSetup
    {
        var setup = ExampleSetup(
            tenantURL: "", token: token, expectedURL: expectedURL, allowWrites: false, routes: routes)
        setup.entra = EntraTarget(
            tenant: Self.tenant, application: application, endpoints: GraphEndpoints(cloud: .global))
        return setup
    }

    /// The healthy tenant with one change: `GraphExampleTenant.with { $0.jobs = [] }`.
    public static func with(
        expectedURL: String? = nil, application: EntraTarget.Application = .appID(appID),
        _ change: (inout GraphExampleTenant) -> Void
    ) -> ExampleSetup {
        var tenant = GraphExampleTenant()
        change(&tenant)
        return tenant.setup(expectedURL: expectedURL, application: application)
    }

    /// The healthy tenant whose one job is `job`.
    public static func with(job: String) -> ExampleSetup { with { $0.jobs = [job] } }

    /// The healthy tenant where Graph refuses the read `read` ("sp", "jobs", "schema", …) with `status` and `code`.
    public static func denying(_ read: String, status: Int = 403, code: String = "Authorization_RequestDenied")
        -> ExampleSetup
    {
        with { $0.refused[read] = (status, code) }
    }

    /// A job quarantined for invalid credentials (G-CFGAPI-AWS example A's shape).
    public static var quarantinedForCredentials: String {
        job(status: quarantined(reason: "EncounteredQuarantineException"))
    }

    /// A joined run's example (`check URL --tenant …`): this Graph beside the SCIM routes given.
    public static func joined(scim routes: [Route], _ change: (inout GraphExampleTenant) -> Void = { _ in })
        -> ExampleSetup
    {
        var setup = with(change)
        setup.tenantURL = ExampleSetup.defaultTenantURL
        setup.routes = routes + setup.routes
        return setup
    }

    var token: String {
        let scp = scopes.joined(separator: " ")
        let now = Int(ExampleSetup.defaultNow.timeIntervalSince1970)
        return ExampleJWT.make(
            payload: #"{"aud":"\#(audience)","tid":"ff8bf889-e031-41ac-8f7b-aedb059892ee","scp":"\#(scp)","#
                + #""appid":"2f0a7c3e-1d4b-4e8f-9a6c-5b3d2e1f0a9b","exp":\#(now + 3600)}"#)
    }

    var routes: [Route] {
        func answer(_ read: String, _ body: String) -> Reply {
            if let refusal = refused[read] {
                return .json(
                    refusal.status,
                    #"{"error":{"code":"\#(refusal.code)","message":"denied in the example","innerError":{"request-id":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}}}"#,
                    contentType: "application/json")
            }
            return .json(200, body, contentType: "application/json")
        }
        let list = { (items: [String]) in #"{"value":[\#(items.joined(separator: ","))]}"# }
        let mappings = [userMapping, groupMapping].compactMap { $0 }
        let schema =
            #"{"id":"\#(Self.jobID)","synchronizationRules":[{"id":"03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8","name":"USER_OUTBOUND_USER","objectMappings":[\#(mappings.joined(separator: ","))]}]}"#
        let secretItems = secrets.map { #"{"key":"\#($0.0)","value":"\#($0.1)"}"# }
        let group = #"{"id":"\#(Self.groupID)","displayName":"Engineering","securityEnabled":\#(groupSecurityEnabled)}"#
        return [
            .get("/v1.0/servicePrincipals", answer("sp", list(servicePrincipals))),
            .get(Self.sp, answer("sp", servicePrincipals.first ?? "{}")),
            .get(Self.sp + "/synchronization/jobs", answer("jobs", list(jobs))),
            .get(Self.sp + "/synchronization/jobs/\(Self.jobID)/schema", answer("schema", schema)),
            .get("/beta/servicePrincipals/\(Self.spID)/synchronization/secrets", answer("secrets", list(secretItems))),
            .get(Self.sp + "/appRoleAssignedTo", answer("assignments", list(assignments))),
            .get("/v1.0/groups/\(Self.groupID)", answer("groups", group)),
            .get("/v1.0/groups/\(Self.groupID)/members", answer("groups", list(groupMembers))),
            .get("/v1.0/auditLogs/provisioning", answer("logs", list(events))),
        ]
    }

    // MARK: - Microsoft's documented shapes

    public static func servicePrincipal(id: String = spID, appID: String = appID, name: String = "Contoso SCIM")
        -> String
    {
        #"{"id":"\#(id)","appId":"\#(appID)","displayName":"\#(name)"}"#
    }

    /// A job as G-GETJOB shows it; the default is active, steady and healthy. `status` replaces the status object.
    public static func job(
        code: String = "Active", state: String = "Active", interval: String = "PT40M", status: String? = nil
    ) -> String {
        let healthy =
            #"{"code":"\#(code)","countSuccessiveCompleteFailures":0,"escrowsPruned":false,"quarantine":null,"#
            + #""steadyStateFirstAchievedTime":"2026-05-20T08:00:00Z","steadyStateLastAchievedTime":"2026-05-31T23:20:00Z","#
            + #""lastExecution":\#(execution(began: "2026-05-31T23:40:00Z", ended: "2026-05-31T23:41:10Z")),"#
            + #""lastSuccessfulExecution":\#(execution(began: "2026-05-31T23:40:00Z", ended: "2026-05-31T23:41:10Z")),"#
            + #""progress":[],"troubleshootingUrl":""}"#
        return
            #"{"id":"\#(jobID)","templateId":"scim","schedule":{"expiration":null,"interval":"\#(interval)","state":"\#(state)"},"#
            + #""status":\#(status ?? healthy),"synchronizationJobSettings":[{"name":"QuarantineTooManyDeletesThreshold","value":"500"}]}"#
    }

    public static func execution(
        state: String = "Succeeded", began: String, ended: String, error: String = "None", message: String = "",
        escrowed: Int = 0
    ) -> String {
        #"{"state":"\#(state)","timeBegan":"\#(began)","timeEnded":"\#(ended)","countEscrowed":\#(escrowed),"#
            + #""countExported":3,"error":{"code":"\#(error)","message":"\#(message)","tenantActionable":\#(error != "None")}}"#
    }

    /// A status in quarantine (G-CFGAPI-AWS example A's shape).
    public static func quarantined(
        reason: String, began: String = "2026-05-31T21:45:54Z",
        error: String? = nil,
        message: String = "Please provide a valid tenant URL for your application."
    ) -> String {
        let error = error ?? EntraErrorCode.invalidCredentials.rawValue
        return #"{"code":"Quarantine","countSuccessiveCompleteFailures":3,"escrowsPruned":false,"#
            + #""lastExecution":\#(execution(state: "Failed", began: "2026-05-31T21:45:53Z", ended: "2026-05-31T21:45:54Z", error: error, message: message)),"#
            + #""quarantine":{"currentBegan":"\#(began)","nextAttempt":"2026-06-01T03:45:54Z","reason":"\#(reason)","#
            + #""seriesBegan":"\#(began)","seriesCount":3,"error":{"code":"\#(error)","message":"\#(message)"}},"progress":[]}"#
    }

    public static func mapping(
        _ source: String, _ target: String, enabled: Bool = true,
        flowTypes: String = "Add, Update, Delete", matching: Bool = true, scope: String = "null",
        matchOn: String = "userName"
    ) -> String {
        let name = "Provision Azure Active Directory \(source)s"
        let match =
            source == "User"
            ? #"{"source":{"expression":"[userPrincipalName]","name":"userPrincipalName","type":"Attribute","parameters":[]},"targetAttributeName":"\#(matchOn)","matchingPriority":\#(matching ? 1 : 0),"flowType":"Always"}"#
            : #"{"source":{"expression":"[displayName]","name":"displayName","type":"Attribute","parameters":[]},"targetAttributeName":"displayName","matchingPriority":\#(matching ? 1 : 0),"flowType":"Always"}"#
        return
            #"{"name":"\#(name)","enabled":\#(enabled),"flowTypes":"\#(flowTypes)","scope":\#(scope),"sourceObjectName":"\#(source)","targetObjectName":"\#(target)","attributeMappings":[\#(match)],"metadata":[]}"#
    }

    public static func assignment(_ principalID: String, _ type: String, _ name: String) -> String {
        #"{"id":"41W1zT6z1U-kJxf62svfp1HFE8pMZhxDun-ThPczmJE","appRoleId":"00000000-0000-0000-0000-000000000000","#
            + #""principalDisplayName":"\#(name)","principalId":"\#(principalID)","principalType":"\#(type)","resourceId":"\#(spID)"}"#
    }

    /// A provisioning event (G-PROVLIST's shape).
    public static func event(
        status: String, code: String, identity: String = "Alan Turing",
        reason: String = "", when: String = "2026-05-31T23:40:30Z"
    ) -> String {
        #"{"id":"75b5b8b4-0f1e-4b5a-9d7c-3e2f1a0b9c8d","activityDateTime":"\#(when)","changeId":"3a5b7c9d-1e2f-4a6b-8c0d-2e4f6a8b0c1d","#
            + #""jobId":"\#(jobID)","provisioningAction":"create","sourceIdentity":{"id":"cdb555e3-b33e-4fd5-a427-17fadacbdfa7","displayName":"\#(identity)","identityType":"User"},"#
            + #""provisioningStatusInfo":{"status":"\#(status)","errorInformation":{"errorCode":"\#(code)","reason":"\#(reason)","errorCategory":"nonServiceFailure"}}}"#
    }
}
