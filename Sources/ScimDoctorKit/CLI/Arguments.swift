import Foundation

/// What the command line asked for, before anything is read or sent.
public enum Invocation: Equatable, Sendable {
    case check(CheckArguments)
    /// `entra`: check's arguments with the Entra side set (`entra`) and no Tenant URL.
    case entra(CheckArguments)
    case cleanup(CleanupArguments)
    case list(format: OutputFormat)
    /// `explain <probe-id>`: the id as typed (ExplainCommand checks it against the catalogue).
    case explain(String)
    case version
    /// `--help` (or no arguments), or a generated text (shell completions, the manual): printed on stdout.
    case help(String)
}

public enum OutputFormat: String, Sendable, CaseIterable {
    case human, json, junit, markdown
}

/// `scim-doctor check` options, parsed but not yet validated against the file system or environment.
public struct CheckArguments: Equatable, Sendable {
    public var tenantURL: String
    public var tokenFile: String?
    public var expectedURL: String?
    public var caFile: String?
    public var insecure = false
    public var connectTimeout: Duration = .seconds(10)
    public var timeout: Duration = .seconds(30)
    public var only: [String] = []
    public var skip: [String] = []
    /// `--format`; nil when not given (human, or each `-o` file's extension).
    public var format: OutputFormat?
    /// `-o/--output FILE` (repeatable): the report files.
    public var outputs: [String] = []
    public var color: ColorMode = .auto
    /// `-v`: every HTTP exchange on stderr, and every probe on its own line (as `--all`).
    public var verbose = false
    /// `--all`: every probe of the human report on its own line (no folding), without the exchanges.
    public var allLines = false
    /// `--har FILE`: also write every HTTP exchange of the run there, as HAR 1.2 (token redacted).
    public var har: String?
    /// `--strict`: warnings count as failures (exit code 1).
    public var strict = false
    /// `--quiet`: the human report shows only warnings, failures and errors, and the summary line.
    public var quiet = false
    /// `--allow-writes`: run the lifecycle probes, which create test resources (and change and delete only those).
    public var allowWrites = false
    /// `--yes`: do not ask for confirmation before writing (CI).
    public var assumeYes = false
    /// `--patch-style`; nil when not given (the Tenant URL's flag decides).
    public var patchStyle: PatchStyle?
    /// `--allow-http`: send the token over plain http to a machine other than this one.
    public var allowHTTP = false
    /// `--resolve host:port:address[,address]` (repeatable).
    public var resolve: [ResolveOverride] = []
    /// The Entra side (`scim-doctor entra`).
    public var entra: EntraArguments?

    public init(tenantURL: String) { self.tenantURL = tenantURL }

    /// The human report shows every probe on its own line (`-v` or `--all`).
    var everyLine: Bool { verbose || allLines }

    /// Where the reports go (`ReportDestination.resolve`); a usage error for a combination it cannot honour.
    public func destinations() throws(UsageError) -> [ReportDestination] {
        try ReportDestination.resolve(format: format, outputs: outputs)
    }
}

/// `scim-doctor cleanup` options: finds (and with `--yes` deletes) the test resources earlier write runs left.
public struct CleanupArguments: Equatable, Sendable {
    public var tenantURL: String
    public var tokenFile: String?
    public var caFile: String?
    public var insecure = false
    public var connectTimeout: Duration = .seconds(10)
    public var timeout: Duration = .seconds(30)
    public var format: OutputFormat = .human
    /// `--yes`: delete what was found; without it, only list it (dry run).
    public var assumeYes = false
    public var allowHTTP = false
    public var resolve: [ResolveOverride] = []

    public init(tenantURL: String) { self.tenantURL = tenantURL }
}

