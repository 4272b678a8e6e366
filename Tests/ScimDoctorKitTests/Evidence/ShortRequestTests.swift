import Testing

@testable import ScimDoctorKit

@Suite("A request as evidence shows it")
struct ShortRequestTests {
    @Test(
        "method, path and the query decoded",
        arguments: [
            ("https://scim.example.com/scim/v2/Users", "GET /scim/v2/Users"),
            (
                "https://scim.example.com:8443/v2/Users?filter=userName+eq+%22a%40b.c%22",
                "GET /v2/Users?filter=userName eq \"a@b.c\""
            ),
            ("http://[::1]:8080/v2?x=%zz", "GET /v2?x=%zz"),
            ("http://127.0.0.1:9", "GET "),
            ("not a url", "GET not a url"),
        ])
    func shows(_ url: String, _ shown: String) {
        let exchange = Exchange(
            request: HTTPRequest(url: url), outcome: .failure(TransportError(kind: .other, message: "")))
        #expect(shortRequest(exchange) == shown)
    }
}
