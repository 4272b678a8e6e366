import Foundation

/// `scim-doctor list`: the probe catalogue in report order.
public enum CatalogueReporter {
    struct Entry: Codable {
        let id: String
        let section: String
        let title: String
        let checks: String
        let dependencies: [String]
    }

    public static func render(_ catalogue: [any Probe], format: OutputFormat) -> String {
        switch format {
        case .json:
            let entries = catalogue.map { probe in
                let description = probe.description
                return Entry(
                    id: description.id.rawValue, section: description.section.rawValue, title: description.title,
                    checks: description.checks, dependencies: description.dependencies.map(\.rawValue))
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
        }
    }
}
