import Foundation

/// `mappings.user-attributes`: the server's User schema declares every target of Entra's default user mapping.
struct UserAttributesProbe: Probe {
    let description = ProbeDescription(
        id: "mappings.user-attributes", section: .mappings, title: "User schema covers Entra's default user mapping",
        checks: "GET /Schemas declares every target attribute of Entra's default user mapping (core User and "
            + "EnterpriseUser): Entra sends them whatever the server declares (non-gallery apps have no schema "
            + "discovery), and Microsoft's SCIM validation requires every mapped attribute in /Schemas.",
        rationale:
            "Non-gallery apps have no schema discovery: Entra sends every attribute of its default user "
            + "mapping whatever the server declares, and Microsoft's SCIM validation requires every mapped "
            + "attribute in /Schemas. An attribute the server does not know is rejected or silently dropped, "
            + "and Entra then updates the user every cycle.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Design your user and group schema' and '/Schemas "
                + "(Schema discovery)'",
            "Microsoft: Customize attribute mappings (customize-application-attributes)",
            "Microsoft: SCIM validation Logic App test overview (AzureAD/SCIMReferenceCode, "
                + "SCIM-Validation-Test-Overview.md) (Schema_Discoverability_Test)",
            "RFC 7643 §4.1, §4.3 (User, Enterprise User), RFC 7644 §4 (/Schemas)",
        ],
        dependencies: ["auth.token-accepted", "test-connection.base-path"],
        examples: [
            ProbeExample(
                "RFC-shaped schemas", ScimSchemaSamples.served(ScimSchemaSamples.schemas()), expect: .pass,
                finding: "declares every target"),
            ProbeExample(
                "bare array", ScimSchemaSamples.served(ScimSchemaSamples.schemas(bareArray: true)), expect: .pass,
                finding: "declares every target"),
            ProbeExample(
                "no title, no phoneNumbers",
                ScimSchemaSamples.served(ScimSchemaSamples.schemas(omittingUser: ["title", "phoneNumbers"])),
                expect: .fail, finding: "jobTitle → title"),
            ProbeExample(
                "no enterprise extension", ScimSchemaSamples.served(ScimSchemaSamples.schemas(enterprise: false)),
                expect: .fail,
                finding: "no EnterpriseUser extension"),
            ProbeExample(
                "enterprise extension without manager",
                ScimSchemaSamples.served(ScimSchemaSamples.schemas(omittingEnterprise: ["manager"])), expect: .fail,
                finding: "manager → manager"),
            ProbeExample(
                "no User schema", ScimSchemaSamples.served(ScimSchemaSamples.schemas(user: false)), expect: .fail,
                finding: "no User schema (urn:ietf:params:scim:schemas:core:2.0:User)"),
            ProbeExample(
                "only unconfirmed defaults missing",
                ScimSchemaSamples.served(
                    ScimSchemaSamples.schemas(
                        omittingUser: ["preferredLanguage", "name.formatted", "addresses.locality", "addresses.region"])
                ),
                expect: .warn, finding: "(unconfirmed default)"),
            ProbeExample(
                "not served",
                ExampleSetup(routes: [
                    .get(ScimSchemaSamples.path, .json(404, ScimSamples.error(404, detail: "Not found")))
                ]),
                expect: .skip, finding: "does not serve /Schemas"),
            ProbeExample(
                "HTML page", ExampleSetup(routes: [.get(ScimSchemaSamples.path, .html(200, ScimSamples.loginPage))]),
                expect: .skip, finding: "does not serve /Schemas"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let document: SchemaDocument
        switch try await context.schemaDocument() {
        case .notServed(let skip): return skip
        case .served(let value): document = value
        }
        let mappings = EntraDefaultMappings.user
        let missing = mappings.filter { !$0.isDeclared(in: document) }
        let evidence = document.evidence + missing.map { Evidence("not declared", $0.description) }
        guard !missing.isEmpty else {
            return .pass(
                "/Schemas declares every target of Entra's default user mapping (\(mappings.count) mappings)",
                evidence: evidence)
        }
        var parts: [String] = []
        let core = missing.filter { $0.schema == SchemaURN.user }
        let enterprise = missing.filter { $0.schema == SchemaURN.enterpriseUser }
        if !core.isEmpty {
            let list = core.map(\.label).joined(separator: ", ")
            parts.append(
                document.has(SchemaURN.user)
                    ? "the User schema lacks \(list)"
                    : "no User schema (\(SchemaURN.user)) for \(core.count) of them")
        }
        if !enterprise.isEmpty {
            let list = enterprise.map(\.label).joined(separator: ", ")
            parts.append(
                document.has(SchemaURN.enterpriseUser)
                    ? "the EnterpriseUser extension lacks \(list)"
                    : "no EnterpriseUser extension (\(SchemaURN.enterpriseUser)): \(list)")
        }
        let finding =
            "/Schemas does not declare \(missing.count) target(s) of Entra's default user mapping: "
            + parts.joined(separator: "; ")
        let absent = [SchemaURN.user, SchemaURN.enterpriseUser].filter { !document.has($0) }
        let fix =
            (absent.isEmpty
                ? ""
                : "On the server: add the \(absent.joined(separator: " and ")) schema to /Schemas "
                    + "(RFC 7643 §8.7.1). Otherwise: ")
            + "Remove or re-map these under \(EntraPortal.attributeMappings(.users)) (or add them to the server's "
            + "schema)."
        guard missing.contains(where: \.confirmed) else {
            return .warn(
                finding, evidence: evidence,
                fix: fix + " These are commonly seen defaults (unconfirmed); check whether your app's mapping has them."
            )
        }
        return .fail(finding, evidence: evidence, fix: fix)
    }
}
