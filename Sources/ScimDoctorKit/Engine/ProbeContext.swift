import Foundation

/// What probes share during one run: the inputs, the network seams, and every observation made so far.
/// Each observation (a handshake, a response) is performed once and shared, so probes that look at the
/// same exchange from different angles cost one request and always agree.
public final class ProbeContext: Sendable {
    public let options: CheckOptions
    public let token: Secret
    /// Nil only when the Tenant URL cannot be parsed at all (the URL probes then fail and the rest skip).
    public let tenant: TenantURL?
    public let transport: any HTTPTransport
    public let resolver: any NameResolver
    /// The local clock at the start of the run.
    public let now: Date
    /// What a write run created, so that it touches nothing else and leaves nothing behind.
    public let writes: WriteSession
    /// The Microsoft Graph token of a run with an Entra side; nil reads Graph with `token` (`scim-doctor entra`,
    /// whose one secret it is).
    public let graphToken: Secret?
    private let makeGUID: @Sendable () -> String
    private let memo = Memo()

    public init(
        options: CheckOptions, token: Secret, transport: any HTTPTransport, resolver: any NameResolver,
        now: Date = Date(), makeGUID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        writes: WriteSession = WriteSession(), graphToken: Secret? = nil
    ) {
        self.writes = writes
        self.graphToken = graphToken
        self.options = options
        self.token = token
        self.tenant = TenantURL(options.tenantURL)
        self.transport = transport
        self.resolver = resolver
        self.now = now
        self.makeGUID = makeGUID
    }

    /// The parsed Tenant URL; throws (a tool error) when a probe that declared a dependency on `url.syntax`
    /// runs anyway.
    public func requireTenant() throws -> TenantURL {
        guard let tenant else { throw ProbeError("the Tenant URL could not be parsed") }
        return tenant
    }

    /// Computes `compute` once per run for `key`; concurrent and later callers get the same value
    /// (e.g. the one test user that every lifecycle probe works on). The key carries its value's type, so it
    /// cannot be asked for with another one (which would compute, and for a write send, again).
    public func remember<T: Sendable>(_ key: MemoKey<T>, _ compute: @escaping @Sendable () async -> T) async -> T {
        await memo.value(key, compute)
    }

    /// Whether the engine runs `id` in this run (false outside an engine run, e.g. a probe's own example): lets a
    /// probe do a later probe's read-only work while the state it needs exists.
    public func isSelected(_ id: ProbeID) async -> Bool {
        await recalled(.runningProbes)?.contains(id) ?? false
    }

    /// The value some caller computed (or is computing) for `key`, nil when none asked for it; computes nothing.
    public func recalled<T: Sendable>(_ key: MemoKey<T>) async -> T? {
        await memo.existing(key)
    }

    /// The verdict of a probe of this run once it has finished (nil: not in the run, or not finished): what a
    /// joined verdict reads, from a probe it `runsAfter`.
    public func verdict(of id: ProbeID) async -> Verdict? {
        await recalled(MemoKey<Verdict>("verdict:\(id)"))
    }

    func record(_ verdict: Verdict, of id: ProbeID) async {
        _ = await remember(MemoKey<Verdict>("verdict:\(id)")) { verdict }
    }

    /// A random GUID, fixed per `key` for the whole run (Test Connection asks for one that matches nothing).
    public func guid(_ key: String) async -> String {
        let make = makeGUID
        return await memo.value(MemoKey<String>("guid:\(key)")) { make() }
    }

    // MARK: - Requests

    /// A request to the tenant, with the run's timeouts and TLS settings. `resource` is appended to the base.
    public func request(
        _ method: String = "GET", _ resource: String, query: String? = nil, authorized: Bool = true,
        body: Data? = nil, headers: [(name: String, value: String)] = []
    ) throws -> HTTPRequest {
        let tenant = try requireTenant()
        return request(
            method, url: tenant.url(resource, query: query), authorized: authorized, body: body, headers: headers)
    }

