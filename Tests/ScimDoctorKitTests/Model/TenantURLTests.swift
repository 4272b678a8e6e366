import Testing

@testable import ScimDoctorKit

@Suite("TenantURL parsing and cleaning")
struct TenantURLTests {
    @Test("a label, curly quotes and a zero-width space are cleaned away and located")
    func labelQuotesAndZeroWidth() throws {
        let raw = "Tenant URL: “https://scim.example.com/sc\u{200B}im/v2” \n"
        let tenant = try #require(TenantURL(raw))
        #expect(tenant.raw == raw)
        #expect(tenant.cleaned == "https://scim.example.com/scim/v2")
        #expect(tenant.host == "scim.example.com")
        #expect(tenant.path == "/scim/v2")

        let artifacts = TenantURL.pasteArtifacts(in: raw).artifacts
        #expect(
            artifacts.map(\.kind) == [.label, .whitespace, .wrapper, .invisible, .wrapper, .whitespace, .whitespace])
        #expect(artifacts.first == PasteArtifact(kind: .label, placement: .before, position: 1, text: "Tenant URL:"))
        let zeroWidth = try #require(artifacts.first { $0.kind == .invisible })
        #expect(zeroWidth.position == 41)
        #expect(zeroWidth.placement == .inside)
        #expect(artifacts.last?.placement == .after)
    }

    @Test("an IPv6 loopback host with a port")
    func ipv6Host() throws {
        let tenant = try #require(TenantURL("https://[::1]:8443/scim/v2"))
        #expect(tenant.host == "::1")
        #expect(tenant.port == 8443)
        #expect(tenant.origin == "https://[::1]:8443")
        #expect(tenant.url("Users") == "https://[::1]:8443/scim/v2/Users")
        #expect(TenantURL.pasteArtifacts(in: "https://[::1]:8443/scim/v2").artifacts.isEmpty)
    }

    @Test("the base has no trailing slash; the path keeps it")
    func baseWithTrailingSlash() throws {
        let tenant = try #require(TenantURL("https://scim.example.com/scim/v2/"))
        #expect(tenant.path == "/scim/v2/")
        #expect(tenant.base == "https://scim.example.com/scim/v2")
        #expect(tenant.url("Groups") == "https://scim.example.com/scim/v2/Groups")
    }

    @Test("the query is kept out of the base")
    func queryOutOfBase() throws {
        let tenant = try #require(TenantURL("https://scim.example.com:443/scim/v2?aadOptscim062020"))
        #expect(tenant.query == "aadOptscim062020")
        #expect(tenant.base == "https://scim.example.com/scim/v2")
        #expect(tenant.url("Users", query: "startIndex=1") == "https://scim.example.com/scim/v2/Users?startIndex=1")
    }

    @Test("no scheme is not a URL", arguments: ["scim.example.com/scim/v2", "", "   ", "“scim.example.com”"])
    func noScheme(_ raw: String) {
        #expect(TenantURL(raw) == nil)
    }

    @Test("a URL inside the query of a URL is not mistaken for a label")
    func urlInQuery() throws {
        let raw = "http://127.0.0.1:8080/scim?next=https://other.example.com/"
        #expect(TenantURL.clean(raw) == raw)
        #expect(TenantURL("scim.example.com/x?next=https://other.example.com") == nil)
    }

    @Test("angle brackets, backticks and non-breaking spaces around the URL")
    func wrappers() {
        #expect(TenantURL.clean("\u{00A0}<https://scim.example.com/scim/v2>\t") == "https://scim.example.com/scim/v2")
        #expect(TenantURL.clean("`https://scim.example.com/scim/v2`") == "https://scim.example.com/scim/v2")
        #expect(TenantURL.clean("'https://[::1]'") == "https://[::1]")
    }
}
