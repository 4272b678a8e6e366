import Foundation

/// The Entra reads the probes share, each made once per run (entra-graph.md §6): the application, its job, the
/// job's schema, the secrets, the assignments, the provisioning logs. Ids from one answer go into the next path
/// only after `GraphID` checked them.
extension ProbeContext {
    /// The service principals the command line names (one, none, or several with one display name).
    public func servicePrincipals() async throws -> (read: GraphRead, found: [ServicePrincipal]) {
        let entra = try requireEntra()
        let select = "$select=id,appId,displayName"
        let path: String
        switch entra.application {
        case .appID(let id): path = "/v1.0/servicePrincipals?$filter=appId%20eq%20\(GraphID.literal(id))&\(select)"
        case .name(let name):
            path = "/v1.0/servicePrincipals?$filter=displayName%20eq%20\(GraphID.literal(name))&\(select)"
        case .servicePrincipalID(let id):
            guard GraphID.isGUID(id) else { throw ProbeError("--sp-id \(id) is not a GUID") }
            path = "/v1.0/servicePrincipals/\(id)?\(select)"
        }
        let read = try await graphGet(path)
        guard let value = read.value else { return (read, []) }
        // A single entity is the object itself; Microsoft's overview shows it wrapped in `value` too.
        let items = value["value"]?.array ?? [value]
        return (read, items.compactMap(ServicePrincipal.init).filter { GraphID.isGUID($0.id) })
    }

    /// The one service principal, or nil (entra.sp says why).
    public func servicePrincipal() async throws -> ServicePrincipal? {
        let found = try await servicePrincipals().found
        return found.count == 1 ? found[0] : nil
    }

    /// The synchronization jobs of the service principal.
    public func synchronizationJobs() async throws -> (read: GraphRead, jobs: [SynchronizationJob])? {
        guard let principal = try await servicePrincipal() else { return nil }
        let read = try await graphGet("/v1.0/servicePrincipals/\(principal.id)/synchronization/jobs")
        return (read, read.items.filter(\.isObject).map { SynchronizationJob(json: $0) })
    }

    /// The job the diagnoses are about: the SCIM one (template `scim`, or its legacy `customappsso`) when there
    /// are several, else the first.
    public func synchronizationJob() async throws -> SynchronizationJob? {
        guard let jobs = try await synchronizationJobs()?.jobs.filter({ GraphID.isJobID($0.id) }) else { return nil }
        let scim = jobs.first { ["scim", "customappsso"].contains($0.templateID.lowercased()) }
        return scim ?? jobs.first
    }

    /// The job's schema: its object mappings, read.
    public func objectMappings() async throws -> (read: GraphRead, mappings: [ObjectMapping])? {
        guard let principal = try await servicePrincipal(), let job = try await synchronizationJob() else {
            return nil
        }
        let read = try await graphGet("/v1.0/servicePrincipals/\(principal.id)/synchronization/jobs/\(job.id)/schema")
        let rules = read.value?["synchronizationRules"]?.array ?? []
        let mappings = rules.flatMap { $0["objectMappings"]?.array ?? [] }.filter(\.isObject)
        return (read, mappings.map { ObjectMapping(json: $0) })
    }

    /// The synchronization secrets (beta: the only documented read).
    public func synchronizationSecrets() async throws -> (read: GraphRead, secrets: SynchronizationSecrets?)? {
        guard let principal = try await servicePrincipal() else { return nil }
        let read = try await graphGet("/beta/servicePrincipals/\(principal.id)/synchronization/secrets")
        return (read, read.value.map(SynchronizationSecrets.init))
    }

    /// Who is assigned to the application (paged).
    public func assignments() async throws -> (read: GraphRead, assigned: [AppRoleAssignment])? {
        guard let principal = try await servicePrincipal() else { return nil }
        let read = try await graphGetAll("/v1.0/servicePrincipals/\(principal.id)/appRoleAssignedTo?$top=999")
        return (read, read.items.compactMap(AppRoleAssignment.init))
    }

    /// One assigned group and its direct members (`GET /groups/{id}`, `/members`).
    public func group(_ id: String) async throws -> (group: GraphRead, members: GraphRead)? {
        guard GraphID.isGUID(id) else { return nil }
        async let group = graphGet("/v1.0/groups/\(id)?$select=id,displayName,securityEnabled")
        async let members = graphGetAll("/v1.0/groups/\(id)/members?$select=id,displayName&$top=999")
        return try await (group, members)
    }

