import Foundation

/// Every verdict a probe can give, found by running the probe's own examples on a scripted network (no traffic):
/// what `scim-doctor explain` and docs/probes.md show.
public enum ProbeExplainer {
    /// One distinct verdict: its status, finding and remediation, and the examples that reach it.
    public struct Outcome: Sendable, Equatable {
        public var status: Status
        public var finding: String
        public var remediation: String?
        public var examples: [String]
    }

    /// The tenant every example runs against, named so that readers know where the URLs in findings come from.
    public static let exampleTenant = ExampleSetup.defaultTenantURL

    /// The distinct outcomes of the probe's examples, grouped by status in `Status.allCases` order
    /// (pass, warn, fail, skip, error), each group in the order of the examples.
    public static func outcomes(of probe: any Probe) async -> [Outcome] {
        var outcomes: [Outcome] = []
        for example in probe.description.examples {
            let outcome: Outcome
            do {
                let verdict = try await probe.run(example.setup.makeContext())
                let token = Secret(example.setup.token)
                outcome = Outcome(
                    status: verdict.status, finding: token.redact(verdict.finding),
                    remediation: verdict.remediation.map(token.redact), examples: [example.name])
            } catch {
                outcome = Outcome(
                    status: .error, finding: "scim-doctor could not complete the probe: \(error)", remediation: nil,
                    examples: [example.name])
            }
            if let index = outcomes.firstIndex(where: {
                $0.status == outcome.status && $0.finding == outcome.finding && $0.remediation == outcome.remediation
            }) {
                outcomes[index].examples += outcome.examples
            } else {
                outcomes.append(outcome)
            }
        }
        let order = Dictionary(uniqueKeysWithValues: Status.allCases.enumerated().map { ($1, $0) })
        return outcomes.enumerated().sorted { lhs, rhs in
            let left = order[lhs.element.status] ?? 0
            let right = order[rhs.element.status] ?? 0
            return left == right ? lhs.offset < rhs.offset : left < right
        }.map(\.element)
    }

