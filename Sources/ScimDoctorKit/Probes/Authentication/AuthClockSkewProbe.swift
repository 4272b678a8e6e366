import Foundation

/// `auth.clock-skew`: the server's `Date` header agrees with this machine's clock.
struct AuthClockSkewProbe: Probe {
    private static let users = "/scim/v2/Users"
    /// ExampleSetup.defaultNow (2026-06-01T00:00:00Z) is a Monday.
    private static func dated(_ date: String) -> ExampleSetup {
        ExampleSetup(routes: [.get(users, .json(200, ScimSamples.emptyList, headers: [("Date", date)]))])
    }

    /// Beyond this, time-based token checks and log correlation break.
    static let tolerance: TimeInterval = 300

    let description = ProbeDescription(
        id: "auth.clock-skew", section: .authentication, title: "The server's clock agrees with this machine's",
        checks: "The Date header of the Test Connection answer is compared with the local clock: a skew over "
            + "5 minutes breaks time-based token validation (JWT nbf/exp) and the correlation of logs.",
        rationale:
            "Tokens with a lifetime (JWT exp/nbf) are judged against the server's clock: a server clock off "
            + "by minutes rejects valid tokens near their edges, and makes the times in the application's logs "
            + "disagree with Entra's provisioning logs. The 5-minute bound is the usual JWT leeway, not an "
            + "Entra number (unconfirmed).",
        sources: [
            "RFC 9110 §6.6.1 (Date header)",
            "RFC 7519 §4.1.4, §4.1.5 (exp, nbf)",
            "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table "
                + "(correlating log times)",
        ],
        dependencies: ["tls.trust", "tls.hostname"],
        examples: [
            ProbeExample("clock in sync", dated("Mon, 01 Jun 2026 00:00:03 GMT"), expect: .pass, finding: "within 3 s"),
            ProbeExample(
                "server 10 minutes ahead", dated("Mon, 01 Jun 2026 00:10:00 GMT"), expect: .warn,
                finding: "600 s ahead"),
            ProbeExample(
                "server an hour behind", dated("Sun, 31 May 2026 23:00:00 GMT"), expect: .warn,
                finding: "3600 s behind"),
            ProbeExample("obsolete RFC 850 date", dated("Monday, 01-Jun-26 00:00:01 GMT"), expect: .pass),
            ProbeExample("no Date header", expect: .skip, finding: "sent no Date header"),
            ProbeExample("unparsable Date header", dated("yesterday"), expect: .skip, finding: "cannot be read"),
            ProbeExample(
                "no answer",
                ExampleSetup(routes: [
                    .get(users, .failure(TransportError(kind: .timeout, code: 28, message: "timed out")))
                ]),
                expect: .skip, finding: "no HTTP answer"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let exchange = try await context.testConnectionUsers()
        guard let response = exchange.response else {
            return .skip("no HTTP answer to read a Date header from (see the network probes)")
        }
        guard let header = response.header("Date") else {
            return .skip(
                "the server sent no Date header", evidence: [Evidence.request(exchange.request), .status(response)])
        }
        let evidence = [Evidence("Date", header), Evidence("local clock", UTCDate.httpDate(context.now))]
        guard let serverDate = UTCDate.parseHTTPDate(header) else {
            return .skip("the Date header \"\(header.prefix(60))\" cannot be read as an HTTP date", evidence: evidence)
        }
        let skew = serverDate.timeIntervalSince(context.now)
        let seconds = Int(skew.magnitude.rounded())
        guard skew.magnitude > Self.tolerance else {
            return .pass("server clock within \(seconds) s of this machine", evidence: evidence)
        }
        let direction = skew > 0 ? "ahead of" : "behind"
        return .warn(
            "the server clock is \(seconds) s \(direction) this machine (more than 5 minutes)", evidence: evidence,
            fix: "Synchronise the clocks with NTP: on the server (e.g. chrony/systemd-timesyncd or the host's time "
                + "service), or on this machine if its own clock is the one that is wrong (compare with "
                + "time.windows.com).")
    }
}
