import Foundation

/// A create this run made (or tried), with what was sent.
struct LifecycleCreation: Sendable {
    let kind: ResourceKind
    let label: String
    let sent: JSONValue
    let result: Creation
    var exchange: Exchange { result.exchange }
    /// The id of the created resource, only once a read-back proved it the run's own.
    var id: String? { result.ownedID }
}

/// The main test user: every create tried (Entra's default body first, then without what the server refused), and
/// the read-back made right after the accepted one (before any probe changes the user).
struct LifecycleUser: Sendable {
    let attempts: [LifecycleCreation]
    let readBack: Exchange?
    /// What was left out of Entra's body to get the user created, in the order the server refused it.
    let removed: [String]
    /// The server refused without naming what, and a body with only the core attributes was tried.
    let triedCoreOnly: Bool
    /// The budget of user creates ran out before one was accepted.
    let budgetSpent: Bool

    /// The accepted create, or else Entra's (refused) one.
    var creation: LifecycleCreation { attempts.first { $0.id != nil } ?? attempts[0] }
    var entraCreate: LifecycleCreation { attempts[0] }
}

/// Creates of test users per run, at most: Entra's body and up to three retries without refused parts, the second
/// user (manager and group member, once more without what was refused), the duplicate. README "Write mode" states it.
let userCreateBudget = userCreateAttempts + 2 + 1
/// Attempts at the main test user, out of that budget.
let userCreateAttempts = 4
/// Creates of test groups per run, at most: Entra's body and its three variants, and the duplicate.
let groupCreateBudget = 5

/// The test group: every create tried, Entra's body first.
struct LifecycleGroup: Sendable {
    let attempts: [(variant: EntraBodies.GroupVariant, creation: LifecycleCreation)]
    var creation: LifecycleCreation? { attempts.first { $0.creation.id != nil }?.creation }
    var entraCreate: LifecycleCreation { attempts[0].creation }
    var id: String? { creation?.id }
}

extension ProbeContext {
    /// Creates the test user once per run (Entra's default-mapping body) and reads it back at once.
    func lifecycleUser() async throws -> LifecycleUser {
        try await remember(.lifecycleUser) { () -> Result<LifecycleUser, ProbeError> in
            do {
                var body = EntraBodies.user(.ada, tag: self.writes.tag)
                var attempts: [LifecycleCreation] = []
                var removed: [String] = []
                var triedCoreOnly = false
                while attempts.count < userCreateAttempts {
                    let creation = try await self.lifecycleCreate(.ada, body: body)
                    attempts.append(creation)
                    // Retry only a refusal of the body itself (not auth, a conflict, a missing path or a rate limit).
                    guard let response = creation.exchange.response, (400..<500).contains(response.status),
                        ![401, 403, 404, 409, 429].contains(response.status), !triedCoreOnly
                    else { break }
                    if let named = LifecycleVerdicts.namedAttribute(in: response),
                        let smaller = EntraBodies.without(named, from: body)
                    {
                        removed.append(named)
                        body = smaller
                    } else {
                        // Refused without saying what: the core attributes alone tell whether it is one of the others.
                        triedCoreOnly = true
                        body = EntraBodies.coreOnly(body)
                    }
                }
                let accepted = attempts.first { $0.id != nil }
                // The read-back that proved the user the run's own is the one the read-back probe compares; one that
                // failed is that probe's finding; one showing another resource is not (the create's).
                let proof = (accepted ?? attempts[attempts.count - 1]).result.proof
                let failedRead = proof.map { $0.response?.status != 200 } ?? false
                return .success(
                    LifecycleUser(
                        attempts: attempts, readBack: accepted != nil || failedRead ? proof : nil, removed: removed,
                        triedCoreOnly: triedCoreOnly && accepted != nil,
                        budgetSpent: accepted == nil && attempts.count == userCreateAttempts))
            } catch {
                return .failure(ProbeError("\(error)"))
            }
        }.get()
    }

    /// Creates the second test user once per run: Ada's manager and the group member.
    func lifecycleMemberUser() async throws -> LifecycleCreation {
        try await remember(.lifecycleMemberUser) { () -> Result<LifecycleCreation, ProbeError> in
            do {
                let entra = EntraBodies.user(.grace, tag: self.writes.tag)
                let first = try await self.lifecycleCreate(.grace, body: entra)
                guard first.id == nil, let status = first.exchange.response?.status, (400..<500).contains(status),
                    ![401, 403, 404, 409, 429].contains(status)
                else { return .success(first) }
                // Refused like the main user may have been: once more, without what the server refused there.
                let user = try await self.lifecycleUser()
                guard user.creation.id != nil, !user.removed.isEmpty || user.triedCoreOnly else {
                    return .success(first)
                }
                var body = entra
                for name in user.removed { body = EntraBodies.without(name, from: body) ?? body }
                if user.triedCoreOnly { body = EntraBodies.coreOnly(body) }
                return .success(try await self.lifecycleCreate(.grace, body: body))
            } catch {
                return .failure(ProbeError("\(error)"))
            }
        }.get()
    }

    private func lifecycleCreate(_ person: TestPerson, body: JSONValue) async throws -> LifecycleCreation {
        let identity = person.identity(writes.tag)
        let result = try await create(.users, body: body.data, identity: identity)
        return LifecycleCreation(kind: .users, label: identity.name, sent: body, result: result)
    }