    /// A request to an absolute URL on the tenant's host.
    public func request(
        _ method: String = "GET", url: String, authorized: Bool = true, body: Data? = nil,
        headers: [(name: String, value: String)] = []
    ) -> HTTPRequest {
        var allHeaders = headers
        if !allHeaders.contains(where: { $0.name.lowercased() == "accept" }) {
            allHeaders.append(("Accept", "application/scim+json, application/json"))
        }
        if body != nil { allHeaders.append(("Content-Type", "application/scim+json")) }
        return HTTPRequest(
            method: method, url: url, headers: allHeaders, bearerToken: authorized ? token : nil, body: body,
            tls: TLSOptions(verify: !options.insecure, caFile: options.caFile),
            connectTimeout: options.connectTimeout, timeout: options.timeout)
    }

    /// Sends `request` once per run; later callers with an equal request get the same outcome.
    public func send(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportError> {
        // Everything that reaches the wire or shapes the connection, so two requests share an answer only when
        // the server could not tell them apart.
        let headers = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        let key =
            "send:\(request.method) \(request.url) auth=\(request.bearerToken != nil) tls=\(request.tls)"
            + " connectOnly=\(request.connectOnly) headers=\(headers) body=\(request.body?.base64EncodedString() ?? "-")"
        let transport = self.transport
        let (now, timeout) = (self.now, options.timeout)
        let planned: HTTPRequest
        switch await following(plan: request) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let request): planned = request
        }
        return await memo.value(MemoKey<Result<HTTPResponse, TransportError>>(key)) {
            let request = planned
            let first = await Self.perform(request, transport)
            // A 429 asks to come back later: do so once when the wait fits in one request's timeout, as a patient
            // client would; the probes report what the second answer was (and that it came after a wait).
            guard case .success(let response) = first, response.status == 429,
                let wait = RetryAfter.seconds(response.header("Retry-After"), now: now),
                .seconds(wait) <= timeout
            else { return first }
            try? await Task.sleep(for: .seconds(wait))
            return await Self.perform(request, transport).map { second in
                var second = second
                second.retriedAfterSeconds = wait
                return second
            }
        }
    }

    /// Sends `request` every time it is called: for writes, and for reading back what a write changed.
    func sendUncached(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportError> {
        switch await following(plan: request) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let request): return await Self.perform(request, transport)
        }
    }

    /// How requests reach the tenant host this run (resolved once, memoized).
    public func connectionPlan() async -> ConnectionPlan {
        guard let tenant else { return ConnectionPlan() }
        // An IP literal is its own address; a name is judged by what it resolves to.
        let addresses = IPAddress(tenant.host) != nil ? [tenant.host] : try? await addresses().get()
        let options = self.options
        return await memo.value(MemoKey<ConnectionPlan>("connection-plan")) {
            ConnectionPlan.make(
                scheme: tenant.scheme, host: tenant.host, port: tenant.port, addresses: addresses,
                allowHTTP: options.allowHTTP, environment: options.environment)
        }
    }

    /// The request pinned to the judged addresses and given the proxy of the plan; refused (never sent) when it
    /// would carry the token where the plan forbids it. The last line of defence: `net.dns` already fails then.
    private func following(plan request: HTTPRequest) async -> Result<HTTPRequest, TransportError> {
        let target = URLComponents(string: request.url)
        guard let tenant, target?.host?.lowercased() == tenant.host.lowercased() else {
            // Another host (Microsoft Graph, its sign-in): no pins, and that host's proxy as the policy says.
            var request = request
            if let scheme = target?.scheme?.lowercased(), let host = target?.host {
                request.proxy = ProxyPolicy.choose(scheme: scheme, host: host, environment: options.environment)?.url
            }
            return .success(request)
        }
        let plan = await connectionPlan()
        if request.bearerToken != nil, let refusal = plan.tokenRefusal {
            return .failure(TransportError(kind: .other, message: "not sent: \(refusal) (use https, or --allow-http)"))
        }
        var request = request
        request.pinnedAddresses = plan.pins
        request.proxy = plan.proxy?.url
        return .success(request)
    }

    private static func perform(_ request: HTTPRequest, _ transport: any HTTPTransport) async
        -> Result<HTTPResponse, TransportError>
    {
        do throws(TransportError) { return .success(try await transport.send(request)) } catch {
            return .failure(error)
        }
    }

    /// `GET {base}/{resource}?{query}` with or without the token, shared across probes.
    public func get(_ resource: String, query: String? = nil, authorized: Bool = true) async throws -> Exchange {
        let request = try request("GET", resource, query: query, authorized: authorized)
        return Exchange(request: request, outcome: await send(request))
    }

    /// `GET` of an absolute URL, shared across probes.
    public func get(url: String, authorized: Bool = true) async -> Exchange {
        let request = request("GET", url: url, authorized: authorized)
        return Exchange(request: request, outcome: await send(request))
    }

    // MARK: - Network observations

    /// Every address of the tenant host.
    public func addresses() async throws -> Result<[String], TransportError> {
        let tenant = try requireTenant()
        let host = tenant.host
        if let override = options.resolve.first(where: { $0.host == host.lowercased() && $0.port == tenant.port }) {
            return .success(override.addresses)
        }
        let resolver = self.resolver
        return await memo.value(MemoKey<Result<[String], TransportError>>("dns:\(host)")) {
            do throws(TransportError) { return .success(try await resolver.resolve(host: host)) } catch {
                return .failure(error)
            }
        }
    }

    /// A connect-only exchange: TCP, plus the TLS handshake for https. No HTTP request, no token.
    public func connect(tls: TLSOptions, scheme: String? = nil) async throws -> Result<HTTPResponse, TransportError> {
        let tenant = try requireTenant()
        let host = tenant.host.contains(":") ? "[\(tenant.host)]" : tenant.host
        let origin = scheme.map { "\($0)://\(host):\(tenant.port)" } ?? tenant.origin
        let request = HTTPRequest(
            url: origin + "/", connectOnly: true, tls: tls, connectTimeout: options.connectTimeout,
            timeout: options.connectTimeout + .seconds(5))
        return await send(request)
    }
}

