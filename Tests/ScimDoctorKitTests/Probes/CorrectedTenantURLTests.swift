import Testing

@testable import ScimDoctorKit

@Suite("Corrected Tenant URL")
struct CorrectedTenantURLTests {
    @Test(
        "one URL from every URL finding",
        arguments: [
            ("https://scim.example.com/scim/v2/Users?tenant=contoso", "https://scim.example.com/scim/v2"),
            (
                "https://scim.example.com/scim/v2/Users/2819c223?aadOptscim062020&tenant=contoso",
                "https://scim.example.com/scim/v2?aadOptscim062020"
            ),
            (
                "https://scim.example.com//scim//v2/?AADOPTSCIM062020",
                "https://scim.example.com/scim/v2?aadOptscim062020"
            ),
            ("https://scim.example.com/scim/v2?aadOptscim062020=false#users", "https://scim.example.com/scim/v2"),
            ("http://[::1]:8080/api/Groups?azureadscimpatch2017", "http://[::1]:8080/api?AzureAdScimPatch2017"),
            ("https://scim.example.com", "https://scim.example.com"),
        ])
    func corrected(given: String, expected: String) throws {
        let tenant = try #require(TenantURL(given))
        #expect(CorrectedTenantURL(tenant).url == expected)
    }

    @Test("what the network probes found: the base path, and https on the http port")
    func found() throws {
        var corrected = CorrectedTenantURL(
            try #require(TenantURL("http://scim.example.com:8443/v1/Users?aadOptscim062020")))
        corrected.path = "/scim/v2"
        corrected.scheme = "https"
        #expect(corrected.url == "https://scim.example.com:8443/scim/v2?aadOptscim062020")
        var standard = CorrectedTenantURL(try #require(TenantURL("http://scim.example.com/scim/v2")))
        standard.scheme = "https"
        #expect(standard.url == "https://scim.example.com:80/scim/v2", "port 80 stays named once the scheme is https")
    }
}
