import Foundation

/// Why a Graph read gave no usable answer.
public struct GraphRefusal: Error, Sendable, Equatable {
    /// The HTTP status; nil when no HTTP answer came (DNS, TLS, timeout).
    public var status: Int?
    /// Graph's `error.code` (or the OAuth `error`), else what the transport said.
    public var code: String
    public var message: String
    /// `request-id`, for Microsoft support.
    public var requestID: String?

    /// Graph denied the call: a permission, a directory role or a licence is missing.
    public var isDenied: Bool { status == 403 }
    /// Graph did not accept the token at all (expired, other cloud, other resource).
    public var isUnauthenticated: Bool { status == 401 }

    /// One line for findings: `403 Authorization_RequestDenied: Insufficient privileges…`.
    public var shown: String {
        let head = status.map { "HTTP \($0)" } ?? "no answer"
        let text = message.isEmpty ? code : "\(code): \(message.prefix(200))"
        return "\(head) \(text)" + (requestID.map { " (request-id \($0))" } ?? "")
    }

    init(_ exchange: Exchange) {
        switch exchange.outcome {
        case .failure(let error):
            status = nil
            code = error.kind.rawValue
            message = error.message
        case .success(let response):
            status = response.status
            let error = response.jsonObject?["error"]
            // Graph: {"error": {"code", "message", "innerError": {"request-id"}}}; OAuth: {"error": "…", …}.
            code = error?["code"]?.string ?? error?.string ?? "HTTP \(response.status)"
            message = error?["message"]?.string ?? response.jsonObject?["error_description"]?.string ?? ""
            requestID =
                error?["innerError"]?["request-id"]?.string ?? response.header("request-id")
                ?? response.header("client-request-id")
        }
    }
}

/// One Graph read: every exchange it took (pages included) and its outcome.
public struct GraphRead: Sendable {
    public var exchanges: [Exchange]
    /// The answer's object; for a paged read, `{"value": [every page's items]}`.
    public var result: Result<JSONValue, GraphRefusal>

    /// An exchange as a read: its JSON object for a 2xx (an empty one when the body is empty, as a 204 is), else
    /// why not.
    init(_ exchange: Exchange) {
        exchanges = [exchange]
        if let response = exchange.response, (200..<300).contains(response.status),
            let object = response.body.isEmpty ? .object([]) : response.jsonObject
        {
            result = .success(object)
        } else {
            result = .failure(GraphRefusal(exchange))
        }
    }

    init(exchanges: [Exchange], result: Result<JSONValue, GraphRefusal>) {
        self.exchanges = exchanges
        self.result = result
    }

    public var value: JSONValue? { try? result.get() }
    public var refusal: GraphRefusal? {
        if case .failure(let refusal) = result { refusal } else { nil }
    }
    /// The items of a collection answer.
    public var items: [JSONValue] { value?["value"]?.array ?? [] }
}

/// At most this many pages of one collection: enough for every diagnosis.
let graphPageLimit = 5

/// Spaces requests to at most `limit` per `window`: Microsoft's limit for the reports APIs (the provisioning logs)
/// is 5 requests per 10 s per app and tenant. Each caller's turn is booked before it waits, so callers that
/// arrive together cannot overshoot.
actor RequestPacer {
    let limit: Int
    let window: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async -> Void
    private var booked: [ContinuousClock.Instant] = []

    init(
        limit: Int = 5, window: Duration = .seconds(10),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        self.limit = limit
        self.window = window
        self.now = now
        self.sleep = sleep
    }

    /// Returns when a request may go.
    func turn() async {
        let current = now()
        var slot = current
        if booked.count >= limit { slot = max(current, booked[booked.count - limit] + window) }
        booked.append(slot)
        booked.removeFirst(max(0, booked.count - limit))
        if slot > current { await sleep(slot - current) }
    }
}

