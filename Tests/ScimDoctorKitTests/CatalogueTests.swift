import Testing

@testable import ScimDoctorKit

/// Rules every probe of both catalogues must follow, so that no probe lands untested or unreachable.
@Suite("Probe catalogue")
struct CatalogueTests {
    @Test("ids are unique, lower-case and dotted")
    func ids() {
        let ids = everyProbe.map(\.id.rawValue)
        #expect(Set(ids).count == ids.count, "duplicate ids")
        for id in ids {
            #expect(id.wholeMatch(of: /[a-z]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+/) != nil, "malformed id \(id)")
        }
    }

    @Test("dependencies come earlier in the everyProbe; the engine's run order honours them and every runsAfter")
    func dependencies() {
        var seen: Set<ProbeID> = []
        for probe in everyProbe {
            for dependency in probe.description.dependencies {
                #expect(
                    seen.contains(dependency), "\(probe.id) depends on \(dependency), which is not listed before it")
            }
            seen.insert(probe.id)
        }
        var placed: Set<ProbeID> = []
        for probe in ProbeEngine.dependencyOrder(everyProbe) {
            for predecessor in probe.description.dependencies + probe.description.runsAfter {
                #expect(
                    everyProbe.contains { $0.id == predecessor },
                    "\(probe.id) runs after \(predecessor), which is no probe")
                #expect(placed.contains(predecessor), "\(probe.id) would start before \(predecessor): a cycle")
            }
            placed.insert(probe.id)
        }
    }

    @Test("every Microsoft page and RFC a probe cites has its link")
    func sourcesLink() {
        for probe in everyProbe {
            for source in probe.description.sources
            where source.hasPrefix("Microsoft:") || source.hasPrefix("Microsoft Graph:") || source.hasPrefix("RFC ") {
                #expect(!SourceLinks.urls(in: source).isEmpty, "\(probe.id): no link for the source \(source)")
            }
        }
    }

    @Test(
        "a source's links: every RFC section named, the Microsoft page by its slug",
        arguments: [
            ("RFC 7644 §3.1 and §8.1 (application/scim+json)", ["rfc7644#section-3.1", "rfc7644#section-8.1"]),
            (
                "RFC 7643 §4.1, §4.3 (User, Enterprise User), RFC 7644 §4 (/Schemas)",
                ["rfc7643#section-4.1", "rfc7643#section-4.3", "rfc7644#section-4"]
            ),
            ("RFC 5246 (TLS 1.2), RFC 8446 (TLS 1.3)", ["rfc5246", "rfc8446"]),
            (
                "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table",
                ["learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs"]
            ),
        ])
    func sourceLinks(_ source: String, _ endings: [String]) {
        let urls = SourceLinks.urls(in: source)
        #expect(urls.count == endings.count, "\(urls)")
        for (url, ending) in zip(urls, endings) { #expect(url.hasSuffix(ending), "\(url)") }
    }

    @Test("sections appear in report order, each in one block")
    func sectionOrder() {
        let sections = everyProbe.map(\.description.section)
        var blocks: [Section] = []
        for section in sections where blocks.last != section { blocks.append(section) }
        #expect(blocks == Section.allCases.filter { sections.contains($0) })
        #expect(Set(sections) == Set(Section.allCases), "every section has probes")
    }

    @Test("every probe has a pass example and a failing (or warning) example, and a title and a description")
    func examples() {
        for probe in everyProbe {
            let verdicts = Set(probe.description.examples.map(\.expect))
            #expect(verdicts.contains(.pass), "\(probe.id) has no pass example")
            #expect(
                verdicts.contains(.fail) || verdicts.contains(.warn), "\(probe.id) has no failing or warning example")
            #expect(!probe.description.title.isEmpty && !probe.description.checks.isEmpty)
        }
    }
}
