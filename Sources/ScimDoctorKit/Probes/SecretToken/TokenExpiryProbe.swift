import Foundation

/// `token.expiry`: a JWT Secret Token is not expired, not about to expire and already valid. Read locally,
/// signature unchecked: Entra never refreshes a Secret Token, so its expiry is the provisioning job's.
struct TokenExpiryProbe: Probe {
    let description = ProbeDescription(
        id: "token.expiry", section: .secretToken, title: "Secret Token has not expired",
        checks: "A JWT Secret Token's exp and nbf claims, read locally without checking the signature: Entra does not "
            + "refresh a Secret Token, so the provisioning job is quarantined when it expires.",
        rationale:
            "Entra never refreshes a Secret Token: Microsoft says a long-lived token \"should be perpetual, "
            + "or else the provisioning job is quarantined when the token expires\". Checking a JWT's exp and "
            + "nbf locally shows the date provisioning will stop.",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Long-lived OAuth bearer tokens'",
            "Microsoft: Application provisioning in quarantine status "
                + "(application-provisioning-quarantine-status) (EncounteredQuarantineException: invalid "
                + "credentials)",
            "RFC 7519 §4.1.4 (exp), §4.1.5 (nbf)",
        ],
        examples: [
            ProbeExample("opaque token", expect: .pass, finding: "opaque token"),
            ProbeExample("no token", ExampleSetup(token: ""), expect: .skip, finding: "no Secret Token"),
            ProbeExample(
                "expired JWT", ExampleSetup(token: ExampleJWT.make(expIn: -3 * 86_400)), expect: .fail,
                finding: "expired on 2026-05-29T00:00:00Z (3 days ago)"),
            ProbeExample(
                "expires within 14 days", ExampleSetup(token: ExampleJWT.make(expIn: 5 * 86_400)), expect: .warn,
                finding: "Entra does not refresh a Secret Token"),
            ProbeExample(
                "expires in just under 3 days", ExampleSetup(token: ExampleJWT.make(expIn: 3 * 86_400 - 90)),
                expect: .warn, finding: "(in 3 days)"),
            ProbeExample(
                "not valid for just under 2 days",
                ExampleSetup(token: ExampleJWT.make(expIn: 30 * 86_400, nbfIn: 2 * 86_400 - 90)), expect: .fail,
                finding: "(2 days from now"),
            ProbeExample(
                "long-lived JWT", ExampleSetup(token: ExampleJWT.make(expIn: 365 * 86_400)), expect: .pass,
                finding: "expires on 2027-06-01T00:00:00Z"),
            ProbeExample(
                "JWT without exp", ExampleSetup(token: ExampleJWT.make()), expect: .pass, finding: "does not expire"),
            ProbeExample(
                "not yet valid", ExampleSetup(token: ExampleJWT.make(expIn: 365 * 86_400, nbfIn: 3_600)),
                expect: .fail, finding: "clock"),
            ProbeExample(
                "nbf within the skew allowance", ExampleSetup(token: ExampleJWT.make(expIn: 365 * 86_400, nbfIn: 120)),
                expect: .pass, finding: "expires on"),
            ProbeExample(
                "Entra-issued token",
                ExampleSetup(
                    token: ExampleJWT.make(
                        iss: "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/", expIn: 3_600)),
                expect: .warn, finding: "looks like an Entra-issued token"),
            ProbeExample(
                "Bearer-prefixed JWT is still read",
                ExampleSetup(token: "Bearer " + ExampleJWT.make(expIn: -3_600)), expect: .fail, finding: "1 hour ago"),
            ProbeExample(
                "undecodable JWT", ExampleSetup(token: "eyJhbGciOiJSUzI1NiJ9.eyJub3QganNvbg.sig"), expect: .warn,
                finding: "cannot be decoded"),
            ProbeExample(
                "exp is not a number", ExampleSetup(token: ExampleJWT.make(payload: #"{"exp":"tomorrow"}"#)),
                expect: .warn, finding: "not a number"),
            ProbeExample(
                "encrypted JWT", ExampleSetup(token: "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"), expect: .pass,
                finding: "encrypted"),
        ])

    /// Entra quarantines the job when the token expires; two weeks leaves time to issue a new one.
    static let warningPeriod: TimeInterval = 14 * 86_400
    /// Tolerated difference between this machine's clock and the issuer's.
    static let clockSkew: TimeInterval = 5 * 60
    private static let field =
        "Entra (\(EntraPortal.secretToken))"
    private static let renew =
        "Issue a long-lived (non-expiring) token in the application's SCIM settings, paste it into \(field), "
        + "select Test Connection, then Save (and restart provisioning if the job is quarantined)."

    func run(_ context: ProbeContext) async throws -> Verdict {
        let text = SecretTokenText(context.token.reveal())
        guard !text.core.isEmpty else { return .skip("no Secret Token given") }
        let now = context.now
        switch TokenShape(text.core) {
        case .opaque:
            return .pass(
                "opaque token: only the server can judge whether it has expired (auth.token-accepted checks it "
                    + "against the server).")
        case .encrypted:
            return .pass(
                "encrypted (JWE) token: its claims cannot be read locally, so only the server can judge whether it "
                    + "has expired (auth.token-accepted checks it against the server).")
        case .malformed(let reason):
            return .warn(
                "The Secret Token looks like a JWT (three dot-separated parts starting with eyJ) but cannot be "
                    + "decoded: \(reason); a partial or altered copy?",
                evidence: [Evidence("token", context.token.fingerprint)],
                fix: "Copy the whole token again from the application's SCIM settings and paste it into \(Self.field).")
        case .jwt(let header, let claims):
            var evidence = [Evidence("token", "JWT, \(context.token.fingerprint)")]
            if let alg = header["alg"]?.string { evidence.append(Evidence("alg", alg)) }
            if let iss = claims["iss"]?.string { evidence.append(Evidence("iss", iss)) }
            if let aud = claims["aud"] {
                let audience = aud.string ?? aud.array?.compactMap(\.string).joined(separator: ", ")
                if let audience { evidence.append(Evidence("aud", audience)) }
            }
            var dates: [String: Date] = [:]
            for name in ["iat", "nbf", "exp"] {
                switch TokenShape.date(claims, name) {
                case .none: continue
                case .some(.none):
                    return .warn(
                        "The Secret Token's \"\(name)\" claim is not a number (\(JSONValue.describe(claims[name]))), so "
                            + "its validity cannot be read.",
                        evidence: evidence,
                        fix:
                            "Check the token with the application; if it was altered, copy it again into \(Self.field)."
                    )
                case .some(.some(let date)):
                    dates[name] = date
                    evidence.append(Evidence(name, UTCDate.iso8601(date)))
                }
            }
            let entra = claims["iss"]?.string?.lowercased().hasPrefix("https://sts.windows.net/") ?? false
            let entraNote =
                entra
                ? "; it looks like an Entra-issued token (iss https://sts.windows.net/…), which Entra sends itself "
                    + "only when the Secret Token field is blank (SCIM-TUT), rather than a token issued by the "
                    + "application"
                : ""
            return Self.verdict(dates: dates, now: now, entraNote: entraNote, evidence: evidence)
        }
    }

    static func verdict(dates: [String: Date], now: Date, entraNote: String, evidence: [Evidence]) -> Verdict {
        if let exp = dates["exp"], exp <= now {
            return .fail(
                "The Secret Token expired on \(UTCDate.iso8601(exp)) (\(UTCDate.span(now.timeIntervalSince(exp))) ago): Entra's requests "
                    + "will be refused and the job quarantined\(entraNote).",
                evidence: evidence, fix: renew)
        }
        if let nbf = dates["nbf"], nbf.timeIntervalSince(now) > clockSkew {
            return .fail(
                "The Secret Token is not valid before \(UTCDate.iso8601(nbf)) (\(UTCDate.span(nbf.timeIntervalSince(now))) from now by "
                    + "this machine's clock)\(entraNote).",
                evidence: evidence,
                fix: "Check this machine's clock and the token issuer's (both should follow NTP); if the clocks are "
                    + "right, issue a token that is valid now in the application and paste it into \(field).")
        }
        guard let exp = dates["exp"] else {
            return .pass("The Secret Token does not expire (no exp claim)\(entraNote).", evidence: evidence)
        }
        let left = exp.timeIntervalSince(now)
        if left <= warningPeriod {
            return .warn(
                "The Secret Token expires on \(UTCDate.iso8601(exp)) (in \(UTCDate.span(left))): Entra does not refresh a Secret Token: "
                    + "the job will be quarantined when it expires; issue a long-lived token\(entraNote).",
                evidence: evidence, fix: renew)
        }
        return .pass(
            "The Secret Token expires on \(UTCDate.iso8601(exp)) (in \(UTCDate.span(left)))\(entraNote).",
            evidence: evidence)
    }

}
