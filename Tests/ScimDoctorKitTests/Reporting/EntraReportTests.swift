import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Reports of the Entra side")
struct EntraReportTests {
    static var target: EntraTarget {
        var endpoints = GraphEndpoints(cloud: .global)
        endpoints.graphOrigin = "http://127.0.0.1:8080"
        endpoints.overrides = ["SCIM_DOCTOR_GRAPH_URL"]
        return EntraTarget(tenant: "contoso.onmicrosoft.com", application: .appID("219561ee"), endpoints: endpoints)
    }

    static func report(tenantURL: String) -> RunReport {
        RunReport(
            toolVersion: "0.1.0", libcurl: "libcurl/test", tenantURL: tenantURL, token: ReportSamples.token,
            insecure: false, entra: target, startedAt: Date(timeIntervalSince1970: 1_790_000_000), durationMs: 5,
            results: ReportSamples.results)
    }

    @Test("entra: the header names the application, the directory and the Graph, and warns about an override")
    func humanHeader() {
        let text = HumanReporter(style: Style(enabled: false)).report(
            Self.report(tenantURL: ""), token: ReportSamples.token)
        #expect(
            text.contains(
                "reading the Entra side of \"app id 219561ee\" in contoso.onmicrosoft.com through http://127.0.0.1:8080"
            ))
        #expect(text.contains("! SCIM_DOCTOR_GRAPH_URL in effect: requests go to http://127.0.0.1:8080"))
        let joined = HumanReporter(style: Style(enabled: false))
            .report(Self.report(tenantURL: "https://app.example.com/scim/v2"), token: ReportSamples.token)
        #expect(joined.contains("checking \"https://app.example.com/scim/v2\" with token"))
        #expect(joined.contains(", and the Entra side of \"app id 219561ee\""))
    }

    @Test("Markdown: the Entra side instead of an empty Tenant URL, and the Graph token's fingerprint")
    func markdown() {
        let text = MarkdownReporter.render(Self.report(tenantURL: ""))
        #expect(
            text.contains(
                "- **Entra side:** app id 219561ee in contoso.onmicrosoft.com through `http://127.0.0.1:8080`"))
        #expect(!text.contains("**Tenant URL:**") && text.contains("- **Graph token:**"))
    }

    @Test("JSON and JUnit carry the Entra side")
    func machineReadable() {
        let json = JSONReporter.render(Self.report(tenantURL: ""))
        #expect(json.contains(#""entra":{"#) || json.contains(#""entra" : {"#))
        #expect(json.contains("SCIM_DOCTOR_GRAPH_URL"))
        let junit = JUnitReporter.render(Self.report(tenantURL: ""))
        #expect(junit.contains(#"<property name="entra-tenant" value="contoso.onmicrosoft.com"/>"#))
    }
}
