import Foundation

/// The requests several probes look at. Each is sent once per run (the context memoizes it),
/// so every probe that names one here sees the same exchange.
extension ProbeContext {
    /// Entra's Test Connection request: `GET {tenant}/Users?filter=userName eq "<random GUID>"`.
    /// Spaces go as `+` like Entra's; the quotes are percent-encoded (`%22`), which servers decode identically.
    public func testConnectionUsers() async throws -> Exchange {
        let guid = await guid("test-connection-user")
        return try await get("Users", query: "filter=userName+eq+%22\(guid)%22")
    }

    /// The group counterpart (the exact query is unconfirmed; this is the form Entra uses for group lookups).
    public func testConnectionGroups() async throws -> Exchange {
        let guid = await guid("test-connection-group")
        return try await get("Groups", query: "excludedAttributes=members&filter=displayName+eq+%22\(guid)%22")
    }

    /// The same Test Connection request without any credentials.
    public func unauthenticatedUsers() async throws -> Exchange {
        let guid = await guid("test-connection-user")
        return try await get("Users", query: "filter=userName+eq+%22\(guid)%22", authorized: false)
    }

    /// `GET {tenant}/Users?startIndex=1&count=1`: the list shape and a sample user.
    public func userPage() async throws -> Exchange {
        try await get("Users", query: "startIndex=1&count=1")
    }

    /// `GET {tenant}/Groups?excludedAttributes=members&startIndex=1&count=1`.
    public func groupPage() async throws -> Exchange {
        try await get("Groups", query: "excludedAttributes=members&startIndex=1&count=1")
    }

    /// A filter query the way Entra matches: `GET {tenant}/{resource}?filter={attribute} eq "{value}"`.
    public func filter(_ resource: String, _ attribute: String, equals value: String, extraQuery: String? = nil)
        async throws -> Exchange
    {
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .scimQueryValue) ?? value
        let filter = "filter=\(attribute)+eq+%22\(encoded)%22"
        return try await get(resource, query: extraQuery.map { "\($0)&\(filter)" } ?? filter)
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

    /// A handshake verified as Entra would: system trust store (plus `--ca-file`) and host name.
    public func tlsVerified() async throws -> Result<HTTPResponse, TransportError> {
        try await connect(tls: TLSOptions(verify: true, caFile: options.caFile))
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