/// A mistake on the command line: one line saying what is wrong and how to fix it (exit code 2).
public struct UsageError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A hand-rolled parser in swift-argument-parser's conventions (kebab-case long options, `--name value`
/// or `--name=value`, `--` ends options), since the project takes no package dependencies.
public enum ArgumentParser {
    public static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        guard let command = arguments.first else { return .help(Help.main) }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "-h", "--help", "help":
            if let topic = rest.first { return .help(try Help.text(for: topic)) }
            return .help(Help.main)
        case "--version", "version": return .version
        case "--generate-completion-script":
            guard let shell = rest.first, rest.count == 1 else {
                throw UsageError("--generate-completion-script needs one shell: bash, zsh or fish")
            }
            return .help(try ShellCompletions.script(for: shell))
        case "--generate-manual": return .help(ManualPage.render())
        case "list": return try parseList(rest)
        case "explain": return try parseExplain(rest)
        case "check": return try parseCheck(rest)
        case "entra": return try parseEntra(rest)
        case "cleanup": return try parseCleanup(rest)
        default:
            let commands = CommandSpec.all.map(\.name) + ["help", "version"]
            let nearest = commands.map { ($0, ProbeExplainer.editDistance(command.lowercased(), $0)) }
                .filter { $0.1 <= 2 }.min { $0.1 < $1.1 }
            if let (near, _) = nearest {
                throw UsageError("unknown command '\(command)'; did you mean '\(near)'? (see scim-doctor --help)")
            }
            if command.contains("://") {
                // (Not echoed: a URL may carry a secret in its query.)
                throw UsageError(
                    "a URL is not a command: use 'scim-doctor check <tenant-url>' (see scim-doctor --help)")
            }
            throw UsageError(
                "unknown command '\(command)'; use 'scim-doctor check <tenant-url>' (see scim-doctor --help)")
        }
    }

    static func parseList(_ arguments: [String]) throws(UsageError) -> Invocation {
        var format = OutputFormat.human
        var reader = OptionReader(arguments)
        while let argument = reader.next() {
            switch argument.name {
            case "-h", "--help": return .help(Help.list)
            case "--format":
                format = try reader.choice(argument, OutputFormat.self)
                if format == .junit {
                    throw UsageError("list --format takes one of human, json, markdown; got 'junit'")
                }
            default: throw CommandSpec.list.unknownOption(argument.name)
            }
        }
        return .list(format: format)
    }

    static func parseCheck(_ arguments: [String]) throws(UsageError) -> Invocation {
        var reader = OptionReader(arguments)
        var positionals: [String] = []
        var check = CheckArguments(tenantURL: "")
        var entra = EntraArguments()
        while let argument = reader.next() {
            if argument.isPositional {
                positionals.append(argument.name)
                continue
            }
            switch argument.name {
            case "-h", "--help": return .help(Help.check)
            case "--token-file": check.tokenFile = try reader.value(argument)
            case "--token": throw tokenOnCommandLine
            case "--insecure", "-k": check.insecure = true
            case "--allow-writes": check.allowWrites = true
            case "--yes", "-y": check.assumeYes = true
            case "--patch-style": check.patchStyle = try reader.choice(argument, PatchStyle.self)
            case "--allow-http": check.allowHTTP = true
            case "--resolve": check.resolve.append(try reader.resolve(argument))
            default:
                if try reportOption(argument, &reader, &check) { continue }
                guard try entraOption(argument, &reader, &entra) else {
                    throw CommandSpec.check.unknownOption(argument.name)
                }
            }
        }
        check.tenantURL = try tenantURL(positionals, command: "check")
        // --tenant (or any Entra option) joins the Entra side to the run.
        if entra != EntraArguments() {
            try validate(entra)
            check.entra = entra
        }
        if !check.allowWrites {
            if check.assumeYes, check.entra?.provisionOnDemand == nil {
                throw UsageError(
                    "--yes confirms writes, and only --allow-writes writes (or --provision-on-demand provisions a user): "
                        + "add one or drop --yes")
            }
            if check.patchStyle != nil {
                throw UsageError(
                    "--patch-style only matters with --allow-writes (it picks the PATCH dialect the write probes send)")
            }
        }
        return .check(check)
    }

    /// The options `check` and `entra` share (what is compared, timeouts, selection, the report): whether
    /// `argument` was one of them.
    static func reportOption(
        _ argument: OptionReader.Argument, _ reader: inout OptionReader, _ check: inout CheckArguments
    ) throws(UsageError) -> Bool {
        switch argument.name {
        case "--expected-url": check.expectedURL = try reader.value(argument)
        case "--ca-file": check.caFile = try reader.value(argument)
        case "--connect-timeout": check.connectTimeout = try reader.seconds(argument)
        case "--timeout": check.timeout = try reader.seconds(argument)
        case "--only": check.only += try reader.list(argument)
        case "--skip": check.skip += try reader.list(argument)
        case "--format": check.format = try reader.choice(argument, OutputFormat.self)
        case "--output", "-o": check.outputs.append(try reader.value(argument))
        case "--color": check.color = try reader.choice(argument, ColorMode.self)
        case "--verbose", "-v": check.verbose = true
        case "--all": check.allLines = true
        case "--har": check.har = try reader.value(argument)
        case "--strict": check.strict = true
        case "--quiet", "-q": check.quiet = true
        default: return false
        }
        return true
    }

    static func parseCleanup(_ arguments: [String]) throws(UsageError) -> Invocation {
        var reader = OptionReader(arguments)
        var positionals: [String] = []
        var cleanup = CleanupArguments(tenantURL: "")
        while let argument = reader.next() {
            if argument.isPositional {
                positionals.append(argument.name)
                continue
            }
            switch argument.name {
            case "-h", "--help": return .help(Help.cleanup)
            case "--token-file": cleanup.tokenFile = try reader.value(argument)
            case "--token": throw tokenOnCommandLine
            case "--ca-file": cleanup.caFile = try reader.value(argument)
            case "--insecure", "-k": cleanup.insecure = true
            case "--connect-timeout": cleanup.connectTimeout = try reader.seconds(argument)
            case "--timeout": cleanup.timeout = try reader.seconds(argument)
            case "--format":
                cleanup.format = try reader.choice(argument, OutputFormat.self)
                if cleanup.format != .human, cleanup.format != .json {
                    throw UsageError("cleanup --format takes one of human, json; got '\(cleanup.format.rawValue)'")
                }
            case "--yes", "-y": cleanup.assumeYes = true
            case "--allow-http": cleanup.allowHTTP = true
            case "--resolve": cleanup.resolve.append(try reader.resolve(argument))
            default:
                throw CommandSpec.cleanup.unknownOption(argument.name)
            }
        }
        cleanup.tenantURL = try tenantURL(positionals, command: "cleanup")
        return .cleanup(cleanup)
    }

    static func tenantURL(_ positionals: [String], command: String) throws(UsageError) -> String {
        guard let url = positionals.first else {
            throw UsageError("missing <tenant-url>: scim-doctor \(command) https://app.example.com/scim/v2")
        }
        guard positionals.count == 1 else {
            throw UsageError(
                "expected one <tenant-url>, got \(positionals.count) arguments; quote a URL that contains spaces or '&'"
            )
        }
        guard !url.trimmingWhitespaceAndNewlines().isEmpty else {
            throw UsageError("the <tenant-url> is empty: pass the Tenant URL exactly as the application shows it")
        }
        return url
    }

    /// `--token VALUE` is refused: the command line is visible to every user of the machine and kept in history.
    static let tokenOnCommandLine = UsageError(
        "--token is not accepted: a token on the command line is visible to other users (ps) and kept in shell "
            + "history; set SCIM_TOKEN, pass --token-file PATH ('-' reads standard input), or type it at the prompt")
}

