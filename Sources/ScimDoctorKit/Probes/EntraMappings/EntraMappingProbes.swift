import Foundation

private let mappingSources = [
    "Microsoft Graph: objectMapping (synchronization-objectmapping), enabled and flowTypes",
    "Microsoft Graph: Get synchronizationSchema (synchronization-synchronizationschema-get)",
]

private let enterpriseUser = SchemaURN.enterpriseUser
private let coreGroup = SchemaURN.group

/// A tenant with the user and group mappings given.
private func tenant(user: String?, group: String? = GraphExampleTenant.mapping("Group", coreGroup)) -> ExampleSetup {
    GraphExampleTenant.with {
        $0.userMapping = user
        $0.groupMapping = group
    }
}

/// The schema's mappings; or, when they cannot be judged, the verdict saying why.
private func schemaMappings(_ context: ProbeContext) async throws -> ([ObjectMapping], unjudged: Verdict?) {
    guard let (read, mappings) = try await context.objectMappings() else { return ([], GraphVerdicts.noJob) }
    guard read.value != nil else {
        return (
            [],
            GraphVerdicts.refused(read, reading: "the job's schema (mappings)", needs: GraphPermission.synchronization)
        )
    }
    return (mappings, nil)
}

/// `entra.users-mapping`: "Provision … Users is enabled under Mappings".
struct EntraUsersMappingProbe: Probe {
    let description = ProbeDescription(
        id: "entra.users-mapping", section: .entraMappings, title: "User mapping enabled",
        checks: "The job's schema has a user mapping (source object User) and it is enabled.",
        rationale:
            "With the user mapping disabled Entra provisions no user at all. Mapping names differ between portal "
            + "versions (Azure Active Directory, Microsoft Entra ID), so it is found by its source object.",
        sources: mappingSources, dependencies: ["entra.job"],
        examples: [
            ProbeExample("enabled", GraphExampleTenant().setup(), expect: .pass, finding: "enabled"),
            ProbeExample(
                "disabled", tenant(user: GraphExampleTenant.mapping("User", enterpriseUser, enabled: false)),
                expect: .fail, finding: "disabled"),
            ProbeExample("missing", tenant(user: nil), expect: .fail, finding: "no user mapping"),
            ProbeExample(
                "denied",
                GraphExampleTenant.denying("schema"), expect: .skip,
                finding: "Synchronization.Read.All"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let (all, unjudged) = try await schemaMappings(context)
        if let unjudged { return unjudged }
        guard let mapping = ObjectMapping.user(in: all) else {
            return .fail(
                "the job's schema has no user mapping (no object mapping from User)",
                evidence: all.map { Evidence("mapping", GraphVerdicts.name($0.name)) },
                fix:
                    "\(EntraPortal.mappings): restore the default mappings (Restore default mappings), or recreate the "
                    + "enterprise application from the non-gallery template.")
        }
        let evidence = [
            Evidence("mapping", GraphVerdicts.name(mapping.name)),
            Evidence("target", PrintableText.line(mapping.targetObjectName)),
        ]
        guard mapping.enabled else {
            return .fail(
                "the user mapping \(GraphVerdicts.name(mapping.name)) is disabled: no user is provisioned",
                evidence: evidence, fix: "Set \(EntraPortal.mappingEnabled(.users)) to Yes and Save.")
        }
        return .pass("\(GraphVerdicts.name(mapping.name)) is enabled", evidence: evidence)
    }
}

/// `entra.groups-mapping`: "Check that Provision … Groups is enabled" — when groups are assigned.
struct EntraGroupsMappingProbe: Probe {
    let description = ProbeDescription(
        id: "entra.groups-mapping", section: .entraMappings, title: "Group mapping enabled",
        checks: "The group mapping (source object Group) is enabled when groups are assigned to the application; "
            + "disabled, the members of assigned groups are provisioned but the groups themselves are not.",
        rationale:
            "Admins assign groups expecting them in the application; with the group mapping off only the users "
            + "arrive, and nothing says why.",
        sources: mappingSources + [
            "Microsoft: How Application Provisioning works (how-provisioning-works), groups (\"The group object "
                + "itself isn't provisioned unless the application supports group objects\")"
        ],
        dependencies: ["entra.job"],
        examples: [
            ProbeExample("enabled", GraphExampleTenant().setup(), expect: .pass, finding: "enabled"),
            ProbeExample(
                "disabled with a group assigned",
                tenant(
                    user: GraphExampleTenant.mapping("User", enterpriseUser),
                    group: GraphExampleTenant.mapping("Group", coreGroup, enabled: false)),
                expect: .warn, finding: "groups themselves are not"),
            ProbeExample(
                "disabled, no group assigned",
                GraphExampleTenant.with {
                    $0.groupMapping = GraphExampleTenant.mapping("Group", coreGroup, enabled: false)
                    $0.assignments = [
                        GraphExampleTenant.assignment("cdb555e3-b33e-4fd5-a427-17fadacbdfa7", "User", "Alan")
                    ]
                }, expect: .pass, finding: "no group is assigned"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let (all, unjudged) = try await schemaMappings(context)
        if let unjudged { return unjudged }
        let groups = try await context.assignments()?.assigned.filter { $0.principalType == "Group" }
        let mapping = ObjectMapping.group(in: all)
        var evidence = mapping.map { [Evidence("mapping", GraphVerdicts.name($0.name))] } ?? []
        if let groups { evidence.append(Evidence("groups assigned", "\(groups.count)")) }
        if let mapping, mapping.enabled {
            return .pass("\(GraphVerdicts.name(mapping.name)) is enabled", evidence: evidence)
        }
        let state = mapping == nil ? "there is no group mapping" : "the group mapping is disabled"
        guard let groups, !groups.isEmpty else {
            return .pass("\(state), and no group is assigned (users only)", evidence: evidence)
        }
        return .warn(
            "\(state) while \(groups.count) group\(groups.count == 1 ? " is" : "s are") assigned: their members are "
                + "provisioned, the groups themselves are not", evidence: evidence,
            fix: "Set \(EntraPortal.mappingEnabled(.groups)) to Yes and Save, if the application should get the "
                + "groups (its /Groups endpoint must work: scim-doctor check --only groups).")
    }
}

/// `entra.flow-types`: the enabled mappings create, update and delete.
struct EntraFlowTypesProbe: Probe {
    let description = ProbeDescription(
        id: "entra.flow-types", section: .entraMappings, title: "Target object actions",
        checks: "Each enabled mapping's Target Object Actions (flowTypes) include Create, Update and Delete.",
        rationale:
            "A mapping without Update never sends changes, and one without Delete never disables or removes "
            + "users who leave scope: a frequent \"changes don't sync\" cause.",
        sources: mappingSources, dependencies: ["entra.users-mapping"],
        examples: [
            ProbeExample("all three", GraphExampleTenant().setup(), expect: .pass),
            ProbeExample(
                "no spacing",
                tenant(user: GraphExampleTenant.mapping("User", enterpriseUser, flowTypes: "Add,Update,Delete")),
                expect: .pass),
            ProbeExample(
                "update off",
                tenant(user: GraphExampleTenant.mapping("User", enterpriseUser, flowTypes: "Add, Delete")),
                expect: .warn, finding: "Update"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let (all, unjudged) = try await schemaMappings(context)
        if let unjudged { return unjudged }
        var problems: [String] = []
        var evidence: [Evidence] = []
        for mapping in all where mapping.enabled {
            evidence.append(
                Evidence(
                    "Target Object Actions",
                    "\(GraphVerdicts.name(mapping.name)): "
                        + mapping.flowTypes.sorted().map(PrintableText.line).joined(separator: ", ")))
            let missing = ["add": "Create", "update": "Update", "delete": "Delete"].filter {
                !mapping.flowTypes.contains($0.key)
            }
            if !missing.isEmpty {
                problems.append(
                    "\(GraphVerdicts.name(mapping.name)) does not \(missing.values.sorted().joined(separator: " or "))")
            }
        }
        guard !problems.isEmpty else {
            return .pass("every enabled mapping creates, updates and deletes", evidence: evidence)
        }
        return .warn(
            problems.joined(separator: "; "), evidence: evidence,
            fix: "\(EntraPortal.targetObjectActions): check Create, Update and Delete, then Save.")
    }
}

/// `entra.matching`: users are matched by an attribute.
struct EntraMatchingProbe: Probe {
    let description = ProbeDescription(
        id: "entra.matching", section: .entraMappings, title: "Matching attribute",
        checks: "The user mapping has an attribute with a matching precedence (matchingPriority > 0); the first "
            + "is the one Entra filters by. In a joined run (check URL --tenant …) the SCIM side's probe of that "
            + "filter (users.filter for userName, users.filter-external-id for externalId) decides.",
        rationale:
            "Entra looks each user up with a filter on the matching attribute before creating it; without one "
            + "it cannot match existing users, and a server that cannot filter by it gets duplicates.",
        sources: mappingSources + [
            "Microsoft Graph: attributeMapping (synchronization-attributemapping), matchingPriority"
        ],
        dependencies: ["entra.users-mapping"], runsAfter: ["users.filter", "users.filter-external-id"],
        examples: [
            ProbeExample("userName", GraphExampleTenant().setup(), expect: .pass, finding: "userName"),
            ProbeExample(
                "none", tenant(user: GraphExampleTenant.mapping("User", enterpriseUser, matching: false)),
                expect: .fail, finding: "no matching attribute"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let (all, unjudged) = try await schemaMappings(context)
        if let unjudged { return unjudged }
        guard let mapping = ObjectMapping.user(in: all) else {
            return .skip("no user mapping (see entra.users-mapping)")
        }
        let matching = mapping.matching
        let evidence = matching.map {
            Evidence("precedence \($0.priority)", PrintableText.line("\($0.target) ← \($0.source)"))
        }
        guard let first = matching.first else {
            return .fail(
                "the user mapping has no matching attribute: Entra cannot find existing users", evidence: evidence,
                fix: "\(EntraPortal.matchingPrecedence(.users)): set Match objects using this attribute on userName "
                    + "(from userPrincipalName, the default), then Save.")
        }
        let matched =
            "users are matched by \(PrintableText.line(first.target)) (from \(PrintableText.line(first.source)))"
        // Joined with the SCIM side: whether the server finds users by that attribute is now known.
        let scimProbe: ProbeID? =
            switch first.target.lowercased() {
            case "username": "users.filter"
            case "externalid": "users.filter-external-id"
            default: nil
            }
        guard let scimProbe, let scim = await context.verdict(of: scimProbe), scim.status != .skip else {
            return .pass(matched, evidence: evidence)
        }
        let joined = evidence + [Evidence("SCIM side", "\(scimProbe) \(scim.status.rawValue): \(scim.finding)")]
        if scim.status == .fail || scim.status == .warn {
            return .fail(
                "\(matched), and the server does not find users by it (\(scimProbe) \(scim.status.rawValue)ed): "
                    + "Entra cannot match existing users and creates duplicates or conflicts",
                evidence: joined,
                fix: scim.remediation
                    ?? "On the server: support filter=\(first.target) eq \"…\" on /Users (RFC 7644 §3.4.2.2).")
        }
        return .pass("\(matched), and the server finds users by it (\(scimProbe) passes)", evidence: joined)
    }
}
