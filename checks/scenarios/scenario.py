"""The declaration format of scim-doctor's scenario matrix (checks/scenarios/).

Each catalog_<area>.py defines `SCENARIOS = [Scenario(...), ...]`; checks/scenarios/matrix.py loads them all,
starts the declared server, runs the built binary (human and JSON reports) and checks that exactly the
declared probes fail or warn with the declared phrase, and that every other probe passes or is skipped.

Templates (in url, args, token, server_token and fixture_args): {base} = scheme://HOST:PORT + base path
(/scim/v2 for the fixture, or its --base-path from fixture_args; /v2 for scim2-server; /scim/v2 for "refused",
"blackhole" and "tls-stall"); HOST is "localhost" when a fixture speaks TLS, else 127.0.0.1; the scheme is https
for TLS fixtures and always for "tls-stall"; {origin} = scheme://HOST:PORT; {host}; {port}; {ca} = the test
CA certificate; {certs} = the folder of the test certificates; {canary} = the canary token. A literal brace is
written {{ or }}. Kind "none" has no address: its url is a literal (e.g. https://scim.example.invalid/scim/v2).
An Expect's phrase may use the same placeholders (e.g. "did you mean {base}"); a phrase whose braces are
not a placeholder is taken literally.

Python 3 standard library only.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import time
from collections.abc import Callable
from typing import Any

STATUSES = ("pass", "warn", "fail", "skip", "error")
AREAS = ("Tenant URL", "Network", "TLS", "Secret token", "Authentication", "Test Connection",
         "Users and groups", "Attribute mappings", "Hostile responses", "Users lifecycle", "Groups lifecycle",
         "Provisioning job", "Entra mappings", "Scope and assignments", "Provisioning logs", "Cycle")
# "graph": the Graph fixture (checks/lib/graph_fixture.py) with `fault` as its scenario, and the run is
# `scim-doctor entra --tenant … --app-id …` (args added) with the fixture's token in GRAPH_TOKEN.
SERVER_KINDS = ("fixture", "scim2-server", "refused", "blackhole", "tls-stall", "none", "graph")
TOKEN_VIA = ("env", "file", "stdin")
INTERRUPTS = ("after-first-create",)
TAG_PREFIX = "scim-doctor-"  # every resource a write run creates carries it (userName, displayName, externalId)


@dataclasses.dataclass(frozen=True)
class Expect:
    """A probe result: `probe` has `status`, and its finding contains `phrase` (case-insensitive)."""

    probe: str
    status: str
    phrase: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"Expect({self.probe!r}): unknown status {self.status!r}")


@dataclasses.dataclass
class Server:
    """How the server misbehaves."""

    kind: str = "fixture"  # "fixture" | "scim2-server" | "refused" | "blackhole" | "tls-stall" | "none" | "graph"
    fault: str | None = None  # fixture --fault NAME (None = conformant); for "graph", its scenario
    tls: str | None = None  # None = http; else a certificate name from certs.make_cert_set()
    fixture_args: list[str] = dataclasses.field(default_factory=list)  # extra fixture_server.py args

    def __post_init__(self) -> None:
        if self.kind not in SERVER_KINDS:
            raise ValueError(f"Server: unknown kind {self.kind!r} (one of {', '.join(SERVER_KINDS)})")


@dataclasses.dataclass
class Scenario:
    name: str  # unique, kebab-case
    area: str  # README group, one of AREAS
    cause: str  # the README row: the real-world cause, one line
    server: Server = dataclasses.field(default_factory=Server)
    url: str = "{base}"  # templated; not used by kind "graph" (entra takes no URL)
    args: list[str] = dataclasses.field(default_factory=list)  # extra CLI args, templated
    token: str = "{canary}"  # the Secret Token given to the tool (templated)
    token_via: str = "env"  # "env" (SCIM_TOKEN) | "file" (--token-file) | "stdin" (--token-file -)
    server_token: str = "{canary}"  # the token the server accepts
    exit: int = 1  # expected exit code
    expect: list[Expect] = dataclasses.field(default_factory=list)  # must match exactly
    allow: list[Expect] = dataclasses.field(default_factory=list)  # may occur without being the point
    max_seconds: float | None = None  # each run must end within this many seconds of wall time
    # Write runs (issue 4). With --allow-writes in args each of the two runs gets a fresh server (unless
    # server_per_run says otherwise), so that one run's leftovers or a dead fixture never meet the other run.
    json_check: Callable[[dict[str, Any]], list[str]] | None = None  # more checks of the JSON report: problems
    human_check: Callable[[str], list[str]] | None = None  # more checks of the human stdout: problems
    # After each run, the server's /Users and /Groups are read: False = no resource tagged scim-doctor- may be
    # left, True = some must be (a server that keeps what it was told to delete), None = not read (e.g. dead).
    tagged_left: bool | None = None
    # "after-first-create": the fixture runs with --events, and the tool gets SIGINT as soon as the fixture has
    # answered a request on a resource the run created (so the create's answer has been read). No report is
    # made then: the probe checks (b)-(d) and json_check are replaced by human_check on stdout+stderr of each
    # run (human and JSON alike).
    interrupt: str | None = None
    server_per_run: bool | None = None  # None: True when args include --allow-writes
    reports: str | None = None  # the README's "What it reports" cell, when the probe marks alone do not say it

    def __post_init__(self) -> None:
        if self.area not in AREAS:
            raise ValueError(f"Scenario {self.name!r}: unknown area {self.area!r} (one of {', '.join(AREAS)})")
        if self.token_via not in TOKEN_VIA:
            raise ValueError(f"Scenario {self.name!r}: unknown token_via {self.token_via!r}")
        if self.interrupt is not None and self.interrupt not in INTERRUPTS:
            raise ValueError(f"Scenario {self.name!r}: unknown interrupt {self.interrupt!r}")
        if self.interrupt is not None and self.server.kind != "fixture":
            raise ValueError(f"Scenario {self.name!r}: an interrupt needs the fixture's --events")
        probes = [e.probe for e in self.expect]
        if len(probes) != len(set(probes)):
            raise ValueError(f"Scenario {self.name!r}: a probe is expected twice")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(exp_in_days: float | None = None, nbf_in_days: float | None = None, iat_in_days: float | None = 0,
        issuer: str | None = None, extra: dict[str, object] | None = None) -> str:
    """An unsigned-looking JWT (header {"alg":"RS256","typ":"JWT"}, signature "c2ln") whose claims are
    relative to now: exp/nbf/iat = now + N days (a claim is left out when None)."""
    now = int(time.time())
    payload: dict[str, object] = {}
    if iat_in_days is not None:
        payload["iat"] = now + int(iat_in_days * 86400)
    if nbf_in_days is not None:
        payload["nbf"] = now + int(nbf_in_days * 86400)
    if exp_in_days is not None:
        payload["exp"] = now + int(exp_in_days * 86400)
    if issuer is not None:
        payload["iss"] = issuer
    if extra:
        payload.update(extra)
    header = {"alg": "RS256", "typ": "JWT"}
    enc = lambda obj: _b64url(json.dumps(obj, separators=(",", ":")).encode())  # noqa: E731
    return f"{enc(header)}.{enc(payload)}.c2ln"
