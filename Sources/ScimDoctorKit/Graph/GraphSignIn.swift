import Foundation

/// How this run gets its Graph access token (entra-graph.md §1), without an SDK and without a Microsoft
/// first-party client id: the admin's own token, or the admin's own app registration.
public enum GraphCredential: Sendable {
    /// `GRAPH_TOKEN` or `--graph-token-file` (e.g. from `az account get-access-token --resource-type ms-graph`).
    case accessToken(Secret)
    /// Client credentials: `--client-id` with the secret from `AZURE_CLIENT_SECRET` or `--client-secret-file`.
    case clientSecret(clientID: String, secret: Secret)
    /// The device code flow on a terminal, with the admin's public-client app registration (`--client-id`).
    case deviceCode(clientID: String)
}

/// Signs in at the cloud's token endpoint (or its override) through the run's transport. Every secret of the
/// flow — client secret, device code, access, refresh and id tokens — ends up in the returned secret's
/// redaction, so no output of the run can show one; nothing is kept after the run.
public struct GraphSignIn: Sendable {
    public let transport: any HTTPTransport
    public let endpoints: GraphEndpoints
    /// `--tenant`, checked (`GraphSignIn.checkTenant`).
    public let tenant: String
    public let timeout: Duration
    /// Where the device code flow's instructions go (standard error).
    public let say: @Sendable (String) -> Void
    /// The proxy for the token endpoint, as the run's proxy policy chose it.
    public var proxy: String?

    public init(
        transport: any HTTPTransport, endpoints: GraphEndpoints, tenant: String, timeout: Duration,
        proxy: String? = nil, say: @escaping @Sendable (String) -> Void
    ) {
        self.proxy = proxy
        self.transport = transport
        self.endpoints = endpoints
        self.tenant = tenant
        self.timeout = timeout
        self.say = say
    }

    /// A directory id (GUID), a domain (`contoso.onmicrosoft.com`) or `organizations`: it goes into the token
    /// endpoint's path.
    public static func checkTenant(_ tenant: String) -> Bool {
        GraphID.isGUID(tenant)
            || (tenant.count <= 253 && tenant.contains(".") && !tenant.hasPrefix(".") && !tenant.contains("..")
                && tenant.unicodeScalars.allSatisfy {
                    $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-.".unicodeScalars.contains($0))
                })
            || tenant == "organizations"
    }

    public func accessToken(_ credential: GraphCredential) async throws(GraphSetupError) -> Secret {
        switch credential {
        case .accessToken(let token):
            return token
        case .clientSecret(let clientID, let secret):
            let answer = try await post(
                "token", redacting: [secret],
                form: [
                    ("client_id", clientID), ("scope", endpoints.defaultScope), ("client_secret", secret.reveal()),
                    ("grant_type", "client_credentials"),
                ])
            return try Self.token(from: answer, also: [secret])
        case .deviceCode(let clientID):
            return try await deviceCode(clientID: clientID)
        }
    }

    private func deviceCode(clientID: String) async throws(GraphSetupError) -> Secret {
        let start = try await post(
            "devicecode", redacting: [],
            form: [("client_id", clientID), ("scope", endpoints.scopes(GraphPermission.readOnly))])
        guard let deviceCode = start["device_code"]?.string, !deviceCode.isEmpty else {
            throw GraphSetupError("the device code sign-in gave no device_code: \(Self.oauthError(start))")
        }
        let code = Secret(deviceCode, name: "device code")
        let message =
            start["message"]?.string
            ?? "To sign in, open \(start["verification_uri"]?.string ?? "the sign-in page") and enter the code "
            + (start["user_code"]?.string ?? "?")
        say(PrintableText.line(code.redact(message)) + "\n")
        var interval = max(1, min(start["interval"]?.int ?? 5, 60))
        let deadline = ContinuousClock.now + .seconds(max(60, min(start["expires_in"]?.int ?? 900, 1800)))
        while ContinuousClock.now < deadline {
            do { try await Task.sleep(for: .seconds(interval)) } catch {
                throw GraphSetupError("the device code sign-in was interrupted")
            }
            let answer = try await post(
                "token", redacting: [code],
                form: [
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", clientID),
                    ("device_code", deviceCode),
                ], acceptingErrors: true)
            switch answer["error"]?.string {
            case nil: return try Self.token(from: answer, also: [code])
            case "authorization_pending": continue
            case "slow_down": interval += 5  // RFC 8628 §3.5
            case "authorization_declined": throw GraphSetupError("the sign-in was declined")
            case "expired_token": throw GraphSetupError("the device code expired before the sign-in: run again")
            default: throw GraphSetupError("the device code sign-in failed: \(Self.oauthError(answer))")
            }
        }
        throw GraphSetupError("the device code expired before the sign-in: run again")
    }

    /// `POST {login}/{tenant}/oauth2/v2.0/{endpoint}` with a form body; the answer's JSON object.
    private func post(
        _ endpoint: String, redacting secrets: [Secret], form: [(String, String)], acceptingErrors: Bool = false
    ) async throws(GraphSetupError) -> JSONValue {
        let body = form.map { "\($0.0)=\(PercentEncoding.encoded($0.1, keeping: PercentEncoding.isUnreserved))" }
            .joined(separator: "&")
        var request = HTTPRequest(
            method: "POST", url: "\(endpoints.loginOrigin)/\(tenant)/oauth2/v2.0/\(endpoint)",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data(body.utf8), timeout: timeout)
        request.proxy = proxy
        let redactor = Redactor(secrets)
        let response: HTTPResponse
        do throws(TransportError) { response = try await transport.send(request) } catch {
            throw GraphSetupError(
                "cannot reach \(endpoints.loginOrigin) to sign in: \(redactor.redact(error.message))")
        }
        guard let answer = response.jsonObject else {
            throw GraphSetupError(
                "the sign-in at \(endpoints.loginOrigin) answered HTTP \(response.status) without JSON")
        }
        if response.status != 200, !(acceptingErrors && answer["error"]?.string != nil) {
            throw GraphSetupError(
                "the sign-in was refused (HTTP \(response.status)): \(redactor.redact(Self.oauthError(answer)))")
        }
        return answer
    }

    /// The access token of a token answer, redacting the other secrets of the flow with it.
    private static func token(from answer: JSONValue, also secrets: [Secret]) throws(GraphSetupError) -> Secret {
        guard let access = answer["access_token"]?.string, !access.isEmpty else {
            throw GraphSetupError("the sign-in answer has no access_token")
        }
        let others =
            (secrets
            + ["refresh_token", "id_token"].compactMap { key in
                answer[key]?.string.map { Secret($0, name: key.replacingOccurrences(of: "_", with: " ")) }
            }).map { (value: $0.reveal(), replacement: $0.description) }
        return Secret(access, name: "graph token").alsoRedacting(others)
    }

    /// `invalid_client (AADSTS7000215): Invalid client secret provided…`: the OAuth error, never a secret.
    static func oauthError(_ answer: JSONValue) -> String {
        let error = answer["error"]?.string ?? "no error code"
        let description = answer["error_description"]?.string.map { ": " + String($0.prefix(300)) } ?? ""
        var text = PrintableText.line(error + description)
        if error == "invalid_client", description.contains("AADSTS7000218") {
            text +=
                " (the app registration must allow public client flows for the device code sign-in: "
                + "Authentication, Allow public client flows, Yes)"
        }
        return text
    }
}
