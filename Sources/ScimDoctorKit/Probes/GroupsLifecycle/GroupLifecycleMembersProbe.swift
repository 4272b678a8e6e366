import Foundation

/// `group-lifecycle.members`: a member added with Entra's body is listed; removed in the style(s) Entra sends,
/// it is gone.
struct GroupLifecycleMembersProbe: Probe {
    let description = ProbeDescription(
        id: "group-lifecycle.members", section: .groupsLifecycle, title: "Add and remove a group member",
        checks: "PATCH /Groups/{id} adds the second test user with Entra's body ({\"op\":\"Add\",\"path\":\"members\","
            + "\"value\":[{\"$ref\":null,\"value\":id}]}) and removes it in the style the Tenant URL selects "
            + "(default: Remove with value [{value}]; aadOptscim062020: remove members[value eq \"id\"]; "
            + "--patch-style both: both), reading the group back after each change.",
        rationale:
            "Membership is what group provisioning is for: Entra adds members with Add and removes them with "
            + "Remove and a value list by default, or with a members[value eq \"id\"] path under "
            + "aadOptscim062020. A server that supports only one form ignores or rejects the other.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Group Operations'",
            "Microsoft: Known issues and resolutions with SCIM 2.0 protocol compliance "
                + "(application-provisioning-config-problem-scim-compatibility) (remove-member formats)",
            "3rd-party: MicrosoftDocs/entra-docs#949 (the flag fixes a non-standard remove path)",
            "RFC 7644 §3.5.2.1, §3.5.2.2 (add, remove)",
        ],
        dependencies: ["group-lifecycle.create"], timeoutInRequests: 30, writes: true,
        examples: [
            ProbeExample(
                "default removal", LifecycleExampleServer.setup(), expect: .pass,
                finding: "member u-1 added and removed (Entra's default style)"),
            ProbeExample(
                "both styles", LifecycleExampleServer.setup(patchStyle: .both), expect: .pass,
                finding: "Entra's default style, the aadOptscim062020 style"),
            ProbeExample(
                "capitalised ops rejected", LifecycleExampleServer.setup(.init(rejectsCapitalisedOps: true)),
                expect: .fail, finding: "the server rejects capitalised ops (\"Add\")"),
            ProbeExample(
                "removal ignored", LifecycleExampleServer.setup(.init(ignoresMemberRemoval: true)), expect: .fail,
                finding: "member removal ignored"),
            ProbeExample(
                "removal with a value rejected", LifecycleExampleServer.setup(.init(rejectsRemoveWithValue: true)),
                expect: .fail, finding: "rejects member removal in Entra's default style"),
            ProbeExample(
                "both styles, the default one rejected",
                LifecycleExampleServer.setup(.init(rejectsRemoveWithValue: true), patchStyle: .both), expect: .fail,
                finding: "removal in the aadOptscim062020 style works"),
            ProbeExample(
                "filtered path rejected",
                LifecycleExampleServer.setup(.init(rejectsMemberFilterPath: true), patchStyle: .scimCompliant),
                expect: .fail, finding: "rejects member removal in the aadOptscim062020 style"),
        ])

    private static func removal(_ dialect: PatchDialect, _ memberID: String) -> JSONValue {
        switch dialect {
        case .entraDefault:
            EntraBodies.patch([
                EntraBodies.operation(
                    "Remove", path: "members", value: .array([object(["value": .string(memberID)])]))
            ])
        case .scimCompliant:
            EntraBodies.patch([EntraBodies.operation("remove", path: "members[value eq \"\(memberID)\"]")])
        }
    }

    func run(_ context: ProbeContext) async throws -> Verdict {
        let verdict = try await judge(context)
        await context.doneWithMemberUser(id)
        return verdict
    }

    private func judge(_ context: ProbeContext) async throws -> Verdict {
        guard let id = try await context.lifecycleGroup().id else {
            return .skip("no test group (see group-lifecycle.create)")
        }
        let member = try await context.lifecycleMemberUser()
        guard let memberID = member.id else {
            // Not a members fault: without a user to add there is nothing to test (user-lifecycle.create says why).
            return .skip(
                "could not create the test user to add as a member (POST /Users answered "
                    + LifecycleEvidence.said(member.exchange) + "; see user-lifecycle.create)",
                evidence: LifecycleEvidence.write(member.exchange, sent: member.sent))
        }
        return try await context.serially(.groups) {
            var evidence: [Evidence] = []
            /// PATCH, then whether the group lists the member (nil: the PATCH was not accepted or no read-back).
            func change(_ body: JSONValue) async throws -> (exchange: Exchange, listed: Bool?) {
                let exchange = try await context.patch(.groups, id: id, body)
                evidence += LifecycleEvidence.write(exchange, sent: body)
                guard case .accepted = WriteAnswer(exchange) else { return (exchange, nil) }
                let check = try await context.readResource(.groups, id)
                evidence += Evidence.exchange(check, body: false)
                guard let resource = JSONValue(response: check.response) else { return (exchange, nil) }
                let listed = LifecycleVerdicts.hasMember(resource, memberID)
                evidence.append(Evidence("members read back", listed ? "lists \(memberID)" : "no \(memberID)"))
                return (exchange, listed)
            }
            func addBody(_ op: String) -> JSONValue {
                EntraBodies.patch([
                    EntraBodies.operation(
                        op, path: "members", value: .array([object(["$ref": .null, "value": .string(memberID)])]))
                ])
            }
            var problems: [String] = []
            var fixes: [String] = []
            var passed: [String] = []
            // Entra's "Add"; lower-case once the server has shown it refuses capitals (to test the removals).
            let dialects = context.patchDialects
            // With aadOptscim062020 Entra lower-cases every op.
            var capitalsRefused = false
            let add = try await change(addBody(dialects[0].op("add")))
            if add.listed == nil, dialects[0] == .entraDefault {
                let said = LifecycleEvidence.said(add.exchange)
                let lower = try await change(addBody("add"))
                guard lower.listed == true else {
                    return .fail(
                        "adding member \(memberID) with Entra's body answered \(said)"
                            + (lower.listed == nil ? " (lower-case \"add\" too)" : ""),
                        evidence: evidence,
                        fix: "On the server: support {\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"$ref\":null,"
                            + "\"value\":\"<user id>\"}]} on /Groups/{id} (\"$ref\" null included) and return the "
                            + "members from GET /Groups/{id}.")
                }
                capitalsRefused = true
                problems.append(
                    "the server rejects capitalised ops (\"Add\"): adding member \(memberID) with Entra's body "
                        + "answered \(said); lower-case \"add\" is accepted")
                fixes.append(
                    "On the server: compare PATCH op values case-insensitively (Microsoft: \"Don't require a "
                        + "case-sensitive match on structural elements in SCIM, in particular PATCH op operation "
                        + "values\"; Entra sends Add and Remove).")
            } else if add.listed == nil {
                return .fail(
                    "adding member \(memberID) with Entra's body (\(dialects[0].name)) answered "
                        + LifecycleEvidence.said(add.exchange),
                    evidence: evidence,
                    fix: "On the server: support {\"op\":\"add\",\"path\":\"members\",\"value\":[{\"$ref\":null,"
                        + "\"value\":\"<user id>\"}]} on /Groups/{id} and return the members from GET /Groups/{id}.")
            } else if add.listed == false {
                return .fail(
                    "adding member \(memberID) answered \(add.exchange.response?.status ?? 0) but GET /Groups/\(id) "
                        + "does not list it",
                    evidence: evidence,
                    fix: "On the server: apply {\"op\":\"Add\",\"path\":\"members\",…} and return the members from "
                        + "GET /Groups/{id}.")
            }
            for (index, dialect) in dialects.enumerated() {
                if index > 0 {
                    let again = try await change(addBody(capitalsRefused ? "add" : dialect.op("add")))
                    guard again.listed == true else {
                        problems.append("re-adding the member for \(dialect.name) failed")
                        fixes.append("On the server: support adding members with Entra's body.")
                        break
                    }
                }
                let removal = try await change(Self.removal(dialect, memberID))
                switch removal.listed {
                case false?:
                    passed.append(dialect.name)
                case true?:
                    problems.append(
                        "member removal ignored (\(dialect.name): PATCH answered "
                            + "\(removal.exchange.response?.status ?? 0) but GET /Groups/\(id) still lists \(memberID))"
                    )
                    fixes.append(fix(dialect, otherWorks: nil))
                case nil:
                    var otherWorks: Bool?
                    if !dialects.contains(dialect.other) {
                        // Does the other style work? It decides whether the Tenant URL flag is a way out.
                        evidence.append(Evidence("then tried", "\(dialect.other.name), to find out whether it works"))
                        otherWorks = try await change(Self.removal(dialect.other, memberID)).listed == false
                    }
                    problems.append(
                        "the server rejects member removal in \(dialect.name): "
                            + LifecycleEvidence.said(removal.exchange)
                            + (otherWorks == true ? "; \(dialect.other.name) works" : ""))
                    fixes.append(fix(dialect, otherWorks: otherWorks))
                }
            }
            guard !problems.isEmpty else {
                return .pass(
                    "member \(memberID) added and removed (\(passed.joined(separator: ", "))), each read back",
                    evidence: evidence)
            }
            let worked = passed.isEmpty ? "" : "; removal in \(passed.joined(separator: " and ")) works"
            return .fail(
                problems.joined(separator: "; ") + worked, evidence: evidence, fix: fixes.joined(separator: " "))
        }
    }

    private func fix(_ dialect: PatchDialect, otherWorks: Bool?) -> String {
        switch dialect {
        case .entraDefault:
            return "On the server: support {\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"<id>\"}]}, "
                + "Entra's default member removal, and remove the listed members."
                + (otherWorks == true
                    ? " Or append ?aadOptscim062020 to the Tenant URL (\(EntraPortal.tenantURL)) so that "
                        + "Entra sends members[value eq \"<id>\"] instead (tested: accepted)." : "")
        case .scimCompliant:
            return "On the server: support {\"op\":\"remove\",\"path\":\"members[value eq \\\"<id>\\\"]\"} "
                + "(RFC 7644 §3.5.2.2), as Entra sends it with aadOptscim062020."
                + (otherWorks == true
                    ? " Or remove ?aadOptscim062020 from the Tenant URL (\(EntraPortal.tenantURL)): "
                        + "Entra's default removal works (tested)." : "")
        }
    }
}
