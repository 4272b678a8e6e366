import Foundation

// MARK: - HTML answers

/// An HTML answer where SCIM JSON was expected, with its most likely origin.
struct HTMLAnswer: Sendable {
    enum Kind: Sendable { case login, singlePageApp, proxy, other }
    let kind: Kind
    let title: String?

    /// Nil when the answer is not HTML.
    init?(_ response: HTTPResponse) {
        let type = response.contentType?.lowercased() ?? ""
        let head = String(decoding: response.body.prefix(65_536), as: UTF8.self)
        let lower = head.lowercased()
        let start = lower.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        // An empty body under a text/html label (a bare redirect or error) is no page to describe.
        if start.isEmpty { return nil }
        // A JSON body under a text/html label is mislabelled JSON, not a page (users.content-type judges labels).
        if start.hasPrefix("{") || start.hasPrefix("[") { return nil }
        let looksHTML =
            start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
            || (start.hasPrefix("<!--") && lower.contains("<html"))
        guard type.contains("text/html") || type.contains("xhtml") || looksHTML else { return nil }
        title = HTMLAnswer.title(in: head)
        let titleLower = title?.lowercased() ?? ""
        if lower.contains("type=\"password\"") || lower.contains("type='password'") || lower.contains("type=password") {
            kind = .login
        } else if [
            "<div id=\"root\"", "<div id=\"app\"", "<app-root", "<div id=\"__next\"", "type=\"module\"",
            ".bundle.js", "/static/js/main.", "enable javascript to run this app",
        ].contains(where: lower.contains) {
            kind = .singlePageApp
        } else if [
            "cloudflare", "nginx", "akamai", "incapsula", "access denied", "request rejected",
            "web application firewall", "attention required",
        ].contains(where: lower.contains)
            || ["bad gateway", "service unavailable", "gateway timeout", "forbidden", "apache", "iis"]
                .contains(where: titleLower.contains)
        {
            kind = .proxy
        } else {
            kind = .other
        }
    }

    /// e.g. `a login page titled "Sign in"`.
    var summary: String {
        let titled = title.map { " titled \"\($0)\"" } ?? ""
        switch kind {
        case .login: return "a login page with a password field\(titled)"
        case .singlePageApp: return "a single-page app's index page\(titled)"
        case .proxy: return "a proxy or WAF page\(titled)"
        case .other: return "an HTML page\(titled)"
        }
    }

    var fix: String {
        switch kind {
        case .login:
            "The Tenant URL reaches the application's web sign-in, not its SCIM API: copy the SCIM base URL from "
                + "the application's SCIM settings page into \(EntraPortal.tenantURL) "
                + "(see test-connection.base-path)."
        case .singlePageApp:
            "The Tenant URL reaches the web front end (its catch-all route serves index.html), not the SCIM API: "
                + "copy the SCIM base URL from the application's SCIM settings page into "
                + "\(EntraPortal.tenantURL) (see test-connection.base-path)."
        case .proxy:
            "On the reverse proxy / WAF in front of the server: let GET /Users and /Groups with an Authorization "
                + "header through to the SCIM service (allow Entra's AzureActiveDirectory IP ranges), and check "
                + "that the Tenant URL path is routed to it."
        case .other:
            "Check the Tenant URL (\(EntraPortal.tenantURL)) against the application's SCIM settings page; the "
                + "SCIM service must answer JSON, not HTML (see test-connection.base-path)."
        }
    }

    private static func title(in html: String) -> String? {
        guard let open = html.range(of: "<title", options: .caseInsensitive),
            let close = html.range(of: ">", range: open.upperBound..<html.endIndex),
            let end = html.range(of: "</title", options: .caseInsensitive, range: close.upperBound..<html.endIndex)
        else { return nil }
        let words = html[close.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return words.isEmpty ? nil : String(words.prefix(80))
    }
}
