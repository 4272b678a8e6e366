import Foundation

/// The query Entra sends to find one resource: `[excludedAttributes=members&]filter={attribute} eq "{value}"`,
/// built here and nowhere else. Spaces go as `+` like Entra's; the quotes are percent-encoded (`%22`), which servers
/// decode identically (whether Entra sends them encoded is unconfirmed).
enum EntraQuery {
    static func filter(_ attribute: String, equals value: String, extraQuery: String? = nil) -> String {
        let filter = "filter=" + term(attribute, value)
        return extraQuery.map { "\($0)&\(filter)" } ?? filter
    }

    /// Microsoft's "query the value of a reference attribute" (SCIM tutorial, Example 4): whether user `id` has
    /// manager `managerID`, as `filter=id eq "…" and manager eq "…"&attributes=id`. Described there through the
    /// reference library's parsed parameters; the literal request is unconfirmed.
    /// `manager` is the short name of Microsoft's example; `qualified` names the enterprise extension's
    /// `manager.value` in full instead (RFC 7644 §3.10: clients SHOULD qualify extension attributes).
    static func managerReference(id: String, managerID: String, qualified: Bool = false) -> String {
        let manager = qualified ? "\(EntraBodies.managerPath).value" : "manager"
        return "filter=\(term("id", id))+and+\(term(manager, managerID))&attributes=id"
    }

    private static func term(_ attribute: String, _ value: String) -> String {
        let encoded = PercentEncoding.encoded(value, keeping: PercentEncoding.isQueryValue)
        return "\(attribute)+eq+%22\(encoded)%22"
    }

    /// Entra's matching query for `kind` (its matching attribute, and for groups `excludedAttributes=members`).
    static func matching(_ kind: ResourceKind, equals value: String) -> String {
        filter(kind.matchingAttribute, equals: value, extraQuery: kind.extraQuery)
    }
}

/// The requests several probes look at. Each is sent once per run (the context memoizes it),
/// so every probe that names one here sees the same exchange.
extension ProbeContext {
    /// Entra's Test Connection request: `GET {tenant}/Users?filter=userName eq "<random GUID>"`.
    /// Spaces go as `+` like Entra's; the quotes are percent-encoded (`%22`), which servers decode identically.
    public func testConnectionUsers() async throws -> Exchange {
        return try await get("Users", query: EntraQuery.matching(.users, equals: await guid("test-connection-user")))
    }

    /// The group counterpart (the exact query is unconfirmed; this is the form Entra uses for group lookups).
    public func testConnectionGroups() async throws -> Exchange {
        return try await get(
            "Groups", query: EntraQuery.matching(.groups, equals: await guid("test-connection-group")))
    }

    /// The same Test Connection request without any credentials.
    public func unauthenticatedUsers() async throws -> Exchange {
        let query = EntraQuery.matching(.users, equals: await guid("test-connection-user"))
        return try await get("Users", query: query, authorized: false)
    }

    /// `GET {tenant}/scim-doctor-no-such-resource-<GUID>` with the token: a path that surely does not exist, to tell
    /// a server that authenticates before routing (401 everywhere) from one that routes first (404 here).
    public func surelyMissingPath() async throws -> Exchange {
        try await get("scim-doctor-no-such-resource-" + (await guid("missing-path")))
    }

    /// `GET {tenant}/Users?startIndex=1&count=1`: the list shape and a sample user.
    public func userPage() async throws -> Exchange {
        try await get("Users", query: "startIndex=1&count=1")
    }

    /// `GET {tenant}/Groups?excludedAttributes=members&startIndex=1&count=1`.
    public func groupPage() async throws -> Exchange {
        try await get(
            "Groups",
            query: [ResourceKind.groups.extraQuery, "startIndex=1&count=1"].compactMap { $0 }.joined(separator: "&"))
    }

    /// A filter query the way Entra matches: `GET {tenant}/{resource}?filter={attribute} eq "{value}"`.
    public func filter(_ resource: String, _ attribute: String, equals value: String, extraQuery: String? = nil)
        async throws -> Exchange
    {
        try await get(resource, query: EntraQuery.filter(attribute, equals: value, extraQuery: extraQuery))
    }

    // MARK: - Connections (connect-only: no HTTP request, so the token never leaves)

    /// A plain TCP connection to the Tenant URL's host and port: an http:// connect-only request, so a server
    /// that stalls in the TLS handshake is not mistaken for one that cannot be reached.
    public func tcpConnect() async throws -> Result<HTTPResponse, TransportError> {
        let tenant = try requireTenant()
        let host = tenant.host.contains(":") ? "[\(tenant.host)]" : tenant.host
        let request = HTTPRequest(
            url: "http://\(host):\(tenant.port)/", connectOnly: true, tls: TLSOptions(verify: false),
            connectTimeout: options.connectTimeout, timeout: options.connectTimeout + .seconds(5))
        return await send(request)
    }

    /// A handshake with verification off, to see the server speak TLS at all and to read its chain.
    public func tlsHarvest() async throws -> Result<HTTPResponse, TransportError> {
        try await connect(tls: TLSOptions(verify: false))
    }

    /// A handshake verified as the HTTP probes' requests are: system trust store (plus `--ca-file`) and host
    /// name.
    public func tlsVerified() async throws -> Result<HTTPResponse, TransportError> {
        try await connect(tls: TLSOptions(verify: true, caFile: options.caFile))
    }

    /// A handshake verified against the system store alone: Entra's view when `--ca-file` is given.
    public func tlsVerifiedWithoutCAFile() async throws -> Result<HTTPResponse, TransportError> {
        try await connect(tls: TLSOptions(verify: true))
    }

    /// The TLS handshakes the Network and TLS probes judge, all at once (each shared): for https only.
    public func prefetchTLS(
        _ handshakes: [@Sendable (ProbeContext) async throws -> Result<HTTPResponse, TransportError>]
    )
        async
    {
        guard (try? requireTenant())?.scheme == "https" else { return }
        await withTaskGroup(of: Void.self) { group in
            for handshake in handshakes { group.addTask { _ = try? await handshake(self) } }
        }
    }

    /// A handshake capped at TLS 1.2, the only version Entra speaks.
    public func tls12() async throws -> Result<HTTPResponse, TransportError> {
        try await connect(tls: TLSOptions(verify: false, minVersion: .tls12, maxVersion: .tls12))
    }

    /// A TLS 1.2 handshake offering only Entra's eight cipher suites.
    public func tlsEntraCiphers() async throws -> Result<HTTPResponse, TransportError> {
        try await connect(
            tls: TLSOptions(
                verify: false, minVersion: .tls12, maxVersion: .tls12,
                cipherList: EntraTLS.cipherSuites.map(\.openSSL).joined(separator: ":")))
    }
}

/// Entra's TLS requirements (use-scim-to-provision-users-and-groups, "Security requirements").
