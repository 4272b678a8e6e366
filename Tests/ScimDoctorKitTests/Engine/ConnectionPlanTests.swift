import Foundation
import Testing

@testable import ScimDoctorKit

/// The token goes over plain http to loopback only, judged by the addresses (not the spelling); requests are
/// pinned to the addresses judged; the proxy policy.
@Suite("Connection plan")
struct ConnectionPlanTests {
    static func plan(
        _ url: String, _ addresses: [String]?, allowHTTP: Bool = false, environment: [String: String] = [:]
    ) throws -> ConnectionPlan {
        let tenant = try #require(TenantURL(url))
        return ConnectionPlan.make(
            scheme: tenant.scheme, host: tenant.host, port: tenant.port, addresses: addresses, allowHTTP: allowHTTP,
            environment: environment)
    }

    @Test(
        "plain http carries the token only to loopback addresses",
        arguments: [
            ("http://127.0.0.1:8080/v2", ["127.0.0.1"], true),
            ("http://localhost:8080/v2", ["127.0.0.1", "::1"], true),
            ("http://2130706433:8080/v2", ["127.0.0.1"], true), ("http://0x7f000001:8080/v2", ["127.0.0.1"], true),
            ("http://[::ffff:127.0.0.1]:8080/v2", ["::ffff:127.0.0.1"], true),
            ("http://127.evil.example/v2", ["203.0.113.66"], false), ("http://scim-app:8080/v2", ["172.18.0.5"], false),
            ("http://localhost:8080/v2", ["127.0.0.1", "10.0.0.1"], false), ("http://nowhere.example/v2", [], false),
        ])
    func plainHTTP(url: String, addresses: [String], allowed: Bool) throws {
        #expect(try Self.plan(url, addresses).tokenRefusal == nil || !allowed)
        #expect((try Self.plan(url, addresses).tokenRefusal == nil) == allowed)
        #expect(try Self.plan(url, addresses, allowHTTP: true).tokenRefusal == nil)
        #expect(try Self.plan(url, nil).tokenRefusal != nil)
    }

    @Test("a name is pinned to the addresses it resolved to; an IP literal needs no pin")
    func pins() throws {
        #expect(
            try Self.plan("https://scim.example.com/v2", ["203.0.113.10", "2001:db8::1"]).pins == [
                "scim.example.com:443:203.0.113.10,[2001:db8::1]"
            ])
        #expect(try Self.plan("https://203.0.113.10:8443/v2", ["203.0.113.10"]).pins.isEmpty)
    }

    @Test("proxies: https honours https_proxy and no_proxy; plain http and loopback never use one")
    func proxy() throws {
        let environment = ["https_proxy": "http://user:pw@proxy.example:3128", "http_proxy": "http://proxy.example:80"]
        let https = try #require(
            try Self.plan("https://scim.example.com/v2", ["203.0.113.10"], environment: environment).proxy)
        #expect(https.source == "https_proxy" && https.display == "http://proxy.example:3128")
        #expect(try Self.plan("https://scim.example.com/v2", ["203.0.113.10"], environment: environment).pins.isEmpty)
        #expect(
            try Self.plan(
                "http://scim-app:8080/v2", ["10.0.0.5"], allowHTTP: true, environment: environment
            ).proxy == nil)
        #expect(try Self.plan("https://localhost:8443/v2", ["127.0.0.1"], environment: environment).proxy == nil)
        var excluded = environment
        excluded["no_proxy"] = "localhost,.example.com"
        #expect(try Self.plan("https://scim.example.com/v2", ["203.0.113.10"], environment: excluded).proxy == nil)
    }

    @Test("--resolve: host:port:address[,address]")
    func resolveOverride() {
        let override = ResolveOverride("scim.example.com:443:127.0.0.1,::1")
        #expect(override?.addresses == ["127.0.0.1", "::1"] && override?.port == 443)
        for bad in ["scim.example.com", "scim.example.com:443", "h:99999:127.0.0.1", "h:443:not-an-ip", ":443:1.2.3.4"]
        {
            #expect(ResolveOverride(bad) == nil, "\(bad)")
        }
    }

    @Test("the context never sends the token where the plan forbids it, even if a probe asks")
    func lastLineOfDefence() async throws {
        let transport = ScriptedTransport([
            Route(matches: { _ in true }, reply: { _ in .success(HTTPResponse(status: 200)) })
        ])
        let context = ProbeContext(
            options: CheckOptions(tenantURL: "http://scim.example.com/v2"), token: Secret("secret-token-value"),
            transport: transport, resolver: ScriptedResolver(.success(["203.0.113.10"])))
        let outcome = await context.send(try context.request("GET", "Users"))
        #expect(throws: TransportError.self) { try outcome.get() }
        #expect(await transport.requests.isEmpty)
        _ = await context.send(try context.request("GET", "Users", authorized: false))
        #expect(await transport.requests.count == 1)
    }
}