/// One request with its outcome, as probes pass it to evidence helpers.
public struct Exchange: Sendable {
    public let request: HTTPRequest
    public let outcome: Result<HTTPResponse, TransportError>

    public init(request: HTTPRequest, outcome: Result<HTTPResponse, TransportError>) {
        self.request = request
        self.outcome = outcome
    }

    public var response: HTTPResponse? { try? outcome.get() }
}

/// The tool could not complete a probe (reported as `error`, never as a server fault).
public struct ProbeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A name for one memoized value, typed by that value: `MemoKey<ConnectionPlan>("connection-plan")`. Two keys are
/// the same only when name and type are, and a lookup's type is the key's, so no caller can miss a value by
/// asking for it with another type.
public struct MemoKey<Value: Sendable>: Hashable, Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
}

extension MemoKey {
    /// The probes the engine runs (selected, and allowed to write when they write).
    static var runningProbes: MemoKey<Set<ProbeID>> { .init("running-probes") }
}

/// Run-wide memo: the first caller computes, concurrent and later callers await the same task.
actor Memo {
    private struct Slot: Hashable {
        let name: String
        let type: ObjectIdentifier
    }

    private var tasks: [Slot: any Sendable] = [:]

    func value<T: Sendable>(_ key: MemoKey<T>, _ compute: @escaping @Sendable () async -> T) async -> T {
        let slot = Slot(name: key.name, type: ObjectIdentifier(T.self))
        if let task = tasks[slot] as? Task<T, Never> { return await task.value }
        let task = Task { await compute() }
        tasks[slot] = task
        return await task.value
    }

    func existing<T: Sendable>(_ key: MemoKey<T>) async -> T? {
        guard let task = tasks[Slot(name: key.name, type: ObjectIdentifier(T.self))] as? Task<T, Never> else {
            return nil
        }
        return await task.value
    }
}

/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
enum RetryAfter {
    /// Whole seconds to wait, nil when absent or unreadable; a date in the past is 0.
    static func seconds(_ value: String?, now: Date) -> Int? {
        guard let value = value?.trimmingWhitespace(), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? seconds : nil }
        guard let date = UTCDate.parseHTTPDate(value) else { return nil }
        return max(0, Int(date.timeIntervalSince(now).rounded(.up)))
    }
}
