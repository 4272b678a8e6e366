import Foundation

/// `user-lifecycle.disable`: `active` → false as Entra sends it; the user stays visible to GET and to the
/// userName filter; re-enabled afterwards.
struct UserLifecycleDisableProbe: Probe {
    let description = ProbeDescription(
        id: "user-lifecycle.disable", section: .usersLifecycle, title: "Disable keeps the user findable",
        checks: "PATCH active as Entra does (\"False\" with capitalised Replace by default, boolean false with "
            + "aadOptscim062020) disables the user; GET /Users/{id} and filter=userName eq still return it (Entra "
            + "re-matches disabled users); re-enabling (\"True\" / true) reads back active true.",
        rationale:
            "For SCIM apps a disable is a PATCH of active: by default the string \"False\" with a "
            + "capitalised Replace, with aadOptscim062020 boolean false. Microsoft also requires a disabled "
            + "user to be returned by GET and by the userName filter, so that Entra can match and re-enable it.",
        sources: [
            "Microsoft: How application provisioning works (how-provisioning-works), 'Deprovisioning'",
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Disable User'",
            "Microsoft: Known issues and resolutions with SCIM 2.0 protocol compliance "
                + "(application-provisioning-config-problem-scim-compatibility) (disable request formats)",
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), requirements table (\"returned … whether or not the "
                + "user is active\")",
            "Microsoft: App gallery user provisioning requirements "
                + "(app-gallery-user-provisioning-requirements) (disable is mandatory)",
            "RFC 7644 §3.5.2.3 (replace)",
        ],
        dependencies: ["user-lifecycle.create"], timeoutInRequests: 30, writes: true,
        examples: [
            ProbeExample(
                "default style", LifecycleExampleServer.setup(), expect: .pass,
                finding: "disabled with \"False\" (Entra's default style)"),
            ProbeExample(
                "flag style",
                LifecycleExampleServer.setup(tenantURL: "https://scim.example.com/scim/v2?aadOptscim062020"),
                expect: .pass, finding: "disabled with false (the aadOptscim062020 style)"),
            ProbeExample(
                "\"False\" rejected", LifecycleExampleServer.setup(.init(rejectsStringBooleans: true)), expect: .fail,
                finding: "rejects \"False\" as a string"),
            ProbeExample(
                "hidden from filters", LifecycleExampleServer.setup(.init(hidesDisabledFromFilter: true)),
                expect: .fail,
                finding: "disabled users hidden from filters: Entra will not find them and creates duplicates"),
            ProbeExample(
                "hidden from GET", LifecycleExampleServer.setup(.init(hidesDisabledFromGet: true)), expect: .fail,
                finding: "disabled user not returned by GET"),
            ProbeExample(
                "accepted, not applied", LifecycleExampleServer.setup(.init(ignoresPatches: true)), expect: .fail,
                finding: "active is still true"),
        ])

    private static func body(_ dialect: PatchDialect, active: Bool, capitalised: Bool? = nil, string: Bool? = nil)
        -> JSONValue
    {
        let op = (capitalised ?? (dialect == .entraDefault)) ? "Replace" : "replace"
        let value: JSONValue =
            (string ?? (dialect == .entraDefault)) ? .string(active ? "True" : "False") : .bool(active)
        return EntraBodies.patch([EntraBodies.operation(op, path: "active", value: value)])
    }

