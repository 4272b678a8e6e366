import Foundation
import Testing

@testable import ScimDoctorKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The JUnit report, read back with libxml2 (through Foundation's XMLDocument). The e2e suite reads it with
/// junitparser as well, an independent JUnit reader.
@Suite("JUnit report")
struct JUnitReporterTests {
    func document(_ report: RunReport, strict: Bool = false) throws -> XMLDocument {
        let xml = JUnitReporter.render(report, strict: strict)
        return try XMLDocument(data: Data(xml.utf8), options: [])
    }

    func nodes(_ document: XMLDocument, _ path: String) throws -> [XMLElement] {
        try document.nodes(forXPath: path).compactMap { $0 as? XMLElement }
    }

    func attribute(_ element: XMLElement?, _ name: String) -> String? {
        element?.attribute(forName: name)?.stringValue
    }

    @Test("one suite per section with counts; one case per probe named by section and probe id")
    func structure() throws {
        let document = try document(ReportSamples.report())
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(attribute(root, "tests") == "6")
        #expect(attribute(root, "failures") == "2")
        #expect(attribute(root, "errors") == "1")
        #expect(attribute(root, "skipped") == "1")
        #expect(attribute(root, "time") == "0.812")  // the run's wall time
        let suites = try nodes(document, "/testsuites/testsuite")
        #expect(suites.compactMap { attribute($0, "name") } == ["Tenant URL", "Network and TLS", "Users", "Groups"])
        let users = try #require(suites.first { attribute($0, "name") == "Users" })
        #expect(attribute(users, "tests") == "2")
        #expect(attribute(users, "errors") == "1")
        #expect(attribute(users, "failures") == "0")
        #expect(attribute(users, "time") == "0.024")
        #expect(attribute(users, "timestamp") == ReportSamples.report().startedAt)
        let cases = try nodes(document, "//testcase")
        #expect(
            cases.map { "\(attribute($0, "classname") ?? "")/\(attribute($0, "name") ?? "")" } == [
                "tenant-url/url.syntax", "tenant-url/url.path", "network-tls/tls.trust", "users/users.content-type",
                "users/users.count", "groups/groups.filter",
            ])
        let properties = try nodes(document, "/testsuites/testsuite[1]/properties/property")
        let values = Dictionary(
            uniqueKeysWithValues: properties.map { (attribute($0, "name"), attribute($0, "value")) })
        #expect(values["token-fingerprint"] == "…e1f0 (39 characters)")
        #expect(values["exit-code"] == "1")
    }

    @Test("fail, error, skip and warn each map to JUnit's own element")
    func outcomes() throws {
        let document = try document(ReportSamples.report())
        let failure = try #require(try nodes(document, "//testcase[@name='url.path']/failure").first)
        #expect(attribute(failure, "message") == "the path ends in /Users")
        let text = failure.stringValue ?? ""
        #expect(text.contains("path      \"/scim/v2/Users\""))
        #expect(text.contains("fix       In Entra, remove /Users from the Tenant URL."))
        let error = try #require(try nodes(document, "//testcase[@name='users.count']/error").first)
        #expect(attribute(error, "message") == "the probe did not finish within 40 s")
        let skipped = try #require(try nodes(document, "//testcase[@name='tls.trust']/skipped").first)
        #expect(attribute(skipped, "message") == "http:// URL: no TLS to check")
        let warning = try nodes(document, "//testcase[@name='users.content-type']/*")
        #expect(warning.map(\.name) == ["system-out"])
        #expect(warning.first?.stringValue?.hasPrefix("warning: application/json instead") == true)
        #expect(try nodes(document, "//testcase[@name='url.syntax']/*").isEmpty)
    }

    @Test("--strict turns a warning into a failure of type warning")
    func strict() throws {
        let document = try document(ReportSamples.report(strict: true), strict: true)
        let failure = try #require(try nodes(document, "//testcase[@name='users.content-type']/failure").first)
        #expect(attribute(failure, "type") == "warning")
        #expect(attribute(document.rootElement(), "failures") == "3")
    }

    @Test("markup, quotes, newlines and characters XML 1.0 forbids survive as text")
    func escaping() throws {
        let xml = JUnitReporter.render(ReportSamples.report())
        #expect(!xml.contains("\u{1B}") && !xml.contains("\u{0}") && !xml.contains("\u{FFFE}"))
        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        let failure = try #require(try nodes(document, "//testcase[@name='groups.filter']/failure").first)
        let expected = ReportSamples.hostile.replacingOccurrences(of: "\u{1B}", with: "\u{241B}")
            .replacingOccurrences(of: "\u{0}", with: "\u{2400}").replacingOccurrences(of: "\u{FFFE}", with: "\u{FFFD}")
        #expect(attribute(failure, "message") == expected)
        #expect(failure.stringValue?.contains("body      " + expected) == true)
        #expect(failure.stringValue?.contains("fix       " + expected) == true)
    }

    @Test("a write run adds a Cleanup suite that fails on leftovers, with the command that removes each")
    func cleanup() throws {
        let leftovers = try document(ReportSamples.report(cleanup: ReportSamples.cleanup))
        let failure = try #require(try nodes(leftovers, "//testsuite[@name='Cleanup']/testcase/failure").first)
        #expect(attribute(failure, "message") == "1 test resource was left in the tenant")
        #expect(failure.stringValue?.contains("curl -X DELETE") == true)
        let clean = RunReport.Cleanup(
            runID: "0e0e0e0e", tag: "scim-doctor-0e0e0e0e", deleted: ReportSamples.cleanup.deleted, leftovers: [])
        let passed = try document(ReportSamples.report(cleanup: clean))
        let out = try #require(try nodes(passed, "//testsuite[@name='Cleanup']/testcase/*").first)
        #expect(out.name == "system-out")
        #expect(out.stringValue?.contains("deleted   group \"scim-doctor-0e0e0e0e Group\" (id g1)") == true)
    }

    @Test("two runs differ only in times")
    func stable() {
        let first = JUnitReporter.render(ReportSamples.report())
        let second = JUnitReporter.render(
            ReportSamples.report(
                results: ReportSamples.retimed(ReportSamples.results), startedAt: Date(timeIntervalSince1970: 1),
                durationMs: 5))
        #expect(first != second)
        let times = /(time|timestamp)="[^"]*"/
        #expect(first.replacing(times, with: "") == second.replacing(times, with: ""))
    }

    @Test("the token never appears, only its fingerprint")
    func noToken() {
        let leaky = [
            ReportSamples.result(
                "url.x", .tenantURL, .fail, ReportSamples.token.redact("echo \(ReportSamples.token.reveal())"),
                fix: "f")
        ]
        let xml = JUnitReporter.render(ReportSamples.report(results: leaky))
        #expect(!xml.contains(ReportSamples.token.reveal()))
        #expect(xml.contains("…e1f0 (39 characters)"))
    }

    @Test("times are seconds with three decimals")
    func seconds() {
        #expect(JUnitReporter.seconds(0) == "0.000")
        #expect(JUnitReporter.seconds(7) == "0.007")
        #expect(JUnitReporter.seconds(1234) == "1.234")
        #expect(JUnitReporter.seconds(-5) == "0.000")
    }
}