/// Walks the arguments, splitting `--name=value` and honouring `--`.
struct OptionReader {
    struct Argument {
        let name: String
        let inlineValue: String?
        let isPositional: Bool
    }

    private var arguments: [String]
    private var index = 0
    private var optionsEnded = false

    init(_ arguments: [String]) { self.arguments = arguments }

    mutating func next() -> Argument? {
        guard index < arguments.count else { return nil }
        let argument = arguments[index]
        index += 1
        if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
            return Argument(name: argument, inlineValue: nil, isPositional: true)
        }
        if argument == "--" {
            optionsEnded = true
            return next()
        }
        if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
            return Argument(
                name: String(argument[..<equals]), inlineValue: String(argument[argument.index(after: equals)...]),
                isPositional: false)
        }
        return Argument(name: argument, inlineValue: nil, isPositional: false)
    }

    mutating func value(_ argument: Argument) throws(UsageError) -> String {
        if let inline = argument.inlineValue { return inline }
        guard index < arguments.count else { throw UsageError("\(argument.name) needs a value") }
        defer { index += 1 }
        return arguments[index]
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ argument: Argument, _: T.Type) throws(UsageError) -> T
    where T.RawValue == String {
        let raw = try value(argument)
        guard let choice = T(rawValue: raw) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("\(argument.name) takes one of \(allowed); got '\(raw)'")
        }
        return choice
    }

    mutating func resolve(_ argument: Argument) throws(UsageError) -> ResolveOverride {
        let raw = try value(argument)
        guard let override = ResolveOverride(raw) else {
            throw UsageError(
                "\(argument.name) takes host:port:address[,address] (as curl's), e.g. app.example.com:443:203.0.113.10; "
                    + "got '\(raw)'")
        }
        return override
    }

    mutating func seconds(_ argument: Argument) throws(UsageError) -> Duration {
        let raw = try value(argument)
        guard let seconds = Double(raw), seconds.isFinite, seconds > 0, seconds <= 3600 else {
            throw UsageError("\(argument.name) takes a number of seconds between 0 and 3600; got '\(raw)'")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    mutating func list(_ argument: Argument) throws(UsageError) -> [String] {
        let items = try value(argument).split(separator: ",").map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
        guard !items.isEmpty else { throw UsageError("\(argument.name) needs probe ids, e.g. \(argument.name) tls.*") }
        return items
    }
}
