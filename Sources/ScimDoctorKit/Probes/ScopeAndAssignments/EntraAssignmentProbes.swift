import Foundation

private let howProvisioningWorks =
    "Microsoft: How Application Provisioning works (how-provisioning-works), scoping and groups"
private let assignmentsAPI = "Microsoft Graph: List appRoleAssignedTo (serviceprincipal-list-approleassignedto)"
/// At most this many assigned groups are read one by one.
private let groupReadLimit = 20

/// `entra.assignments`: "Verify that the groups you want to sync are assigned to the application".
struct EntraAssignmentsProbe: Probe {
    let description = ProbeDescription(
        id: "entra.assignments", section: .scopeAndAssignments, title: "Scope and assignments",
        checks: "Reads the provisioning Scope (the SyncAll secret: that \"false\" is Sync only assigned users and "
            + "groups is derived, unconfirmed) and who is assigned; with assigned-only scope and nobody assigned, "
            + "nothing is in scope.",
        rationale:
            "\"Sync only assigned users and groups\" with no assignment is the most common reason nobody is "
            + "provisioned although every check passes (assignments may take a while to replicate).",
        sources: [
            assignmentsAPI, howProvisioningWorks,
            "Microsoft Graph: synchronizationSecretKeyStringValuePair "
                + "(synchronization-synchronizationsecretkeystringvaluepair), SyncAll",
        ],
        dependencies: ["entra.sp"], timeoutInRequests: graphPageLimit + 1,
        examples: [
            ProbeExample(
                "a user and a group", GraphExampleTenant().setup(), expect: .pass,
                finding: "Sync only assigned users and groups: 1 user, 1 group"),
            ProbeExample(
                "nobody, assigned only",
                GraphExampleTenant.with { $0.assignments = [] }, expect: .fail, finding: "nothing is in scope"),
            ProbeExample(
                "nobody, all users",
                GraphExampleTenant.with {
                    $0.assignments = []
                    $0.secrets[2].1 = "true"
                }, expect: .pass, finding: "Sync all"),
            ProbeExample(
                "denied",
                GraphExampleTenant.denying("assignments"),
                expect: .skip, finding: "Application.Read.All"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let (read, assigned) = try await context.assignments() else { return GraphVerdicts.noApplication }
        guard read.value != nil else {
            return GraphVerdicts.refused(read, reading: "the assignments", needs: GraphPermission.applications)
        }
        let users = assigned.filter { $0.principalType == "User" }.count
        let groups = assigned.filter { $0.principalType == "Group" }.count
        var evidence = assigned.prefix(10).map {
            Evidence(PrintableText.line($0.principalType), GraphVerdicts.name($0.principalDisplayName))
        }
        if read.value?["@odata.nextLink"] != nil {
            evidence.append(Evidence("more", "more than \(assigned.count) assignments (not all pages were read)"))
        }
        let syncAll = try await context.synchronizationSecrets()?.secrets?.syncAll
        let scope =
            switch syncAll {
            case true?: "Sync all users and groups"
            case false?: "Sync only assigned users and groups"
            case nil: "Scope unread"
            }
        evidence.insert(Evidence("Scope (SyncAll)", syncAll.map { "\($0)" } ?? "not read"), at: 0)
        if assigned.isEmpty {
            if syncAll == true {
                return .pass("nobody is assigned, and Scope is Sync all users and groups", evidence: evidence)
            }
            return .fail(
                "nobody is assigned to the application"
                    + (syncAll == false
                        ? " and Scope is Sync only assigned users and groups: nothing is in scope" : ""),
                evidence: evidence,
                fix: "\(EntraPortal.addAssignment): assign the users or security groups to provision (or set "
                    + "Scope to Sync all users and groups under \(EntraPortal.provisioningSettings)).")
        }
        return .pass(
            "\(scope): \(users) user\(users == 1 ? "" : "s"), \(groups) group\(groups == 1 ? "" : "s") assigned",
            evidence: evidence)
    }
}

/// Every assigned group, read with its direct members (at most `groupReadLimit`).
private func assignedGroups(_ context: ProbeContext) async throws
    -> [(assignment: AppRoleAssignment, group: GraphRead, members: GraphRead)]?
{
    guard let assigned = try await context.assignments()?.assigned else { return nil }
    let wanted = Array(assigned.filter { $0.principalType == "Group" }.prefix(groupReadLimit))
    // All at once (each read is shared with the other group probe), kept in assignment order.
    return try await withThrowingTaskGroup(of: (Int, GraphRead, GraphRead)?.self) { reads in
        for (index, assignment) in wanted.enumerated() {
            reads.addTask {
                try await context.group(assignment.principalID).map { (index, $0.group, $0.members) }
            }
        }
        var found: [(Int, GraphRead, GraphRead)] = []
        for try await read in reads { if let read { found.append(read) } }
        return found.sorted { $0.0 < $1.0 }.map { (wanted[$0.0], $0.1, $0.2) }
    }
}

/// `entra.group-security`: assigned groups are security groups.
struct EntraGroupSecurityProbe: Probe {
    let description = ProbeDescription(
        id: "entra.group-security", section: .scopeAndAssignments, title: "Assigned groups are security groups",
        checks: "Every assigned group is security-enabled: Microsoft 365 and distribution groups assigned to an "
            + "application are not provisioned.",
        rationale: "Only security groups are supported for assignment-based provisioning.",
        sources: [howProvisioningWorks, "Microsoft Graph: Get group (group-get), securityEnabled"],
        dependencies: ["entra.assignments"], timeoutInRequests: 2 * graphPageLimit,
        examples: [
            ProbeExample("security group", GraphExampleTenant().setup(), expect: .pass),
            ProbeExample(
                "Microsoft 365 group",
                GraphExampleTenant.with { $0.groupSecurityEnabled = false }, expect: .fail,
                finding: "not a security group"),
            ProbeExample(
                "no group assigned",
                GraphExampleTenant.with {
                    $0.assignments = [
                        GraphExampleTenant.assignment("cdb555e3-b33e-4fd5-a427-17fadacbdfa7", "User", "Alan")
                    ]
                }, expect: .skip, finding: "no group"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let groups = try await assignedGroups(context) else { return GraphVerdicts.noApplication }
        guard !groups.isEmpty else { return .skip("no group is assigned") }
        if let denied = groups.first(where: { $0.group.value == nil }) {
            return GraphVerdicts.refused(denied.group, reading: "the assigned groups", needs: GraphPermission.directory)
        }
        let insecure = groups.filter { $0.group.value?["securityEnabled"] != .bool(true) }
        let evidence = groups.map {
            Evidence(
                GraphVerdicts.name($0.assignment.principalDisplayName),
                $0.group.value?["securityEnabled"] == .bool(true) ? "security group" : "not security-enabled")
        }
        guard !insecure.isEmpty else {
            return .pass("every assigned group (\(groups.count)) is a security group", evidence: evidence)
        }
        return .fail(
            insecure.map { GraphVerdicts.name($0.assignment.principalDisplayName) }.joined(separator: ", ")
                + " \(insecure.count == 1 ? "is" : "are") not a security group: \(insecure.count == 1 ? "its" : "their") "
                + "members are not provisioned", evidence: evidence,
            fix: "Assign a security group instead (\(EntraPortal.newSecurityGroup), then \(EntraPortal.addAssignment))."
        )
    }
}

/// `entra.nested-groups`: members of nested groups are not provisioned.
struct EntraNestedGroupsProbe: Probe {
    let description = ProbeDescription(
        id: "entra.nested-groups", section: .scopeAndAssignments, title: "No nested groups",
        checks: "No assigned group has groups among its direct members: the users of a nested group are not "
            + "provisioned (only direct members are).",
        rationale: "Nested group membership is not supported in scoping by assignment; admins expect it to be.",
        sources: [
            howProvisioningWorks,
            "Microsoft: Known issues for provisioning (known-issues), nested groups",
        ],
        dependencies: ["entra.assignments"], timeoutInRequests: 2 * graphPageLimit,
        examples: [
            ProbeExample("users only", GraphExampleTenant().setup(), expect: .pass),
            ProbeExample(
                "a nested group",
                GraphExampleTenant.with {
                    $0.groupMembers.append(
                        ##"{"@odata.type":"#microsoft.graph.group","id":"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d","displayName":"Contractors"}"##
                    )
                }, expect: .warn, finding: "Contractors"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let groups = try await assignedGroups(context) else { return GraphVerdicts.noApplication }
        guard !groups.isEmpty else { return .skip("no group is assigned") }
        if let denied = groups.first(where: { $0.members.value == nil }) {
            return GraphVerdicts.refused(
                denied.members, reading: "the assigned groups' members", needs: GraphPermission.directory)
        }
        var nested: [String] = []
        for (assignment, _, members) in groups {
            for member in members.items where member["@odata.type"]?.string == "#microsoft.graph.group" {
                nested.append(
                    "\(GraphVerdicts.name(member["displayName"]?.string ?? "?")) in "
                        + GraphVerdicts.name(assignment.principalDisplayName))
            }
        }
        guard !nested.isEmpty else {
            return .pass("no assigned group has nested groups (\(groups.count) read)")
        }
        return .warn(
            "nested groups: the users of \(nested.prefix(5).joined(separator: ", ")) are not provisioned",
            evidence: nested.prefix(10).map { Evidence("nested group", $0) },
            fix: "Assign the nested groups themselves (\(EntraPortal.addAssignment)), or make their users direct "
                + "members of the assigned group.")
    }
}
