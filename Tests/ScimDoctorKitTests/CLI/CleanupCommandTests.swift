import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("cleanup command")
struct CleanupCommandTests {
    static let environment = ["SCIM_TOKEN": "canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0"]

    /// Pre-existing resources, many of which only look like test resources, and the leftovers of two runs.
    static func tenant(
        sticky: Set<String> = [], missing: Set<String> = [], filler: Int = 0, extraUsers: [[String: String]] = [],
        impostors: [String: [String: String]] = [:], refusing: Set<String> = [],
        filtering: FakeTenant.Filtering = .ignored
    ) -> FakeTenant {
        var users: [[String: String]] = (0..<filler).map { ["id": "f\($0)", "userName": "filler\($0)@contoso.com"] }
        users += [
            ["id": "real1", "userName": "alice@contoso.com", "displayName": "Alice", "externalId": "alice"],
            ["id": "t1", "userName": "scim-doctor-0e0e0e0e-ada@example.com", "externalId": "scim-doctor-0e0e0e0e-ada"],
            // A server that drops externalId must not strand a run's own user.
            ["id": "t2", "userName": "scim-doctor-deadbeef-grace@example.com"],
            ["id": "near0", "userName": "grace@contoso.com", "externalId": "scim-doctor-deadbeef-grace"],
            ["id": "near1", "userName": "scim-doctor-notahex1-ada@example.com"],
            ["id": "near2", "userName": "scim-doctor-0e0e0e0e5@example.com"],
            ["id": "near3", "userName": "my-scim-doctor-0e0e0e0e-ada@example.com"],
            ["id": "near4", "userName": "scim-doctor-0e0e0e@example.com"],
            ["id": "near6", "userName": "SCIM-DOCTOR-0E0E0E0E-ada@example.com"],
            ["id": "near7", "userName": "scim-doctor-0e0e0e0e-ada@example.com", "externalId": "alice"],
            ["id": "near8", "userName": "scim-doctor-0e0e0e0e-ada@example.com.evil.example"],
        ]
        let groups: [[String: String]] = [
            ["id": "sales", "displayName": "Sales"],
            ["id": "tg1", "displayName": "scim-doctor-0e0e0e0e Group", "externalId": "scim-doctor-0e0e0e0e-group"],
            ["id": "tg2", "displayName": "scim-doctor-0e0e0e0e Group renamed"],
            ["id": "near5", "displayName": "scim-doctor-group"],
            ["id": "near9", "displayName": "scim-doctor-0E0E0E0E Group", "externalId": "scim-doctor-0e0e0e0e-group"],
        ]
        return FakeTenant(
            users: users + extraUsers, groups: groups, sticky: sticky, missing: missing, impostors: impostors,
            refusing: refusing, filtering: filtering)
    }

    func run(_ arguments: [String], _ tenant: FakeTenant) async throws -> (ExitCode, FakeConsole, ScriptedTransport) {
        guard case .cleanup(let parsed) = try ArgumentParser.parse(["cleanup", FakeTenant.url] + arguments) else {
            throw ProbeError("not a cleanup invocation")
        }
        let console = FakeConsole(environment: Self.environment)
        let transport = ScriptedTransport([tenant.route])
        let code = await CleanupCommand(
            arguments: parsed, console: console, transport: transport,
            resolver: ScriptedResolver(.success(["203.0.113.10"]))
        ).run()
        return (code, console, transport)
    }

