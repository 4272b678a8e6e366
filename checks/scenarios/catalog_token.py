"""Secret Token and authentication scenarios (owner: S1)."""

from scenario import Expect, Scenario, Server, jwt

T = "Secret token"
AUTH = "Authentication"

# Each JWT is made once, so the tool and the server get the same string.
EXPIRED = jwt(exp_in_days=-3)
NOT_YET_VALID = jwt(nbf_in_days=2, exp_in_days=30)
EXPIRES_SOON = jwt(exp_in_days=3)

SCENARIOS = [
    Scenario(
        name="token-bearer-prefix", area=T,
        cause='The Secret Token was pasted with "Bearer " in front',
        token="Bearer {canary}", token_via="file", exit=1,
        # The server gets "Bearer Bearer …" and refuses it; Test Connection and later probes are skipped.
        expect=[
            Expect("token.format", "fail", 'starts with the "Bearer" scheme'),
            Expect("auth.token-accepted", "fail", "sent with the \"Bearer \" prefix pasted in front of it"),
        ],
    ),
    Scenario(
        name="token-trailing-newline", area=T,
        cause="The Secret Token was copied with a trailing newline",
        token="{canary}\n", exit=1,
        # The HTTP client drops CR/LF from the header, so the server accepts the token: only the format fails.
        expect=[Expect("token.format", "fail", "trailing newline")],
    ),
    Scenario(
        name="token-jwt-expired", area=T,
        cause="The Secret Token is a JWT that expired 3 days ago (the server still accepts it here)",
        token=EXPIRED, server_token=EXPIRED, token_via="stdin", exit=1,
        expect=[Expect("token.expiry", "fail", "(3 days ago)")],
    ),
    Scenario(
        name="token-jwt-not-yet-valid", area=T,
        cause="The Secret Token is a JWT that is not valid for another 2 days (nbf in the future)",
        token=NOT_YET_VALID, server_token=NOT_YET_VALID, exit=1,
        expect=[Expect("token.expiry", "fail", "not valid before")],
    ),
    Scenario(
        name="token-jwt-expires-soon", area=T,
        cause="The Secret Token is a JWT that expires in 3 days",
        token=EXPIRES_SOON, server_token=EXPIRES_SOON, exit=0,
        expect=[Expect("token.expiry", "warn", "(in 3 days)")],
    ),
    Scenario(
        name="auth-token-rejected", area=AUTH,
        cause='The server refuses the token: 401 with WWW-Authenticate: Bearer error="invalid_token"',
        server=Server(fault="reject-token"), exit=1,
        expect=[Expect("auth.token-accepted", "fail", "HTTP 401, invalid_token): it is expired or revoked")],
    ),
    # A wrong or expired token against servers whose refusal is not SCIM-shaped (issue 10): blamed on the token,
    # with the evidence, never on the Tenant URL; with the right token the same servers are healthy.
    Scenario(
        name="auth-wrong-token-framework-401", area=AUTH,
        cause="A wrong token against a framework that answers every path 401, empty text/html, Bearer realm: "
              "the token is named first, not the Tenant URL",
        server=Server(fault="framework-401"), token="wrong-token-0123456789abcdef01", exit=1,
        expect=[Expect("auth.token-accepted", "fail", "most likely the Secret Token is wrong, expired or revoked")],
    ),
    Scenario(
        name="auth-wrong-token-framework-401-json", area=AUTH,
        cause="The same with a JSON 401 body and a bare WWW-Authenticate: Bearer",
        server=Server(fault="framework-401-json"), token="wrong-token-0123456789abcdef01", exit=1,
        expect=[Expect("auth.token-accepted", "fail", "most likely the Secret Token is wrong, expired or revoked")],
    ),
    Scenario(
        name="auth-wrong-token-routed-401", area=AUTH,
        cause="A wrong token against a server that routes first (unknown paths 404): the 401 on /Users proves the "
              "path, so the token is rejected",
        server=Server(fault="framework-401-routed"), token="wrong-token-0123456789abcdef01", exit=1,
        expect=[Expect("auth.token-accepted", "fail", "token rejected (HTTP 401): wrong, expired or revoked")],
    ),
    Scenario(
        name="auth-right-token-framework-401", area=AUTH,
        cause="Control: the framework that refuses without a token, given the right token, is a healthy endpoint",
        server=Server(fault="framework-401"), exit=0,
        allow=[Expect("auth.required", "warn"), Expect("auth.required", "pass")],
    ),
    Scenario(
        name="auth-token-forbidden", area=AUTH,
        cause="The server authenticates the token but answers 403 (not an admin token)",
        server=Server(fault="forbidden"), exit=1,
        expect=[Expect("auth.token-accepted", "fail", "authenticated but not allowed (HTTP 403)")],
    ),
    Scenario(
        name="auth-not-required", area=AUTH,
        cause="The endpoint answers with data without any credentials",
        server=Server(fault="no-auth"), exit=1,
        expect=[Expect("auth.required", "fail", "answers without any credentials")],
    ),
]
