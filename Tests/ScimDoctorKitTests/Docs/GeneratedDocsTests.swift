import Foundation
import Testing

@testable import ScimDoctorKit

/// docs/ files generated from the catalogue must match what the code generates now.
@Suite("Generated docs")
struct GeneratedDocsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test("docs/probes.md is current")
    func probesMarkdownIsCurrent() async throws {
        let path = Self.repository.appendingPathComponent("docs/probes.md")
        let committed = try String(contentsOf: path, encoding: .utf8)
        let generated = await CatalogueReporter.render(everyProbe, format: .markdown)
        let firstDifference = zip(
            committed.split(separator: "\n", omittingEmptySubsequences: false),
            generated.split(separator: "\n", omittingEmptySubsequences: false)
        ).enumerated()
            .first { $0.element.0 != $0.element.1 }
            .map { "line \($0.offset + 1): committed \"\($0.element.0)\", generated \"\($0.element.1)\"" }
        let message =
            "docs/probes.md is out of date (\(firstDifference ?? "length differs")); regenerate it with: "
            + CatalogueReporter.markdownCommand
        #expect(committed == generated, "\(message)")
    }

    @Test("docs/probes.md covers every probe, with why Entra cares and its sources, and never the example token")
    func probesMarkdownCoversEveryProbe() async {
        let generated = await CatalogueReporter.render(everyProbe, format: .markdown)
        for probe in everyProbe {
            #expect(generated.contains("### `\(probe.id.rawValue)`"), "\(probe.id) missing")
        }
        #expect(!generated.contains(ExampleSetup.defaultToken))
        #expect(generated.hasPrefix("<!-- Generated"))
        #expect(generated.contains(CatalogueReporter.markdownCommand))
    }

    @Test("every probe has a rationale and sources, and unconfirmed behaviour is marked")
    func rationaleAndSources() {
        for probe in everyProbe {
            let description = probe.description
            #expect(description.rationale?.isEmpty == false, "\(probe.id) has no rationale")
            #expect(!description.sources.isEmpty, "\(probe.id) has no sources")
            for source in description.sources where source.hasPrefix("3rd-party") {
                #expect(
                    source.contains("unconfirmed") || source.contains("#") || source.contains("/"),
                    "\(probe.id): a third-party source names where it is")
            }
        }
    }
}
