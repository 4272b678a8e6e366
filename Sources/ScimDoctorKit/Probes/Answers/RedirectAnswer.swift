import Foundation

// MARK: - Redirects

/// A 3xx answer: where it points and what kind of redirect it is.
struct RedirectAnswer: Sendable {
    enum Kind: Sendable { case login, httpsUpgrade, trailingSlash, elsewhere, noLocation }
    let status: Int
    let location: String?
    let kind: Kind

    init(exchange: Exchange, response: HTTPResponse) {
        status = response.status
        let requestURL = URL(string: exchange.request.url)
        guard let raw = response.header("Location"), !raw.isEmpty else {
            location = nil
            kind = .noLocation
            return
        }
        let target = URL(string: raw, relativeTo: requestURL)?.absoluteURL
        location = target?.absoluteString ?? raw
        kind = RedirectAnswer.kind(from: requestURL, to: target, raw: raw)
    }

    var isLogin: Bool { kind == .login }

    private static func kind(from sourceURL: URL?, to targetURL: URL?, raw: String) -> Kind {
        let words = ["login", "signin", "sign-in", "sign_in", "auth", "sso", "saml"]
        // URLComponents keeps a trailing slash that URL.path drops.
        guard let source = sourceURL.flatMap({ URLComponents(url: $0, resolvingAgainstBaseURL: true) }),
            let target = targetURL.flatMap({ URLComponents(url: $0, resolvingAgainstBaseURL: true) })
        else {
            return words.contains(where: raw.lowercased().contains) ? .login : .elsewhere
        }
        let sourceText = (source.percentEncodedPath + "?" + (source.percentEncodedQuery ?? "")).lowercased()
        let targetText = (target.percentEncodedPath + "?" + (target.percentEncodedQuery ?? "")).lowercased()
        let targetHost = target.host?.lowercased() ?? ""
        let otherHost = targetHost != (source.host?.lowercased() ?? "")
        if words.contains(where: { targetText.contains($0) && !sourceText.contains($0) })
            || (otherHost && words.contains(where: targetHost.contains))
        {
            return .login
        }
        let samePath = target.percentEncodedPath == source.percentEncodedPath
        if source.scheme == "http", target.scheme == "https", !otherHost, samePath { return .httpsUpgrade }
        if !otherHost, target.percentEncodedPath == source.percentEncodedPath + "/" { return .trailingSlash }
        return .elsewhere
    }

    func finding(_ line: String) -> String {
        guard let location else { return "\(line) redirects (HTTP \(status)) without a Location header" }
        switch kind {
        case .login: return "\(line) redirects to \(location), a sign-in page: Entra expects a direct 200"
        case .httpsUpgrade: return "\(line) redirects to \(location) (http → https): Entra expects a direct 200"
        case .trailingSlash:
            return "\(line) redirects to \(location) (adds a trailing slash): Entra expects a direct 200"
        default: return "\(line) redirects to \(location) (HTTP \(status)): Entra expects a direct 200"
        }
    }

    var fix: String {
        let unconfirmed = " (whether Entra follows redirects is unconfirmed; it expects a direct 200.)"
        switch kind {
        case .login:
            return "The Tenant URL reaches a page that wants an interactive sign-in: enter the application's SCIM API "
                + "base URL in \(EntraPortal.tenantURL) (see test-connection.base-path), and make the server "
                + "authenticate SCIM requests by the bearer token instead of redirecting them." + unconfirmed
        case .httpsUpgrade:
            return "Use the https:// URL in \(EntraPortal.tenantURL)." + unconfirmed
        case .trailingSlash:
            return "On the server: answer /Users and /Groups without the trailing-slash redirect (Entra appends "
                + "/Users to the Tenant URL itself, so the Tenant URL cannot fix this)." + unconfirmed
        case .elsewhere:
            let base = location.map(RedirectAnswer.base(of:)) ?? "the redirect target"
            return "Put the redirect target's base (\(base)) in \(EntraPortal.tenantURL), or make the server "
                + "answer at the original URL." + unconfirmed
        case .noLocation:
            return "On the server: answer the SCIM request with HTTP 200 and a ListResponse, not a redirect."
                + unconfirmed
        }
    }

    /// The location without query and without a trailing /Users or /Groups.
    static func base(of location: String) -> String {
        var text = location.split(separator: "?", maxSplits: 1).first.map(String.init) ?? location
        for suffix in ["/", "/Users", "/Groups"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        return text
    }
}
