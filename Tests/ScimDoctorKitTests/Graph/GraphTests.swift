import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Microsoft Graph: endpoints, tokens, ids, answers")
struct GraphTests {
    @Test("each cloud's hosts; overrides are origins, plain http only to loopback")
    func endpoints() throws {
        #expect(GraphEndpoints(cloud: .usgovDoD).graphOrigin == "https://dod-graph.microsoft.us")
        #expect(GraphEndpoints(cloud: .china).loginOrigin == "https://login.partner.microsoftonline.cn")
        let local = try GraphEndpoints.resolve(
            cloud: .usgov, environment: ["SCIM_DOCTOR_GRAPH_URL": "http://127.0.0.1:8080/"])
        #expect(local.graphOrigin == "http://127.0.0.1:8080" && local.loginOrigin == "https://login.microsoftonline.us")
        #expect(local.overrides == ["SCIM_DOCTOR_GRAPH_URL"])
        // Scopes keep the cloud's Graph host, whatever the override.
        #expect(local.defaultScope == "https://graph.microsoft.us/.default")
        #expect(local.scopes(["AuditLog.Read.All"]) == "https://graph.microsoft.us/AuditLog.Read.All")
        for bad in ["http://graph.example.net", "https://graph.example.net/v1.0", "graph.example.net", "ftp://[::1]"] {
            #expect(throws: GraphSetupError.self, "\(bad)") {
                try GraphEndpoints.resolve(cloud: .global, environment: ["SCIM_DOCTOR_LOGIN_URL": bad])
            }
        }
        #expect(
            try GraphEndpoints.resolve(cloud: .global, environment: ["SCIM_DOCTOR_GRAPH_URL": "http://[::1]:9"])
                .graphOrigin == "http://[::1]:9")
    }

    @Test("a token's permissions, delegated and application; ReadWrite covers Read; opaque tokens are nil")
    func accessToken() throws {
        let delegated = try #require(
            GraphAccessToken(
                Secret(
                    ExampleJWT.make(
                        payload:
                            #"{"aud":"https://graph.microsoft.com","scp":"Synchronization.ReadWrite.All Application.Read.All"}"#
                    ))))
        #expect(delegated.kind == "delegated (scp)")
        #expect(delegated.missing(GraphPermission.readOnly) == ["AuditLog.Read.All", "Directory.Read.All"])
        let application = try #require(
            GraphAccessToken(
                Secret(
                    ExampleJWT.make(
                        payload: #"{"roles":["Directory.Read.All","AuditLog.Read.All","Synchronization.Read.All"]}"#))))
        #expect(application.kind == "application (roles)")
        // Directory.Read.All also reads applications.
        #expect(application.missing(GraphPermission.readOnly).isEmpty)
        #expect(GraphAccessToken(Secret("opaque-token-0123456789")) == nil)
        #expect(GraphAccessToken(Secret("a.!!!.c")) == nil)
    }

    @Test("ids that go back into paths: GUIDs and job ids only; OData literals quoted and encoded")
    func ids() {
        #expect(GraphID.isGUID("8e881353-1735-45af-af21-ee1344582a4d"))
        for bad in [
            "8e881353-1735-45af-af21-ee1344582a4", "../../me", "8e881353-1735-45af-af21-ee1344582a4d/x", "",
            "\u{FF18}e881353-1735-45af-af21-ee1344582a4d",
        ] {
            #expect(!GraphID.isGUID(bad), "\(bad)")
        }
        #expect(GraphID.isJobID("scim.ff8bf889e03141ac8f7baedb059892ee.219561ee-1480-4c67-9aa6-63d861fae3ef"))
        for bad in ["a/b", "a?b", "a b", "a%2Fb", "", String(repeating: "a", count: 201), "ä"] {
            #expect(!GraphID.isJobID(bad), "\(bad)")
        }
        #expect(GraphID.literal("O'Brien & Co") == "'O''Brien%20%26%20Co'")
        #expect(GraphSignIn.checkTenant("contoso.onmicrosoft.com") && GraphSignIn.checkTenant("organizations"))
        #expect(!GraphSignIn.checkTenant("contoso/../x") && !GraphSignIn.checkTenant("contoso"))
    }

    @Test("Graph's times and durations: 0001-01-01 is never; TimeSpan.MaxValue is no schedule")
    func times() {
        #expect(GraphTime.parse("0001-01-01T00:00:00Z") == nil)
        #expect(GraphTime.parse("") == nil && GraphTime.parse(nil) == nil)
        #expect(
            GraphTime.parse("2021-05-24T21:45:53.6330529Z")
                == UTCDate.make(year: 2021, month: 5, day: 24, hour: 21, minute: 45, second: 53))
        #expect(GraphVerdicts.duration("PT40M") == .seconds(2_400))
        #expect(GraphVerdicts.duration("P1DT2H") == .seconds(93_600))
        #expect(GraphVerdicts.duration("P10675199DT2H48M5.4775807S") == nil)
        #expect(GraphVerdicts.duration("PT") == .seconds(0))
        #expect(GraphVerdicts.duration("40 minutes") == nil && GraphVerdicts.duration("PT4X") == nil)
        #expect(GraphVerdicts.duration("P99999999999999999999999D") == nil)
        #expect(UTCDate.span(2_400) == "40 minutes")
    }

    @Test("a collection is paged through @odata.nextLink, never off the Graph origin")
    func paging() async throws {
        let origin = "https://graph.microsoft.com"
        let first = #"{"value":[{"id":"1"}],"@odata.nextLink":"\#(origin)/v1.0/things?$skiptoken=2"}"#
        let second = #"{"value":[{"id":"2"}],"@odata.nextLink":"https://evil.example.net/v1.0/things?$skiptoken=3"}"#
        var setup = ExampleSetup(
            tenantURL: "",
            routes: [
                Route(
                    matches: { $0.url.hasSuffix("skiptoken=2") },
                    reply: { _ in Reply.json(200, second, contentType: "application/json").result }),
                .get("/v1.0/things", .json(200, first, contentType: "application/json")),
            ])
        setup.entra = EntraTarget(
            tenant: "contoso.onmicrosoft.com", application: .appID("x"), endpoints: GraphEndpoints(cloud: .global))
        let read = try await setup.makeContext().graphGetAll("/v1.0/things")
        #expect(read.items.compactMap { $0["id"]?.string } == ["1", "2"])
        #expect(read.exchanges.count == 2)
        #expect(read.exchanges.allSatisfy { $0.request.url.hasPrefix(origin) })
        // The link not followed is kept: the probes say there is more than was read.
        #expect(read.value?["@odata.nextLink"]?.string?.contains("evil") == true)
    }

    @Test("client credentials: the secret goes in the form body only; a refusal names the AADSTS code, not the secret")
    func clientCredentials() async throws {
        let secret = Secret("client-secret-0123456789abcdef", name: "client secret")
        let token = ExampleJWT.make(payload: #"{"roles":["Application.Read.All"]}"#)
        let transport = ScriptedTransport([
            .on(
                "POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token",
                .json(200, #"{"access_token":"\#(token)","expires_in":3599}"#, contentType: "application/json"))
        ])
        let signIn = GraphSignIn(
            transport: transport, endpoints: GraphEndpoints(cloud: .global), tenant: "contoso.onmicrosoft.com",
            timeout: .seconds(5), say: { _ in })
        let signedIn = try await signIn.accessToken(.clientSecret(clientID: "c", secret: secret))
        #expect(signedIn.reveal() == token)
        // The client secret is redacted wherever the Graph token is.
        #expect(!signedIn.redact("x \(secret.reveal()) y").contains(secret.reveal()))
        let sent = await transport.requests
        let body = String(decoding: sent[0].body ?? Data(), as: UTF8.self)
        #expect(
            body.contains("grant_type=client_credentials")
                && body.contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"))
        #expect(sent[0].bearerToken == nil && !sent[0].url.contains(secret.reveal()))

        let refusing = GraphSignIn(
            transport: ScriptedTransport([
                .on(
                    "POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token",
                    .json(
                        401,
                        #"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#,
                        contentType: "application/json"))
            ]), endpoints: GraphEndpoints(cloud: .global), tenant: "contoso.onmicrosoft.com", timeout: .seconds(5),
            say: { _ in })
        await #expect(
            throws: GraphSetupError(
                "the sign-in was refused (HTTP 401): invalid_client: AADSTS7000215: Invalid client secret provided.")
        ) {
            try await refusing.accessToken(.clientSecret(clientID: "c", secret: secret))
        }
    }

    @Test("the reports pacer lets 5 requests go at once and books the rest 10 s after the ones they follow")
    func pacing() async {
        let start = ContinuousClock.now
        let waits = WaitLog()
        let pacer = RequestPacer(now: { start }, sleep: { await waits.add($0) })
        for _ in 0..<7 { await pacer.turn() }
        #expect(await waits.waits == [.seconds(10), .seconds(10)])
    }
}

private actor WaitLog {
    var waits: [Duration] = []
    func add(_ wait: Duration) { waits.append(wait) }
}