    /// Creates the test group once per run with Entra's body. When the server rejects it (a 4xx other than
    /// auth, conflict or rate limit), tries without the ADSCIM schema URI, then without `meta`, then without
    /// both: the first accepted variant names what the server rejects, and the group it creates lets the
    /// other group probes run.
    func lifecycleGroup() async throws -> LifecycleGroup {
        try await remember(.lifecycleGroup) { () -> Result<LifecycleGroup, ProbeError> in
            do {
                let tag = self.writes.tag
                let identity = TestIdentity.group(tag: tag)
                var attempts: [(EntraBodies.GroupVariant, LifecycleCreation)] = []
                let variants = [
                    EntraBodies.GroupVariant.entra, .init(adscim: false, meta: true), .init(adscim: true, meta: false),
                    .init(adscim: false, meta: false),
                ]
                for variant in variants {
                    let body = EntraBodies.group(tag: tag, variant)
                    let result = try await self.create(.groups, body: body.data, identity: identity)
                    attempts.append(
                        (variant, LifecycleCreation(kind: .groups, label: identity.name, sent: body, result: result)))
                    guard let status = result.exchange.response?.status, (400..<500).contains(status),
                        ![401, 403, 404, 409, 429].contains(status)
                    else { break }
                }
                return .success(LifecycleGroup(attempts: attempts))
            } catch {
                return .failure(ProbeError("\(error)"))
            }
        }.get()
    }

    /// The group's displayName now (group-lifecycle.rename changes it).
    func lifecycleGroupName() async -> LifecycleName {
        let tag = writes.tag
        return await remember(.lifecycleGroupName) { LifecycleName(TestIdentity.group(tag: tag).name) }
    }

    /// The probes that use the second test user. Once all of them are done with it, it is deleted at once, beside
    /// the rest of the users chain, instead of at the end (and read back: when it is not gone, the final cleanup
    /// deletes it as any other); when one of them does not run or throws, it is left to the final cleanup.
    static let memberUserProbes: Set<ProbeID> = [
        "user-lifecycle.manager", "user-lifecycle.manager-query", "group-lifecycle.members",
    ]

    /// `probe` is done with the second test user (see `memberUserProbes`).
    func doneWithMemberUser(_ probe: ProbeID) async {
        let users = await remember(MemoKey<MemberUserUsers>("member-user-users")) { MemberUserUsers() }
        guard await users.done(probe, allOf: Self.memberUserProbes),
            let id = (try? await recalled(.lifecycleMemberUser)?.get())?.id
        else { return }
        await writes.removeEarly { _ = try? await self.removeAtOnce(.users, id: id) }
    }

    /// Runs `body` while no other lifecycle probe of the same kind works on the test resources: the probes share
    /// one user (one group) and would otherwise see each other's changes.
    func serially<T: Sendable>(_ kind: ResourceKind, _ body: () async throws -> T) async throws -> T {
        let lock = await remember(MemoKey<LifecycleLock>("lifecycle-lock-\(kind.rawValue)")) { LifecycleLock() }
        await lock.acquire()
        do {
            // A probe abandoned at its deadline while waiting must not write afterwards.
            try Task.checkCancellation()
            let value = try await body()
            await lock.release()
            return value
        } catch {
            await lock.release()
            throw error
        }
    }

    /// A test resource no probe needs any more, deleted now and read back: a 404 spares the final cleanup its own
    /// read (see `WriteSession.markVerifiedGone`). Returns the DELETE.
    func removeAtOnce(_ kind: ResourceKind, id: String) async throws -> Exchange {
        let deletion = try await delete(kind, id: id)
        if deletion.response != nil { _ = try await readResource(kind, id) }
        return deletion
    }

    /// `GET /{kind}/{id}` fresh.
    func readResource(_ kind: ResourceKind, _ id: String) async throws -> Exchange {
        let exchange = try await read(resourcePath(kind, id))
        if exchange.response?.status == 404 { await writes.markVerifiedGone(kind, id) }
        return exchange
    }

    /// `GET /{kind}?[extra&]filter=attribute eq "value"` fresh (never memoized).
    func readFilter(_ kind: ResourceKind, _ attribute: String, equals value: String) async throws -> Exchange {
        try await read(kind.path, query: EntraQuery.filter(attribute, equals: value, extraQuery: kind.extraQuery))
    }

    /// PATCH with `body` (an owned resource only: the context refuses others).
    func patch(_ kind: ResourceKind, id: String, _ body: JSONValue) async throws -> Exchange {
        try await patch(kind, id: id, body: body.data)
    }
}

/// The current value of a name that a probe may change.
actor LifecycleName {
    private(set) var value: String
    init(_ value: String) { self.value = value }
    func set(_ value: String) { self.value = value }
}

/// An async mutex: the first caller proceeds, later ones wait in order.
/// Which of the probes that use the second test user are done with it.
actor MemberUserUsers {
    private var finished: Set<ProbeID> = []
    private var released = false

    /// True exactly once: when the last of `all` is done.
    func done(_ probe: ProbeID, allOf all: Set<ProbeID>) -> Bool {
        finished.insert(probe)
        guard !released, finished.isSuperset(of: all) else { return false }
        released = true
        return true
    }
}

actor LifecycleLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

// MARK: - Answers and evidence

/// The test resources every lifecycle probe shares, created once per run.
extension MemoKey {
    static var lifecycleUser: MemoKey<Result<LifecycleUser, ProbeError>> { .init("lifecycle-user") }
    static var lifecycleMemberUser: MemoKey<Result<LifecycleCreation, ProbeError>> { .init("lifecycle-member-user") }
    static var lifecycleGroup: MemoKey<Result<LifecycleGroup, ProbeError>> { .init("lifecycle-group") }
    static var lifecycleGroupName: MemoKey<LifecycleName> { .init("lifecycle-group-name") }
}
