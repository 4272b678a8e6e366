import Foundation

/// `user-lifecycle.manager-query`: Microsoft's reference-attribute query finds the test user by its manager, and
/// only by its own.
struct UserLifecycleManagerQueryProbe: Probe {
    static let unconfirmed =
        "Microsoft describes this query only through its reference library's parsed parameters, so its literal form "
        + "is unconfirmed"

    let description = ProbeDescription(
        id: "user-lifecycle.manager-query", section: .usersLifecycle,
        title: "Manager reference query finds the user by its manager",
        checks: "With the second test user set as the test user's manager, GET /Users?filter=id eq \"<id>\" and "
            + "manager eq \"<manager id>\"&attributes=id returns exactly the test user, and the same query with "
            + "another manager id returns none (the qualified manager.value form is asked at the same time, to tell "
            + "a refused short name from refused expressions); the manager is removed afterwards. When "
            + "user-lifecycle.manager runs too, the queries are asked while it has the manager set.",
        rationale:
            "Microsoft's tutorial shows Entra asking whether a reference attribute already holds a value with a "
            + "two-expression filter (\"Query the value of a reference attribute\"). A server that refuses it "
            + "or ignores its second expression leaves Entra unable to tell whether the manager is set; "
            + "\(Self.unconfirmed), so every fault here is a warning.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Example 4. Query the value of a reference attribute "
                + "to be updated'",
            "RFC 7644 §3.4.2.2 (filtering, logical operator and)",
        ],
        dependencies: ["user-lifecycle.create"], runsAfter: ["user-lifecycle.manager"], timeoutInRequests: 14,
        writes: true,
        examples: [
            ProbeExample(
                "finds the user by its manager", LifecycleExampleServer.setup(), expect: .pass,
                finding: "id eq \"u-1\" and manager eq \"u-2\" finds exactly the test user"),
            ProbeExample(
                "two expressions refused", LifecycleExampleServer.setup(.init(rejectsCompoundFilter: true)),
                expect: .warn,
                finding: "the server rejects the filter id eq … and manager eq … (HTTP 400: \"only one filter"),
            ProbeExample(
                "short manager name refused, qualified name works",
                LifecycleExampleServer.setup(.init(rejectsShortManagerName: true)), expect: .warn,
                finding: "rejects the short name manager in id eq … and manager eq … (HTTP 400: \"Field not found"),
            ProbeExample(
                "second expression ignored", LifecycleExampleServer.setup(.init(appliesFirstFilterTermOnly: true)),
                expect: .warn, finding: "the manager expression is ignored"),
            ProbeExample(
                "manager never stored", LifecycleExampleServer.setup(.init(dropsManager: true)), expect: .skip,
                finding: "the manager could not be set"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let verdict = try await judge(context)
        await context.doneWithMemberUser(id)
        return verdict
    }

    private func judge(_ context: ProbeContext) async throws -> Verdict {
        // Asked already, while user-lifecycle.manager had the manager set (no PATCHes of its own needed).
        if let asked = await context.recalled(.managerQueryVerdict) { return asked }
        guard let id = try await context.lifecycleUser().creation.id else {
            return .skip("no test user (see user-lifecycle.create)")
        }
        return try await context.serially(.users) {
            guard let managerID = try await context.lifecycleMemberUser().id else {
                return .skip("no second test user to be the manager (see user-lifecycle.manager)")
            }
            guard isPlainFilterValue(id), isPlainFilterValue(managerID) else {
                return .skip("the test users' ids contain a quote or backslash, which a filter value cannot carry")
            }
            var evidence: [Evidence] = []
            guard try await setManager(context, id: id, managerID: managerID, &evidence) else {
                return .skip(
                    "the manager could not be set in any form Entra uses (see user-lifecycle.manager)",
                    evidence: evidence)
            }
            let verdict = try await Self.queries(context, id: id, managerID: managerID, evidence: evidence)
            let removal = EntraBodies.patch([EntraBodies.operation("remove", path: EntraBodies.managerPath)])
            let removed = try await context.patch(.users, id: id, removal)
            return verdict.adding(
                Evidence("manager removed", "\(shortRequest(removed)) → \(LifecycleEvidence.said(removed))"))
        }
    }

    /// The queries and their verdict, with the test user's manager set to `managerID` (read back) by the caller:
    /// this probe, or user-lifecycle.manager between its Replace and its Remove (see `queriesWhileSet`).
    static func queries(_ context: ProbeContext, id: String, managerID: String, evidence: [Evidence])
        async throws -> Verdict
    {
        var evidence = evidence
        func query(manager: String, qualified: Bool = false) async throws -> Exchange {
            try await context.read(
                ResourceKind.users.path,
                query: EntraQuery.managerReference(id: id, managerID: manager, qualified: qualified))
        }
        func outcome(_ exchange: Exchange) -> FilterOutcome {
            evidence += Evidence.exchange(exchange)
            return FilterOutcome(exchange, kind: .users, value: id, expectedID: id, query: .idsOnly)
        }
        // The user is surely not its own manager: a server that applies the whole filter finds nothing there.
        // All three queries at once, one round trip: Microsoft's form, the control, and the qualified name
        // (RFC 7644 §3.10 wants extension attributes qualified), which tells, when Microsoft's form is refused,
        // whether the short name or the two expressions are the problem. It is judged only then.
        async let withManager = query(manager: managerID)
        async let withOther = query(manager: id)
        async let withQualified = query(manager: managerID, qualified: true)
        let (matchingExchange, controlExchange, qualifiedExchange) = try await (withManager, withOther, withQualified)
        let matching = outcome(matchingExchange)
        let control = outcome(controlExchange)
        var qualified: FilterOutcome?
        if case .rejected = matching { qualified = outcome(qualifiedExchange) }
        return verdict(
            matching, control: control, qualified: qualified,
            query: "id eq \"\(id)\" and manager eq \"\(managerID)\"", evidence: evidence)
    }

    /// For user-lifecycle.manager, under the users lock, while the test user's manager is `managerID`: when this
    /// probe is selected, its queries, to be asked beside the Replace's read-back and kept (`managerQueryVerdict`)
    /// for its own run, which then needs neither to set the manager nor to remove it (four round trips fewer).
    static func queriesWhileSet(_ context: ProbeContext, id: String, managerID: String) async
        -> (@Sendable () async throws -> Verdict)?
    {
        guard await context.isSelected("user-lifecycle.manager-query"), isPlainFilterValue(id),
            isPlainFilterValue(managerID)
        else { return nil }
        return {
            try await queries(
                context, id: id, managerID: managerID,
                evidence: [
                    Evidence("manager", "\(managerID), set and read back by user-lifecycle.manager, which removes it")
                ])
        }
    }

    /// Sets the manager the way the server takes it — first the form user-lifecycle.manager saw stored, then
    /// Entra's bare id, `{"value": id}`, capitalised op, lower-case — proved by a read-back. user-lifecycle.manager
    /// reports which forms fail.
    private func setManager(_ context: ProbeContext, id: String, managerID: String, _ evidence: inout [Evidence])
        async throws -> Bool
    {
        var ops: [String] = []
        for op in context.patchDialects.map({ $0.op("Add") }) + ["add"] where !ops.contains(op) { ops.append(op) }
        var forms = ops.flatMap { op in [false, true].map { UserLifecycleManagerProbe.Form(op: op, wrapsValue: $0) } }
        // The form user-lifecycle.manager saw stored goes first (one PATCH instead of relearning it).
        if let learnt = await context.recalled(.managerForm) {
            forms.removeAll { $0 == learnt }
            forms.insert(learnt, at: 0)
        }
        for form in forms {
            let body = EntraBodies.patch([form.operation(managerID)])
            let exchange = try await context.patch(.users, id: id, body)
            evidence += LifecycleEvidence.write(exchange, sent: body)
            guard case .accepted = WriteAnswer(exchange) else { continue }
            let check = try await context.readResource(.users, id)
            if JSONValue(response: check.response).flatMap(UserLifecycleManagerProbe.manager) == managerID {
                return true
            }
        }
        return false
    }

    private static func verdict(
        _ outcome: FilterOutcome, control: FilterOutcome, qualified: FilterOutcome?, query: String,
        evidence: [Evidence]
    ) -> Verdict {
        let fix =
            "On the server: support filters of two expressions joined by and (RFC 7644 §3.4.2.2), with the manager "
            + "compared by its id, so id eq \"…\" and manager eq \"…\" returns the user only when that is its "
            + "manager (\(Self.unconfirmed))."
        func warn(_ what: String) -> Verdict {
            .warn("\(what) (\(Self.unconfirmed))", evidence: evidence, fix: fix)
        }
        switch outcome {
        case .exact:
            guard case .none = control else {
                return warn(
                    "the manager expression is ignored: \(query) finds the test user, but so does the same query "
                        + "with another manager id, so Entra could take any manager as already set (inferred)")
            }
            return .pass(
                "\(query) finds exactly the test user, and with another manager id finds none", evidence: evidence)
        case .rejected(_, let response):
            let said = SCIMAnswer.serverMessage(response).map { ": \"\($0)\"" } ?? ""
            guard case .exact? = qualified else {
                return warn("the server rejects the filter id eq … and manager eq … (HTTP 400\(said))")
            }
            return .warn(
                "the server rejects the short name manager in id eq … and manager eq … (HTTP 400\(said)), the form "
                    + "of Microsoft's example, and finds the user with the qualified \(EntraBodies.managerPath).value "
                    + "(RFC 7644 §3.10: clients SHOULD qualify extension attributes; \(Self.unconfirmed))",
                evidence: evidence,
                fix: "On the server: take an unqualified manager in filters as the enterprise extension's "
                    + "manager.value (the core User schema has no manager), as Microsoft's example writes it.")
        case .none:
            return warn("\(query) finds nothing, though the test user reads back with that manager")
        case .others(let page), .duplicates(let page):
            return warn("\(query) returns \(page.resources.count) users instead of exactly the test user")
        case .problem(let problem):
            return warn("\(query): \(problem.finding)")
        }
    }
}

extension MemoKey {
    static var managerQueryVerdict: MemoKey<Verdict> { .init("lifecycle-manager-query-verdict") }
}