    /// Entra's own Test Connection (`validateCredentials` with the saved credentials): Entra calls the SCIM
    /// endpoint; Graph answers 204 when that worked. The one POST of the Entra side, sent only with
    /// `--test-connection`; it changes nothing.
    public func validateSavedCredentials() async throws -> GraphRead? {
        guard try requireEntra().testConnection, let principal = try await servicePrincipal(),
            let job = try await synchronizationJob()
        else { return nil }
        return try await graphPost(
            "/v1.0/servicePrincipals/\(principal.id)/synchronization/jobs/\(job.id)/validateCredentials",
            body: object(["useSavedCredentials": .bool(true)]))
    }

    /// In a run with an Entra side, the user mapping's matching attributes (target names, precedence order); nil
    /// without an Entra side or when the schema could not be read.
    public func entraUserMatching() async throws -> [String]? {
        guard options.entra != nil, let (read, mappings) = try await objectMappings(), read.value != nil else {
            return nil
        }
        return ObjectMapping.user(in: mappings)?.matching.map(\.target) ?? []
    }

    /// The synchronization rule provisionOnDemand takes: the one whose metadata says `supportsProvisionOnDemand`,
    /// else the one that maps users.
    public func provisioningRuleID() async throws -> String? {
        guard let read = try await objectMappings()?.read else { return nil }
        let rules = read.value?["synchronizationRules"]?.array ?? []
        let flagged = rules.first { rule in
            (rule["metadata"]?.array ?? []).contains {
                $0["key"]?.string == "supportsProvisionOnDemand" && $0["value"]?.string?.lowercased() == "true"
            }
        }
        let mapsUsers = rules.first { rule in
            (rule["objectMappings"]?.array ?? []).contains { $0["sourceObjectName"]?.string?.lowercased() == "user" }
        }
        return (flagged ?? mapsUsers)?["id"]?.string.flatMap { GraphID.isJobID($0) ? $0 : nil }
    }

    /// The object id of the user `--provision-on-demand` names: as given, or read by user principal name
    /// (`GET /users/{upn}`, which needs User.Read.All).
    public func provisioningUser(_ user: String) async throws -> (id: String?, read: GraphRead?) {
        if GraphID.isGUID(user) { return (user.lowercased(), nil) }
        guard GraphID.isUserPrincipalName(user) else { return (nil, nil) }
        let encoded =
            PercentEncoding.encoded(user) { PercentEncoding.isUnreserved($0) || $0 == "@" }
        let read = try await graphGet("/v1.0/users/\(encoded)?$select=id,userPrincipalName,displayName")
        return (read.value?["id"]?.string.flatMap { GraphID.isGUID($0) ? $0 : nil }, read)
    }

    /// `provisionOnDemand` of one user through the job's rule: Entra provisions that user now. Sent only with
    /// `--provision-on-demand` (confirmed), once, within Microsoft's 5 requests per 10 s for it.
    public func provisionOnDemand(userID: String, ruleID: String) async throws -> GraphRead? {
        guard let principal = try await servicePrincipal(), let job = try await synchronizationJob() else {
            return nil
        }
        let body = object([
            "parameters": .array([
                object([
                    "ruleId": .string(ruleID),
                    "subjects": .array([object(["objectId": .string(userID), "objectTypeName": .string("User")])]),
                ])
            ])
        ])
        await remember(.provisionPacer) { RequestPacer() }.turn()
        return try await graphPost(
            "/v1.0/servicePrincipals/\(principal.id)/synchronization/jobs/\(job.id)/provisionOnDemand", body: body)
    }

    /// The provisioning events of the last 7 days for this application, newest first (paged, at most
    /// `graphPageLimit` pages of 100).
    public func provisioningEvents() async throws -> (read: GraphRead, events: [ProvisioningEvent])? {
        guard let principal = try await servicePrincipal() else { return nil }
        let since = UTCDate.iso8601(now.addingTimeInterval(-7 * 86_400))
        let filter = "servicePrincipal/id%20eq%20'\(principal.id)'%20and%20activityDateTime%20gt%20\(since)"
        let read = try await graphGetAll(
            "/v1.0/auditLogs/provisioning?$filter=\(filter)&$top=100&$orderby=activityDateTime%20desc")
        return (read, read.items.filter(\.isObject).map(ProvisioningEvent.init))
    }
}
