import Foundation

/// `mappings.group-attributes`: the server's Group schema declares the targets of Entra's default group mapping.
struct GroupAttributesProbe: Probe {
    let description = ProbeDescription(
        id: "mappings.group-attributes", section: .mappings, title: "Group schema covers Entra's default group mapping",
        checks: "GET /Schemas declares the Group schema with displayName and members (externalId is a common "
            + "attribute): Entra's default group mapping targets them, and Microsoft's SCIM validation fails group "
            + "tests without the Group schema.",
        // A server without a /Groups endpoint has no Group schema either: test-connection.groups reports the cause.
        rationale:
            "Entra's default group mapping targets displayName, members and externalId, and Microsoft's SCIM "
            + "validation fails every group test when /Schemas lacks the Group schema.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Design your user and group schema'",
            "Microsoft: SCIM validation Logic App test overview (AzureAD/SCIMReferenceCode, "
                + "SCIM-Validation-Test-Overview.md) (group tests fail without the Group schema)",
            "RFC 7643 §4.2 (Group), RFC 7644 §4 (/Schemas)",
        ],
        dependencies: ["auth.token-accepted", "test-connection.base-path", "test-connection.groups"],
        examples: [
            ProbeExample(
                "RFC-shaped Group schema", ScimSchemaSamples.served(ScimSchemaSamples.schemas()), expect: .pass,
                finding: "declares displayName, members"),
            ProbeExample(
                "no Group schema", ScimSchemaSamples.served(ScimSchemaSamples.schemas(group: false)), expect: .fail,
                finding: "Group schema absent"),
            ProbeExample(
                "no members", ScimSchemaSamples.served(ScimSchemaSamples.schemas(omittingGroup: ["members"])),
                expect: .fail,
                finding: "members → members"),
            ProbeExample(
                "not served",
                ExampleSetup(routes: [
                    .get(ScimSchemaSamples.path, .json(501, ScimSamples.error(501, detail: "Not implemented")))
                ]
                ),
                expect: .skip, finding: "does not serve /Schemas"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let document: SchemaDocument
        switch try await context.schemaDocument() {
        case .notServed(let skip): return skip
        case .served(let value): document = value
        }
        guard document.has(SchemaURN.group) else {
            return .fail(
                "/Schemas has no Group schema: Group schema absent (Microsoft's validator fails group tests without "
                    + "\(SchemaURN.group))",
                evidence: document.evidence,
                fix: "On the server: add the Group schema (RFC 7643 §8.7.1) to /Schemas; if the application has no "
                    + "groups, disable \"Provision Microsoft Entra ID Groups\" under \(EntraPortal.mappings).")
        }
        let mappings = EntraDefaultMappings.group
        let missing = mappings.filter { !$0.isDeclared(in: document) }
        let evidence = document.evidence + missing.map { Evidence("not declared", $0.description) }
        guard missing.isEmpty else {
            return .fail(
                "The Group schema lacks target(s) of Entra's default group mapping: "
                    + missing.map(\.label).joined(separator: ", "),
                evidence: evidence,
                fix:
                    "Remove or re-map these under \(EntraPortal.attributeMappings(.groups)) (or add them to the "
                    + "server's Group schema).")
        }
        let externalId =
            document.declares(SchemaURN.group, "externalId") ? "externalId" : "externalId (common attribute)"
        return .pass("The Group schema declares displayName, members and \(externalId)", evidence: evidence)
    }
}
