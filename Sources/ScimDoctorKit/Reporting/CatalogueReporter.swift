import Foundation

/// `scim-doctor list --format`: the catalogue's own formats (a listing has no JUnit or HAR form).
public enum CatalogueFormat: String, Sendable, CaseIterable {
    case human, json, markdown
}

/// `scim-doctor list`: the probe catalogue in report order.
public enum CatalogueReporter {
    struct Entry: Codable {
        let id: String
        let section: String
        let title: String
        let checks: String
        let rationale: String?
        let sources: [String]
        let dependencies: [String]
    }

    /// The command that regenerates docs/probes.md (its header says so, and the test that compares names it).
    public static let markdownCommand = "swift run scim-doctor list --format markdown > docs/probes.md"

    public static func render(_ catalogue: [any Probe], format: CatalogueFormat) async -> String {
        switch format {
        case .json:
            let entries = catalogue.map { probe in
                let description = probe.description
                return Entry(
                    id: description.id.rawValue, section: description.section.rawValue, title: description.title,
                    checks: description.checks, rationale: description.rationale, sources: description.sources,
                    dependencies: description.dependencies.map(\.rawValue))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(entries)) ?? Data("[]".utf8)
            return (String(data: data, encoding: .utf8) ?? "[]") + "\n"
        case .human:
            var text = ""
            var previous: Section?
            for probe in catalogue {
                let description = probe.description
                if description.section != previous {
                    text +=
                        "\(previous == nil ? "" : "\n")\(description.section.title) (\(description.section.rawValue))\n"
                    previous = description.section
                }
                text +=
                    "  \(HumanReporter.pad(description.id.rawValue, 28)) \(description.title)\n"
                text += "  \(String(repeating: " ", count: 28)) \(description.checks)\n"
            }
            return text
        case .markdown:
            return await markdown(catalogue)
        }
    }

    /// docs/probes.md: every probe with why Entra cares, its verdicts (from its examples) and its sources.
    static func markdown(_ catalogue: [any Probe]) async -> String {
        var text = """
            <!-- Generated from the probe catalogue; do not edit by hand. Regenerate with:
                 \(markdownCommand)
                 The unit test "docs/probes.md is current" fails when this file is out of date. -->

            # scim-doctor probes

            Every probe `scim-doctor check` runs, in report order: what it checks, why Entra cares, every verdict it \
            can give with its remediation, and where the expected behaviour is documented. The verdicts are those \
            the probe gives on its own examples (scripted servers, no network), against the Tenant URL \
            `\(ProbeExplainer.exampleTenant)`. `scim-doctor explain <probe-id>` prints the same for one probe.


            """
        let sections = Section.allCases.filter { section in catalogue.contains { $0.description.section == section } }
        for section in sections {
            let ids = catalogue.filter { $0.description.section == section }.map { "`\($0.id.rawValue)`" }
            text += "- [\(section.title)](#\(anchor(section.title))): \(ids.joined(separator: ", "))\n"
        }
        var previous: Section?
        for probe in catalogue {
            let section = probe.description.section
            if section != previous {
                text += "\n## \(section.title)\n\n"
                previous = section
            }
            text += ProbeExplainer.markdown(probe, outcomes: await ProbeExplainer.outcomes(of: probe))
        }
        while text.hasSuffix("\n\n") { text.removeLast() }
        return text
    }

    /// GitHub's heading anchor: lower-case, spaces to hyphens, punctuation dropped.
    static func anchor(_ title: String) -> String {
        String(
            title.lowercased().compactMap { character -> Character? in
                if character == " " { return "-" }
                return character.isLetter || character.isNumber || character == "-" ? character : nil
            })
    }
}
