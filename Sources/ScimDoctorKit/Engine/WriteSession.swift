import Foundation

/// A resource this run created.
public struct CreatedResource: Sendable, Equatable, Codable {
    public let kind: ResourceKind
    public let id: String
    /// userName or displayName, for the report.
    public let label: String
}

/// A created resource that could not be removed, with the exact command that removes it.
public struct Leftover: Sendable, Equatable, Codable {
    public let kind: ResourceKind
    public let id: String
    public let label: String
    public let reason: String
    public let command: String
}

/// What cleanup did at the end of a write run.
public struct CleanupReport: Sendable, Equatable, Codable {
    public var deleted: [CreatedResource] = []
    public var leftovers: [Leftover] = []
}

/// The resources a write run created, so that it changes and deletes nothing else and removes them all at the end,
/// newest first. Every created resource carries the run tag in its userName/displayName and externalId.
public actor WriteSession {
    public nonisolated let runID: String
    private var created: [CreatedResource] = []
    private var removed: Set<String> = []

    public init(runID: String = WriteSession.newRunID()) { self.runID = runID }

    /// `scim-doctor-<run id>`: the prefix of every name this run gives (and `cleanup` looks for).
    public nonisolated var tag: String { "\(Self.tagPrefix)\(runID)" }
    public static let tagPrefix = "scim-doctor-"

    /// Eight lower-case hex digits: unique enough per tenant, short enough to read.
    public static func newRunID() -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8))
    }

    func record(_ resource: CreatedResource) { created.append(resource) }
    func markRemoved(_ kind: ResourceKind, _ id: String) { removed.insert("\(kind.rawValue)/\(id)") }

    /// Whether this run created that resource (the only ones it may change or delete).
    public func owns(_ kind: ResourceKind, _ id: String) -> Bool {
        created.contains { $0.kind == kind && $0.id == id }
    }

    /// Everything created so far, oldest first.
    public var resources: [CreatedResource] { created }

    func isRemoved(_ resource: CreatedResource) -> Bool { removed.contains("\(resource.kind.rawValue)/\(resource.id)") }
}

extension ProbeContext {
    /// `POST {tenant}/{kind}` with `body`, never memoized; a 2xx answer with an `id` registers the resource.
    public func create(_ kind: ResourceKind, body: Data, label: String) async throws -> Exchange {
        // The engine already skips write probes without --allow-writes; this is the last line of defence.
        guard options.allowWrites else {
            throw ProbeError("refused to create a test \(kind.singular) without --allow-writes")
        }
        let request = try request("POST", kind.rawValue, body: body)
        let exchange = Exchange(request: request, outcome: await sendUncached(request))
        if let id = createdID(exchange) {
            await writes.record(CreatedResource(kind: kind, id: id, label: label))
        }
        return exchange
    }

    /// `PATCH {tenant}/{kind}/{id}`; refuses (a tool error) to touch a resource this run did not create.
    public func patch(_ kind: ResourceKind, id: String, body: Data) async throws -> Exchange {
        try await requireOwned(kind, id)
        let request = try request("PATCH", resourcePath(kind, id), body: body)
        return Exchange(request: request, outcome: await sendUncached(request))
    }

    /// `DELETE {tenant}/{kind}/{id}`; refuses to touch a resource this run did not create.
    public func delete(_ kind: ResourceKind, id: String) async throws -> Exchange {
        try await requireOwned(kind, id)
        let request = try request("DELETE", resourcePath(kind, id))
        let outcome = await sendUncached(request)
        if let status = try? outcome.get().status, (200..<300).contains(status) || status == 404 {
            await writes.markRemoved(kind, id)
        }
        return Exchange(request: request, outcome: outcome)
    }

    /// A fresh (never memoized) GET, for reading back what a write changed.
    public func read(_ resource: String, query: String? = nil) async throws -> Exchange {
        let request = try request("GET", resource, query: query)
        return Exchange(request: request, outcome: await sendUncached(request))
    }

    /// Deletes every resource this run created and still exists, newest first, and checks each is gone.
    /// Runs whatever happened before (failed probes, timeouts, an interrupt).
    public func cleanUp() async -> CleanupReport {
        var report = CleanupReport()
        for resource in await writes.resources.reversed() {
            let path = resourcePath(resource.kind, resource.id)
            // Only a resource this run already deleted may be taken as gone on a 404: a server that hides a
            // resource from GET still gets its DELETE, and nothing is ever dropped from the report unsaid.
            let still = try? await read(path)
            if still?.response?.status == 404, await writes.isRemoved(resource) {
                report.deleted.append(resource)
                continue
            }
            let deletion = try? await delete(resource.kind, id: resource.id)
            let check = try? await read(path)
            if check?.response?.status == 404 {
                report.deleted.append(resource)
                continue
            }
            let reason: String
            switch deletion?.outcome {
            case .failure(let error): reason = "no answer to DELETE: \(error.message)"
            case .success(let response) where (200..<300).contains(response.status):
                reason = "DELETE answered HTTP \(response.status) but the resource is still there"
            case .success(let response): reason = "DELETE answered HTTP \(response.status)"
            case nil: reason = "the DELETE request could not be made"
            }
            report.leftovers.append(
                Leftover(
                    kind: resource.kind, id: resource.id, label: resource.label, reason: token.redact(reason),
                    command: removalCommand(resource.kind, resource.id)))
        }
        return report
    }

    func resourcePath(_ kind: ResourceKind, _ id: String) -> String {
        "\(kind.rawValue)/\(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id)"
    }

    private func requireOwned(_ kind: ResourceKind, _ id: String) async throws {
        guard await writes.owns(kind, id) else {
            throw ProbeError("refused to change \(kind.rawValue)/\(id): this run did not create it")
        }
    }
}
