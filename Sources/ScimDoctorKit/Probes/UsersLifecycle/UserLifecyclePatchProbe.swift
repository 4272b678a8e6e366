import Foundation

/// `user-lifecycle.patch`: PATCH /Users/{id} as Entra sends it (default style and/or aadOptscim062020 style) is
/// applied, as reading back shows.
struct UserLifecyclePatchProbe: Probe {
    let description = ProbeDescription(
        id: "user-lifecycle.patch", section: .usersLifecycle, title: "PATCH as Entra sends it is applied",
        checks: "PATCH /Users/{id} in the style the Tenant URL selects (--patch-style both: both) is accepted and "
            + "applied: by default capitalised \"Replace\", one operation per attribute, a filtered "
            + "emails[type eq \"work\"].value path and an enterprise URN path; with aadOptscim062020 lower-case "
            + "\"replace\" and one path-less replace with dotted and URN keys. Each change is read back.",
        rationale:
            "Entra updates users with PATCH only, and its two dialects differ: by default capitalised "
            + "\"Replace\" with filtered paths such as emails[type eq \"work\"].value; with aadOptscim062020 "
            + "lower-case \"replace\" and one path-less replace with dotted and URN keys. A server must accept "
            + "the dialect the Tenant URL selects.",
        sources: [
            "Microsoft: Known issues and resolutions with SCIM 2.0 protocol compliance "
                + "(application-provisioning-config-problem-scim-compatibility), 'Flags to alter the SCIM behavior'",
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Update User [Multi-valued properties]'",
            "RFC 7644 §3.5.2 (modifying with PATCH)",
        ],
        dependencies: ["user-lifecycle.create"], timeoutInRequests: 30, writes: true,
        examples: [
            ProbeExample(
                "default style applied", LifecycleExampleServer.setup(), expect: .pass,
                finding: "PATCH in Entra's default style answered 204 and all 5 changes read back"),
            ProbeExample(
                "flag style applied",
                LifecycleExampleServer.setup(tenantURL: "https://scim.example.com/scim/v2?aadOptscim062020"),
                expect: .pass, finding: "PATCH in the aadOptscim062020 style answered 204"),
            ProbeExample(
                "both styles applied", LifecycleExampleServer.setup(patchStyle: .both), expect: .pass,
                finding: "the aadOptscim062020 style answered 204"),
            ProbeExample(
                "capitalised ops rejected", LifecycleExampleServer.setup(.init(rejectsCapitalisedOps: true)),
                expect: .fail, finding: "rejects capitalised ops"),
            ProbeExample(
                "path-less replace rejected",
                LifecycleExampleServer.setup(
                    .init(rejectsPathlessReplace: true),
                    tenantURL: "https://scim.example.com/scim/v2?aadOptscim062020"),
                expect: .fail, finding: "PATCH in the aadOptscim062020 style (path-less replace"),
            ProbeExample(
                "accepted but not applied", LifecycleExampleServer.setup(.init(ignoresPatches: true)), expect: .fail,
                finding: "answered 204 but 5 of 5 changes did not stick"),
        ])

    /// New values per style, so that the second style's changes are told from the first's.
    private struct Values {
        let displayName, email, givenName, familyName, employeeNumber: String

        init(_ dialect: PatchDialect, tag: String) {
            if dialect == .entraDefault {
                (displayName, email, givenName, familyName, employeeNumber) = (
                    "\(tag) Ada King", "\(tag)-ada.king@example.com", "Augusta", "King", "1816"
                )
            } else {
                (displayName, email, givenName, familyName, employeeNumber) = (
                    "\(tag) Augusta Ada Byron", "\(tag)-ada.byron@example.com", "Augusta Ada", "Byron", "1852"
                )
            }
        }

        var expected: [SentAttribute] {
            let enterprise = SchemaURN.enterpriseUser
            return [
                SentAttribute(target: "displayName", expected: .string(displayName), location: .path(["displayName"])),
                SentAttribute(
                    target: "emails[type eq \"work\"].value", expected: .string(email),
                    location: .typed("emails", type: "work", sub: "value")),
                SentAttribute(
                    target: "name.givenName", expected: .string(givenName), location: .path(["name", "givenName"])),
                SentAttribute(
                    target: "name.familyName", expected: .string(familyName), location: .path(["name", "familyName"])),
                SentAttribute(
                    target: "\(enterprise):employeeNumber", expected: .string(employeeNumber),
                    location: .path([enterprise, "employeeNumber"])),
            ]
        }
    }

