import Foundation

/// `scim-doctor explain <probe-id>`: what the probe checks, why Entra cares, every verdict it can give with its
/// remediation (from its own examples, no network) and its sources.
public struct ExplainCommand: Sendable {
    public let id: String
    public let console: any Console
    public let catalogue: [any Probe]

    public init(id: String, console: any Console, catalogue: [any Probe]) {
        self.id = id
        self.console = console
        self.catalogue = catalogue
    }

    public func run() async -> ExitCode {
        let wanted = id.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let probe = catalogue.first(where: { $0.id.rawValue == wanted.lowercased() }) else {
            let ids = catalogue.map(\.id.rawValue)
            let suggestions = ProbeExplainer.closest(to: wanted, in: ids)
            console.writeErr(
                "error: unknown probe id '\(wanted)'; did you mean \(suggestions.joined(separator: ", "))? "
                    + "(scim-doctor list shows every id)\n")
            return .usage
        }
        console.writeOut(ProbeExplainer.human(probe, outcomes: await ProbeExplainer.outcomes(of: probe)))
        return .success
    }
}

extension ArgumentParser {
    static func parseExplain(_ arguments: [String]) throws(UsageError) -> Invocation {
        var reader = OptionReader(arguments)
        var positionals: [String] = []
        while let argument = reader.next() {
            if argument.isPositional {
                positionals.append(argument.name)
                continue
            }
            switch argument.name {
            case "-h", "--help": return .help(Help.explain)
            default: throw UsageError("unknown option '\(argument.name)' for explain (see scim-doctor explain --help)")
            }
        }
        guard positionals.count == 1, let id = positionals.first else {
            throw UsageError(
                positionals.isEmpty
                    ? "missing <probe-id>: scim-doctor explain tls.trust (scim-doctor list shows every id)"
                    : "expected one <probe-id>, got \(positionals.count) arguments")
        }
        return .explain(id)
    }
}

extension Help {
    public static let explain = """
        USAGE: scim-doctor explain <probe-id>

        Explains one probe: what it checks, why Entra cares, every verdict it can give with the remediation for
        each (found by running the probe's own examples on a scripted server: no network), and where the expected
        behaviour is documented (Microsoft's documentation, the RFCs). `scim-doctor list` shows every id;
        docs/probes.md has the same for every probe.

        EXIT CODES:
          0  explained
          2  unknown probe id (the closest ids are suggested)

        """
}
