import Foundation

extension ProbeContext {
    /// Deletes every resource this run created and still exists, newest first, and checks each is gone; then
    /// looks for the resources of unproven creates by their exact name. Runs whatever happened before (failed
    /// probes, timeouts, an interrupt).
    public func cleanUp() async -> CleanupReport {
        var report = CleanupReport()
        var resources: [CreatedResource] = []
        for resource in await writes.resources.reversed() {
            // Deleted during the run and then not found by a GET: gone already, nothing to read or delete.
            if await writes.isVerifiedGone(resource) {
                report.deleted.append(resource)
            } else {
                resources.append(resource)
            }
        }
        let paths = resources.map { (try? resourcePath($0.kind, $0.id)) ?? "" }
        // The reads run side by side (one round trip for all); the DELETEs go one by one, newest first, since a
        // server may refuse to delete a user a group still lists.
        let still = await readAll(paths)
        var deletions: [Int: Exchange?] = [:]
        for (index, resource) in resources.enumerated() {
            // Only a resource this run already deleted may be taken as gone on a 404: a server that hides a
            // resource from GET still gets its DELETE, and nothing is ever dropped from the report unsaid.
            if still[index]?.response?.status == 404, await writes.isRemoved(resource) { continue }
            deletions[index] = try? await delete(resource.kind, id: resource.id)
        }
        let checks = await readAll(paths.enumerated().map { deletions[$0.offset] != nil ? $0.element : nil })
        for (index, resource) in resources.enumerated() {
            guard let deletion = deletions[index] else {
                report.deleted.append(resource)
                continue
            }
            if checks[index]?.response?.status == 404 {
                report.deleted.append(resource)
                continue
            }
            let reason: String
            switch deletion?.outcome {
            case .failure(let error): reason = "no answer to DELETE: \(error.message)"
            case .success(let response) where (200..<300).contains(response.status):
                reason = "DELETE answered HTTP \(response.status) but the resource is still there (a soft delete)"
            case .success(let response): reason = "DELETE answered HTTP \(response.status)"
            case nil: reason = "the DELETE request could not be made"
            }
            report.leftovers.append(
                Leftover(
                    kind: resource.kind, id: resource.id, label: resource.label, reason: token.redact(reason),
                    command: removalCommand(
                        resource.kind, resource.id,
                        softDeleted: deletion?.response.map {
                            (200..<300).contains($0.status)
                        } ?? false)))
        }
        var looked: Set<String> = []
        for create in await writes.unprovenCreates.reversed()
        where looked.insert("\(create.identity.kind.rawValue) \(create.identity.name)").inserted {
            let found = await removeUnproven(create)
            report.deleted += found.deleted
            report.leftovers += found.leftovers
        }
        return report
    }

    /// GET of each path side by side (nil paths are not read), in the order given.
    private func readAll(_ paths: [String?]) async -> [Exchange?] {
        await withTaskGroup(of: (Int, Exchange?).self) { group in
            for (index, path) in paths.enumerated() {
                guard let path else { continue }
                group.addTask { (index, try? await self.read(path)) }
            }
            var results = [Exchange?](repeating: nil, count: paths.count)
            for await (index, exchange) in group { results[index] = exchange }
            return results
        }
    }