    /// Entra's multi-attribute update (§3.5) in `dialect`; `lowerCased` sends the default style with "replace".
    private static func body(_ dialect: PatchDialect, _ values: Values, lowerCased: Bool = false) -> JSONValue {
        let emailPath = "emails[type eq \"work\"].value"
        let employeeNumber = "\(SchemaURN.enterpriseUser):employeeNumber"
        switch dialect {
        case .entraDefault:
            let op = lowerCased ? "replace" : "Replace"
            return EntraBodies.patch([
                EntraBodies.operation(op, path: "displayName", value: .string(values.displayName)),
                EntraBodies.operation(op, path: emailPath, value: .string(values.email)),
                EntraBodies.operation(op, path: "name.givenName", value: .string(values.givenName)),
                EntraBodies.operation(op, path: "name.familyName", value: .string(values.familyName)),
                EntraBodies.operation(op, path: employeeNumber, value: .string(values.employeeNumber)),
            ])
        case .scimCompliant:
            return EntraBodies.patch([
                EntraBodies.operation("replace", path: emailPath, value: .string(values.email)),
                EntraBodies.operation(
                    "replace",
                    value: object([
                        "displayName": .string(values.displayName), "name.givenName": .string(values.givenName),
                        "name.familyName": .string(values.familyName),
                        employeeNumber: .string(values.employeeNumber),
                    ])),
            ])
        }
    }

    /// What one style's PATCH came to.
    private enum Attempt {
        case applied(Int)
        case notApplied(Int, [(SentAttribute, AttributeDrift)])
        case readBackFailed(Exchange)
        case rejected(Exchange)
        case noAnswer(TransportError)

        var applied: Bool { if case .applied = self { true } else { false } }
        var status: Int? { if case .applied(let status) = self { status } else { nil } }
    }