    @Test("only the exact shapes a write run creates count: not a prefix, not another letter case")
    func exactShapes() {
        #expect(
            TestIdentity.tag(kind: .users, name: "scim-doctor-0e0e0e0e-ada@example.com", externalId: nil)
                == "scim-doctor-0e0e0e0e")
        #expect(TestIdentity.tag(kind: .groups, name: "scim-doctor-0e0e0e0e Group renamed", externalId: nil) != nil)
        #expect(
            TestIdentity.tag(
                kind: .users, name: "scim-doctor-0e0e0e0e-grace@example.com", externalId: "scim-doctor-0e0e0e0e-grace")
                != nil)
        for (kind, name, externalId) in [
            (ResourceKind.users, "SCIM-DOCTOR-0E0E0E0E-ada@example.com", nil as String?),
            (.users, "scim-doctor-0e0e0e0e-ada@example.com", "scim-doctor-0e0e0e0e-grace"),
            (.users, "scim-doctor-0e0e0e0e-ada@example.com ", nil),
            (.users, "scim-doctor-0e0e0e0e-bob@example.com", nil),
            (.users, "scim-doctor-0e0e0e0e Group", nil), (.groups, "scim-doctor-0e0e0e0e-ada@example.com", nil),
            (.groups, "scim-doctor-0E0E0E0E Group", nil), (.groups, "scim-doctor-0e0e0e0e Groups", nil),
            (.groups, "scim-doctor-0e0e0e0g Group", nil), (.groups, "x scim-doctor-0e0e0e0e Group", nil),
        ] {
            #expect(TestIdentity.tag(kind: kind, name: name, externalId: externalId) == nil, "\(name)")
        }
    }

    @Test("dry run: lists the tagged resources, deletes nothing, exit 0")
    func dryRun() async throws {
        let tenant = Self.tenant()
        let (code, console, transport) = try await run([], tenant)
        #expect(code == .success)
        let out = console.stdout
        #expect(
            out.contains(
                "4 test resources of earlier write runs in \(FakeTenant.url) (11 users and 5 groups looked at)")
        )
        #expect(out.contains("user \"scim-doctor-0e0e0e0e-ada@example.com\" (id t1), run scim-doctor-0e0e0e0e"))
        #expect(out.contains("user \"scim-doctor-deadbeef-grace@example.com\" (id t2), run scim-doctor-deadbeef"))
        #expect(out.contains("group \"scim-doctor-0e0e0e0e Group\" (id tg1), run scim-doctor-0e0e0e0e"))
        #expect(out.contains("run again with --yes") || out.contains("Run again with --yes"))
        #expect(!out.contains("near") && !out.contains("alice") && !out.contains("Sales"))
        #expect(await transport.requests.allSatisfy { $0.method == "GET" })
        #expect(tenant.ids("Users").count == 11 && tenant.ids("Groups").count == 5)
    }

    @Test("a server that filters on the tag prefix: only what it names is read, in one page per type")
    func filtered() async throws {
        let tenant = Self.tenant(filler: 10_050, filtering: .startsWith)
        let (code, console, transport) = try await run([], tenant)
        #expect(code == .success)
        #expect(console.stdout.contains("4 test resources"))
        #expect(console.stdout.contains("(8 users named scim-doctor-… and 4 groups named scim-doctor-… looked at)"))
        let lists = await transport.requests.filter { $0.url.contains("startIndex=") }.map(\.url)
        #expect(lists.count == 2 && lists.allSatisfy { $0.contains("+sw+%22scim-doctor-%22") })
    }

    @Test("a server that refuses the filter is paged through to the end, past 10,000 resources")
    func refusedFilter() async throws {
        let tenant = Self.tenant(filler: 10_050, filtering: .refused)
        let (code, console, transport) = try await run([], tenant)
        #expect(code == .success)
        #expect(console.stdout.contains("4 test resources"))
        #expect(console.stdout.contains("(10061 users and 5 groups looked at)"))
        let pages = await transport.requests.filter { $0.url.contains("/Users?") && !$0.url.contains("filter=") }
        #expect(pages.count == 101)
    }

    @Test("--yes re-reads each tagged resource by id, deletes exactly those (groups first), checks each is gone")
    func deletes() async throws {
        let tenant = Self.tenant()
        let (code, console, transport) = try await run(["--yes"], tenant)
        #expect(code == .success)
        let requests = await transport.requests
        let deletes = requests.filter { $0.method == "DELETE" }.map(\.url)
        #expect(
            deletes == [
                "\(FakeTenant.url)/Groups/tg1", "\(FakeTenant.url)/Groups/tg2", "\(FakeTenant.url)/Users/t1",
                "\(FakeTenant.url)/Users/t2",
            ])
        #expect(requests.allSatisfy { ["GET", "DELETE"].contains($0.method) })
        for url in deletes {
            let reads = requests.indices.filter { requests[$0].method == "GET" && requests[$0].url == url }
            let deletion = requests.firstIndex { $0.method == "DELETE" && $0.url == url } ?? 0
            #expect(reads.count == 2 && reads[0] < deletion && reads[1] > deletion, "read before and after \(url)")
        }
        #expect(
            tenant.ids("Users") == [
                "real1", "near0", "near1", "near2", "near3", "near4", "near6", "near7", "near8",
            ])
        #expect(tenant.ids("Groups") == ["sales", "near5", "near9"])
        #expect(console.stdout.contains("Deleted 4 of 4 test resources"))
        #expect(console.stdout.contains("✓ group \"scim-doctor-0e0e0e0e Group\" (id tg1)"))
        #expect(requests.allSatisfy { $0.bearerToken == Secret(Self.environment["SCIM_TOKEN"]!) })
    }

    @Test("pages through long lists with startIndex and count=100")
    func pages() async throws {
        let tenant = Self.tenant(filler: 250)
        let (code, console, transport) = try await run(["--yes"], tenant)
        #expect(code == .success)
        let lists = await transport.requests.filter { $0.method == "GET" && $0.url.contains("/Users?") }.map(\.url)
        #expect(lists.count == 3)
        #expect(lists.last?.contains("startIndex=201&count=100") == true)
        #expect(console.stdout.contains("Deleted 4 of 4"))
        #expect(tenant.ids("Users").count == 259)
    }

    @Test("a resource that survives its DELETE is listed with the command that removes it; exit 1")
    func leftovers() async throws {
        let (code, console, _) = try await run(["--yes"], Self.tenant(sticky: ["t2"], refusing: ["t1"]))
        #expect(code == .failures)
        #expect(console.stdout.contains("Deleted 2 of 4"))
        #expect(
            console.stdout.contains(
                "✗ still there: user \"scim-doctor-deadbeef-grace@example.com\" (id t2): DELETE answered HTTP 204 but "
                    + "GET still answers HTTP 200 (a soft delete)"))
        // A DELETE that only deactivates gets no DELETE command; a refused one does.
        #expect(console.stdout.contains("# no command: DELETE only deactivates this user on this server"))
        #expect(
            console.stdout.contains(
                "curl -X DELETE -H \"Authorization: Bearer $SCIM_TOKEN\" '\(FakeTenant.url)/Users/t1'"))
        #expect(!console.stdout.contains(Self.environment["SCIM_TOKEN"]!))
    }

    @Test("a listing entry whose read-back by id shows another resource is not touched; exit 1")
    func impostor() async throws {
        let alice = ["id": "t1", "userName": "alice@contoso.com", "externalId": "alice"]
        let tenant = Self.tenant(impostors: ["t1": alice])
        let (code, console, transport) = try await run(["--yes"], tenant)
        #expect(code == .failures)
        #expect(await !transport.requests.contains { $0.method == "DELETE" && $0.url.hasSuffix("/Users/t1") })
        #expect(tenant.ids("Users").contains("t1"))
        #expect(console.stdout.contains("not touched: read again by its id (HTTP 200), it is not the test resource"))
        #expect(console.stdout.contains("# no command: scim-doctor deletes only what it proves it created"))
    }

    @Test("dot, slash and injection ids: never a path to the collection, never a command that runs anything")
    func hostileIDs() async throws {
        let name = "scim-doctor-0e0e0e0e-ada@example.com"
        let tenant = Self.tenant(
            extraUsers: [
                ["id": ".", "userName": name], ["id": "..", "userName": name], ["id": "a/b", "userName": name],
                ["id": "x'$(touch .pwned)'", "userName": name], ["id": "auth0|123", "userName": name],
            ], refusing: ["x'$(touch .pwned)'"])
        let (code, console, transport) = try await run(["--yes"], tenant)
        #expect(code == .failures)
        let paths = await transport.requests.filter { $0.method != "GET" || !$0.url.contains("?") }.map(\.url)
        for forbidden in ["/Users/.", "/Users/..", "/Users/", "/Users/a/b", "/scim/v2/"] {
            #expect(!paths.contains { $0.hasSuffix(forbidden) }, "\(forbidden)")
        }
        #expect(!tenant.ids("Users").contains("auth0|123"))
        #expect(await transport.requests.contains { $0.method == "DELETE" && $0.url.hasSuffix("/Users/auth0%7C123") })
        #expect(
            console.stdout.contains("not touched: the id \"..\" is a dot segment, so it cannot be used in a URL path"))
        let commands = console.stdout.split(separator: "\n").filter { $0.contains("remove ") }
        #expect(commands.contains { $0.hasSuffix("'\(FakeTenant.url)/Users/x%27%24%28touch%20.pwned%29%27'") })
        #expect(!commands.contains { $0.contains("$(touch") })
    }

    @Test("a list that cannot be read is reported (exit 3); the other is still cleaned")
    func listingFailure() async throws {
        let tenant = Self.tenant(missing: ["Groups"])
        let (code, console, _) = try await run(["--yes"], tenant)
        #expect(code == .toolError)
        // Worded by the one list reader, as the Groups probes word it.
        #expect(
            console.stdout.contains(
                "? GET /scim/v2/Groups?excludedAttributes=members&filter=displayName sw \"scim-doctor-\"&startIndex=1&"
                    + "count=100 answered HTTP 404 instead of 200 with a ListResponse"))
        #expect(tenant.ids("Users").count == 9)
    }

    @Test("nothing tagged: says so, exit 0")
    func nothingFound() async throws {
        let tenant = FakeTenant(users: [["id": "real1", "userName": "alice@contoso.com"]])
        let (code, console, _) = try await run(["--yes"], tenant)
        #expect(code == .success)
        #expect(console.stdout.contains("No test resources of scim-doctor write runs"))
    }

    @Test("--format json: found, deleted, leftovers, exit code")
    func json() async throws {
        let (code, console, _) = try await run(["--format", "json"], Self.tenant())
        #expect(code == .success)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as? [String: Any])
        #expect(object["dryRun"] as? Bool == true)
        #expect((object["found"] as? [[String: Any]])?.map { $0["id"] as? String } == ["t1", "t2", "tg1", "tg2"])
        #expect((object["deleted"] as? [Any])?.isEmpty == true)
        #expect(object["exitCode"] as? Int == 0)
        #expect((object["examined"] as? [String: Int]) == ["users": 11, "groups": 5])
    }

    @Test(
        "usage errors: before any request",
        arguments: [
            (["cleanup"], "missing <tenant-url>: scim-doctor cleanup"),
            (["cleanup", "https://x", "--frob"], "unknown option '--frob' for cleanup"),
            (["cleanup", "https://x", "--allow-writes"], "unknown option '--allow-writes' for cleanup"),
            (["cleanup", "https://x", "--token", "a", "--token-file", "b"], "--token is not accepted"),
        ])
    func usageErrors(arguments: [String], message: String) {
        #expect {
            _ = try ArgumentParser.parse(arguments)
        } throws: { error in
            (error as? UsageError)?.message.contains(message) == true
        }
    }

    @Test("configuration errors exit 2 and send nothing")
    func configurationErrors() async throws {
        for (arguments, message) in [
            (["--ca-file", "/nonexistent/ca.pem"], "cannot read --ca-file"),
            (["--token-file", "/nonexistent/token"], "cannot read --token-file"),
        ] {
            let (code, console, transport) = try await run(arguments, Self.tenant())
            #expect(code == .usage)
            #expect(console.stderr.contains(message))
            #expect(await transport.requests.isEmpty)
        }
        let console = FakeConsole()
        let transport = ScriptedTransport([])
        var arguments = CleanupArguments(tenantURL: "https://a.example/scim")
        arguments.assumeYes = true
        #expect(
            await CleanupCommand(
                arguments: arguments, console: console, transport: transport,
                resolver: ScriptedResolver(.success(["203.0.113.10"]))
            ).run() == .usage)
        #expect(console.stderr.contains("no Secret Token"))
    }

    @Test("arguments and help")
    func parses() throws {
        let invocation = try ArgumentParser.parse([
            "cleanup", "https://a.example/scim", "--yes", "--token-file", "t", "--ca-file", "ca.pem", "-k",
            "--connect-timeout", "3", "--timeout", "4", "--format", "json",
        ])
        var expected = CleanupArguments(tenantURL: "https://a.example/scim")
        expected.assumeYes = true
        expected.tokenFile = "t"
        expected.caFile = "ca.pem"
        expected.insecure = true
        expected.connectTimeout = .seconds(3)
        expected.timeout = .seconds(4)
        expected.format = .json
        #expect(invocation == .cleanup(expected))
        #expect(try ArgumentParser.parse(["cleanup", "--help"]) == .help(Help.cleanup))
        #expect(try ArgumentParser.parse(["help", "cleanup"]) == .help(Help.cleanup))
        #expect(Help.main.contains("scim-doctor cleanup <tenant-url>"))
        #expect(Help.check.contains("--allow-writes") && Help.check.contains("--patch-style auto|default|flag|both"))
    }
}
