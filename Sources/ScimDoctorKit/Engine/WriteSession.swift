import Foundation

/// A resource this run created, proven to be its own.
public struct CreatedResource: Sendable, Equatable, Codable {
    public let kind: ResourceKind
    public let id: String
    /// userName or displayName, for the report.
    public let label: String
}

/// A created resource that could not be removed, with the exact command that removes it (or, where no command
/// can be given safely, a shell comment saying why).
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

/// What a test resource is called: the exact names and externalIds the tool gives, and nothing else. A resource is
/// the run's own only when a GET by its id returns these (`ownsAnswer`); `cleanup` matches only these shapes.
public struct TestIdentity: Sendable, Equatable {
    public let kind: ResourceKind
    /// userName (users) or displayName (groups), exactly as sent.
    public let name: String
    /// The externalId sent; a server may drop it, but one it returns must be this.
    public let externalId: String?

    /// The two test users' handles and the group's name suffixes: every name this tool ever gives a resource.
    static let userHandles = ["ada", "grace"]
    static let groupSuffixes = [" Group", " Group renamed"]

    public static func user(tag: String, handle: String) -> TestIdentity {
        TestIdentity(kind: .users, name: "\(tag)-\(handle)@example.com", externalId: "\(tag)-\(handle)")
    }

    public static func group(tag: String, renamed: Bool = false) -> TestIdentity {
        TestIdentity(kind: .groups, name: tag + groupSuffixes[renamed ? 1 : 0], externalId: "\(tag)-group")
    }

    /// Every identity a run with this tag can leave behind.
    static func all(tag: String) -> [TestIdentity] {
        userHandles.map { user(tag: tag, handle: $0) } + [group(tag: tag), group(tag: tag, renamed: true)]
    }

    /// The run tag when `name` (and `externalId`, when given) are exactly what a run created: `scim-doctor-`, 8
    /// lower-case hex digits, one of the suffixes above. Not a prefix, not another letter case.
    static func tag(kind: ResourceKind, name: String, externalId: String?) -> String? {
        guard name.hasPrefix(WriteSession.tagPrefix) else { return nil }
        let runID = name.dropFirst(WriteSession.tagPrefix.count).prefix(8)
        guard runID.count == 8, runID.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else {
            return nil
        }
        let tag = WriteSession.tagPrefix + runID
        let match = all(tag: tag).first { $0.kind == kind && $0.name == name }
        guard let match, externalId == nil || externalId == match.externalId else { return nil }
        return tag
    }

    /// Why the GET answer `body` is not this identity (nil when it is): the id, the name and any externalId must
    /// be exactly those of the resource the run created.
    func mismatch(id: String, in body: JSONValue?) -> String? {
        guard let body, case .object = body else { return "the answer is not a JSON object" }
        guard case .string(let answeredID)? = body["id"], answeredID == id else {
            return "it answers id \(Self.describe(body["id"])) instead of \(id)"
        }
        let attribute = kind.matchingAttribute
        guard case .string(let answeredName)? = body[attribute], answeredName == name else {
            return "its \(attribute) is \(Self.describe(body[attribute])), not the test \(kind.singular)'s \"\(name)\""
        }
        if let externalId, let answered = body["externalId"], answered != .null, answered != .string(externalId) {
            return "its externalId is \(Self.describe(answered)), not \"\(externalId)\""
        }
        return nil
    }

    private static func describe(_ value: JSONValue?) -> String {
        guard let value else { return "nothing" }
        let text = value.text
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}

/// Ids a server chose, as they may go into a URL path: empty, `.`, `..`, anything with `/` or a control character
/// is refused (libcurl would resolve dot segments, and PATCH or DELETE would reach the collection or the base);
/// everything else is percent-encoded except RFC 3986's unreserved characters, so `auth0|123` stays usable.
public enum ResourceIDRule {
    /// Why `id` cannot be used in a path; nil when it can.
    public static func problem(_ id: String) -> String? {
        if id.isEmpty { return "the id is empty" }
        if id == "." || id == ".." { return "the id \"\(id)\" is a dot segment" }
        if id.contains("/") { return "the id contains \"/\"" }
        if id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "the id contains a control character"
        }
        return nil
    }

