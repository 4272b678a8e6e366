import Foundation

/// `token.format`: the Secret Token as given is a bare token of printable ASCII, the way Entra's
/// Secret Token field must hold it (Entra sends `Authorization: Bearer <field>` verbatim).
struct TokenFormatProbe: Probe {
    let description = ProbeDescription(
        id: "token.format", section: .secretToken, title: "Secret Token is a bare printable token",
        checks: "The Secret Token is the bare token: no \"Bearer \" prefix, quotes, whitespace, line breaks or "
            + "non-ASCII characters, and of a plausible length. Entra sends the field as is after \"Bearer \".",
        rationale:
            "Entra sends the Secret Token field as is after \"Bearer \" in the Authorization header: a "
            + "pasted \"Bearer \" prefix, quotes or a line break become part of the token and the application "
            + "refuses it. Microsoft publishes no length limit (unconfirmed); Azure Government caps all "
            + "credentials at 1 KB.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Handling endpoint authentication' (the Secret Token "
                + "is sent as an OAuth bearer token)",
            "Microsoft: Known issues for provisioning (known-issues) (1 KB credential limit in Azure "
                + "Government)",
            "RFC 6750 §2.1 (Authorization: Bearer header syntax)",
        ],
        examples: [
            ProbeExample("plain token", expect: .pass, finding: "30 characters, printable ASCII"),
            ProbeExample("empty", ExampleSetup(token: ""), expect: .fail, finding: "is empty"),
            ProbeExample(
                "only the scheme", ExampleSetup(token: "Bearer \n"), expect: .fail, finding: "only the word \"Bearer\""),
            ProbeExample(
                "Bearer prefix", ExampleSetup(token: "Bearer example-token-0123456789abcdef"), expect: .fail,
                finding: "Entra adds the Bearer scheme itself; remove it"),
            ProbeExample(
                "bearer: with a tab", ExampleSetup(token: "bearer:\texample-token-0123456789abcdef"), expect: .fail,
                finding: "\"Bearer\" scheme"),
            ProbeExample(
                "surrounding quotes", ExampleSetup(token: "\"example-token-0123456789abcdef\""), expect: .fail,
                finding: "wrapped in quotes"),
            ProbeExample(
                "trailing newline", ExampleSetup(token: "example-token-0123456789abcdef\n"), expect: .fail,
                finding: "trailing newline"),
            ProbeExample(
                "trailing CRLF", ExampleSetup(token: "example-token-0123456789abcdef\r\n"), expect: .fail,
                finding: "U+000D CARRIAGE RETURN (CR) at position 31"),
            ProbeExample(
                "leading space", ExampleSetup(token: " example-token-0123456789abcdef"), expect: .fail,
                finding: "leading whitespace"),
            ProbeExample(
                "zero-width space", ExampleSetup(token: "example-token-\u{200B}0123456789abcdef"), expect: .fail,
                finding: "U+200B ZERO WIDTH SPACE at position 15"),
            ProbeExample(
                "space inside", ExampleSetup(token: "example-token 0123456789abcdef"), expect: .fail,
                finding: "whitespace inside the token"),
            ProbeExample(
                "several problems, worst wins", ExampleSetup(token: " 'Bearer short'"), expect: .fail,
                finding: "a placeholder or a partial copy"),
            ProbeExample(
                "too short", ExampleSetup(token: "changeme"), expect: .warn,
                finding: "a placeholder or a partial copy"),
            ProbeExample(
                "too long", ExampleSetup(token: String(repeating: "a1B2", count: 300)), expect: .warn,
                finding: "Size of input ExternalSecret data is invalid"),
        ])

    private static let field =
        "Entra (\(EntraPortal.secretToken))"

    func run(_ context: ProbeContext) async throws -> Verdict {
        let text = SecretTokenText(context.token.reveal())
        var evidence = [Evidence("token", context.token.fingerprint)]
        guard !text.problems.isEmpty else {
            let count = PastedText.count(text.core.unicodeScalars.count, "character")
            return .pass("\(count), printable ASCII, nothing around it.", evidence: evidence)
        }
        evidence += text.problems.map { Evidence("problem", $0.text) }
        if text.hasLineBreak {
            evidence.append(
                Evidence(
                    "note",
                    "this tool strips CR and LF before sending (an HTTP header cannot carry them); other artifacts are "
                        + "sent as given, as Entra would send them"))
        }
        let finding = "The Secret Token " + text.problems.map(\.text).joined(separator: "; ") + "."
        let fix = Self.fix(text.kinds)
        if text.problems.contains(where: { $0.status == .fail }) {
            return .fail(finding, evidence: evidence, fix: fix)
        }
        return .warn(finding, evidence: evidence, fix: fix)
    }

    static func fix(_ kinds: Set<SecretTokenText.Kind>) -> String {
        if kinds.contains(.empty) {
            return "Copy the token from the application's SCIM settings and paste it into \(field). (A blank Secret "
                + "Token makes Entra send its own Entra-issued token, meant for testing only.)"
        }
        var without: [String] = []
        if kinds.contains(.bearer) { without.append("the \"Bearer\" prefix") }
        if kinds.contains(.quotes) { without.append("quotes") }
        if kinds.contains(.whitespace) { without.append("spaces or line breaks") }
        if kinds.contains(.nonASCII) || kinds.contains(.control) { without.append("invisible or non-ASCII characters") }
        var sentences: [String] = []
        if !without.isEmpty {
            sentences.append(
                "Paste only the token itself into \(field), without " + without.joined(separator: ", ")
                    + "; copy it again from the application (with its copy button if it has one) if in doubt.")
        }
        if kinds.contains(.tooShort) {
            sentences.append(
                "Copy the whole token again from the application's SCIM settings (or generate a new one) and paste "
                    + "it into \(field).")
        }
        if kinds.contains(.tooLong) {
            sentences.append(
                "Check that only the token was copied; if the application really issues tokens this long, ask it "
                    + "for a shorter (opaque) token to paste into \(field).")
        }
        return sentences.joined(separator: " ")
    }
}
