import Foundation

/// `url.syntax`: the Tenant URL parses, and uses https (http only for loopback, with a warning).
struct URLSyntaxProbe: Probe {
    let description = ProbeDescription(
        id: "url.syntax", section: .tenantURL, title: "Tenant URL is a valid https URL",
        checks:
            "The Tenant URL parses as an absolute URL with a host, and uses https: Entra only connects over TLS 1.2.",
        rationale:
            "Entra builds every request from the Tenant URL and only talks to a SCIM endpoint over HTTPS "
            + "with TLS 1.2; an http:// URL or one it cannot parse fails Test Connection before any SCIM "
            + "request is made.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'General' (\"Support HTTPS on your SCIM endpoint\")",
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Security requirements'",
            "Microsoft: How application provisioning works (how-provisioning-works) (the channel is encrypted using HTTPS TLS 1.2)",
            "RFC 3986 §3 (URI syntax)",
            "3rd-party: an http:// Tenant URL fails Test Connection (MicrosoftDocs/azure-docs#85366)",
        ],
        examples: [
            ProbeExample("https URL", expect: .pass),
            ProbeExample(
                "no scheme", ExampleSetup(tenantURL: "scim.example.com/scim/v2"), expect: .fail, finding: "not a URL"),
            ProbeExample(
                "http on a public host", ExampleSetup(tenantURL: "http://scim.example.com/scim/v2"), expect: .fail,
                finding: "http://"),
            ProbeExample(
                "http on loopback",
                ExampleSetup(tenantURL: "http://127.0.0.1:8080/v2", addresses: .success(["127.0.0.1"])),
                expect: .pass, finding: "local endpoint"),
            ProbeExample(
                "http on a name that only looks like loopback",
                ExampleSetup(tenantURL: "http://127.evil.example/v2", addresses: .success(["203.0.113.66"])),
                expect: .fail, finding: "http://"),
            ProbeExample(
                "http with --allow-http",
                ExampleSetup(tenantURL: "http://scim-app:8080/v2", allowHTTP: true, addresses: .success(["10.0.0.5"])),
                expect: .warn, finding: "clear text"),
            ProbeExample(
                "port out of range", ExampleSetup(tenantURL: "https://scim.example.com:99999/scim"), expect: .fail,
                finding: "port 99999 is out of range"),
            ProbeExample(
                "credentials in the URL",
                ExampleSetup(tenantURL: "https://admin:hunter2pw@scim.example.com/scim/v2"), expect: .warn,
                finding: "user name and password"),
            ProbeExample("ftp scheme", ExampleSetup(tenantURL: "ftp://scim.example.com/scim"), expect: .fail),
        ])

    private static let field =
        "Entra (\(EntraPortal.tenantURL))"

    func run(_ context: ProbeContext) async throws -> Verdict {
        let raw = context.options.tenantURL
        guard let tenant = context.tenant else {
            return .fail(
                "The Tenant URL is not a URL: it needs a scheme and a host, like https://app.example.com/scim/v2.",
                evidence: [Evidence("Tenant URL", PastedText.visible(raw))],
                fix: "Copy the Tenant URL again from the application's SCIM settings page and paste it into "
                    + "\(Self.field).")
        }
        let evidence = [
            Evidence(
                "parsed", "scheme \(tenant.scheme), host \(tenant.host), port \(tenant.port), path \"\(tenant.path)\"")
        ]
        guard (1...65535).contains(tenant.port) else {
            return .fail(
                "The Tenant URL's port \(tenant.port) is out of range: a TCP port is a number from 1 to 65535.",
                evidence: evidence,
                fix: "Copy the Tenant URL again from the application's SCIM settings page (most SCIM endpoints use "
                    + "https without a port, i.e. 443) and paste it into \(Self.field).")
        }
        if tenant.hasCredentials {
            return .warn(
                "The Tenant URL carries a user name and password (user:…@host): Entra does not use them, and they "
                    + "should not be there (scim-doctor never prints them)",
                evidence: evidence,
                fix: "Remove the user:password@ part; Entra authenticates with the Secret Token only. Enter the URL "
                    + "without it in \(Self.field), and change that password: it has been copied around.")
        }
        switch tenant.scheme {
        case "https":
            return .pass("https://\(tenant.host)\(tenant.port == 443 ? "" : ":\(tenant.port)")", evidence: evidence)
        case "http" where await context.connectionPlan().tokenRefusal == nil && !context.options.allowHTTP:
            // Loopback by the addresses the host resolves to, not by its spelling (127.evil.example is not). A local
            // endpoint is said once under the report's header; a public http URL stays a failure (below).
            return .pass(
                "http:// on a local endpoint (loopback): fine for testing here; the Tenant URL entered in Entra "
                    + "must be https://",
                evidence: evidence)
        case "http" where context.options.allowHTTP:
            return .warn(
                "http:// with --allow-http: the Secret Token crosses the network in clear text, readable by anyone "
                    + "on the path; Entra refuses a plain-http Tenant URL.",
                evidence: evidence,
                fix: "Use this only for a test service host you control; the Tenant URL you enter in \(Self.field) "
                    + "must be https://.")
        case "http":
            return .fail(
                "The Tenant URL uses http://; Entra's Test Connection fails on a plain-http endpoint (it requires "
                    + "TLS 1.2).",
                evidence: evidence,
                fix: "Serve the SCIM endpoint over https with a publicly trusted certificate, and enter the https:// "
                    + "URL in \(Self.field).",
                // The URL itself is sound: the other probes still say what else is wrong with it (its path, its
                // host name, the server behind it), so that one run lists everything to fix.
                blocksDependants: false)
        default:
            return .fail(
                "The Tenant URL uses the scheme \(tenant.scheme)://; Entra only speaks https to a SCIM endpoint.",
                evidence: evidence,
                fix: "Enter the application's https:// SCIM base URL in \(Self.field).")
        }
    }
}
