import Foundation

/// `url.paste-artifacts`: the Tenant URL as given has nothing a copy-paste added (spaces, line breaks,
/// invisible characters, quotes, a label). Entra uses the field verbatim, so any of these breaks the URL.
struct URLPasteArtifactsProbe: Probe {
    let description = ProbeDescription(
        id: "url.paste-artifacts", section: .tenantURL, title: "Tenant URL has no copy-paste artifacts",
        checks: "The Tenant URL as given contains no whitespace, line breaks, zero-width or non-breaking characters, "
            + "quotes, angle brackets or pasted label: Entra uses the field as typed.",
        rationale:
            "Entra stores the Tenant URL field as typed and appends /Users and /Groups to it: a trailing "
            + "space, a zero-width character or a pasted label becomes part of every request URL, which then "
            + "points nowhere. Whether Entra trims whitespace itself is unconfirmed.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Getting started' (the Tenant URL field)",
            "Microsoft Graph: synchronizationSecretKeyStringValuePair "
                + "(synchronization-synchronizationsecretkeystringvaluepair) (BaseAddress = the Tenant URL)",
            "RFC 3986 §3 (characters a URI may contain)",
        ],
        // Every fix names the one corrected Tenant URL, which takes in what these network probes find.
        runsAfter: ["test-connection.base-path", "tls.handshake"],
        examples: [
            ProbeExample("clean URL", expect: .pass, finding: "no copy-paste artifacts"),
            ProbeExample(
                "zero-width space inside", ExampleSetup(tenantURL: "https://scim.example.com/scim/\u{200B}v2"),
                expect: .fail, finding: "U+200B ZERO WIDTH SPACE at position 31"),
            ProbeExample(
                "trailing newline", ExampleSetup(tenantURL: "https://scim.example.com/scim/v2\n"), expect: .fail,
                finding: "U+000A LINE FEED (newline) at position 33"),
            ProbeExample(
                "label and curly quotes",
                ExampleSetup(tenantURL: "Tenant URL: “https://scim.example.com/scim/v2”"), expect: .fail,
                finding: "pasted label \"Tenant URL:\" at position 1"),
            ProbeExample(
                "angle brackets and non-breaking space",
                ExampleSetup(tenantURL: "\u{00A0}<https://scim.example.com/scim/v2>"), expect: .fail,
                finding: "U+00A0 NO-BREAK SPACE at position 1"),
            ProbeExample(
                "space inside the path", ExampleSetup(tenantURL: "https://scim.example.com/scim /v2"), expect: .fail,
                finding: "U+0020 SPACE at position 30 (whitespace inside the URL)"),
            ProbeExample(
                "soft hyphen in the host", ExampleSetup(tenantURL: "https://scim.exam\u{00AD}ple.com/scim/v2"),
                expect: .fail, finding: "U+00AD SOFT HYPHEN"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let raw = context.options.tenantURL
        let (cleaned, artifacts) = TenantURL.pasteArtifacts(in: raw)
        guard raw != cleaned, !artifacts.isEmpty else {
            return .pass("No copy-paste artifacts: the Tenant URL is exactly \(PastedText.visible(raw)).")
        }
        let described = artifacts.map(Self.describe)
        let shownCount = described.count > 4 ? 3 : described.count
        let shown = described.prefix(shownCount).joined(separator: "; ")
        let more = described.count > shownCount ? "; and \(described.count - shownCount) more" : ""
        let count = PastedText.count(artifacts.count, "copy-paste artifact")
        var evidence = [Evidence("Tenant URL (as given)", PastedText.visible(raw))]
        evidence += described.map { Evidence("artifact", $0) }
        evidence.append(Evidence("cleaned", cleaned.isEmpty ? "(nothing left)" : cleaned))
        let paste =
            cleaned.isEmpty
            ? "the application's SCIM base URL" : (try? await context.correctedTenantURL().url) ?? cleaned
        return .fail(
            "The Tenant URL has \(count): \(shown)\(more).",
            evidence: evidence,
            fix: "Paste \(paste) into \(EntraPortal.tenantURL), "
                + "replacing the whole field; copy it from the application's SCIM settings page with "
                + "its copy button if it has one.",
            // The network probes use the cleaned value, so the other findings still hold.
            blocksDependants: false)
    }

    /// "U+200B ZERO WIDTH SPACE at position 31 (invisible character inside the URL)".
    static func describe(_ artifact: PasteArtifact) -> String {
        guard artifact.kind != .label else {
            let length = artifact.text.unicodeScalars.count
            return "a pasted label \"\(artifact.text)\" at position \(artifact.position)"
                + (length > 1 ? "–\(artifact.position + length - 1)" : "")
        }
        let place =
            switch artifact.placement {
            case .before: "before the URL"
            case .inside: "inside the URL"
            case .after: "after the URL"
            }
        let what =
            switch artifact.kind {
            case .invisible: "invisible character"
            case .whitespace: "whitespace"
            case .wrapper: artifact.text == "<" || artifact.text == ">" ? "angle bracket" : "quote"
            case .label: "label"
            }
        let name = artifact.text.unicodeScalars.first.map(PastedText.codePoint) ?? "?"
        return "\(name) at position \(artifact.position) (\(what) \(place))"
    }
}
