"""`scim-doctor entra` end to end: the built binary against the Graph fixture (checks/lib/graph_fixture.py) on
loopback — the three ways to sign in, usage errors, throttling and hostile answers. (Each diagnosis is a scenario
of the matrix: checks/scenarios/catalog_entra.py.) Every run is checked for the secrets of its sign-in in stdout,
stderr and the report, for the JSON schema, and for writes sent to Graph (there must be none)."""

from __future__ import annotations

import http.server
import json
import random
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import graph_fixture as graph
import leaks
import processes
import pytest
import report_schema
import terminal


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    report: dict | None
    requests: list[tuple[str, str]]

    def status(self, probe: str) -> str:
        assert self.report is not None, self.stderr
        return next(r["status"] for r in self.report["results"] if r["id"] == probe)

    def finding(self, probe: str) -> str:
        assert self.report is not None, self.stderr
        return next(r["finding"] for r in self.report["results"] if r["id"] == probe)


def entra(binary: Path, fixture: graph.GraphFixture, *extra: str, token: str | None = "fixture",
          env: dict[str, str] | None = None, secrets: tuple[str, ...] = (), check_url: str | None = None) -> Run:
    """One `scim-doctor entra` run against `fixture` (with `check_url`: the joined run, `check URL --tenant …`),
    its JSON report read back; no secret may appear anywhere."""
    run_env = processes.tool_env(None) | fixture.env() | (env or {})
    if token is not None:
        run_env["GRAPH_TOKEN"] = fixture.token if token == "fixture" else token
    with tempfile.TemporaryDirectory(prefix="scim-doctor-entra-") as tmp:
        report_path = Path(tmp) / "report.json"
        argv = [str(binary), *(["check", check_url] if check_url else ["entra"]), "--tenant", graph.TENANT, *extra]
        if not any(a in extra for a in ("--app-id", "--app-name", "--sp-id")):
            argv += ["--app-id", graph.APP_ID]
        argv += ["-o", str(report_path), "--format", "json"] if "-o" not in extra else []
        proc = subprocess.run(argv, env=run_env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
        report_text = report_path.read_text() if report_path.exists() else ""
    outputs = proc.stdout + proc.stderr + report_text
    for secret in (fixture.token, *secrets):
        leak = leaks.find_leak(outputs, secret)
        assert leak is None, f"a secret leaked ({leak})"
    report = json.loads(report_text) if report_text else None
    if report is not None:
        assert report_schema.problems(report) == []
    writes = [r for r in fixture.requests if r[0] != "GET" and "/oauth2/v2.0/" not in r[1]
              and not ("--test-connection" in extra and r[1].endswith("/validateCredentials"))
              and not ("--provision-on-demand" in extra and r[1].endswith("/provisionOnDemand"))]
    assert writes == [], f"scim-doctor entra sent writes to Graph: {writes}"
    return Run(proc.returncode, proc.stdout, proc.stderr, report, list(fixture.requests))


def test_throttled_read_waits_for_retry_after(binary: Path) -> None:
    """The fixture answers the jobs and schema reads 429 (Retry-After: 1) once: each is asked again, once."""
    with graph.GraphFixture("throttled") as fixture:
        run = entra(binary, fixture)
    jobs = [r for r in run.requests if r[1].endswith("/synchronization/jobs")]
    assert len(jobs) == 2 and run.code == 0


def test_hostile_answers(binary: Path) -> None:
    """Terminal escapes in names never reach the terminal, and a nextLink to another host is not followed (it
    would carry the token there)."""
    with graph.GraphFixture("hostile") as fixture:
        with tempfile.TemporaryDirectory() as tmp:
            har = Path(tmp) / "run.har"
            env = processes.tool_env(None) | fixture.env() | {"GRAPH_TOKEN": fixture.token}
            proc = subprocess.run([str(binary), "entra", "--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--all",
                                   "--har", str(har)], env=env, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=60)
            urls = [e["request"]["url"] for e in json.loads(har.read_text())["log"]["entries"]]
            har_text = har.read_text()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "Contoso" in proc.stdout
    assert all(url.startswith(fixture.origin) for url in urls), urls
    assert leaks.find_leak(proc.stdout + proc.stderr + har_text, fixture.token) is None


def test_client_credentials(binary: Path) -> None:
    with graph.GraphFixture("healthy") as fixture:
        run = entra(binary, fixture, "--client-id", graph.CLIENT_ID, token=None,
                    env={"AZURE_CLIENT_SECRET": graph.CLIENT_SECRET}, secrets=(graph.CLIENT_SECRET,))
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as secret_file:
            secret_file.write(graph.CLIENT_SECRET + "\n")
            secret_file.flush()
            from_file = entra(binary, fixture, "--client-id", graph.CLIENT_ID, "--client-secret-file",
                              secret_file.name, token=None, secrets=(graph.CLIENT_SECRET,))
    assert run.code == 0 and from_file.code == 0, run.stderr + from_file.stderr
    # Application permissions (roles) are read from the token as well.
    assert "application (roles)" in json.dumps(run.report["results"][0]["evidence"])


def test_wrong_client_secret(binary: Path) -> None:
    wrong = "wrong-secret-0123456789abcdef"
    with graph.GraphFixture("healthy") as fixture:
        run = entra(binary, fixture, "--client-id", graph.CLIENT_ID, token=None,
                    env={"AZURE_CLIENT_SECRET": wrong}, secrets=(wrong,))
    assert run.code == 2 and run.report is None
    assert "AADSTS7000215" in run.stderr and "sign-in was refused" in run.stderr


def test_device_code_on_a_terminal(binary: Path) -> None:
    """The instructions are shown, the first poll is pending, the second signs in; the device code, the refresh
    and the id token appear nowhere."""
    with graph.GraphFixture("healthy") as fixture:
        env = processes.tool_env(None) | fixture.env()
        code, screen = terminal.run([str(binary), "entra", "--tenant", graph.TENANT, "--app-id", graph.APP_ID,
                                     "--client-id", graph.CLIENT_ID], env, columns=120)
        polls = fixture.device_polls
        token = fixture.token
    assert code == 0, screen
    assert "enter the code FIXTURE9" in screen and polls == 2
    for secret in (graph.DEVICE_CODE, token, "0.fixture-refresh-token-0123456789", "eyJ-fixture-id-token-0123456789"):
        assert leaks.find_leak(screen, secret) is None


def test_device_code_needs_a_terminal(binary: Path) -> None:
    with graph.GraphFixture("healthy") as fixture:
        run = entra(binary, fixture, "--client-id", graph.CLIENT_ID, token=None)
    assert run.code == 2 and "needs a terminal" in run.stderr and fixture.requests == []


@pytest.mark.parametrize("argv,message", [
    ([], "missing --tenant"),
    (["--tenant", "contoso.onmicrosoft.com"], "name the application"),
    (["--tenant", "contoso/../x", "--app-id", graph.APP_ID], "--tenant takes"),
    (["--tenant", graph.TENANT, "--app-id", "not-a-guid"], "a GUID"),
    (["--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--sp-id", graph.SP_ID], "once"),
    (["--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--client-secret", "x"], "not accepted"),
    (["--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--cloud", "mars"], "--cloud takes"),
    (["--tenant", graph.TENANT, "--app-id", graph.APP_ID], "no Graph credentials"),
])
def test_usage_errors(binary: Path, argv: list[str], message: str) -> None:
    proc = subprocess.run([str(binary), "entra", *argv], env=processes.tool_env(None), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=30)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr


def test_override_must_be_loopback_for_http(binary: Path) -> None:
    env = processes.tool_env(None) | {"SCIM_DOCTOR_GRAPH_URL": "http://graph.example.net", "GRAPH_TOKEN": "x" * 40}
    proc = subprocess.run([str(binary), "entra", "--tenant", graph.TENANT, "--app-id", graph.APP_ID], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=30)
    assert proc.returncode == 2 and "only for loopback" in proc.stderr, proc.stderr


def test_az_json_token_file(binary: Path) -> None:
    """--graph-token-file takes `az account get-access-token`'s JSON output as it is."""
    with graph.GraphFixture("healthy") as fixture:
        with tempfile.NamedTemporaryFile("w", suffix=".json") as token_file:
            json.dump({"accessToken": fixture.token, "expiresOn": "2026-06-01 01:00:00.000000",
                       "expires_on": 1780275600, "tenant": "ff8bf889-e031-41ac-8f7b-aedb059892ee",
                       "tokenType": "Bearer"}, token_file)
            token_file.flush()
            run = entra(binary, fixture, "--graph-token-file", token_file.name, token=None)
    assert run.code == 0, run.stderr


def joined(binary: Path, fault: str, graph_scenario: str, *extra: str) -> Run:
    """`check URL --tenant … --app-id …` with the SCIM fixture (`fault`) and the Graph fixture together."""
    scim_token = "scim-token-5f0c1d2e3a4b69788796a5b4c3d2e1f0"
    server = subprocess.Popen([sys.executable, str(Path(__file__).parent / "lib" / "fixture_server.py"), "--token",
                               scim_token, "--fault", fault], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    processes.track(server)
    try:
        port = int(processes.read_line(server, 15).split()[1])
        with graph.GraphFixture(graph_scenario) as fixture:
            run = entra(binary, fixture, *extra, check_url=f"http://127.0.0.1:{port}/scim/v2",
                        env={"SCIM_TOKEN": scim_token}, secrets=(scim_token,))
    finally:
        processes.stop(server)
    return run


def test_joined_run_explains_log_errors_by_the_scim_side(binary: Path) -> None:
    run = joined(binary, "username-case-sensitive", "log-errors")
    assert run.code == 1, run.stderr
    assert run.report["target"]["tenantURL"].startswith("http://127.0.0.1:") and run.report["target"]["entra"]
    sections = {r["section"] for r in run.report["results"]}
    assert {"users", "provisioning-logs"} <= sections
    assert run.status("users.filter-case") == "fail"
    assert "EntryConflict ×2: users.filter-case fails" in run.finding("entra.log-errors")
    # The token decoded is the Graph token, not the SCIM one.
    assert run.status("entra.permissions") == "pass"
    # Entra's stored Tenant URL is compared with the URL checked.
    assert run.status("entra.tenant-url") == "fail" and "scheme" in run.finding("entra.tenant-url")
    assert "users.filter passes" in run.finding("entra.matching")


def test_joined_run_says_unexplained(binary: Path) -> None:
    run = joined(binary, "none", "log-errors")
    assert "unexplained" in run.finding("entra.log-errors"), run.finding("entra.log-errors")


def test_joined_test_connection_says_entra_holds_other_credentials(binary: Path) -> None:
    """Entra's saved token is rejected while the token given here passes: Entra holds other credentials."""
    run = joined(binary, "none", "test-connection-token-rejected", "--test-connection")
    assert run.status("test-connection.users") == "pass"
    assert run.status("entra.test-connection") == "fail"
    assert "Entra holds other credentials" in run.finding("entra.test-connection")
    posts = [r for r in run.requests if r[0] == "POST" and "/oauth2/" not in r[1]]
    assert len(posts) == 1 and posts[0][1].endswith("/validateCredentials")


def test_provision_on_demand_needs_confirmation(binary: Path) -> None:
    """Without --yes and without a terminal nothing is provisioned (usage error); on a terminal, 'n' provisions
    nothing and 'y' provisions the one named user once."""
    with graph.GraphFixture("pod-success") as fixture:
        run = entra(binary, fixture, "--provision-on-demand", "alan@contoso.com")
        assert run.code == 2 and "confirm it on a terminal" in run.stderr and fixture.provisioned == []
        env = processes.tool_env(None) | fixture.env() | {"GRAPH_TOKEN": fixture.token}
        argv = [str(binary), "entra", "--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--provision-on-demand",
                "alan@contoso.com"]
        code, screen = terminal.run(argv, env, columns=120, answer="n\n")
        assert code == 2 and "nothing was provisioned" in screen and fixture.provisioned == [], screen
        assert "Entra will provision the user alan@contoso.com" in screen
        code, screen = terminal.run(argv, env, columns=120, answer="y\n")
        assert code == 0, screen
        assert fixture.provisioned == ["cdb555e3-b33e-4fd5-a427-17fadacbdfa7"]


def test_yes_without_provision_on_demand_is_refused(binary: Path) -> None:
    proc = subprocess.run([str(binary), "entra", "--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--yes"],
                          env=processes.tool_env(None), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2 and "--yes confirms --provision-on-demand" in proc.stderr


@pytest.mark.parametrize("argv", [
    ["entra", "--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--graph-token-file", "{secret}", "-o", "{secret}"],
    ["entra", "--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--client-id", graph.CLIENT_ID,
     "--client-secret-file", "{secret}", "--har", "{secret}"],
    ["check", "http://127.0.0.1:9/scim/v2", "--token-file", "{secret}", "-o", "{secret}"],
])
def test_a_report_never_replaces_a_secret_file(binary: Path, argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        secret = Path(tmp) / "secret.txt"
        secret.write_text("secret-value-0123456789abcdef\n")
        proc = subprocess.run([str(binary), *[a.replace("{secret}", str(secret)) for a in argv]],
                              env=processes.tool_env(None), capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=30)
        assert proc.returncode == 2 and "would replace the secret" in proc.stderr, proc.stderr
        assert secret.read_text() == "secret-value-0123456789abcdef\n"


class _GarbageGraph(http.server.BaseHTTPRequestHandler):
    """Answers every request with JSON of a random shape (or none), a random status and odd Retry-After values."""

    rng = random.Random(0)
    shapes = [None, True, 1, -1, 1e308, "x", "", [], {}, [1, "a"], {"value": "notalist"}, {"value": [1, None, {}]},
              {"id": graph.SP_ID, "appId": 5}, {"value": [{"id": "../../x"}]}, "\x1b[2J", {"error": 5},
              {"error": {"code": ["a"]}}]
    keys = ["id", "appId", "displayName", "value", "status", "schedule", "code", "state", "interval", "quarantine",
            "reason", "lastExecution", "timeBegan", "synchronizationRules", "objectMappings", "sourceObjectName",
            "enabled", "attributeMappings", "matchingPriority", "principalType", "principalId",
            "provisioningStatusInfo", "@odata.nextLink", "progress", "totalUnits", "scope", "securityEnabled"]

    def shape(self, depth: int = 0) -> object:
        if depth < 3 and self.rng.random() < 0.5:
            return {self.rng.choice(self.keys): self.shape(depth + 1) for _ in range(self.rng.randint(1, 6))}
        return self.rng.choice(self.shapes)

    def do_GET(self) -> None:
        body = json.dumps(self.shape()).encode() if self.rng.random() < 0.9 else b"<html>not json"
        self.send_response(self.rng.choice([200, 200, 200, 403, 404, 429, 500]))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if self.rng.random() < 0.2:
            self.send_header("Retry-After", self.rng.choice(["1", "x", "-5", "99999999999"]))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("seed", range(12))
def test_answers_of_any_shape_get_a_report(binary: Path, seed: int) -> None:
    """Whatever Graph answers, entra ends with a report and a defined exit code, never a crash or a hang."""
    handler = type("Garbage", (_GarbageGraph,), {"rng": random.Random(seed)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    env = processes.tool_env(None) | {"SCIM_DOCTOR_GRAPH_URL": origin, "SCIM_DOCTOR_LOGIN_URL": origin,
                                      "GRAPH_TOKEN": graph.access_token(graph.READ_ONLY)}
    try:
        proc = subprocess.run([str(binary), "entra", "--tenant", graph.TENANT, "--app-id", graph.APP_ID, "--format",
                               "json", "--timeout", "3"], env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode in (0, 1, 3), proc.stderr[-500:]
    report = json.loads(proc.stdout)
    assert report_schema.problems(report) == []
    assert "\x1b" not in proc.stdout


@pytest.mark.parametrize("fmt", ["human", "json", "junit", "markdown"])
def test_joined_run_leaks_neither_token(binary: Path, fmt: str) -> None:
    """-v, the HAR file and every format of a joined run with --test-connection: neither the SCIM token (the
    canary) nor the Graph token in any form."""
    server = subprocess.Popen([sys.executable, str(Path(__file__).parent / "lib" / "fixture_server.py"), "--token",
                               processes.CANARY], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    processes.track(server)
    try:
        port = int(processes.read_line(server, 15).split()[1])
        with graph.GraphFixture("test-connection-token-rejected") as fixture, tempfile.TemporaryDirectory() as tmp:
            har = Path(tmp) / "run.har"
            env = processes.tool_env(processes.CANARY) | fixture.env() | {"GRAPH_TOKEN": fixture.token}
            proc = subprocess.run([str(binary), "check", f"http://127.0.0.1:{port}/scim/v2", "--tenant", graph.TENANT,
                                   "--app-id", graph.APP_ID, "--test-connection", "-v", "--har", str(har), "--format",
                                   fmt], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
            everything = proc.stdout + proc.stderr + har.read_text()
            graph_token = fixture.token
    finally:
        processes.stop(server)
    assert proc.returncode == 1, proc.stderr[-500:]
    for secret in (processes.CANARY, graph_token):
        assert leaks.find_leak(everything, secret) is None
