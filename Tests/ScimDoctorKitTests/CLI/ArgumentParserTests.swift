import Testing

@testable import ScimDoctorKit

@Suite("Argument parsing")
struct ArgumentParserTests {
    @Test("check with every option")
    func fullCheck() throws {
        let invocation = try ArgumentParser.parse([
            "check", "https://a.example/scim", "--token-file", "t.txt", "--expected-url=https://a.example/scim",
            "--ca-file", "ca.pem", "-k", "--connect-timeout", "2.5", "--timeout", "7", "--only", "tls.*,url",
            "--skip", "users.count", "--format", "json", "-o", "r.json", "--color", "never", "-v",
        ])
        var expected = CheckArguments(tenantURL: "https://a.example/scim")
        expected.tokenFile = "t.txt"
        expected.expectedURL = "https://a.example/scim"
        expected.caFile = "ca.pem"
        expected.insecure = true
        expected.connectTimeout = .milliseconds(2500)
        expected.timeout = .seconds(7)
        expected.only = ["tls.*", "url"]
        expected.skip = ["users.count"]
        expected.format = .json
        expected.outputs = ["r.json"]
        expected.color = .never
        expected.verbose = true
        #expect(invocation == .check(expected))
    }

    @Test(
        "usage errors name the problem",
        arguments: [
            (["check"], "missing <tenant-url>"),
            (["check", "a", "b"], "expected one <tenant-url>"),
            (["check", "  "], "empty"),
            (["check", "https://x", "--format", "xml"], "--format takes one of human, json"),
            (["check", "https://x", "--timeout", "-1"], "--timeout takes a number of seconds"),
            (["check", "https://x", "--timeout", "nan"], "--timeout takes a number of seconds"),
            (["check", "https://x", "--timeout"], "--timeout needs a value"),
            (["check", "https://x", "--frobnicate"], "unknown option '--frobnicate'"),
            (["check", "https://x", "--stict"], "unknown option '--stict' for check; did you mean --strict?"),
            (["list", "--fromat", "json"], "did you mean --format?"),
            (["check", "https://x", "--token", "a", "--token-file", "b"], "--token is not accepted"),
            (["frob"], "unknown command 'frob'"),
            (["list", "--format", "yaml"], "--format takes one of"),
        ])
    func usageErrors(arguments: [String], message: String) {
        #expect {
            _ = try ArgumentParser.parse(arguments)
        } throws: { error in
            (error as? UsageError)?.message.contains(message) == true
        }
    }

    @Test("help, version and list")
    func otherCommands() throws {
        #expect(try ArgumentParser.parse([]) == .help(Help.main))
        #expect(try ArgumentParser.parse(["--help"]) == .help(Help.main))
        #expect(try ArgumentParser.parse(["check", "--help"]) == .help(Help.check))
        #expect(try ArgumentParser.parse(["help", "list"]) == .help(Help.list))
        #expect(try ArgumentParser.parse(["--version"]) == .version)
        #expect(try ArgumentParser.parse(["list", "--format=json"]) == .list(format: .json))
    }

    @Test("-- ends the options, so a URL may start with a dash")
    func doubleDash() throws {
        #expect(try ArgumentParser.parse(["check", "--", "-weird"]) == .check(CheckArguments(tenantURL: "-weird")))
    }
}
