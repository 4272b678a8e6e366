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
        let wanted = id.trimmingWhitespaceAndNewlines()
        if let probe = catalogue.first(where: { $0.id.rawValue == wanted.lowercased() }) {
            console.writeOut(ProbeExplainer.human(probe, outcomes: await ProbeExplainer.outcomes(of: probe)))
            return .success
        }
        // An error code or a banner text from Entra (pasted whole, codes and all).
        let explanations = EntraCodeExplanation.matching(wanted)
        guard explanations.isEmpty else {
            let texts = explanations.map { ProbeExplainer.human(code: $0.code, $0.explanation) }
            console.writeOut(texts.joined(separator: "\n"))
            return .success
        }
        let words = catalogue.map(\.id.rawValue) + EntraCodeExplanation.all.flatMap(\.codes)
        let suggestions = ProbeExplainer.closest(to: wanted, in: words)
        console.writeErr(
            PrintableText.terminal(
                "error: '\(PrintableText.line(wanted))' is neither a probe id nor an error code Entra shows; did you "
                    + "mean \(suggestions.joined(separator: ", "))? (scim-doctor list shows every probe id)\n"))
        return .usage
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
            default: throw CommandSpec.explain.unknownOption(argument.name)
            }
        }
        guard !positionals.isEmpty else {
            throw UsageError(
                "missing <probe-id or error code>: scim-doctor explain tls.trust, or scim-doctor explain "
                    + "EntryConflict (scim-doctor list shows every id)")
        }
        // Several words: a banner text pasted without quotes.
        return .explain(positionals.joined(separator: " "))
    }
}

extension Help {
    public static let explain = """
        USAGE: scim-doctor explain <probe-id>
               scim-doctor explain <error code or Entra's message>

        Explains one probe: what it checks, why Entra cares, every verdict it can give with the remediation for
        each (found by running the probe's own examples on a scripted server: no network), and where the expected
        behaviour is documented (Microsoft's documentation, the RFCs, with links). `scim-doctor list` shows every
        id; docs/probes.md has the same for every probe.

        Given an error code from Entra's Test Connection banner, a provisioning log or a quarantine e-mail
        (\(EntraErrorCode.serviceIncompatible), EntryConflict, ContosoEntryConflict, …), or the
        banner's text itself, it says what Entra saw, each likely cause with the probe that diagnoses it, and the
        check command that runs those probes. It also knows the provisioning job's status codes (NotConfigured,
        NotRun, Active, Paused, Quarantine) and quarantine reasons (EncounteredQuarantineException, TooManyDeletes,
        …), with the change to make in Entra.

        EXAMPLES:
          scim-doctor explain tls.trust
          scim-doctor explain \(EntraErrorCode.multipleEntriesInResponse)
          scim-doctor explain "You appear to have entered invalid credentials. …"

        EXIT CODES:
          0  explained
          2  neither a probe id nor a known code (the closest ids and codes are suggested)

        """
}
