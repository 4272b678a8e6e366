import Foundation

/// `user-lifecycle.read-back`: every mapped attribute the create sent comes back exactly as sent.
struct UserLifecycleReadBackProbe: Probe {
    let description = ProbeDescription(
        id: "user-lifecycle.read-back", section: .usersLifecycle, title: "Mapped attributes round-trip unchanged",
        checks: "GET /Users/{id} right after the create returns every mapped attribute exactly as sent (values "
            + "compared case-sensitively): Entra compares what it reads with what it maps, so a dropped, renamed or "
            + "reformatted attribute makes it update the user every cycle.",
        rationale:
            "Entra compares what it reads back with what it maps: a server that drops, renames or reformats "
            + "a value (a phone number, letter case) makes Entra see a difference and update the user on every "
            + "cycle.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'General' (\"Values sent should be stored in the same "
                + "format they were sent\")",
            "RFC 7644 §3.4.1 (retrieving a known resource)",
        ],
        dependencies: ["user-lifecycle.create"], timeoutInRequests: 3, writes: true,
        examples: [
            ProbeExample(
                "everything round-trips", LifecycleExampleServer.setup(), expect: .pass,
                finding: "all 21 mapped attributes sent came back exactly as sent"),
            ProbeExample(
                "phone numbers reformatted", LifecycleExampleServer.setup(.init(reformatsPhones: true)),
                expect: .fail,
                finding: #"phoneNumbers[type eq "work"].value reformatted ("+1 (555) 555-0100" for sent "15555550100")"#
            ),
            ProbeExample(
                "title dropped", LifecycleExampleServer.setup(.init(drops: ["title"])), expect: .fail,
                finding: "title dropped"),
            ProbeExample(
                "preferredLanguage renamed",
                LifecycleExampleServer.setup(.init(renames: ["preferredLanguage": "locale"])), expect: .fail,
                finding: "preferredLanguage renamed (came back as locale)"),
            ProbeExample(
                "the user cannot be read back",
                LifecycleExampleServer.setup(
                    before: [.get("/scim/v2/Users/u-1", .json(404, ScimSamples.error(404, detail: "not found")))]),
                expect: .fail, finding: "GET /scim/v2/Users/u-1 answered HTTP 404: \"not found\" right after the create"
            ),
            ProbeExample(
                "no test user",
                LifecycleExampleServer.setup(.init(createReply: .json(400, ScimSamples.error(400, detail: "no")))),
                expect: .skip, finding: "no test user"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let user = try await context.lifecycleUser()
        guard let exchange = user.readBack else {
            return .skip("no test user to read back (see user-lifecycle.create)")
        }
        let request = shortRequest(exchange)
        guard let response = exchange.response else {
            return .fail(
                "\(request) got no answer right after the create", evidence: Evidence.exchange(exchange),
                fix: noAnswerFix("GET /Users/{id}"))
        }
        guard response.status == 200 else {
            return .fail(
                "\(request) answered \(LifecycleEvidence.said(exchange)) right after the create: Entra reads and "
                    + "updates the user by the id the create returned",
                evidence: Evidence.exchange(exchange) + SCIMAnswer.errorEvidence(response),
                fix: "On the server: answer GET /Users/{id} with 200 and the user, for the id POST /Users returned.")
        }
        guard let resource = JSONValue(response: response) else {
            return .fail(
                "\(request) did not answer with a JSON object", evidence: Evidence.exchange(exchange),
                fix: "On the server: answer GET /Users/{id} with the user as a SCIM JSON object (RFC 7644 §3.4.1).")
        }
        // Only what the accepted create carried: after a refused create, the attributes left out were not sent.
        let body = user.creation.sent
        let sent = ReadBack.sentAttributes(.ada, tag: context.writes.tag).filter {
            ReadBack.locate($0.location, in: body) != nil
        }
        let drift = ReadBack.drift(sent, in: resource)
        let evidence = Evidence.exchange(exchange, body: drift.isEmpty)
        let reduced =
            user.attempts.count > 1
            ? " (of the user created without what the server refused; see user-lifecycle.create)" : ""
        guard !drift.isEmpty else {
            return .pass(
                "all \(sent.count) mapped attributes sent came back exactly as sent\(reduced)", evidence: evidence)
        }
        var items: [String] = []
        var details: [Evidence] = []
        var reformatted: [String] = []
        var dropped: [String] = []
        var moved: [String] = []
        for (attribute, change) in drift {
            let sentValue = attribute.expected.shown
            switch change {
            case .dropped:
                items.append("\(attribute.target) dropped")
                details.append(
                    Evidence(attribute.target, "sent \(sentValue), missing in the answer; mapping \(attribute.mapping)")
                )
                dropped.append(attribute.mapping)
            case .moved(let path):
                items.append("\(attribute.target) renamed (came back as \(path))")
                details.append(
                    Evidence(
                        attribute.target, "sent \(sentValue), returned under \(path); mapping \(attribute.mapping)"))
                moved.append("\(attribute.mapping) (the server uses \(path))")
            case .reformatted(let got, let note):
                let why = note.map { "; \($0)" } ?? ""
                items.append("\(attribute.target) reformatted (\(got.shown) for sent \(sentValue)\(why))")
                details.append(
                    Evidence(
                        attribute.target, "sent \(sentValue), got \(got.shown)\(why); mapping \(attribute.mapping)"))
                reformatted.append(attribute.mapping)
            case .changed(let got):
                items.append("\(attribute.target) changed (\(got.shown) for sent \(sentValue))")
                details.append(
                    Evidence(attribute.target, "sent \(sentValue), got \(got.shown); mapping \(attribute.mapping)"))
                reformatted.append(attribute.mapping)
            }
        }
        var consequences: [String] = []
        var fixes: [String] = []
        if !reformatted.isEmpty {
            consequences.append("Entra updates the user every cycle")
            fixes.append(
                "On the server: store and return values exactly as sent (Microsoft: a phone number sent as "
                    + "55555555555 shouldn't be saved/returned as +5 (555) 555-5555); or, if the application needs "
                    + "its own format, change the mapping to send that format (\(reformatted.joined(separator: "; ")))"
                    + " in \(LifecycleVerdicts.userMappings).")
        }
        if !dropped.isEmpty || !moved.isEmpty {
            consequences.append("Entra sends what the server did not keep again and again")
        }
        if !dropped.isEmpty {
            fixes.append(
                "For \(dropped.joined(separator: "; ")): remove the mapping in \(LifecycleVerdicts.userMappings), "
                    + "or store it on the server.")
        }
        if !moved.isEmpty {
            fixes.append(
                "For \(moved.joined(separator: "; ")): return the attribute under the name Entra sends on the "
                    + "server, or point the mapping at the attribute the server uses in "
                    + "\(LifecycleVerdicts.userMappings).")
        }
        return .fail(
            "\(drift.count) of \(sent.count) attributes did not come back as sent: "
                + items.joined(separator: "; ") + " — " + consequences.joined(separator: "; "),
            evidence: evidence + details, fix: fixes.joined(separator: " "))
    }
}