    private func attempt(_ context: ProbeContext, id: String, _ body: JSONValue, _ expected: [SentAttribute])
        async throws -> (Attempt, [Evidence])
    {
        let exchange = try await context.patch(.users, id: id, body)
        var evidence = LifecycleEvidence.write(exchange, sent: body)
        switch WriteAnswer(exchange) {
        case .noAnswer(let error): return (.noAnswer(error), evidence)
        case .rejected: return (.rejected(exchange), evidence)
        case .accepted(let response):
            let check = try await context.readResource(.users, id)
            evidence += Evidence.exchange(check, body: false)
            guard check.response?.status == 200, let resource = JSONValue(response: check.response) else {
                return (.readBackFailed(check), evidence + Evidence.exchange(check))
            }
            let drift = ReadBack.drift(expected, in: resource)
            evidence += drift.map { attribute, _ in
                let got = ReadBack.locate(attribute.location, in: resource)?.value.shown ?? "missing"
                return Evidence(attribute.target, "sent \(attribute.expected.shown), read back \(got)")
            }
            return (drift.isEmpty ? .applied(response.status) : .notApplied(response.status, drift), evidence)
        }
    }

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let id = try await context.lifecycleUser().creation.id else {
            return .skip("no test user (see user-lifecycle.create)")
        }
        let tag = context.writes.tag
        let dialects = context.patchDialects
        return try await context.serially(.users) {
            var results: [(PatchDialect, Attempt, Exchange?)] = []
            var evidence: [Evidence] = []
            for dialect in dialects {
                let values = Values(dialect, tag: tag)
                let (result, more) = try await attempt(context, id: id, Self.body(dialect, values), values.expected)
                var rejected: Exchange?
                if case .rejected(let exchange) = result { rejected = exchange }
                results.append((dialect, result, rejected))
                evidence += more
            }
            guard results.contains(where: { !$0.1.applied }) else {
                let styles = results.map { dialect, result, _ in
                    "PATCH in \(dialect.name) answered \(result.status ?? 0) and all 5 changes read back"
                }
                return .pass(styles.joined(separator: "; "), evidence: evidence)
            }
            var findings: [String] = []
            var fixes: [String] = []
            for (dialect, result, _) in results {
                switch result {
                case .applied:
                    continue
                case .noAnswer(let error):
                    findings.append("PATCH in \(dialect.name) got no answer (\(error.message))")
                    fixes.append(noAnswerFix("PATCH /Users/{id}"))
                case .readBackFailed(let check):
                    findings.append(
                        "after PATCH in \(dialect.name), GET /Users/\(id) answered \(LifecycleEvidence.said(check))")
                    fixes.append("On the server: answer GET /Users/{id} with 200 and the user after a PATCH.")
                case .notApplied(let status, let drift):
                    let names = drift.map { $0.0.target }.joined(separator: ", ")
                    findings.append(
                        "PATCH in \(dialect.name) answered \(status) but \(drift.count) of 5 changes did not stick "
                            + "(\(names)): Entra believes the user is updated")
                    fixes.append(
                        "On the server: apply every operation of the PatchOp (\(names)) before answering 200/204.")
                case .rejected(let exchange):
                    let (finding, fix) = try await diagnoseRejection(
                        context, id: id, dialect, exchange, tag: tag, results: results, evidence: &evidence)
                    findings.append(finding)
                    fixes.append(fix)
                }
            }
            return .fail(
                findings.joined(separator: "; "), evidence: evidence, fix: fixes.joined(separator: " "))
        }
    }

    /// Words a rejected style, after trying what tells the cause apart: the same operations in lower case (for
    /// the default style), and the other style when it was not tested.
    private func diagnoseRejection(
        _ context: ProbeContext, id: String, _ dialect: PatchDialect, _ exchange: Exchange, tag: String,
        results: [(PatchDialect, Attempt, Exchange?)], evidence: inout [Evidence]
    ) async throws -> (String, String) {
        let said = LifecycleEvidence.said(exchange)
        var otherWorks = results.first { $0.0 == dialect.other }.map { $0.1.applied }
        if otherWorks == nil {
            let values = Values(dialect.other, tag: tag)
            let (result, more) = try await attempt(
                context, id: id, Self.body(dialect.other, values), values.expected)
            evidence.append(Evidence("then tried", "\(dialect.other.name), to find out whether it works"))
            evidence += more
            otherWorks = result.applied
        }
        let flagTested = otherWorks == true ? " (tested: accepted and applied)" : ""
        switch dialect {
        case .entraDefault:
            let values = Values(.entraDefault, tag: tag)
            let probe = try await context.patch(.users, id: id, Self.body(.entraDefault, values, lowerCased: true))
            evidence.append(Evidence("then tried", "the same operations with lower-case \"replace\""))
            evidence += Evidence.exchange(probe)
            let lowerAccepted = (200..<300).contains(probe.response?.status ?? 0)
            var fix =
                lowerAccepted
                ? "On the server: compare PATCH op values case-insensitively (Microsoft: \"Don't require a "
                    + "case-sensitive match on structural elements in SCIM, in particular PATCH op operation values\"; "
                    + "Entra sends Add, Replace and Remove)."
                : "On the server: accept Entra's default PATCH (§3.5: capitalised ops, one operation per attribute, "
                    + "the filtered path emails[type eq \"work\"].value and enterprise URN paths such as "
                    + "\(SchemaURN.enterpriseUser):employeeNumber)."
            if otherWorks == true {
                fix +=
                    " Or append ?aadOptscim062020 to the Tenant URL (\(EntraPortal.tenantURL)) so "
                    + "that Entra sends SCIM-compliant PATCH requests\(flagTested)."
            }
            let cause =
                lowerAccepted
                ? ": the server rejects capitalised ops (\"Replace\"); the same operations with \"replace\" are accepted"
                : ""
            return ("PATCH in Entra's default style answered \(said)\(cause)", fix)
        case .scimCompliant:
            var fix =
                "On the server: support a path-less replace whose value keys are attribute paths (name.givenName, "
                + "\(SchemaURN.enterpriseUser):employeeNumber), as Entra sends with aadOptscim062020 (§3.5)."
            if otherWorks == true {
                fix +=
                    " Or remove ?aadOptscim062020 from the Tenant URL (\(EntraPortal.tenantURL)): "
                    + "Entra's default style\(flagTested)."
            }
            return (
                "PATCH in the aadOptscim062020 style (path-less replace with dotted and URN keys) answered \(said)", fix
            )
        }
    }
}