    /// The catalogue's ids closest to `id`: those it is a prefix or part of, then the nearest by edit distance.
    public static func closest(to id: String, in ids: [String], limit: Int = 3) -> [String] {
        let wanted = id.lowercased()
        guard !wanted.isEmpty else { return Array(ids.prefix(limit)) }
        let containing = ids.filter { $0.hasPrefix(wanted) || $0.contains(wanted) }
        if !containing.isEmpty { return Array(containing.prefix(limit)) }
        let scored = ids.map { (id: $0, distance: editDistance(wanted, $0)) }
        let best = scored.sorted { $0.distance == $1.distance ? $0.id < $1.id : $0.distance < $1.distance }
        return best.prefix(limit).map(\.id)
    }

    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        guard !left.isEmpty else { return right.count }
        guard !right.isEmpty else { return left.count }
        var previous = Array(0...right.count)
        for (row, leftCharacter) in left.enumerated() {
            var current = [row + 1] + Array(repeating: 0, count: right.count)
            for (column, rightCharacter) in right.enumerated() {
                let substitution = previous[column] + (leftCharacter == rightCharacter ? 0 : 1)
                current[column + 1] = min(previous[column + 1] + 1, current[column] + 1, substitution)
            }
            previous = current
        }
        return previous[right.count]
    }

    /// `scim-doctor explain <probe-id>`: plain text.
    public static func human(_ probe: any Probe, outcomes: [Outcome]) -> String {
        let description = probe.description
        var text = "\(description.id) — \(description.title)\n"
        text += "section     \(description.section.title) (\(description.section.rawValue))\n"
        let dependencies = description.dependencies.map(\.rawValue).joined(separator: ", ")
        text += "depends on  \(dependencies.isEmpty ? "nothing" : dependencies)\n"
        if description.writes {
            text += "writes      yes: runs only with --allow-writes, on test resources the run creates\n"
        }
        text += "\nWHAT IT CHECKS\n  \(description.checks)\n"
        if let rationale = description.rationale {
            text += "\nWHY ENTRA CARES\n  \(rationale)\n"
        }
        let against =
            description.section.readsGraph ? "a scripted Graph in Microsoft's documented shapes" : exampleTenant
        text += "\nVERDICTS (from the probe's examples, against \(against))\n"
        var previous: Status?
        for outcome in outcomes {
            if outcome.status != previous {
                text += "  \(outcome.status.symbol) \(outcome.status.rawValue)\n"
                previous = outcome.status
            }
            text += "    - \(outcome.finding)\n"
            if let remediation = outcome.remediation {
                text += "      fix: \(remediation)\n"
            }
        }
        if let note = dependencyNote(description) { text += "  \(Status.skip.symbol) \(note)\n" }
        if !description.sources.isEmpty {
            text += "\nSOURCES\n"
            for source in description.sources {
                text += "  - \(source)\n"
                for url in SourceLinks.urls(in: source) { text += "    \(url)\n" }
            }
        }
        return text
    }

    /// An error code Entra shows: what Entra saw, each likely SCIM-side cause with the probe that diagnoses it,
    /// Microsoft's text, the command that runs those probes, and the sources.
    static func human(code: String, _ explanation: EntraCodeExplanation) -> String {
        var text = "\(code)\n"
        if code != explanation.codes[0] { text += "  (\(explanation.codes[0]), as Entra names it for this app)\n" }
        text += "  What Entra saw: \(explanation.entraSaw)\n"
        if let microsoft = explanation.microsoft { text += "  Microsoft: \(microsoft)\n" }
        if let fix = explanation.fix { text += "  Fix in Entra: \(fix)\n" }
        text += "\nLIKELY CAUSES, AND THE PROBE THAT DIAGNOSES EACH\n"
        for cause in explanation.causes {
            text += "  \(HumanReporter.pad(cause.probe?.rawValue ?? "(no probe)", 28)) \(cause.cause)\n"
        }
        // A lifecycle probe needs the test user its section creates: select the whole section.
        var selection: [String] = []
        for probe in explanation.causes.compactMap(\.probe) {
            let id = probe.rawValue
            let pattern = id.contains("lifecycle.") ? String(id.prefix { $0 != "." }) : id
            if !selection.contains(pattern) { selection.append(pattern) }
        }
        if !selection.isEmpty {
            let writes = selection.contains { $0.hasSuffix("lifecycle") } ? " --allow-writes" : ""
            text += "\nRUN\n  scim-doctor check <tenant-url> --only \(selection.joined(separator: ","))\(writes)\n"
        }
        text += "\nSOURCES\n"
        for source in explanation.sources {
            text += "  - \(source)\n"
            for url in SourceLinks.urls(in: source) { text += "    \(url)\n" }
        }
        return text
    }

    /// One probe's section of docs/probes.md.
    static func markdown(_ probe: any Probe, outcomes: [Outcome]) -> String {
        let description = probe.description
        var text = "### `\(description.id)` — \(escape(description.title))\n\n"
        text += "\(escape(description.checks))\n\n"
        if let rationale = description.rationale {
            text += "**Why Entra cares.** \(escape(rationale))\n\n"
        }
        let dependencies = description.dependencies.map { "`\($0.rawValue)`" }.joined(separator: ", ")
        text += "**Depends on:** \(dependencies.isEmpty ? "nothing" : dependencies)"
        if description.writes { text += " · **Writes:** only with `--allow-writes`, on its own test resources" }
        text += "\n\n**Verdicts:**\n\n"
        for outcome in outcomes {
            text += "- \(outcome.status.symbol) **\(outcome.status.rawValue)**: \(escape(outcome.finding))\n"
            if let remediation = outcome.remediation {
                text += "  <br>*Fix:* \(escape(remediation))\n"
            }
        }
        if let note = dependencyNote(description) { text += "- \(Status.skip.symbol) \(escape(note))\n" }
        if !description.sources.isEmpty {
            text += "\n**Sources:**\n\n"
            for source in description.sources {
                let links = SourceLinks.urls(in: source).map { "<\($0)>" }
                text += "- \(escape(source))" + (links.isEmpty ? "" : ": " + links.joined(separator: ", ")) + "\n"
            }
        }
        return text + "\n"
    }

    /// The engine's own skip, which no example shows: a dependency failed (blocking) or errored.
    static func dependencyNote(_ description: ProbeDescription) -> String? {
        guard let first = description.dependencies.first else { return nil }
        return "and in any run, skipped with \"\(first.rawValue) failed\" (or another dependency) when a dependency "
            + "fails or errors: fix that one first"
    }

    /// Text that GitHub renders as written: Markdown and HTML punctuation backslash-escaped, line breaks flattened.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~": escaped += "\\\(character)"
            case "\n", "\r": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
