import Foundation

/// Source attributes Entra cannot scope on (known-issues): a clause on one never matches.
private let unsupported: Set<String> = ["approleassignments", "usertype", "manager", "ismemberof", "members"]

/// `entra.scoping-filter`: the mappings' scoping filters can let anybody in.
struct EntraScopingFilterProbe: Probe {
    let description = ProbeDescription(
        id: "entra.scoping-filter", section: .entraMappings, title: "Scoping filters",
        checks: "Lists each enabled mapping's scoping filter (Source Object Scope) and flags clauses on attributes "
            + "Entra cannot scope on (appRoleAssignments, userType, manager, group membership).",
        rationale:
            "A scoping filter narrows who is provisioned beyond assignment; a clause on an unsupported attribute "
            + "matches nobody, and a clause on an attribute that is empty for a user is false for that user.",
        sources: [
            "Microsoft: Known issues for provisioning (known-issues), scoping filters",
            "Microsoft Graph: objectMapping (synchronization-objectmapping), scope",
        ],
        dependencies: ["entra.users-mapping"],
        examples: [
            ProbeExample("none", GraphExampleTenant().setup(), expect: .pass, finding: "no scoping filter"),
            ProbeExample(
                "department", scopedOn("department", equals: "Sales"), expect: .pass,
                finding: "department EQUALS Sales"),
            ProbeExample("userType", scopedOn("userType", equals: "Member"), expect: .warn, finding: "userType"),
        ])

    /// The example tenant with a user mapping scoped to one EQUALS clause.
    private static func scopedOn(_ attribute: String, equals value: String) -> ExampleSetup {
        GraphExampleTenant.with {
            $0.userMapping = GraphExampleTenant.mapping(
                "User", SchemaURN.enterpriseUser,
                scope: #"{"groups":[{"clauses":[{"operatorName":"EQUALS","sourceOperandName":"\#(attribute)","#
                    + #""targetOperand":{"values":["\#(value)"]}}]}]}"#)
        }
    }

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let mappings = try await context.objectMappings()?.mappings else { return GraphVerdicts.noJob }
        var evidence: [Evidence] = []
        var problems: [String] = []
        for mapping in mappings where mapping.enabled && !mapping.scopeGroups.isEmpty {
            // OR across groups, AND across each group's clauses (G-FILTER).
            let groups = mapping.scopeGroups.prefix(10).map { group in
                (group["clauses"]?.array ?? []).prefix(10).map { clause -> String in
                    let attribute = clause["sourceOperandName"]?.string ?? "?"
                    if unsupported.contains(attribute.lowercased()) {
                        problems.append(
                            "\(GraphVerdicts.name(mapping.name)) scopes on \(PrintableText.line(attribute)), which "
                                + "Entra cannot scope on: that clause never matches")
                    }
                    let values = (clause["targetOperand"]?["values"]?.array ?? []).compactMap(\.string)
                    return PrintableText.line(
                        "\(attribute) \(clause["operatorName"]?.string ?? "?") \(values.prefix(5).joined(separator: ", "))"
                    )
                }.joined(separator: " AND ")
            }
            evidence.append(Evidence(GraphVerdicts.name(mapping.name), groups.joined(separator: " OR ")))
        }
        guard !evidence.isEmpty else { return .pass("no scoping filter: assignment alone decides who is in scope") }
        guard problems.isEmpty else {
            return .warn(
                problems.joined(separator: "; "), evidence: evidence,
                fix: "\(EntraPortal.sourceObjectScope): replace the clause with a supported attribute (for group "
                    + "membership, assign the group instead), then Save.")
        }
        return .pass(
            "in scope when " + evidence.map(\.value).joined(separator: "; ")
                + " (a clause on an attribute that is empty for a user is false for that user)",
            evidence: evidence)
    }
}
