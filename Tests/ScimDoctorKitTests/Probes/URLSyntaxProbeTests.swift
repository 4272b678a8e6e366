import Testing

@testable import ScimDoctorKit

@Suite("url.syntax blocking")
struct URLSyntaxProbeTests {
    @Test("http:// on a public host fails without stopping the probes that depend on url.syntax")
    func httpOnPublicHostDoesNotBlock() async throws {
        let verdict = try await URLSyntaxProbe().run(
            ExampleSetup(tenantURL: "http://scim.example.com/scim/v2").makeContext())
        #expect(verdict.status == .fail)
        #expect(!verdict.blocksDependants)
    }

    @Test("a Tenant URL that does not parse stops its dependants")
    func unparsableURLBlocks() async throws {
        let verdict = try await URLSyntaxProbe().run(ExampleSetup(tenantURL: "scim.example.com/scim/v2").makeContext())
        #expect(verdict.status == .fail)
        #expect(verdict.blocksDependants)
    }
}
