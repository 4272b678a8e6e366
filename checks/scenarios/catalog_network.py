"""Network scenarios: Entra cannot reach the Tenant URL's host (owner: S1)."""

from scenario import Expect, Scenario, Server

A = "Network"

SCENARIOS = [
    Scenario(
        name="network-name-does-not-resolve", area=A,
        cause="The Tenant URL's host name does not resolve (typo, or no public DNS record)",
        server=Server(kind="none"), url="https://scim.example.invalid/scim/v2", exit=1,
        expect=[Expect("net.dns", "fail", "scim.example.invalid does not resolve")],
    ),
    Scenario(
        name="network-connection-refused", area=A,
        cause="Nothing listens on the Tenant URL's port (connection refused)",
        server=Server(kind="refused"), exit=1,
        expect=[Expect("net.tcp", "fail", "connection refused on port {port}")],
    ),
    Scenario(
        name="network-connect-timeout", area=A,
        cause="A firewall drops the connection: the TCP handshake never completes",
        server=Server(kind="blackhole"), args=["--connect-timeout", "1"], exit=1, max_seconds=5,
        expect=[Expect("net.tcp", "fail", "timed out after 1 s")],
    ),
    Scenario(
        name="network-tls-never-answers", area=A,
        cause="The port accepts TCP but never answers the TLS handshake",
        server=Server(kind="tls-stall"), args=["--connect-timeout", "1"], exit=1, max_seconds=5,
        expect=[Expect("tls.handshake", "fail", "accepted the connection but never completed TLS")],
    ),
]
