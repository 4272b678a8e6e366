import Foundation

/// Every command and option the parser takes, as data: what the shell completions are generated from, and what
/// the tests hold the parser and the help texts to (each option here is parsed and shown in its command's help;
/// each option the parser takes is here).
struct OptionSpec: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case none
        case file
        case choices([String])
        /// Free text (a URL, seconds, ids, host:port:address).
        case text(String)
    }

    let names: [String]
    let value: Value
    let summary: String

    init(_ names: String..., value: Value = .none, summary: String) {
        self.names = names
        self.value = value
        self.summary = summary
    }

    var long: String { names.first { $0.hasPrefix("--") } ?? names[0] }
    var short: String? { names.first { !$0.hasPrefix("--") } }
}

struct CommandSpec: Sendable {
    let name: String
    let summary: String
    /// The one positional argument, if any (`<tenant-url>`, `<probe-id>`).
    let positional: String?
    let options: [OptionSpec]
    let help: String

    static let all: [CommandSpec] = [check, entra, cleanup, list, explain]

    /// The usage error for an option this command does not take, with the closest one it does when it is a likely
    /// typo (`--stict` → `--strict`).
    func unknownOption(_ name: String) -> UsageError {
        let names = options.flatMap(\.names).filter { $0.hasPrefix("--") }
        let nearest = names.map { ($0, ProbeExplainer.editDistance(name.lowercased(), $0)) }.filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }
        let hint = nearest.map { "; did you mean \($0.0)?" } ?? ""
        return UsageError(
            "unknown option '\(name)' for \(self.name)\(hint) (see scim-doctor \(self.name) --help)")
    }

    private static let helpOption = OptionSpec("-h", "--help", summary: "this text")
    private static let tokenFile = OptionSpec(
        "--token-file", value: .file, summary: "read the Secret Token from a file")
    private static let caFile = OptionSpec("--ca-file", value: .file, summary: "also trust these PEM certificates")
    private static let insecure = OptionSpec(
        "-k", "--insecure", summary: "do not verify certificates for the HTTP probes")
    private static let connectTimeout = OptionSpec(
        "--connect-timeout", value: .text("seconds"), summary: "per connection, default 10")
    private static let timeout = OptionSpec("--timeout", value: .text("seconds"), summary: "per request, default 30")
    private static let resolve = OptionSpec(
        "--resolve", value: .text("host:port:address"), summary: "connect to these addresses instead of DNS")
    private static let allowHTTP = OptionSpec(
        "--allow-http", summary: "send the token over plain http to a non-loopback host")
    private static let yes = OptionSpec("-y", "--yes", summary: "do not ask (write runs), or delete (cleanup)")

    /// The options `check` and `entra` share (`ArgumentParser.reportOption`).
    private static let reportOptions = [
        OptionSpec("--expected-url", value: .text("url"), summary: "the Tenant URL as the application shows it"),
        caFile, connectTimeout, timeout,
        OptionSpec("--only", value: .text("ids"), summary: "run only these probes"),
        OptionSpec("--skip", value: .text("ids"), summary: "skip these probes"),
        OptionSpec("--format", value: .choices(OutputFormat.allCases.map(\.rawValue)), summary: "report format"),
        OptionSpec("-o", "--output", value: .file, summary: "write a report to a file (repeatable)"),
        OptionSpec("--strict", summary: "warnings count as failures"),
        OptionSpec("-q", "--quiet", summary: "only warnings, failures and the summary line"),
        OptionSpec("--all", summary: "every probe on its own line"),
        OptionSpec("--color", value: .choices(ColorMode.allCases.map(\.rawValue)), summary: "colour the human report"),
        OptionSpec("-v", "--verbose", summary: "show every HTTP exchange on stderr"),
        OptionSpec("--har", value: .file, summary: "also write every HTTP exchange to a HAR file"),
    ]

    static let check = CommandSpec(
        name: "check", summary: "run the diagnostics (read-only unless --allow-writes)", positional: "tenant-url",
        options: [tokenFile, insecure, resolve, allowHTTP] + reportOptions + entraOptions + [
            OptionSpec("--allow-writes", summary: "also run the lifecycle probes on test resources"), yes,
            OptionSpec(
                "--patch-style", value: .choices(PatchStyle.allCases.map(\.rawValue)),
                summary: "the PATCH dialect to send"),
            helpOption,
        ], help: Help.check)
    /// The options that name the Entra side and sign in to Graph (`ArgumentParser.entraOption`).
    private static let entraOptions = [
        OptionSpec("--tenant", value: .text("tenant"), summary: "the Entra directory, id or domain"),
        OptionSpec("--app-id", value: .text("guid"), summary: "the application (client) id"),
        OptionSpec("--app-name", value: .text("name"), summary: "the application's display name"),
        OptionSpec("--sp-id", value: .text("guid"), summary: "the service principal's object id"),
        OptionSpec("--expected-url", value: .text("url"), summary: "the Tenant URL as the application shows it"),
        OptionSpec("--cloud", value: .choices(GraphCloud.allCases.map(\.rawValue)), summary: "the Microsoft cloud"),
        OptionSpec("--graph-token-file", value: .file, summary: "read a Graph access token from a file"),
        OptionSpec(
            "--client-id", value: .text("guid"),
            summary: "your app registration (client credentials or device code)"),
        OptionSpec("--client-secret-file", value: .file, summary: "read the client secret from a file"),
        OptionSpec("--test-connection", summary: "Entra's own Test Connection (validateCredentials; needs ReadWrite)"),
        OptionSpec(
            "--provision-on-demand", value: .text("user"), summary: "provision this one Entra user now (asks first)"),
    ]

    static let entra = CommandSpec(
        name: "entra", summary: "read the Entra side through Microsoft Graph (read-only)", positional: nil,
        options: entraOptions + reportOptions + [yes, helpOption], help: Help.entra)
    static let cleanup = CommandSpec(
        name: "cleanup", summary: "find (and with --yes delete) test resources of earlier write runs",
        positional: "tenant-url",
        options: [
            yes, tokenFile, caFile, insecure, connectTimeout, timeout, resolve, allowHTTP,
            OptionSpec("--format", value: .choices(["human", "json"]), summary: "output format"), helpOption,
        ], help: Help.cleanup)
    static let list = CommandSpec(
        name: "list", summary: "list every probe", positional: nil,
        options: [
            OptionSpec("--format", value: .choices(["human", "json", "markdown"]), summary: "output format"),
            helpOption,
        ],
        help: Help.list)
    static let explain = CommandSpec(
        name: "explain", summary: "explain a probe or an error code Entra shows", positional: "probe-id",
        options: [helpOption],
        help: Help.explain)
}
