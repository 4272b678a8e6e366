import Foundation

/// The Users endpoint under the examples' default Tenant URL.
private let users = "/scim/v2/Users"
private let body = ScimSamples.list([ScimSamples.user()])

/// `users.content-type`: SCIM responses are labelled `application/scim+json`.
struct UsersContentTypeProbe: Probe {
    let description = ProbeDescription(
        id: "users.content-type", section: .users, title: "Responses are application/scim+json",
        checks: "The Content-Type of GET /Users is application/scim+json: Microsoft says every response should carry "
            + "it (application/json is tolerated in practice).",
        rationale:
            "Microsoft says every response should carry Content-Type application/scim+json; in practice "
            + "application/json is tolerated (third-party validator runs), so anything else is a warning "
            + "unless it is not JSON at all.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'General' (\"The header for all the responses should "
                + "be of content-Type: application/scim+json\")",
            "RFC 7644 §3.1 and §8.1 (application/scim+json)",
            "3rd-party: pranems/SCIMServer validator analysis (application/json tolerated; unconfirmed)",
        ],
        dependencies: ["users.list"],
        examples: [
            ProbeExample(
                "scim+json with charset",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .json(200, body, contentType: "application/scim+json; charset=utf-8"))
                ]), expect: .pass, finding: "application/scim+json"),
            ProbeExample(
                "plain application/json",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .json(200, body, contentType: "application/json"))
                ]), expect: .warn, finding: "tolerated in practice"),
            ProbeExample(
                "text/plain",
                ExampleSetup(routes: [.get(users, query: ["startIndex=1"], .json(200, body, contentType: "text/plain"))]
                ),
                expect: .fail, finding: "text/plain is not a JSON media type"),
            ProbeExample(
                "no Content-Type",
                ExampleSetup(routes: [
                    .get(users, query: ["startIndex=1"], .response(HTTPResponse(status: 200, body: Data(body.utf8))))
                ]), expect: .fail, finding: "no Content-Type"),
            ProbeExample(
                "no response",
                ExampleSetup(routes: [
                    .get(
                        users, query: ["startIndex=1"],
                        .failure(TransportError(kind: .refused, code: 7, message: "Connection refused")))
                ]), expect: .skip, finding: "users.list"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.userPage()
        guard let response = exchange.response else { return .skip("no response to read (see users.list)") }
        let evidence = [Evidence.request(exchange.request), .status(response)]
        let fix =
            "On the server: send Content-Type: application/scim+json on SCIM responses (the SCIM media type, "
            + "RFC 7644 §8.1; Microsoft: "
            + "\"The header for all the responses should be of content-Type: application/scim+json\")."
        guard let contentType = response.contentType else {
            return .fail("The response has no Content-Type header", evidence: evidence, fix: fix)
        }
        let mediaType =
            contentType.split(separator: ";", maxSplits: 1).first.map {
                $0.trimmingWhitespace().lowercased()
            } ?? ""
        switch mediaType {
        case "application/scim+json":
            return .pass("Content-Type: \(contentType)", evidence: evidence)
        case "application/json":
            return .warn(
                "Content-Type is application/json: Microsoft says responses should be application/scim+json; "
                    + "application/json is tolerated in practice (3rd-party observation)",
                evidence: evidence, fix: fix)
        default:
            return .fail(
                "Content-Type \(contentType) is not a JSON media type: Entra expects application/scim+json",
                evidence: evidence, fix: fix)
        }
    }
}
