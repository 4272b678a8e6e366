import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("cleanup command")
struct CleanupCommandTests {
    static let environment = ["SCIM_TOKEN": "canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0"]

    /// Pre-existing resources, some of which only look like test resources, and the leftovers of two runs.
    static func tenant(sticky: Set<String> = [], missing: Set<String> = [], filler: Int = 0) -> FakeTenant {
        var users: [[String: String]] = (0..<filler).map { ["id": "f\($0)", "userName": "filler\($0)@contoso.com"] }
        users += [
            ["id": "real1", "userName": "alice@contoso.com", "displayName": "Alice", "externalId": "alice"],
            ["id": "t1", "userName": "scim-doctor-0e0e0e0e-ada@example.com", "externalId": "scim-doctor-0e0e0e0e-ada"],
            ["id": "t2", "userName": "grace@contoso.com", "externalId": "scim-doctor-deadbeef-grace"],
            ["id": "near1", "userName": "scim-doctor-notahex1-ada@example.com"],
            ["id": "near2", "userName": "scim-doctor-0e0e0e0e5@example.com"],
            ["id": "near3", "userName": "my-scim-doctor-0e0e0e0e-ada@example.com"],
            ["id": "near4", "userName": "scim-doctor-0e0e0e@example.com"],
        ]
        let groups: [[String: String]] = [
            ["id": "sales", "displayName": "Sales"],
            ["id": "tg1", "displayName": "scim-doctor-0E0E0E0E Group", "externalId": "scim-doctor-0e0e0e0e-group"],
            ["id": "near5", "displayName": "scim-doctor-group"],
        ]
        return FakeTenant(users: users, groups: groups, sticky: sticky, missing: missing)
    }

    func run(_ arguments: [String], _ tenant: FakeTenant) async throws -> (ExitCode, FakeConsole, ScriptedTransport) {
        guard case .cleanup(let parsed) = try ArgumentParser.parse(["cleanup", FakeTenant.url] + arguments) else {
            throw ProbeError("not a cleanup invocation")
        }
        let console = FakeConsole(environment: Self.environment)
        let transport = ScriptedTransport([tenant.route])
        let code = await CleanupCommand(arguments: parsed, console: console, transport: transport).run()
        return (code, console, transport)
    }

    @Test("the tag: scim-doctor- and 8 hex digits, then the end, a dash or a space")
    func runTag() {
        #expect(CleanupCommand.runTag("scim-doctor-0e0e0e0e-ada@example.com") == "scim-doctor-0e0e0e0e")
        #expect(CleanupCommand.runTag("scim-doctor-0e0e0e0e Group") == "scim-doctor-0e0e0e0e")
        #expect(CleanupCommand.runTag("SCIM-DOCTOR-ABCDEF01") == "scim-doctor-abcdef01")
        for untagged in [
            "scim-doctor-0e0e0e0", "scim-doctor-0e0e0e0e5", "scim-doctor-0e0e0e0g-x", "x-scim-doctor-0e0e0e0e",
            "scim-doctor-", "scim-doctor-0e0e0e0e@example.com", "",
        ] {
            #expect(CleanupCommand.runTag(untagged) == nil, "\(untagged)")
        }
    }

    @Test("dry run: lists the tagged resources, deletes nothing, exit 0")
    func dryRun() async throws {
        let tenant = Self.tenant()
        let (code, console, transport) = try await run([], tenant)
        #expect(code == .success)
        let out = console.stdout
        #expect(
            out.contains("3 test resources of earlier write runs in \(FakeTenant.url) (7 users and 3 groups looked at)")
        )
        #expect(out.contains("user \"scim-doctor-0e0e0e0e-ada@example.com\" (id t1), run scim-doctor-0e0e0e0e"))
        #expect(out.contains("user \"grace@contoso.com\" (id t2), run scim-doctor-deadbeef"))
        #expect(out.contains("group \"scim-doctor-0E0E0E0E Group\" (id tg1), run scim-doctor-0e0e0e0e"))
        #expect(out.contains("run again with --yes") || out.contains("Run again with --yes"))
        #expect(!out.contains("near") && !out.contains("alice") && !out.contains("Sales"))
        #expect(await transport.requests.allSatisfy { $0.method == "GET" })
        #expect(tenant.ids("Users").count == 7 && tenant.ids("Groups").count == 3)
    }

    @Test("--yes deletes exactly the tagged resources (groups first), checks each is gone, exit 0")
    func deletes() async throws {
        let tenant = Self.tenant()
        let (code, console, transport) = try await run(["--yes"], tenant)
        #expect(code == .success)
        let requests = await transport.requests
        let deletes = requests.filter { $0.method == "DELETE" }.map(\.url)
        #expect(
            deletes == ["\(FakeTenant.url)/Groups/tg1", "\(FakeTenant.url)/Users/t1", "\(FakeTenant.url)/Users/t2"])
        #expect(requests.allSatisfy { ["GET", "DELETE"].contains($0.method) })
        for url in deletes {
            #expect(requests.contains { $0.method == "GET" && $0.url == url }, "verified \(url)")
        }
        #expect(tenant.ids("Users") == ["real1", "near1", "near2", "near3", "near4"])
        #expect(tenant.ids("Groups") == ["sales", "near5"])
        #expect(console.stdout.contains("Deleted 3 of 3 test resources"))
        #expect(console.stdout.contains("✓ group \"scim-doctor-0E0E0E0E Group\" (id tg1)"))
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
        #expect(console.stdout.contains("Deleted 3 of 3"))
        #expect(tenant.ids("Users").count == 255)
    }

    @Test("a resource that survives its DELETE is listed with the command that removes it; exit 1")
    func leftovers() async throws {
        let (code, console, _) = try await run(["--yes"], Self.tenant(sticky: ["t2"]))
        #expect(code == .failures)
        #expect(console.stdout.contains("Deleted 2 of 3"))
        #expect(
            console.stdout.contains(
                "✗ still there: user \"grace@contoso.com\" (id t2): DELETE answered HTTP 204 but GET still answers HTTP 200"
            ))
        #expect(
            console.stdout.contains(
                "curl -X DELETE -H \"Authorization: Bearer $SCIM_TOKEN\" '\(FakeTenant.url)/Users/t2'"))
        #expect(!console.stdout.contains(Self.environment["SCIM_TOKEN"]!))
    }

    @Test("a list that cannot be read is reported (exit 3); the other is still cleaned")
    func listingFailure() async throws {
        let tenant = Self.tenant(missing: ["Groups"])
        let (code, console, _) = try await run(["--yes"], tenant)
        #expect(code == .toolError)
        #expect(console.stdout.contains("? GET \(FakeTenant.url)/Groups?startIndex=1&count=100"))
        #expect(console.stdout.contains("answered HTTP 404"))
        #expect(tenant.ids("Users").count == 5)
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
        #expect((object["found"] as? [[String: Any]])?.map { $0["id"] as? String } == ["t1", "t2", "tg1"])
        #expect((object["deleted"] as? [Any])?.isEmpty == true)
        #expect(object["exitCode"] as? Int == 0)
        #expect((object["examined"] as? [String: Int]) == ["users": 7, "groups": 3])
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
        #expect(await CleanupCommand(arguments: arguments, console: console, transport: transport).run() == .usage)
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