extension ProbeContext {
    /// The Entra side of this run; throws (a tool error) in a run without one.
    public func requireEntra() throws -> EntraTarget {
        guard let entra = options.entra else { throw ProbeError("this run has no Entra side (scim-doctor entra)") }
        return entra
    }

    /// `GET {graph}{path}`, once per run. `path` starts with `/v1.0/` or `/beta/` and is built by the caller
    /// from checked ids only.
    public func graphGet(_ path: String) async throws -> GraphRead {
        let entra = try requireEntra()
        return await graphGet(url: entra.endpoints.graphOrigin + path)
    }

    private func graphGet(url: String) async -> GraphRead {
        if url.contains("/auditLogs/") {
            await remember(.reportsPacer) { RequestPacer() }.turn()
        }
        let request = graphRequest("GET", url: url)
        return GraphRead(Exchange(request: request, outcome: await send(request)))
    }

    /// `POST {graph}{path}` with a JSON body: only the two actions the admin asks for by name
    /// (`--test-connection`, `--provision-on-demand`). Entra calls the SCIM endpoint, with its own timeouts,
    /// before Graph answers: twice the request timeout.
    func graphPost(_ path: String, body: JSONValue) async throws -> GraphRead {
        let entra = try requireEntra()
        let request = graphRequest("POST", url: entra.endpoints.graphOrigin + path, body: body.data)
        return GraphRead(Exchange(request: request, outcome: await send(request)))
    }

    /// A request to Graph with the Graph token, verified TLS and the run's timeouts.
    private func graphRequest(_ method: String, url: String, body: Data? = nil) -> HTTPRequest {
        var headers = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return HTTPRequest(
            method: method, url: url, headers: headers, bearerToken: graphToken ?? token, body: body,
            tls: TLSOptions(verify: true, caFile: options.caFile), connectTimeout: options.connectTimeout,
            timeout: body == nil ? options.timeout : options.timeout * 2)
    }

    /// A collection, following `@odata.nextLink` verbatim — only while it stays on this run's Graph origin (a
    /// link elsewhere would carry the token there) — for at most `graphPageLimit` pages.
    public func graphGetAll(_ path: String) async throws -> GraphRead {
        let entra = try requireEntra()
        var read = try await graphGet(path)
        guard read.value != nil else { return read }
        var items = read.items
        var next = read.value?["@odata.nextLink"]?.string
        var pages = 1
        while let link = next, pages < graphPageLimit, link.hasPrefix(entra.endpoints.graphOrigin + "/") {
            let page = await graphGet(url: link)
            read.exchanges += page.exchanges
            guard let value = page.value else {
                read.result = page.result
                return read
            }
            items += value["value"]?.array ?? []
            next = value["@odata.nextLink"]?.string
            pages += 1
        }
        var merged = object(["value": .array(items)])
        if let next { merged.set("@odata.nextLink", .string(next)) }  // more than was read
        read.result = .success(merged)
        return read
    }
}

extension MemoKey {
    static var reportsPacer: MemoKey<RequestPacer> { .init("graph-reports-pacer") }
    static var provisionPacer: MemoKey<RequestPacer> { .init("graph-provision-on-demand-pacer") }
}

/// Ids Graph gave that go back into a URL path: only their documented alphabet (GUIDs; job ids such as
/// `scim.8f3a….4b1e-…`), so a hostile answer cannot steer a request.
enum GraphID {
    static func isGUID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isASCIIHexDigit) }
    }

    static func isJobID(_ text: String) -> Bool {
        (1...200).contains(text.count)
            && text.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0)
            }
    }

    /// `name@domain`: what goes into `/users/{upn}` (percent-encoded); letters, digits and `.-_'+#` only.
    static func isUserPrincipalName(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 113
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "@.-_'+#".unicodeScalars.contains($0))
            }
    }

    /// An OData string literal: single quotes doubled, then percent-encoded for the query.
    static func literal(_ text: String) -> String {
        let quoted = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        return PercentEncoding.encoded(quoted) { PercentEncoding.isUnreserved($0) || $0 == "'" }
    }
}
