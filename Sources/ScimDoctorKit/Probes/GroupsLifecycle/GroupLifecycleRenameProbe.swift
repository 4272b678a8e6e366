import Foundation

/// `group-lifecycle.rename`: PATCH Replace displayName renames the group, as reading back shows.
struct GroupLifecycleRenameProbe: Probe {
    let description = ProbeDescription(
        id: "group-lifecycle.rename", section: .groupsLifecycle, title: "Rename a group",
        checks: "PATCH /Groups/{id} with Replace displayName (lower-case replace with aadOptscim062020) changes it, "
            + "as GET /Groups/{id} shows: Entra renames groups this way.",
        rationale:
            "A group renamed in Entra is sent as a PATCH Replace of displayName (lower-case replace with "
            + "aadOptscim062020); Microsoft expects 204 No Content, and the new name must be what the server "
            + "returns.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Group Operations'",
            "Microsoft: Known issues and resolutions with SCIM 2.0 protocol compliance "
                + "(application-provisioning-config-problem-scim-compatibility)",
            "RFC 7644 §3.5.2.3 (replace)",
        ],
        // After the duplicate probe: a second group with the first name is only a duplicate before the rename.
        dependencies: ["group-lifecycle.create"], runsAfter: ["group-lifecycle.duplicate"], timeoutInRequests: 20,
        writes: true,
        examples: [
            ProbeExample(
                "renamed", LifecycleExampleServer.setup(), expect: .pass,
                finding: "renamed to \"scim-doctor-0e0e0e0e Group renamed\""),
            ProbeExample(
                "accepted, not applied", LifecycleExampleServer.setup(.init(ignoresPatches: true)), expect: .fail,
                finding: "but displayName is still \"scim-doctor-0e0e0e0e Group\""),
            ProbeExample(
                "capitalised op rejected", LifecycleExampleServer.setup(.init(rejectsCapitalisedOps: true)),
                expect: .fail, finding: "the server rejects capitalised ops (\"Replace\")"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let id = try await context.lifecycleGroup().id else {
            return .skip("no test group (see group-lifecycle.create)")
        }
        let dialect = context.patchDialects[0]
        let newName = TestIdentity.group(tag: context.writes.tag, renamed: true).name
        return try await context.serially(.groups) {
            var evidence: [Evidence] = []
            func rename(_ op: String) async throws -> (Exchange, HTTPResponse?) {
                let body = EntraBodies.patch([
                    EntraBodies.operation(op, path: "displayName", value: .string(newName))
                ])
                let exchange = try await context.patch(.groups, id: id, body)
                evidence += LifecycleEvidence.write(exchange, sent: body)
                guard case .accepted(let response) = WriteAnswer(exchange) else { return (exchange, nil) }
                return (exchange, response)
            }
            var (exchange, accepted) = try await rename(dialect.op("replace"))
            var capitalsRefused: String?
            if accepted == nil, dialect == .entraDefault {
                // Is it the capitalised "Replace"?
                capitalsRefused = LifecycleEvidence.said(exchange)
                (exchange, accepted) = try await rename("replace")
                if accepted == nil { capitalsRefused = nil }
            }
            guard let response = accepted else {
                return .fail(
                    "the rename answered \(LifecycleEvidence.said(exchange)) (\(dialect.name))", evidence: evidence,
                    fix: "On the server: support PATCH Replace displayName on /Groups/{id} (op compared "
                        + "case-insensitively: Entra sends \"Replace\" by default), answering 204.")
            }
            let check = try await context.readResource(.groups, id)
            evidence += Evidence.exchange(check, body: false)
            let name = JSONValue(response: check.response)?["displayName"]?.string
            guard name == newName else {
                return .fail(
                    "the rename answered \(response.status) but displayName is still "
                        + (name.map { "\"\($0)\"" } ?? "unreadable (\(LifecycleEvidence.said(check)))"),
                    evidence: evidence, fix: "On the server: apply Replace displayName before answering 204.")
            }
            await context.lifecycleGroupName().set(newName)
            if let said = capitalsRefused {
                return .fail(
                    "the server rejects capitalised ops (\"Replace\"): the rename answered \(said); lower-case "
                        + "\"replace\" is accepted",
                    evidence: evidence,
                    fix: "On the server: compare PATCH op values case-insensitively (Microsoft: \"Don't require a "
                        + "case-sensitive match on structural elements in SCIM, in particular PATCH op operation "
                        + "values\"; Entra sends Replace).")
            }
            return .pass("renamed to \"\(newName)\" (\(dialect.name)), as read back", evidence: evidence)
        }
    }
}
