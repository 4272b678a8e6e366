import Foundation

/// `user-lifecycle.manager`: the enterprise manager reference, set, replaced and removed the way Entra does.
struct UserLifecycleManagerProbe: Probe {
    let description = ProbeDescription(
        id: "user-lifecycle.manager", section: .usersLifecycle, title: "Manager set, replaced and removed",
        checks: "PATCH the enterprise manager with the bare id of a second test user (Add, then Replace), then "
            + "Remove it, reading back after each: Entra sends the manager's id as a bare string (unconfirmed but "
            + "widely observed) once both users exist.",
        rationale:
            "Entra sets the enterprise manager once both users exist, sending the manager's id as a bare "
            + "string (observed widely, unconfirmed by Microsoft) and removing it with Remove; a server that "
            + "only takes {\"value\": id} rejects every manager update.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Design your user and group schema' (manager mapping)",
            "3rd-party: pranems/SCIMServer MANAGER_PATCH_STRING_COERCION.md (bare-string manager; "
                + "unconfirmed)",
            "Microsoft: SCIM validation Logic App test overview (AzureAD/SCIMReferenceCode, "
                + "SCIM-Validation-Test-Overview.md) (SCIM_Update_Manager_Test)",
            "RFC 7643 §4.3 (manager)",
        ],
        dependencies: ["user-lifecycle.create"], timeoutInRequests: 30, writes: true,
        examples: [
            ProbeExample(
                "set, replaced, removed", LifecycleExampleServer.setup(), expect: .pass,
                finding: "manager set to u-2 as Entra does"),
            ProbeExample(
                "bare id rejected", LifecycleExampleServer.setup(.init(rejectsBareManager: true)), expect: .warn,
                finding: "rejects the bare manager id Entra sends (unconfirmed but widely observed)"),
            ProbeExample(
                "capitalised ops rejected", LifecycleExampleServer.setup(.init(rejectsCapitalisedOps: true)),
                expect: .fail, finding: "the server rejects capitalised ops (\"Add\")"),
            ProbeExample(
                "accepted, not stored", LifecycleExampleServer.setup(.init(ignoresPatches: true)), expect: .fail,
                finding: "manager updates are accepted but not stored"),
            ProbeExample(
                "bare id rejected, {value} accepted but never stored",
                LifecycleExampleServer.setup(.init(rejectsBareManager: true, dropsManager: true)), expect: .fail,
                finding: "manager updates are accepted but not stored: Add"),
            ProbeExample(
                "no second user",
                LifecycleExampleServer.setup(
                    before: [
                        Route(
                            matches: {
                                $0.method == "POST"
                                    && String(decoding: $0.body ?? Data(), as: UTF8.self).contains("grace")
                            },
                            reply: { _ in .success(HTTPResponse(status: 500, body: Data("boom".utf8))) })
                    ]),
                expect: .skip, finding: "could not create the second test user"),
        ])

    /// The form a manager update was taken in (read back), for user-lifecycle.manager-query to set it the same
    /// way at once instead of learning it again.
    struct Form: Sendable, Equatable {
        let op: String
        /// `{"value": id}` rather than Entra's bare id.
        let wrapsValue: Bool

        func operation(_ managerID: String) -> JSONValue {
            EntraBodies.operation(
                op, path: EntraBodies.managerPath,
                value: wrapsValue ? object(["value": .string(managerID)]) : .string(managerID))
        }
    }

    /// The manager id a user carries: `{"value": id}` (or, non-standard, a bare string); nil when none.
    static func manager(_ resource: JSONValue) -> String? {
        let manager = resource[SchemaURN.enterpriseUser]?["manager"]
        let id = manager?.string ?? manager?["value"]?.string
        return id?.isEmpty == false ? id : nil
    }

    private static let storeFix =
        "On the server: store the enterprise manager that Add and Replace set, and return it on GET as {\"value\": id}; "
        + "Entra otherwise sends the same manager update every cycle."

    func run(_ context: ProbeContext) async throws -> Verdict {
        let verdict = try await judge(context)
        await context.doneWithMemberUser(id)
        return verdict
    }

    private func judge(_ context: ProbeContext) async throws -> Verdict {
        guard let id = try await context.lifecycleUser().creation.id else {
            return .skip("no test user (see user-lifecycle.create)")
        }
        return try await context.serially(.users) {
            let member = try await context.lifecycleMemberUser()
            var evidence: [Evidence] = []
            guard let managerID = member.id else {
                // Not a manager fault: without a second user there is no manager to set.
                return .skip(
                    "could not create the second test user (the manager): POST /Users answered "
                        + LifecycleEvidence.said(member.exchange) + "; see user-lifecycle.create",
                    evidence: LifecycleEvidence.write(member.exchange, sent: member.sent))
            }
            let path = EntraBodies.managerPath
            var problems: [String] = []
            var fixes: [String] = []
            var unconfirmed: [String] = []
            var unconfirmedFixes: [String] = []

            var lastSaid = ""
            /// PATCH, then read back: whether it was accepted, and the manager id read back (nil: none).
            /// `alongside` (reads only) goes out with the read-back, in the same round trip.
            func step(_ op: JSONValue, alongside: (@Sendable () async throws -> Verdict)? = nil) async throws
                -> (accepted: Bool, manager: String?, alongside: Verdict?)
            {
                let body = EntraBodies.patch([op])
                let exchange = try await context.patch(.users, id: id, body)
                evidence += LifecycleEvidence.write(exchange, sent: body)
                guard case .accepted = WriteAnswer(exchange) else {
                    lastSaid = LifecycleEvidence.said(exchange)
                    return (false, nil, nil)
                }
                async let alongsideVerdict = alongside?()
                let check = try await context.readResource(.users, id)
                let found = JSONValue(response: check.response).flatMap(Self.manager)
                evidence += Evidence.exchange(check, body: false)
                evidence.append(Evidence("manager read back", found ?? "none"))
                return (true, found, try await alongsideVerdict)
            }

            let managerFix =
                "On the server: support PATCH of \(path) with the manager's id as a bare string "
                + "(unconfirmed but widely observed), storing it as {\"value\": id}."
            for dialect in context.patchDialects {
                // The dialect's capitalisation; lower-case once the server has shown it refuses capitals (to test
                // the rest). With aadOptscim062020 Entra lower-cases every op.
                var op: (String) -> String = dialect.op
                var valueForm: (String) -> JSONValue = { .string($0) }
                let add = try await step(EntraBodies.operation(op("Add"), path: path, value: .string(managerID)))
                var managerSet = add.accepted && add.manager == managerID
                if !add.accepted {
                    let bareSaid = lastSaid
                    let complex = try await step(
                        EntraBodies.operation(op("Add"), path: path, value: object(["value": .string(managerID)])))
                    if complex.accepted, complex.manager != managerID {
                        // Accepted in the RFC form too, but never stored: that, not the form, is the fault.
                        problems.append(
                            "manager updates are accepted but not stored: Add \(path) answered \(bareSaid) with the "
                                + "bare id, and with {\"value\": \"\(managerID)\"} it was accepted but the user reads "
                                + "back with manager \(complex.manager ?? "none")")
                        fixes.append(Self.storeFix)
                    } else if complex.accepted {
                        managerSet = true
                        // Entra's bare-string form is unconfirmed: a server that takes the RFC form gets a warning,
                        // and the rest of the steps use the form it takes.
                        valueForm = { object(["value": .string($0)]) }
                        unconfirmed.append(
                            "the server rejects the bare manager id Entra sends (unconfirmed but widely observed): "
                                + "Add \(path) answered \(bareSaid); {\"value\": \"\(managerID)\"} is accepted")
                        unconfirmedFixes.append(
                            "On the server: accept a bare string id as the enterprise manager value and store it as "
                                + "{\"value\": id} (Entra and Microsoft's SCIM Validator send it so, unconfirmed but "
                                + "widely observed).")
                    } else if dialect == .entraDefault {
                        let lower = try await step(EntraBodies.operation("add", path: path, value: .string(managerID)))
                        managerSet = lower.accepted && lower.manager == managerID
                        if lower.accepted {
                            op = { $0.lowercased() }
                            problems.append(
                                "the server rejects capitalised ops (\"Add\"): Add \(path) answered \(bareSaid); "
                                    + "lower-case \"add\" with the bare id is accepted")
                            fixes.append(
                                "On the server: compare PATCH op values case-insensitively (Microsoft: \"Don't require "
                                    + "a case-sensitive match on structural elements in SCIM, in particular PATCH op "
                                    + "operation values\"; Entra sends Add, Replace and Remove).")
                        } else {
                            problems.append(
                                "setting the manager answered \(bareSaid), also as {\"value\": id} and with lower-case "
                                    + "\"add\": the server does not take Entra's manager updates")
                            fixes.append(managerFix)
                        }
                    } else {
                        problems.append(
                            "setting the manager (\(dialect.name)) answered \(bareSaid), also as {\"value\": id}: the "
                                + "server does not take Entra's manager updates")
                        fixes.append(managerFix)
                    }
                } else if !managerSet {
                    problems.append(
                        "manager updates are accepted but not stored: Add \(path) was accepted but the user reads back "
                            + "with manager " + (add.manager ?? "none"))
                    fixes.append(Self.storeFix)
                }
                if managerSet {
                    let form = Form(
                        op: op("Add"), wrapsValue: valueForm(managerID) != .string(managerID))
                    _ = await context.remember(.managerForm) { form }
                    // With the manager set, user-lifecycle.manager-query's queries go out beside the Replace's
                    // read-back; their verdict is kept only if that read-back shows the manager still set.
                    let queries =
                        dialect == context.patchDialects.first
                        ? await UserLifecycleManagerQueryProbe.queriesWhileSet(context, id: id, managerID: managerID)
                        : nil
                    let replace = try await step(
                        EntraBodies.operation(op("Replace"), path: path, value: valueForm(managerID)),
                        alongside: queries)
                    if let asked = replace.alongside, replace.manager == managerID {
                        _ = await context.remember(.managerQueryVerdict) { asked }
                    }
                    if !replace.accepted || replace.manager != managerID {
                        problems.append(
                            "replacing the manager (\(op("Replace")) with the bare id) "
                                + (replace.accepted
                                    ? "left manager \(replace.manager ?? "none")" : "answered \(lastSaid)"))
                        fixes.append("On the server: support \(op("Replace")) on \(path) with a bare id.")
                    }
                    let remove = try await step(EntraBodies.operation(op("Remove"), path: path))
                    if !remove.accepted {
                        problems.append("removing the manager (\(op("Remove")) \(path)) answered \(lastSaid)")
                        fixes.append(
                            "On the server: support {\"op\":\"Remove\",\"path\":\"\(path)\"} (it clears the manager).")
                    } else if let still = remove.manager {
                        problems.append("manager still \(still) after Remove was accepted")
                        fixes.append("On the server: clear the manager on Remove \(path).")
                    }
                }
            }
            if problems.isEmpty, !unconfirmed.isEmpty {
                return .warn(
                    unconfirmed.joined(separator: "; "), evidence: evidence,
                    fix: unconfirmedFixes.joined(separator: " "))
            }
            guard !problems.isEmpty else {
                return .pass(
                    "manager set to \(managerID) as Entra does (bare id, unconfirmed but widely observed), "
                        + "replaced and removed; each read back",
                    evidence: evidence)
            }
            return .fail(problems.joined(separator: "; "), evidence: evidence, fix: fixes.joined(separator: " "))
        }
    }
}

extension MemoKey {
    static var managerForm: MemoKey<UserLifecycleManagerProbe.Form> { .init("lifecycle-manager-form") }
}