    func run(_ context: ProbeContext) async throws -> Verdict {
        let user = try await context.lifecycleUser()
        guard let id = user.creation.id else { return .skip("no test user (see user-lifecycle.create)") }
        let userName = user.creation.label
        return try await context.serially(.users) {
            var evidence: [Evidence] = []
            var problems: [String] = []
            var fixes: [String] = []
            var passed: [String] = []

            func send(_ body: JSONValue) async throws -> Exchange {
                let exchange = try await context.patch(.users, id: id, body)
                evidence += LifecycleEvidence.write(exchange, sent: body)
                return exchange
            }
            func accepted(_ exchange: Exchange) -> Bool { (200..<300).contains(exchange.response?.status ?? 0) }

            for dialect in context.patchDialects {
                let shown = dialect == .entraDefault ? "\"False\"" : "false"
                let disable = try await send(Self.body(dialect, active: false))
                var disabled = accepted(disable)
                if !disabled {
                    let said = LifecycleEvidence.said(disable)
                    if dialect == .entraDefault {
                        // Which part is refused: the string, or the capitalised op? And does the flag's form work?
                        let boolean = try await send(Self.body(dialect, active: false, string: false))
                        let flag = try await send(Self.body(.scimCompliant, active: false))
                        disabled = accepted(boolean) || accepted(flag)
                        let flagNote =
                            accepted(flag)
                            ? " Or append ?aadOptscim062020 to the Tenant URL (\(EntraPortal.tenantURL)) "
                                + "so that Entra sends boolean false (tested: accepted)." : ""
                        if accepted(boolean) {
                            problems.append(
                                "the server rejects \"False\" as a string (Entra's default disable answered \(said)); "
                                    + "boolean false is accepted")
                            fixes.append(
                                "On the server: accept \"True\"/\"False\" strings for active as well as booleans "
                                    + "(Entra's default client sends the string).\(flagNote)")
                        } else if accepted(flag) {
                            problems.append(
                                "Entra's default disable (Replace, \"False\") answered \(said); only the "
                                    + "aadOptscim062020 form (lower-case replace, boolean false) is accepted")
                            fixes.append(
                                "On the server: accept capitalised ops and \"True\"/\"False\" strings for active."
                                    + flagNote)
                        } else {
                            problems.append("no form of disable is accepted: \(shown) answered \(said)")
                            fixes.append(
                                "On the server: support PATCH of active (Replace \"False\" and replace false); Entra "
                                    + "disables unassigned and deleted users this way.")
                        }
                    } else {
                        problems.append("the aadOptscim062020 disable (replace, boolean false) answered \(said)")
                        fixes.append("On the server: support {\"op\":\"replace\",\"path\":\"active\",\"value\":false}.")
                    }
                    guard disabled else { continue }
                }
                // Disabled: still returned by GET and by the filter? (Both reads at once: one round trip.)
                async let byID = context.readResource(.users, id)
                async let byFilter = context.readFilter(.users, "userName", equals: userName)
                let (check, filter) = try await (byID, byFilter)
                evidence += Evidence.exchange(check, body: false)
                let active = JSONValue(response: check.response)?["active"]
                if check.response?.status != 200 {
                    problems.append(
                        "disabled user not returned by GET /Users/\(id) (\(LifecycleEvidence.said(check))): "
                            + "Microsoft: the user should be returned whether or not it is active")
                    fixes.append("On the server: return disabled users from GET /Users/{id} with active false.")
                } else if active != .bool(false) {
                    problems.append(
                        "disable answered \(disable.response?.status ?? 0) but active is still "
                            + (active?.shown ?? "missing"))
                    fixes.append("On the server: set active to false on Replace active \(shown) and return it so.")
                }
                evidence += Evidence.exchange(filter, body: false)
                switch FilterOutcome(filter, kind: .users, value: userName, expectedID: id) {
                case .exact: break
                case .none:
                    problems.append(
                        "disabled users hidden from filters: Entra will not find them and creates duplicates "
                            + "(userName eq \"\(userName)\" found nothing after the disable)")
                    fixes.append(
                        "On the server: return inactive users from filter queries (Microsoft: the user object "
                            + "should be returned in a request whether or not the user is active).")
                case .others(let page), .duplicates(let page):
                    problems.append("after the disable, the userName filter returns \(page.resources.count) users")
                    fixes.append("On the server: return exactly the matching user from filter=userName eq.")
                case .problem(let problem):
                    problems.append("after the disable, \(problem.finding)")
                    fixes.append(problem.fix)
                case .rejected(let exchange, _):
                    let problem = ListProblem.rejectedFilter(exchange, kind: .users)
                    problems.append("after the disable, \(problem.finding)")
                    fixes.append(problem.fix)
                }
                // Re-enable, as Entra does when the user comes back into scope.
                var enable = try await send(Self.body(dialect, active: true))
                if !accepted(enable) {
                    problems.append(
                        "re-enabling with \(dialect == .entraDefault ? "\"True\"" : "true") answered "
                            + LifecycleEvidence.said(enable))
                    fixes.append("On the server: accept Replace active \"True\" (and true) to re-enable a user.")
                    enable = try await send(Self.body(dialect, active: true, capitalised: false, string: false))
                }
                let after = try await context.readResource(.users, id)
                evidence += Evidence.exchange(after, body: false)
                let activeAfter = JSONValue(response: after.response)?["active"]
                if accepted(enable), activeAfter != .bool(true) {
                    problems.append("re-enable was accepted but active reads back \(activeAfter?.shown ?? "missing")")
                    fixes.append("On the server: set active to true on Replace active \"True\"/true.")
                }
                passed.append(
                    "disabled with \(shown) (\(dialect.name)): still returned by GET /Users/\(id) and by the userName "
                        + "filter; re-enabled")
            }
            guard !problems.isEmpty else { return .pass(passed.joined(separator: "; "), evidence: evidence) }
            return .fail(problems.joined(separator: "; "), evidence: evidence, fix: fixes.joined(separator: " "))
        }
    }
}