    /// `id` as one path segment; throws when `problem(id)` is not nil.
    public static func pathSegment(_ id: String) throws -> String {
        if let problem = problem(id) { throw ProbeError("refused to use the server's id in a URL: \(problem)") }
        return PercentEncoding.encoded(id, keeping: PercentEncoding.isUnreserved)
    }
}

/// A create whose resource could not be proven the run's own (no answer, no id, an unusable id, a read-back that
/// failed or showed another resource): the run may have left a resource, so cleanup looks for it by its name.
public struct UnprovenCreate: Sendable, Equatable {
    public let identity: TestIdentity
    public let reason: String
}

/// The resources a write run created, so that it changes and deletes nothing else and removes them all at the end,
/// newest first. Every created resource carries the run tag in its userName/displayName and externalId.
public actor WriteSession {
    public nonisolated let runID: String
    private var created: [CreatedResource] = []
    private var unproven: [UnprovenCreate] = []
    /// Creates sent whose answer has not been settled yet: an interrupt may end the run right there.
    private var pending: [UUID: UnprovenCreate] = [:]
    private var removed: Set<String> = []
    private var verifiedGone: Set<String> = []
    /// Deletions started before the final cleanup, of test resources no probe needs any more; the cleanup waits
    /// for them, then skips what they verified gone and cleans up the rest as usual.
    private var earlyRemovals: [Task<Void, Never>] = []
    private var cleaningUp = false

    public init(runID: String = WriteSession.newRunID()) { self.runID = runID }

    /// Starts `removal` now, beside the probes still running; ignored once the final cleanup has begun.
    func removeEarly(_ removal: @escaping @Sendable () async -> Void) {
        guard !cleaningUp else { return }
        earlyRemovals.append(Task { await ProbeScope.$current.withValue(nil) { await removal() } })
    }

    /// The final cleanup begins: no more early removals; those under way are waited for.
    func beginCleanup() async {
        cleaningUp = true
        for removal in earlyRemovals { await removal.value }
    }

    /// `scim-doctor-<run id>`: the prefix of every name this run gives (and `cleanup` looks for).
    public nonisolated var tag: String { "\(Self.tagPrefix)\(runID)" }
    public static let tagPrefix = "scim-doctor-"

    /// Eight lower-case hex digits: unique enough per tenant, short enough to read.
    public static func newRunID() -> String {
        let hex = String(UInt32.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    func record(_ resource: CreatedResource) {
        guard !owns(resource.kind, resource.id) else { return }
        created.append(resource)
    }

    func recordUnproven(_ create: UnprovenCreate) { unproven.append(create) }

    /// Notes a create about to be sent, until `settle`: the resource may exist before its answer is read.
    func notePending(_ identity: TestIdentity) -> UUID {
        let key = UUID()
        pending[key] = UnprovenCreate(
            identity: identity, reason: "the run ended before the create's answer was read and proven")
        return key
    }

    func settle(_ key: UUID) { pending[key] = nil }
    func markRemoved(_ kind: ResourceKind, _ id: String) { removed.insert("\(kind.rawValue)/\(id)") }

    /// A resource this run deleted that a GET then did not find (404): the final cleanup need not read it again.
    func markVerifiedGone(_ kind: ResourceKind, _ id: String) {
        if removed.contains("\(kind.rawValue)/\(id)") { verifiedGone.insert("\(kind.rawValue)/\(id)") }
    }

    func isVerifiedGone(_ resource: CreatedResource) -> Bool {
        verifiedGone.contains("\(resource.kind.rawValue)/\(resource.id)")
    }

    /// Whether this run created that resource and proved it (the only ones it may change or delete).
    public func owns(_ kind: ResourceKind, _ id: String) -> Bool {
        created.contains { $0.kind == kind && $0.id == id }
    }

    /// Everything created and proven so far, oldest first.
    public var resources: [CreatedResource] { created }
    /// Creates that may have left a resource the run could not prove its own.
    public var unprovenCreates: [UnprovenCreate] { unproven + pending.values }

    func isRemoved(_ resource: CreatedResource) -> Bool { removed.contains("\(resource.kind.rawValue)/\(resource.id)") }
}

/// A create and what became of it.
public struct Creation: Sendable {
    /// The POST.
    public let exchange: Exchange
    /// The GET of the answered id that the tool made to prove the resource its own (nil when there was no id).
    public let proof: Exchange?
    /// The proven id; nil when nothing is the run's own.
    public let ownedID: String?
    /// Why the answer does not prove a resource the run's own (nil when it does, or when nothing was created).
    public let notProven: String?
}

extension ProbeContext {
    /// `POST {tenant}/{kind}` with `body` (never memoized), then a GET of the answered id: only a read-back that
    /// shows `identity` makes the resource the run's own. A create that may have left something unproven is
    /// noted, so that cleanup looks for it by its name.
    public func create(_ kind: ResourceKind, body: Data, identity: TestIdentity) async throws -> Creation {
        // The engine already skips write probes without --allow-writes; this is the last line of defence.
        guard options.allowWrites else {
            throw ProbeError("refused to create a test \(kind.singular) without --allow-writes")
        }
        let request = try request("POST", kind.rawValue, body: body)
        let pending = await writes.notePending(identity)
        let creation = try await prove(
            Exchange(request: request, outcome: await sendUncached(request)), kind, identity: identity)
        await writes.settle(pending)
        return creation
    }

    /// What a create's answer proves: the resource the run's own (recorded), or an unproven create (noted).
    private func prove(_ exchange: Exchange, _ kind: ResourceKind, identity: TestIdentity) async throws -> Creation {
        func unproven(_ reason: String, proof: Exchange? = nil) async -> Creation {
            await writes.recordUnproven(UnprovenCreate(identity: identity, reason: reason))
            return Creation(exchange: exchange, proof: proof, ownedID: nil, notProven: reason)
        }
        let response: HTTPResponse
        switch exchange.outcome {
        case .failure(let error): return await unproven("the create got no answer (\(error.message))")
        case .success(let answer): response = answer
        }
        guard (200..<300).contains(response.status) else {
            // A refusal creates nothing; a server error may have stored the resource before failing.
            if response.status >= 500 { return await unproven("the create answered HTTP \(response.status)") }
            return Creation(exchange: exchange, proof: nil, ownedID: nil, notProven: nil)
        }
        guard let id = createdID(exchange) else {
            return await unproven("the create answered HTTP \(response.status) without an id")
        }
        if let problem = ResourceIDRule.problem(id) {
            return await unproven("the create answered an id scim-doctor will not put in a URL: \(problem)")
        }
        let proof: Exchange
        do { proof = try await read(try resourcePath(kind, id)) } catch {
            return await unproven("the created \(kind.singular) could not be read back (\(error))")
        }
        guard let answer = proof.response, answer.status == 200 else {
            let said = proof.response.map { "HTTP \($0.status)" } ?? "no answer"
            return await unproven(
                "GET \(kind.path)/\(id) answered \(said), so the created \(kind.singular) is not proven", proof: proof)
        }
        if let mismatch = identity.mismatch(id: id, in: JSONValue(response: answer)) {
            return await unproven(
                "GET \(kind.path)/\(id) shows another resource than the test \(kind.singular) (\(mismatch)): "
                    + "the server answered the create with a resource this run did not create", proof: proof)
        }
        await writes.record(CreatedResource(kind: kind, id: id, label: identity.name))
        return Creation(exchange: exchange, proof: proof, ownedID: id, notProven: nil)
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

    /// `{kind}/{id}` with the id percent-encoded; throws for an id the rule refuses.
    func resourcePath(_ kind: ResourceKind, _ id: String) throws -> String {
        "\(kind.rawValue)/\(try ResourceIDRule.pathSegment(id))"
    }

    private func requireOwned(_ kind: ResourceKind, _ id: String) async throws {
        guard await writes.owns(kind, id) else {
            throw ProbeError("refused to change \(kind.rawValue)/\(PrintableText.line(id)): this run did not create it")
        }
    }
}

/// The id a create answer carries, when it is a 2xx with a non-empty string id.
func createdID(_ exchange: Exchange) -> String? {
    guard let response = exchange.response, (200..<300).contains(response.status),
        case .string(let id)? = JSONValue(response: response)?["id"], !id.isEmpty
    else { return nil }
    return id
}
