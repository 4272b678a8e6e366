"""TLS scenarios: what the fixture's HTTPS listener gets wrong about Entra's TLS requirements (owner: S2).

Every scenario serves HTTPS from the fixture on 127.0.0.1 with a certificate from checks/lib/certs.py and is
reached as https://localhost:PORT, so the certificate's name matches unless the scenario is about the name.
Where the point is not the trust itself, `--ca-file {ca}` (the test CA) makes the chain verify, so exactly one
probe fails (tls.trust then passes: "trusted through --ca-file" on a local endpoint).

One cause, one failure: an expired, not yet valid or too-weak certificate also makes OpenSSL's verification
fail, but tls.validity / tls.key-size own that cause; tls.trust depends on them and is skipped with a pointer
("tls.validity failed"), and so are the probes that send requests.
"""

from typing import Any, Callable

from scenario import Expect, Scenario, Server

A = "TLS"
CA = ["--ca-file", "{ca}"]


def next_step_named(probe: str) -> Callable[[dict[str, Any]], list[str]]:
    """The TLS failure that skips the HTTP probes tells the reader how to see them anyway (--ca-file or -k)."""
    def check(doc: dict[str, Any]) -> list[str]:
        fix = next((str(r.get("remediation") or "") for r in doc.get("results") or [] if r.get("id") == probe), "")
        return [] if "--ca-file" in fix and " -k " in fix else [f"{probe}'s fix names neither --ca-file nor -k: {fix}"]
    return check

SCENARIOS = [
    Scenario(
        name="tls-self-signed", area=A,
        cause="The server presents a self-signed certificate",
        server=Server(tls="self_signed"), exit=1,
        expect=[Expect("tls.trust", "fail", "the certificate is self-signed")],
        json_check=next_step_named("tls.trust"),
    ),
    Scenario(
        name="tls-expired", area=A,
        cause="The server certificate has expired",
        server=Server(tls="expired"), args=CA, exit=1,
        expect=[Expect("tls.validity", "fail", "the server certificate expired on 2020-02-01")],
        json_check=next_step_named("tls.validity"),
    ),
    Scenario(
        name="tls-not-yet-valid", area=A,
        cause="The server certificate is not valid yet (issued for a future date, or a clock is wrong)",
        server=Server(tls="not_yet_valid"), args=CA, exit=1,
        expect=[Expect("tls.validity", "fail", "not yet valid: valid from 2099-01-01")],
    ),
    Scenario(
        name="tls-wrong-hostname", area=A,
        cause="The server certificate is issued for another host name",
        server=Server(tls="wrong_host"), args=CA, exit=1,
        expect=[Expect("tls.hostname", "fail", "localhost is not covered by the certificate, which names "
                                               "DNS:other.example")],
    ),
    Scenario(
        name="tls-spoofed-alternative-name", area=A,
        cause='One subjectAltName dNSName reads "evil.example, IP Address:127.0.0.1, DNS:localhost": a text split '
              "on commas would pass it, the certificate's DER names none of this machine's names",
        server=Server(tls="spoofed_san"), args=CA, exit=1,
        expect=[Expect("tls.hostname", "fail", "localhost is not covered by the certificate")],
        allow=[Expect("tls.trust", "fail")],
    ),
    Scenario(
        name="tls-http-url-on-tls-port", area=A,
        cause="The Tenant URL says http:// for a port that speaks TLS: every request gets a reset; the finding says "
              "use https",
        server=Server(tls="leaf"), url="http://{host}:{port}/scim/v2", exit=1,
        expect=[Expect("tls.handshake", "fail", "speaks TLS (a TLS handshake completed there)")],
    ),
    Scenario(
        name="tls-13-only", area=A,
        cause="The server accepts TLS 1.3 only, and Entra speaks TLS 1.2",
        server=Server(tls="leaf", fixture_args=["--tls13-only"]), args=CA, exit=1,
        expect=[Expect("tls.protocol", "fail", "does not offer TLS 1.2")],
    ),
    Scenario(
        name="tls-no-entra-cipher-suite", area=A,
        cause="The server's TLS 1.2 policy has none of Entra's eight cipher suites (RSA key exchange only)",
        server=Server(tls="leaf", fixture_args=["--tls-ciphers", "AES256-GCM-SHA384:AES128-GCM-SHA256",
                                                "--tls-max", "1.2"]),
        args=CA, exit=1,
        expect=[Expect("tls.ciphers", "fail", "accepts none of the eight cipher suites Entra offers")],
    ),
    Scenario(
        name="tls-rsa-1024-key", area=A,
        cause="The server certificate has a 1024-bit RSA key (Entra requires 2,048 bits)",
        server=Server(tls="small_key", fixture_args=["--tls-seclevel", "0"]), args=CA, exit=1,
        expect=[Expect("tls.key-size", "fail", "RSA 1024-bit key")],
    ),
    Scenario(
        name="tls-intermediate-not-sent", area=A,
        cause="The server sends its certificate without the intermediate CA certificate (incomplete chain)",
        server=Server(tls="incomplete_chain"), args=CA, exit=1,
        expect=[Expect("tls.trust", "fail", "without the intermediate CA certificate that issued it "
                                            "(scim-doctor test intermediate CA)")],
    ),
    Scenario(
        name="tls-expires-in-10-days", area=A,
        cause="The server certificate expires within 30 days (works today, stops when it expires)",
        server=Server(tls="expiring_soon"), args=CA, exit=0,
        expect=[Expect("tls.validity", "warn", "the server certificate expires on")],
    ),
    Scenario(
        name="tls-full-chain-trusted-via-ca-file", area=A,
        cause="Control: a leaf sent with its intermediate, trusted through --ca-file (the root only)",
        server=Server(tls="chained_leaf"), args=CA, exit=0,
    ),
    Scenario(
        name="tls-trusted-via-ca-file", area=A,
        cause="Control: a CA-signed certificate trusted through --ca-file (a private CA during development)",
        server=Server(tls="leaf"), args=CA + ["--strict"], exit=0,
        expect=[Expect("tls.trust", "pass", "a local endpoint: fine for testing here")],
    ),
]
