import Foundation

/// `url.expected-match`: the Tenant URL is character for character the value the application shows
/// (`--expected-url`), so a retyped or "tidied" URL is caught before it is blamed on the server.
struct URLExpectedMatchProbe: Probe {
    let description = ProbeDescription(
        id: "url.expected-match", section: .tenantURL, title: "Tenant URL matches the application's value",
        checks: "The Tenant URL as given is exactly the one the application documents (--expected-url): a retyped "
            + "host, path letter case or trailing slash sends Entra's requests elsewhere.",
        rationale:
            "Support tickets often come down to a Tenant URL that was retyped rather than copied: a "
            + "different host, path letter case or trailing slash sends Entra's requests somewhere the "
            + "application does not serve SCIM. Comparing with what the application documents finds it before "
            + "any request is made.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Getting started' (copy the Tenant URL from the "
                + "application)",
            "RFC 3986 §6.2 (URI comparison: the path is case-sensitive)",
        ],
        examples: [
            ProbeExample("no expected URL", expect: .skip, finding: "no --expected-url given"),
            ProbeExample(
                "identical", ExampleSetup(expectedURL: ExampleSetup.defaultTenantURL), expect: .pass,
                finding: "exactly"),
            ProbeExample(
                "trailing slash", ExampleSetup(expectedURL: "https://scim.example.com/scim/v2/"), expect: .fail,
                finding: "trailing slash"),
            ProbeExample(
                "path letter case", ExampleSetup(expectedURL: "https://scim.example.com/scim/V2"), expect: .fail,
                finding: "position 31"),
            ProbeExample(
                "path letter case named", ExampleSetup(expectedURL: "https://scim.example.com/SCIM/v2"), expect: .fail,
                finding: "path letter case"),
            ProbeExample(
                "encoded slash",
                ExampleSetup(
                    tenantURL: "https://scim.example.com/scim/v2/o/acme%2Fprod",
                    expectedURL: "https://scim.example.com/scim/v2/o/acme/prod"),
                expect: .fail, finding: "percent-encoding (\"%2F\" vs \"/\")"),
            ProbeExample(
                "hex letter case",
                ExampleSetup(
                    tenantURL: "https://scim.example.com/scim/%7ev2", expectedURL: "https://scim.example.com/scim/%7Ev2"
                ),
                expect: .fail, finding: "lowercase vs uppercase hex"),
            ProbeExample(
                "different host", ExampleSetup(expectedURL: "https://scim.example.org/scim/v2"), expect: .fail,
                finding: "host (a different host"),
            ProbeExample(
                "host letter case", ExampleSetup(expectedURL: "https://SCIM.example.com/scim/v2"), expect: .fail,
                finding: "host (letter case only"),
            ProbeExample(
                "scheme", ExampleSetup(expectedURL: "http://scim.example.com/scim/v2"), expect: .fail,
                finding: "scheme"),
            ProbeExample(
                "port", ExampleSetup(expectedURL: "https://scim.example.com:8443/scim/v2"), expect: .fail,
                finding: "port"),
            ProbeExample(
                "query string", ExampleSetup(expectedURL: "https://scim.example.com/scim/v2?aadOptscim062020"),
                expect: .fail, finding: "query string"),
            ProbeExample(
                "trailing space",
                ExampleSetup(
                    tenantURL: "https://scim.example.com/scim/v2 ", expectedURL: ExampleSetup.defaultTenantURL),
                expect: .fail, finding: "whitespace or invisible characters"),
            ProbeExample(
                "different path", ExampleSetup(expectedURL: "https://scim.example.com/api/scim"), expect: .fail,
                finding: "other"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        guard let expected = context.options.expectedURL else { return .skip("no --expected-url given") }
        let given = context.options.tenantURL
        let evidence = [
            Evidence("Tenant URL (as given)", PastedText.visible(given)),
            Evidence("expected (--expected-url)", PastedText.visible(expected)),
        ]
        guard given != expected else {
            return .pass("The Tenant URL is exactly the application's value.", evidence: evidence)
        }
        let mine = Array(given.unicodeScalars)
        let theirs = Array(expected.unicodeScalars)
        let shorter = min(mine.count, theirs.count)
        let index = (0..<shorter).first { mine[$0] != theirs[$0] } ?? shorter
        let mineChar = index < mine.count ? mine[index] : nil
        let theirChar = index < theirs.count ? theirs[index] : nil
        let kind = Self.kind(given, expected, at: index)
        return .fail(
            "The Tenant URL differs from the expected one at position \(index + 1) (\(PastedText.quoted(mineChar)) "
                + "instead of \(PastedText.quoted(theirChar))): \(kind).",
            evidence: evidence
                + [
                    Evidence(
                        "first difference",
                        "position \(index + 1): \(PastedText.quoted(mineChar)) in the Tenant URL, "
                            + "\(PastedText.quoted(theirChar)) in the expected value")
                ],
            fix:
                "Paste the application's value exactly (\(Self.pasteable(expected))) into "
                + "\(EntraPortal.tenantURL), copying it from the "
                + "application's SCIM settings page.")
    }

    /// The expected value to paste; when it carries copy-paste artifacts itself, their cleaned form, said so.
    static func pasteable(_ expected: String) -> String {
        let cleaned = TenantURL.clean(expected)
        return cleaned == expected || cleaned.isEmpty
            ? expected : "\(cleaned), without the copy-paste artifacts of the value given to --expected-url"
    }

    /// Names the kind of difference, from the most visible (whitespace) to the subtlest (percent-encoding).
    static func kind(_ given: String, _ expected: String, at index: Int) -> String {
        let mine = Array(given.unicodeScalars)
        let theirs = Array(expected.unicodeScalars)
        let atDifference = [index < mine.count ? mine[index] : nil, index < theirs.count ? theirs[index] : nil]
        if atDifference.contains(where: { $0.map { $0.properties.isWhitespace || TenantURL.isInvisible($0) } ?? false })
        {
            return "whitespace or invisible characters"
        }
        if TenantURL.clean(given) == TenantURL.clean(expected) {
            return "quotes, angle brackets or a label around the URL"
        }
        guard let a = TenantURL(given), let b = TenantURL(expected) else {
            return "other (one of the two is not a URL)"
        }
        if a.scheme != b.scheme { return "scheme (\(a.scheme):// instead of \(b.scheme)://)" }
        if a.host != b.host {
            return a.host.lowercased() == b.host.lowercased()
                ? "host (letter case only: \(a.host) instead of \(b.host); host names are case-insensitive, so "
                    + "this alone does not change where requests go)"
                : "host (a different host: \(a.host) instead of \(b.host))"
        }
        if a.port != b.port { return "port (\(a.port) instead of \(b.port))" }
        if a.path != b.path {
            func trimmed(_ path: String) -> Substring {
                var path = Substring(path)
                while path.hasSuffix("/") { path.removeLast() }
                return path
            }
            if trimmed(a.path) == trimmed(b.path) { return "trailing slash" }
            if a.path.removingPercentEncoding == b.path.removingPercentEncoding {
                let (mineText, theirText) = (Self.escape(mine, at: index), Self.escape(theirs, at: index))
                if mineText.lowercased() == theirText.lowercased() {
                    return "percent-encoding (lowercase vs uppercase hex: \"\(mineText)\" vs \"\(theirText)\")"
                }
                return "percent-encoding (\"\(mineText)\" vs \"\(theirText)\")"
            }
            if a.path.lowercased() == b.path.lowercased() { return "path letter case" }
            return "other (a different path: \(a.path) instead of \(b.path))"
        }
        if a.query != b.query { return "query string" }
        if a.fragment != b.fragment { return "other (fragment)" }
        // Equal once parsed: the difference is in how the same URL is written.
        if let schemeEnd = given.range(of: "://").map({
            given.unicodeScalars.distance(
                from: given.unicodeScalars.startIndex, to: $0.lowerBound)
        }), index < schemeEnd {
            return "scheme (letter case)"
        }
        if given.contains(":\(a.port)") != expected.contains(":\(b.port)") { return "port (explicit default port)" }
        return "other"
    }

    /// The `%XX` escape covering `index`, or the single character there.
    static func escape(_ scalars: [Unicode.Scalar], at index: Int) -> String {
        for start in max(0, index - 2)...index where start + 2 < scalars.count && scalars[start] == "%" {
            return String(String.UnicodeScalarView(scalars[start...(start + 2)]))
        }
        return index < scalars.count ? String(scalars[index]) : ""
    }
}