    /// The resources named exactly as an unproven create's, found by a filter on that name, each read back by id
    /// and deleted only when the read-back shows the test identity. When the search fails, a leftover says that
    /// a resource may remain.
    private func removeUnproven(_ create: UnprovenCreate) async -> CleanupReport {
        var report = CleanupReport()
        let identity = create.identity
        let kind = identity.kind
        let mayRemain = { (why: String) in
            Leftover(
                kind: kind, id: "", label: identity.name,
                reason: self.token.redact("may remain: \(create.reason); \(why)"),
                command: ShellCommand.none(
                    "look for the \(kind.singular) named \(identity.name) in the application and remove it there"))
        }
        let search: Exchange
        do { search = try await readFilter(kind, kind.matchingAttribute, equals: identity.name) } catch {
            report.leftovers.append(mayRemain("looking for it by its name could not be sent"))
            return report
        }
        guard let response = search.response, response.status == 200, let body = JSONValue(response: response) else {
            let said = search.response.map { "HTTP \($0.status)" } ?? "no answer"
            report.leftovers.append(mayRemain("looking for it by its name answered \(said)"))
            return report
        }
        let hits: [JSONValue]
        switch body["Resources"] {
        case .array(let resources)?: hits = resources
        case nil where body["totalResults"] == .int(0): hits = []  // RFC 7644 §3.4.2: may be left out when empty
        default:
            report.leftovers.append(mayRemain("the answer to looking for it by its name is not a SCIM ListResponse"))
            return report
        }
        let limit = 20
        for hit in hits.prefix(limit) {
            guard case .string(let id)? = hit["id"], ResourceIDRule.problem(id) == nil,
                !(await writes.owns(kind, id)), hit[kind.matchingAttribute] == .string(identity.name)
            else { continue }
            guard let proof = try? await read(try resourcePath(kind, id)), proof.response?.status == 200,
                identity.mismatch(id: id, in: JSONValue(response: proof.response)) == nil
            else { continue }
            await writes.record(CreatedResource(kind: kind, id: id, label: identity.name))
            let deletion = try? await delete(kind, id: id)
            let check = try? await read(try resourcePath(kind, id))
            if check?.response?.status == 404 {
                report.deleted.append(CreatedResource(kind: kind, id: id, label: identity.name))
            } else {
                let said = deletion?.response.map { "HTTP \($0.status)" } ?? "no answer"
                report.leftovers.append(
                    Leftover(
                        kind: kind, id: id, label: identity.name,
                        reason: "found by its name after \(create.reason); DELETE answered \(said) but it remains",
                        command: removalCommand(kind, id)))
            }
        }
        if hits.count > limit {
            report.leftovers.append(
                mayRemain("the search by its name answered \(hits.count) resources, more than scim-doctor checks"))
        }
        return report
    }

    /// Cleanup at the end of a write run, after `gate` has stopped all writes: deletes every resource the run
    /// created, newest first. A create answered just as the gate closed registers a moment later, so cleanup
    /// looks again until every created resource is accounted for.
    func finalCleanup(after gate: WriteGate) async -> CleanupReport {
        await gate.close()
        await writes.beginCleanup()
        var report = CleanupReport()
        var accounted: Set<String> = []
        for round in 0..<3 {
            if round == 0 { try? await Task.sleep(for: .milliseconds(20)) }
            let known = await writes.resources
            guard known.contains(where: { !accounted.contains(Self.key($0.kind, $0.id)) }) || round == 0 else { break }
            let again = await cleanUp()
            report.deleted += again.deleted.filter { !accounted.contains(Self.key($0.kind, $0.id)) }
            report.leftovers += again.leftovers.filter { !accounted.contains(Self.key($0.kind, $0.id)) }
            accounted.formUnion(known.map { Self.key($0.kind, $0.id) })
            accounted.formUnion(again.deleted.map { Self.key($0.kind, $0.id) })
            accounted.formUnion(again.leftovers.map { Self.key($0.kind, $0.id) })
        }
        return report
    }

    /// Every resource the run created and has not seen deleted, as leftovers (when cleanup itself is cut short).
    func notYetRemoved(reason: String) async -> [Leftover] {
        var leftovers: [Leftover] = []
        for resource in await writes.resources.reversed() where !(await writes.isRemoved(resource)) {
            leftovers.append(
                Leftover(
                    kind: resource.kind, id: resource.id, label: resource.label, reason: reason,
                    command: removalCommand(resource.kind, resource.id)))
        }
        return leftovers
    }

    /// The command that deletes one resource by hand (the same as `cleanUp()` gives), quoted for the shell;
    /// a harmless comment when the id cannot be used in a URL path.
    func removalCommand(_ kind: ResourceKind, _ id: String, softDeleted: Bool = false) -> String {
        // The DELETE this command would send is the one that only deactivated the resource.
        if softDeleted {
            return ShellCommand.none(
                "DELETE only deactivates this \(kind.singular) on this server (a soft delete); remove it in the application"
            )
        }
        guard let path = try? resourcePath(kind, id) else {
            return ShellCommand.none(
                "the server's id cannot be used in a URL path; remove this \(kind.singular) in the application")
        }
        guard let tenant, let command = ShellCommand.delete(url: tenant.url(path)) else {
            return ShellCommand.none("the Tenant URL cannot be quoted for a shell; remove it in the application")
        }
        return command
    }

    private static func key(_ kind: ResourceKind, _ id: String) -> String { "\(kind.rawValue)/\(id)" }
}
