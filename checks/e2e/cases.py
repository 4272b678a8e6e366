"""scim-doctor's end-to-end cases: the built binary against real and misbehaving SCIM servers.

Each `@case` runs the built `scim-doctor` against a server on 127.0.0.1 only: scim2-server (the reference, in
checks/.work/venv), checks/lib/fixture_server.py (one fault per case) or a bare socket. Every `check` run uses a
canary token and asserts that no form of it (checks/lib/leaks.py) shows in stdout, stderr or the --output file.
checks/test_e2e.py runs every case under pytest (`-k NAME` selects, `-n N` runs N at once); each case's runs,
reports and server logs stay in checks/.work/e2e/<case>/. Behaviours a scenario of the matrix covers are not
repeated here: these are the cases a scenario cannot state (CLI, reports, write runs, streams, signals).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "checks" / "lib"
sys.path.insert(0, str(LIB))

import certs  # noqa: E402
import fixture_server  # noqa: E402
import leaks  # noqa: E402
import processes  # noqa: E402
from processes import CANARY, RUN_TIMEOUT, read_line, shell_quote, tool_env, track  # noqa: E402
import report_schema  # noqa: E402
import scim_reference  # noqa: E402
import terminal  # noqa: E402

WORK = ROOT / "checks" / ".work" / "e2e"

# The probe catalogue of the contract (issue 2). `list` must print each; a full run reports each.
PROBE_IDS = [
    "url.syntax", "url.paste-artifacts", "url.query", "url.path", "url.expected-match",
    "net.dns", "net.tcp", "tls.handshake", "tls.protocol", "tls.ciphers", "tls.trust", "tls.hostname",
    "tls.validity", "tls.key-size",
    "token.format", "token.expiry",
    "auth.required", "auth.token-accepted", "auth.clock-skew",
    "test-connection.users", "test-connection.groups", "test-connection.base-path",
    "users.list", "users.count", "users.filter", "users.filter-case", "users.filter-external-id", "users.content-type",
    "groups.list", "groups.count", "groups.filter", "groups.filter-case", "groups.excluded-members",
    "mappings.user-attributes", "mappings.group-attributes",
]
# Issue 4's write-mode probes: listed always, skipped ("needs --allow-writes") unless the run may write.
LIFECYCLE_PROBE_IDS = [
    "user-lifecycle.create", "user-lifecycle.read-back", "user-lifecycle.duplicate", "user-lifecycle.filter",
    "user-lifecycle.patch", "user-lifecycle.manager", "user-lifecycle.manager-query", "user-lifecycle.disable",
    "user-lifecycle.delete",
    "group-lifecycle.create", "group-lifecycle.filter", "group-lifecycle.duplicate", "group-lifecycle.members",
    "group-lifecycle.rename", "group-lifecycle.delete",
]
STATUSES = {"pass", "warn", "fail", "skip", "error"}
# Warnings a correct run against a healthy loopback server may carry; any other is a false alarm.




class CaseFailure(Exception):
    """An assertion of a case did not hold; the message is the one-line reason."""

    def __init__(self, reason: str, details: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


class CaseSkipped(Exception):
    """The machine cannot run this case (e.g. no IPv6 loopback); reported as SKIP, not as a pass."""


def check(condition: bool, reason: str, details: str = "") -> None:
    if not condition:
        raise CaseFailure(reason, details)


# --------------------------------------------------------------------------------------------
# Running the binary
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    label: str
    argv: list[str]
    rc: int
    stdout: str
    stderr: str
    elapsed: float
    output_file: Path | None
    output_text: str | None

    def describe(self) -> str:
        def tail(text: str, n: int = 25) -> str:
            lines = text.rstrip("\n").splitlines()
            cut = lines[-n:]
            return "\n".join((["…"] if len(lines) > n else []) + cut) or "(empty)"

        return (f"$ {' '.join(shell_quote(a) for a in self.argv)}\n"
                f"exit {self.rc} after {self.elapsed:.1f}s\n"
                f"--- stdout\n{tail(self.stdout)}\n--- stderr\n{tail(self.stderr, 10)}")

    def json(self) -> dict[str, Any]:
        text = self.output_text if self.output_file is not None else self.stdout
        where = str(self.output_file) if self.output_file is not None else "stdout"
        check(text is not None and text.strip() != "", f"[{self.label}] no JSON report in {where}", self.describe())
        try:
            doc = json.loads(text or "")
        except ValueError as e:
            raise CaseFailure(f"[{self.label}] the JSON report in {where} does not parse: {e}", self.describe()) from e
        check(isinstance(doc, dict), f"[{self.label}] the JSON report is not an object", self.describe())
        check_report_schema(self, doc)
        return doc


def check_report_schema(run: Run, doc: dict[str, Any]) -> None:
    """Every JSON report (check, or the cleanup command's) validates against docs/report.schema.json, checked by
    Python's jsonschema (checks/lib/report_schema.py), independently of the Swift encoder."""
    kind = "cleanup" if run.argv[1:2] == ["cleanup"] else "check"
    found = report_schema.problems(doc, kind)
    check(not found, f"[{run.label}] the JSON report does not match docs/report.schema.json: {'; '.join(found[:5])}",
          run.describe())


def assert_no_leak(run: Run, secret: str = CANARY) -> None:
    places = {"stdout": run.stdout, "stderr": run.stderr}
    if run.output_text is not None:
        places[f"--output {run.output_file}"] = run.output_text
    for place, text in places.items():
        form = leaks.find_leak(text, secret)
        if form is not None:
            raise CaseFailure(f"[{run.label}] the token leaked ({form} form) in {place}", run.describe())


class Case:
    """The context of one case: its work folder, its servers, its runs."""

    def __init__(self, name: str, binary: Path, shared: Shared) -> None:
        self.name = name
        self.binary = binary
        self.shared = shared
        self.dir = WORK / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.runs: list[Run] = []
        self._cleanups: list[Callable[[], None]] = []
        self._n = 0

    def on_cleanup(self, fn: Callable[[], None]) -> None:
        self._cleanups.append(fn)

    def cleanup(self) -> None:
        for fn in reversed(self._cleanups):
            try:
                fn()
            except Exception:  # noqa: BLE001 (cleanup must go on)
                traceback.print_exc()

    def run(self, *args: str, token: str | None = CANARY, stdin: bytes | None = None, label: str | None = None,
            output: bool = False, timeout: float = RUN_TIMEOUT, secret: str = CANARY) -> Run:
        """Run the binary. `token` goes in SCIM_TOKEN (None: no SCIM_TOKEN). With `output`, the
        report is written with --output to a file of the case's folder."""
        self._n += 1
        label = label or f"run{self._n}"
        argv = [str(self.binary), *args]
        out_file = None
        if output:
            # With --format the file may be named anything; without, its extension names the format.
            out_file = self.dir / (f"{label}.report" if "--format" in args else f"{label}.txt")
            out_file.unlink(missing_ok=True)
            argv += ["--output", str(out_file)]
        t0 = time.monotonic()
        try:
            proc = subprocess.run(argv, input=stdin if stdin is not None else None,
                                  stdin=subprocess.DEVNULL if stdin is None else None,
                                  capture_output=True, timeout=timeout, env=tool_env(token), cwd=self.dir)
        except subprocess.TimeoutExpired as e:
            raise CaseFailure(f"[{label}] scim-doctor did not end within {timeout:.0f}s (hang)",
                              f"$ {' '.join(shell_quote(a) for a in argv)}") from e
        elapsed = time.monotonic() - t0
        output_text = None
        if out_file is not None and out_file.exists():
            output_text = out_file.read_text(errors="replace")
        run = Run(label, argv, proc.returncode, proc.stdout.decode(errors="replace"),
                  proc.stderr.decode(errors="replace"), elapsed, out_file, output_text)
        (self.dir / f"{label}.log").write_text(
            f"$ {' '.join(shell_quote(a) for a in argv)}\nexit {run.rc} after {elapsed:.1f}s\n"
            f"--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}\n")
        self.runs.append(run)
        check(proc.returncode >= 0, f"[{label}] scim-doctor was killed by signal {-proc.returncode} (crash)",
              run.describe())
        assert_no_leak(run, secret)
        return run

    # Servers --------------------------------------------------------------------------------

    def fixture(self, fault: str = "none", *extra: str, token: str | None = CANARY, tls: certs.KeyPair | None = None,
                base_path: str = "/scim/v2", host: str = "127.0.0.1") -> Fixture:
        args = ["--fault", fault, "--base-path", base_path, "--host", host, *extra]
        if token is not None:
            args += ["--token", token]
        if tls is not None:
            args += ["--tls-cert", tls.chain, "--tls-key", tls.key]
        fx = Fixture(args, self.dir / f"fixture-{fault}.log", tls is not None, base_path, host)
        self.on_cleanup(fx.stop)
        fx.start()
        return fx


class Fixture:
    def __init__(self, args: list[str], log: Path, tls: bool, base_path: str, host: str = "127.0.0.1") -> None:
        self.args = args
        self.host = host
        self.log = log
        self.tls = tls
        self.base_path = base_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.origin + self.base_path

    def start(self, deadline_s: float = 15.0) -> None:
        log = open(self.log, "wb")  # noqa: SIM115 (closed with the process)
        self.proc = subprocess.Popen([sys.executable, str(LIB / "fixture_server.py"), *self.args],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
        track(self.proc)
        log.close()
        line = read_line(self.proc, deadline_s)
        m = re.fullmatch(r"PORT (\d+)", line.strip())
        if not m:
            self.stop()
            raise CaseFailure(f"fixture {' '.join(self.args)} did not print its port (got {line!r})",
                              self.log_tail())
        self.port = int(m.group(1))

    def stop(self) -> None:
        processes.stop(self.proc)
        if self.proc is not None and self.proc.stdout:
            self.proc.stdout.close()

    def log_tail(self, n: int = 15) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "--- fixture log\n" + "\n".join(lines[-n:])

    def requests(self) -> list[str]:
        try:
            return [ln for ln in self.log.read_text(errors="replace").splitlines() if '"' in ln]
        except OSError:
            return []

    def handshakes(self) -> list[tuple[str, int]]:
        """("full" or "resumed", the client's port) for each TLS handshake the fixture completed, in order."""
        try:
            return fixture_server.tls_handshakes(self.log.read_text(errors="replace"))
        except OSError:
            return []


class Tripwire:
    """A loopback listener that is never accepted from: it tells whether anything connected."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def touched(self) -> bool:
        self.sock.setblocking(False)
        try:
            conn, _ = self.sock.accept()
            conn.close()
            return True
        except BlockingIOError:
            return False

    def close(self) -> None:
        self.sock.close()


class Shared:
    """Resources several cases use, made once on first use: the reference server, the certs."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self._lock = threading.Lock()
        self._ref: scim_reference.ReferenceServer | None = None
        self._ref_error: str | None = None
        self._certs: certs.CertSet | None = None
        self._catalogue: list[str] | None = None

    def reference(self) -> scim_reference.ReferenceServer:
        with self._lock:
            if self._ref is None and self._ref_error is None:
                ref = scim_reference.ReferenceServer(CANARY, log_path=WORK / "scim2-server.log")
                try:
                    ref.start()
                    track(ref.proc)
                    ref.seed()
                    self._ref = ref
                except Exception as e:  # noqa: BLE001
                    ref.stop()
                    self._ref_error = f"could not start and seed scim2-server: {e}"
            if self._ref is None:
                raise CaseFailure(self._ref_error or "scim2-server unavailable")
            return self._ref

    def certs(self) -> certs.CertSet:
        with self._lock:
            if self._certs is None:
                self._certs = certs.make_cert_set(self.tmp / "certs")
            return self._certs

    def close(self) -> None:
        if self._ref is not None:
            self._ref.stop()


# --------------------------------------------------------------------------------------------
# Report assertions
# --------------------------------------------------------------------------------------------


def results_by_id(run: Run, doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    results = doc.get("results")
    check(isinstance(results, list), f"[{run.label}] the report has no results array", run.describe())
    out: dict[str, dict[str, Any]] = {}
    for r in results:
        check(isinstance(r, dict) and isinstance(r.get("id"), str), f"[{run.label}] a result without an id",
              json.dumps(r)[:500])
        check(r["id"] not in out, f"[{run.label}] probe {r['id']} is reported twice")
        out[r["id"]] = r
    return out


def validate_report(run: Run, doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The JSON contract: shape, summary arithmetic, exit code consistency."""
    where = f"[{run.label}]"
    check(doc.get("schemaVersion") == 1, f"{where} schemaVersion is {doc.get('schemaVersion')!r}, not 1")
    tool = doc.get("tool") or {}
    check(tool.get("name") == "scim-doctor", f"{where} tool.name is {tool.get('name')!r}")
    for key in ("version", "libcurl"):
        check(isinstance(tool.get(key), str) and tool[key] != "", f"{where} tool.{key} is missing or empty")
    target = doc.get("target") or {}
    check(isinstance(target.get("tenantURL"), str), f"{where} target.tenantURL is missing")
    check("tokenFingerprint" in target, f"{where} target.tokenFingerprint is missing")
    for key in ("startedAt", "durationMs", "summary", "exitCode", "results"):
        check(key in doc, f"{where} the report has no {key!r}")
    results = results_by_id(run, doc)
    counts = {s: 0 for s in STATUSES}
    for rid, r in results.items():
        for key in ("section", "title", "status", "finding", "evidence", "durationMs"):
            check(key in r, f"{where} result {rid} has no {key!r}", json.dumps(r)[:500])
        check(r["status"] in STATUSES, f"{where} result {rid} has status {r['status']!r}")
        check(isinstance(r["evidence"], list) and all(
            isinstance(e, dict) and {"label", "value"} <= e.keys() for e in r["evidence"]),
            f"{where} result {rid} has malformed evidence", json.dumps(r["evidence"])[:500])
        if r["status"] in ("warn", "fail"):
            check(isinstance(r.get("remediation"), str) and r["remediation"].strip() != "",
                  f"{where} result {rid} is {r['status']} without a remediation")
        counts[r["status"]] += 1
    summary = doc["summary"]
    check({k: summary.get(k) for k in STATUSES} == counts,
          f"{where} summary {summary} does not match the results {counts}")
    check(doc["exitCode"] == run.rc, f"{where} exitCode {doc['exitCode']} in the report, {run.rc} from the process")
    if counts["fail"]:
        check(run.rc in (1, 3), f"{where} {counts['fail']} probe(s) failed but the exit code is {run.rc}",
              status_table(results))
    elif counts["error"]:
        check(run.rc == 3, f"{where} {counts['error']} probe(s) errored but the exit code is {run.rc}",
              status_table(results))
    else:
        check(run.rc == 0, f"{where} no probe failed or errored but the exit code is {run.rc}", status_table(results))
    return results


def status_table(results: dict[str, dict[str, Any]], only: Iterable[str] | None = None) -> str:
    keep = set(only) if only is not None else None
    lines = []
    for rid, r in results.items():
        if keep is None or rid in keep:
            lines.append(f"{r.get('status', '?'):5} {rid:28} {str(r.get('finding', ''))[:150]}")
    return "\n".join(lines)


def squash(text: str) -> str:
    """Lower-case, ANSI-free, every whitespace run as one space (so wrapped lines still match)."""
    return re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)).lower()


def has_phrases(text: str, phrases: list[list[str]]) -> bool:
    """Every group has at least one of its alternatives in the text (case-insensitive)."""
    t = squash(text)
    return all(any(alt.lower() in t for alt in group) for group in phrases)


def describe_phrases(phrases: list[list[str]]) -> str:
    return " and ".join("(" + " or ".join(repr(a) for a in g) + ")" for g in phrases)


def expect_status(run: Run, results: dict[str, dict[str, Any]], probe: str, statuses: set[str],
                  phrases: list[list[str]] | None = None) -> dict[str, Any]:
    check(probe in results, f"[{run.label}] probe {probe} is not in the report", status_table(results))
    r = results[probe]
    check(r["status"] in statuses,
          f"[{run.label}] {probe} is {r['status']} (expected {'/'.join(sorted(statuses))}): {r['finding']}",
          status_table(results))
    if phrases:
        check(has_phrases(r["finding"], phrases),
              f"[{run.label}] {probe} finding lacks {describe_phrases(phrases)}: {r['finding']!r}",
              json.dumps(r, indent=1)[:1500])
    return r


def expect_human(run: Run, expected_rc: int | set[int], phrases: list[list[str]] | None = None) -> None:
    rcs = {expected_rc} if isinstance(expected_rc, int) else expected_rc
    check(run.rc in rcs, f"[{run.label}] exit code {run.rc}, expected {'/'.join(map(str, sorted(rcs)))}",
          run.describe())
    check("\x1b[" not in run.stdout, f"[{run.label}] ANSI escapes in stdout with --color never", run.describe())
    check(run.stdout.strip() != "", f"[{run.label}] the human report is empty", run.describe())
    if phrases:
        check(has_phrases(run.stdout, phrases), f"[{run.label}] the human report lacks {describe_phrases(phrases)}",
              run.describe())
    # What the reader sees last: the summary line, after "What to fix" when anything failed or warned.
    lines = [ln for ln in run.stdout.splitlines() if ln.strip()]
    check(lines[-1].endswith(f"(exit code {run.rc})"), f"[{run.label}] the summary line is not the last line",
          run.describe())
    if re.search(r"^  [!✗?] [a-z]", run.stdout, re.M):
        check("\nWhat to fix\n" in run.stdout, f"[{run.label}] a report with problems has no 'What to fix'",
              run.describe())


def expect_healthy(run: Run, results: dict[str, dict[str, Any]], all_probes: bool = True) -> None:
    """No fail, no error, no warning: anything else is a false alarm (a loopback server is a local endpoint:
    url.syntax and net.dns pass, saying so)."""
    bad = {rid: r for rid, r in results.items()
           if r["status"] in ("fail", "error") or r["status"] == "warn"}
    check(not bad, f"[{run.label}] false alarm(s) on a healthy server: " +
          ", ".join(f"{rid}={r['status']}" for rid, r in bad.items()), status_table(results))
    if all_probes:  # (without --allow-writes the lifecycle probes are there too, skipped)
        missing = [p for p in PROBE_IDS + LIFECYCLE_PROBE_IDS if p not in results]
        check(not missing, f"[{run.label}] probes missing from a full run: {', '.join(missing)}")
    check(run.rc == 0, f"[{run.label}] exit code {run.rc} on a healthy server", run.describe())


def check_pair(case: Case, url: str, *args: str, expected_rc: int | set[int],
               human_phrases: list[list[str]] | None = None) -> tuple[Run, dict[str, dict[str, Any]]]:
    """The usual runs: human (stdout), JSON (--output) and human --verbose, all with SCIM_TOKEN."""
    human = case.run("check", url, *args, "--format", "human", "--color", "never", label="human")
    expect_human(human, expected_rc, human_phrases)
    js = case.run("check", url, *args, "--format", "json", label="json", output=True)
    doc = js.json()
    results = validate_report(js, doc)
    rcs = {expected_rc} if isinstance(expected_rc, int) else expected_rc
    check(js.rc in rcs, f"[json] exit code {js.rc}, expected {'/'.join(map(str, sorted(rcs)))}",
          status_table(results))
    check(js.rc == human.rc, f"exit codes differ: human {human.rc}, json {js.rc}")
    # -v prints more evidence (requests, headers): where a token is most likely to slip out.
    verbose = case.run("check", url, *args, "--format", "human", "--color", "never", "--verbose",
                       label="human-verbose")
    check(verbose.rc == human.rc, f"exit codes differ: human {human.rc}, human -v {verbose.rc}", verbose.describe())
    return js, results


def expect_one_line_error(run: Run, rc: int = 2, phrases: list[list[str]] | None = None) -> None:
    check(run.rc == rc, f"[{run.label}] exit code {run.rc}, expected {rc}", run.describe())
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    check(len(lines) == 1, f"[{run.label}] expected a one-line message on stderr, got {len(lines)} lines",
          run.describe())
    if phrases:
        check(has_phrases(lines[0], phrases), f"[{run.label}] the message lacks {describe_phrases(phrases)}: "
              f"{lines[0]!r}")


# --------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------

CASES: list[tuple[str, Callable[[Case], None]]] = []


def case(name: str) -> Callable[[Callable[[Case], None]], Callable[[Case], None]]:
    def register(fn: Callable[[Case], None]) -> Callable[[Case], None]:
        CASES.append((name, fn))
        return fn

    return register


# The fixtures themselves ----------------------------------------------------------------------

# Write requests of the self-check (issue 4): bodies as Entra sends them.



# fault -> expectations, in order, on one fixture. A GET is (path after the origin, send the token?, expected
# status, expected Content-Type prefix, a JSON key that must hold a value (key, value) or None); a write is
# (METHOD, path, JSON body, send the token?, status, Content-Type prefix ("" for none), (key, value) or None).
# "{Users}" / "{Groups}" in a path or body stand for the id the last successful POST of that kind returned;
# status 0 means the fixture is gone (the connection is refused or reset).
# The conformant fixture's writes, as Entra sends them in both PATCH dialects.


# The reference server ------------------------------------------------------------------------


@case("reference-scim2-server")
def _reference(c: Case) -> None:
    ref = c.shared.reference()
    js, results = check_pair(c, ref.base_url, expected_rc=0)
    expect_healthy(js, results)
    human, verbose = c.runs[0], c.runs[2]
    check("✗" not in human.stdout, "[human] a failure mark in the human report of a healthy server", human.describe())
    # Issue 12: a healthy local run fits one screen, says "local endpoint" once and has nothing to fix; -v names
    # every probe; --strict passes a healthy local server.
    lines = human.stdout.rstrip("\n").splitlines()
    check(len(lines) <= 25, f"[human] a healthy run's report takes {len(lines)} lines (one screen is 25)",
          human.describe())
    check(human.stdout.count("local endpoint") == 1 and "What to fix" not in human.stdout,
          "[human] a healthy local run should say 'local endpoint' once and have no 'What to fix'", human.describe())
    missing = [p for p in PROBE_IDS + LIFECYCLE_PROBE_IDS if f" {p} " not in verbose.stdout]
    check(not missing, f"[human-verbose] -v leaves out {', '.join(missing)}", verbose.describe())
    strict = c.run("check", ref.base_url, "--strict", "--color", "never", label="strict")
    check(strict.rc == 0, f"[strict] exit code {strict.rc}: --strict fails a healthy local server", strict.describe())


# Write mode (issue 4) -------------------------------------------------------------------------

TAG_PREFIX = "scim-doctor-"


def snapshot(base_url: str, token: str = CANARY) -> dict[str, list[dict[str, Any]]]:
    """Every user and group of a server, full JSON, sorted by id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in ("Users", "Groups"):
        status, body = scim_reference.http_json("GET", f"{base_url}/{kind}?startIndex=1&count=1000", token)
        check(status == 200 and isinstance(body, dict), f"snapshot: GET {kind} answered HTTP {status}", str(body)[:500])
        resources = list(body.get("Resources") or [])
        check(len(resources) == body.get("totalResults"), f"snapshot: {kind} did not fit in one page")
        out[kind] = sorted(resources, key=lambda r: str(r.get("id")))
    return out


def tagged(snap: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Resources whose userName, displayName or externalId starts with scim-doctor- ("Users/<id> <name>")."""
    found = []
    for kind, resources in snap.items():
        for r in resources:
            names = [r.get(k) for k in ("userName", "displayName", "externalId")]
            if any(isinstance(n, str) and n.lower().startswith(TAG_PREFIX) for n in names):
                found.append(f"{kind}/{r.get('id')} {next(n for n in names if isinstance(n, str))}")
    return found


def snapshot_diff(before: dict[str, Any], after: dict[str, Any]) -> str:
    import difflib

    a = json.dumps(before, indent=1, sort_keys=True).splitlines()
    b = json.dumps(after, indent=1, sort_keys=True).splitlines()
    return "\n".join(list(difflib.unified_diff(a, b, "before", "after", lineterm=""))[:80])


def lifecycle_not_passing(results: dict[str, dict[str, Any]]) -> list[str]:
    return [f"{p} {results[p]['status'] if p in results else 'missing'}: "
            f"{results[p]['finding'] if p in results else 'not in the report'}"
            for p in LIFECYCLE_PROBE_IDS if results.get(p, {}).get("status") != "pass"]


# What the pinned scim2-server (0.8.3) really refuses of Entra's writes, and the phrase the probe must name it with.
# These are findings about the reference, not about scim-doctor: the run must report exactly these, and pass
# everything else. (Its Group resource type takes no unknown schema URI; group displayName uniqueness is Microsoft's
# rule, not SCIM's, so it creates the duplicate group, which the probe removes at once and the cleanup counts;
# EnterpriseUser.manager is a pydantic model, so a bare id fails validation; a PATCH remove with a value and no
# filter is refused as RFC 7644 reads.)
REFERENCE_WRITE_DEVIATIONS = {
    "group-lifecycle.create": "rejects Entra's ADSCIM schema",
    "group-lifecycle.duplicate": "duplicate group created",
    "group-lifecycle.members": "rejects member removal in Entra's default style",
}
# The bare manager id is Entra's observed but unconfirmed form, so refusing it (while taking {"value": id}) warns; so
# does refusing the unqualified manager of Microsoft's reference query (scim2-server wants the qualified name).
REFERENCE_WRITE_WARNINGS = {"user-lifecycle.manager": "rejects the bare manager id",
                            "user-lifecycle.manager-query": "rejects the short name manager"}


def expect_write_run(run: Run, results: dict[str, dict[str, Any]], must_fail: dict[str, str],
                     skipped: dict[str, str], warned: dict[str, str] = REFERENCE_WRITE_WARNINGS) -> list[str]:
    """Every lifecycle probe passes, except those of must_fail (fail, with the phrase), warned (warn, with the
    phrase) and skipped (skip, with the phrase); every other probe is healthy. Returns the problems (all of them,
    not just the first)."""
    problems = []
    for p in LIFECYCLE_PROBE_IDS:
        r = results.get(p)
        if r is None:
            problems.append(f"{p} is not in the report")
            continue
        status, finding = r["status"], r["finding"]
        if p in must_fail:
            if status != "fail" or must_fail[p].lower() not in squash(finding):
                problems.append(f"{p} is {status} (expected fail naming {must_fail[p]!r}): {finding}")
        elif p in warned:
            if status != "warn" or warned[p].lower() not in squash(finding):
                problems.append(f"{p} is {status} (expected warn naming {warned[p]!r}): {finding}")
        elif p in skipped:
            if status != "skip" or skipped[p].lower() not in squash(finding):
                problems.append(f"{p} is {status} (expected skip, {skipped[p]!r}): {finding}")
        elif status != "pass":
            problems.append(f"{p} is {status} (expected pass): {finding}")
    others = {rid: r for rid, r in results.items() if rid not in LIFECYCLE_PROBE_IDS
              and r["status"] in ("fail", "warn", "error")}
    problems += [f"{rid} is {r['status']} (a false alarm): {r['finding']}" for rid, r in others.items()]
    expected_rc = 1 if must_fail else 0
    if run.rc != expected_rc:
        problems.append(f"exit code {run.rc}, expected {expected_rc}")
    return [f"[{run.label}] {p}" for p in problems]


@case("write-run-scim2-server")
def _write_run_reference(c: Case) -> None:
    """The write run against the reference reports exactly what scim2-server refuses of Entra's writes and passes
    the rest, and leaves every user and group exactly as it was, with no tagged resource left."""
    with scim_reference.ReferenceServer(CANARY, log_path=c.dir / "scim2-server.log") as ref:
        track(ref.proc)
        ref.seed()
        before = snapshot(ref.base_url)
        check(not tagged(before), f"the seeded server already holds tagged resources: {tagged(before)}")
        problems: list[str] = []
        tables: list[str] = []
        runs = [
            # Entra's default PATCH dialect, every probe: the deviations; the deletes still run (a delete needs only
            # its test resource, not passing member probes).
            ("json-default", [], REFERENCE_WRITE_DEVIATIONS, {}),
            # The aadOptscim062020 dialect removes members by filter (accepted), so both deletes run: every other
            # lifecycle probe passes against a real server.
            ("json-flag", ["--patch-style", "flag"],
             {p: REFERENCE_WRITE_DEVIATIONS[p] for p in ("group-lifecycle.create", "group-lifecycle.duplicate")}, {}),
        ]
        for label, extra, must_fail, skipped in runs:
            run = c.run("check", ref.base_url, "--allow-writes", "--yes", *extra, "--format", "json", label=label,
                        output=True)
            doc = run.json()
            results = validate_report(run, doc)
            tables.append(f"--- {label}\n{status_table(results, LIFECYCLE_PROBE_IDS)}")
            problems += expect_write_run(run, results, must_fail, skipped)
            cleanup = doc.get("cleanup")
            if not isinstance(cleanup, dict):
                problems.append(f"[{label}] the report of a write run has no cleanup")
            else:
                if cleanup.get("leftovers"):
                    problems.append(f"[{label}] cleanup leftovers: {cleanup.get('leftovers')}")
                kinds = sorted(str(d.get("kind")) for d in cleanup.get("deleted") or [])
                if kinds != ["Groups", "Groups", "Users", "Users"]:
                    problems.append(f"[{label}] cleanup deleted {kinds}, expected the 2 test users, the group and "
                                    "its duplicate")
            after = snapshot(ref.base_url)
            if tagged(after):
                problems.append(f"[{label}] tagged resources left on scim2-server: {', '.join(tagged(after))}")
            if after != before:
                problems.append(f"[{label}] the users and groups of scim2-server changed:\n"
                                f"{snapshot_diff(before, after)}")
        human = c.run("check", ref.base_url, "--allow-writes", "--yes", "--format", "human", "--color", "never",
                      label="human")
        if not has_phrases(human.stdout, [["Users lifecycle"], ["Groups lifecycle"], ["Cleanup"], ["deleted 4"]]):
            problems.append("[human] the report lacks the lifecycle sections or the cleanup block (deleted 4 …)")
        if human.rc != 1:
            problems.append(f"[human] exit code {human.rc}, expected 1 (the deviations)")
        after = snapshot(ref.base_url)
        if after != before or tagged(after):
            problems.append(f"[human] scim2-server changed:\n{snapshot_diff(before, after)}")
        if problems:
            raise CaseFailure(f"{len(problems)} problem(s): {problems[0]}", "\n".join(problems + tables))


@case("write-run-refused-without-yes")
def _write_run_needs_yes(c: Case) -> None:
    """--allow-writes without --yes and without a terminal is a usage error, before any request."""
    wire = Tripwire()
    c.on_cleanup(wire.close)
    run = c.run("check", f"http://127.0.0.1:{wire.port}/scim/v2", "--allow-writes", label="no-yes")
    expect_one_line_error(run, 2, [["--yes"]])
    check(not wire.touched(), "[no-yes] the tool connected before refusing --allow-writes without --yes")


def _plant(base_url: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    status, created = scim_reference.http_json("POST", f"{base_url}/{kind}", CANARY, body)
    check(status == 201 and isinstance(created, dict), f"planting {kind} {body}: HTTP {status}", str(created)[:500])
    return created


@case("cleanup-command")
def _cleanup_command(c: Case) -> None:
    """`cleanup` lists (dry run) and with --yes deletes exactly the tagged leftovers of earlier runs."""
    user_schema = "urn:ietf:params:scim:schemas:core:2.0:User"
    group_schema = "urn:ietf:params:scim:schemas:core:2.0:Group"
    with scim_reference.ReferenceServer(CANARY, log_path=c.dir / "scim2-server.log") as ref:
        track(ref.proc)
        ref.seed()
        # Untagged look-alikes stay whatever cleanup does: no 8-hex run id after the prefix.
        _plant(ref.base_url, "Users", {"schemas": [user_schema], "userName": "scim-doctor-notes@example.com"})
        _plant(ref.base_url, "Groups", {"schemas": [group_schema], "displayName": "scim-doctor fans"})
        # Only the exact shapes a write run creates count: a real user with a tagged externalId, another letter case.
        _plant(ref.base_url, "Users", {
            "schemas": [user_schema], "userName": "grace@example.invalid", "externalId": "scim-doctor-0e0e0e0e-grace"})
        _plant(ref.base_url, "Users", {"schemas": [user_schema], "userName": "SCIM-DOCTOR-99999999-ada@example.com"})
        baseline = snapshot(ref.base_url)
        ada = _plant(ref.base_url, "Users", {
            "schemas": [user_schema], "userName": "scim-doctor-1a2b3c4d-ada@example.com",
            "externalId": "scim-doctor-1a2b3c4d-ada", "displayName": "scim-doctor-1a2b3c4d Ada Lovelace"})
        # A server that dropped externalId must not strand the run's own user.
        grace = _plant(ref.base_url, "Users", {
            "schemas": [user_schema], "userName": "scim-doctor-0e0e0e0e-grace@example.com"})
        group = _plant(ref.base_url, "Groups", {
            "schemas": [group_schema], "displayName": "scim-doctor-1a2b3c4d Group",
            "members": [{"value": ada["id"]}]})
        planted = {("users", ada["id"]), ("users", grace["id"]), ("groups", group["id"])}
        with_leftovers = snapshot(ref.base_url)

        def ids(items: Any) -> set[tuple[str, str]]:
            return {(str(i.get("kind")).lower(), str(i.get("id"))) for i in items or []}

        run = c.run("cleanup", ref.base_url, "--format", "json", label="dry-run-json")
        check(run.rc == 0, f"[dry-run-json] exit code {run.rc}", run.describe())
        doc = run.json()
        check(doc.get("dryRun") is True, f"[dry-run-json] dryRun is {doc.get('dryRun')!r}", run.stdout[:1500])
        check(ids(doc.get("found")) == planted, f"[dry-run-json] found {sorted(ids(doc.get('found')))}, planted "
              f"{sorted(planted)}", run.stdout[:2000])
        check(not doc.get("deleted"), f"[dry-run-json] a dry run deleted {doc.get('deleted')}")
        check(snapshot(ref.base_url) == with_leftovers, "[dry-run-json] the dry run changed the server",
              snapshot_diff(with_leftovers, snapshot(ref.base_url)))

        human = c.run("cleanup", ref.base_url, label="dry-run-human")
        check(human.rc == 0, f"[dry-run-human] exit code {human.rc}", human.describe())
        for rid in (ada["id"], grace["id"], group["id"]):
            check(rid in human.stdout, f"[dry-run-human] the dry run does not list {rid}", human.describe())
        check("--yes" in human.stdout, "[dry-run-human] the dry run does not say how to delete (--yes)",
              human.describe())
        check(snapshot(ref.base_url) == with_leftovers, "[dry-run-human] the dry run changed the server")

        run = c.run("cleanup", ref.base_url, "--yes", "--format", "json", label="yes-json")
        check(run.rc == 0, f"[yes-json] exit code {run.rc}", run.describe())
        doc = run.json()
        check(ids(doc.get("deleted")) == planted, f"[yes-json] deleted {sorted(ids(doc.get('deleted')))}, planted "
              f"{sorted(planted)}", run.stdout[:2000])
        check(not doc.get("leftovers"), f"[yes-json] leftovers {doc.get('leftovers')}")
        after = snapshot(ref.base_url)
        check(after == baseline, "[yes-json] cleanup --yes changed more (or less) than the tagged leftovers",
              snapshot_diff(baseline, after))

        run = c.run("cleanup", ref.base_url, "--yes", "--format", "json", label="again-json")
        check(run.rc == 0 and not run.json().get("found"), f"[again-json] a second cleanup found "
              f"{run.json().get('found')} (exit {run.rc})", run.describe())


@case("cleanup-command-leftovers")
def _cleanup_leftovers(c: Case) -> None:
    """A tagged user the server will not delete (DELETE answers 500, the user stays) is reported as a leftover with
    its command, and the exit code says so."""
    fx = c.fixture("delete-refused")
    user = _plant(fx.base_url, "Users", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                                         "userName": "scim-doctor-1a2b3c4d-ada@example.com"})
    run = c.run("cleanup", fx.base_url, "--yes", "--format", "json", label="yes-json")
    doc = run.json()
    check(run.rc == 1, f"[yes-json] exit code {run.rc}, expected 1 (a leftover)", run.describe())
    left = doc.get("leftovers") or []
    check(len(left) == 1 and left[0].get("id") == user["id"] and "curl -X DELETE" in str(left[0].get("command")),
          f"[yes-json] leftovers {left}, expected {user['id']} with its curl command", run.stdout[:2000])
    human = c.run("cleanup", fx.base_url, "--yes", label="yes-human")
    check(human.rc == 1 and user["id"] in human.stdout and "curl -X DELETE" in human.stdout,
          "[yes-human] the leftover and its curl command are not shown (or the exit code is not 1)", human.describe())


@case("reference-json-stdout")
def _reference_json_stdout(c: Case) -> None:
    ref = c.shared.reference()
    run = c.run("check", ref.base_url, "--format", "json", label="json-stdout")
    expect_healthy(run, validate_report(run, run.json()))


@case("token-file")
def _token_file(c: Case) -> None:
    ref = c.shared.reference()
    path = c.dir / "secret-token.txt"
    path.write_text(CANARY + "\n")  # a trailing newline, as an editor saves it
    path.chmod(0o600)
    run = c.run("check", ref.base_url, "--token-file", str(path), "--format", "json", token=None,
                label="token-file", output=True)
    expect_healthy(run, validate_report(run, run.json()))


@case("token-stdin")
def _token_stdin(c: Case) -> None:
    ref = c.shared.reference()
    run = c.run("check", ref.base_url, "--token-file", "-", "--format", "json", token=None,
                stdin=(CANARY + "\n").encode(), label="token-stdin", output=True)
    expect_healthy(run, validate_report(run, run.json()))


@case("token-b64token-chars")
def _token_special(c: Case) -> None:
    # Every character RFC 6750's b64token allows, so the URL-encoded form differs from the raw one.
    secret = "canary+9f8e/7d6c~5b4a.3928_1706-f5e4d3c2b1a0=="
    with scim_reference.ReferenceServer(secret, log_path=c.dir / "scim2-server.log") as ref:
        track(ref.proc)
        ref.seed()
        run = c.run("check", ref.base_url, "--format", "json", token=secret, secret=secret, label="json",
                    output=True)
        expect_healthy(run, validate_report(run, run.json()))
        run = c.run("check", ref.base_url, "--format", "human", "--color", "never", "-v", token=secret,
                    secret=secret, label="human-verbose")
        expect_human(run, 0)


@case("token-flag-refused")
def _token_flag(c: Case) -> None:
    # The token on the command line is visible to every user (ps) and kept in history: refused before anything.
    for command in ("check", "cleanup"):
        run = c.run(command, "http://127.0.0.1:9/v2", "--token", CANARY, token=None, label=f"{command}-token-flag")
        check(run.rc == 2, f"[token-flag] {command} --token: exit {run.rc}, expected 2 (usage)", run.describe())
        check("--token is not accepted" in run.stderr, f"[token-flag] {command}: no refusal message", run.describe())


@case("output-errors-and-token-bounds")
def _output_errors(c: Case) -> None:
    """A full disk, a closed pipe, a huge or endless token: a clear message and a defined exit code, no crash."""
    env = tool_env(CANARY)
    for argv, label in ((["list"], "list"), (["check", "http://127.0.0.1:9/v2"], "check")):
        with open("/dev/full", "wb") as full:
            proc = subprocess.run([str(c.binary), *argv], stdout=full, stderr=subprocess.PIPE, env=env, timeout=60,
                                  stdin=subprocess.DEVNULL)
        err = proc.stderr.decode(errors="replace")
        check(proc.returncode == 3, f"[{label} > /dev/full] exit {proc.returncode}, expected 3", err)
        check("cannot write to standard output" in err and "Fatal error" not in err,
              f"[{label} > /dev/full] no clean message", err)
    huge = c.run("check", "http://127.0.0.1:9/v2", "--token-file", "-", stdin=b"a" * 20_000, token=None,
                 label="huge-token")
    check(huge.rc == 2 and "longer than 16384 bytes" in huge.stderr, f"[huge-token] exit {huge.rc}", huge.describe())
    with open("/dev/zero", "rb") as endless:
        proc = subprocess.run([str(c.binary), "check", "http://127.0.0.1:9/v2", "--token-file", "-"], stdin=endless,
                              capture_output=True, env=tool_env(None), timeout=60)
    check(proc.returncode == 2 and b"longer than 16384 bytes" in proc.stderr,
          f"[endless-token] exit {proc.returncode}", proc.stderr.decode(errors="replace"))


@case("write-run-piped-into-head")
def _piped_write_run(c: Case) -> None:
    """A write run whose stdout closes (`| head -n 3`) stops, cleans up, says so on stderr and exits 141."""
    fx = c.fixture("none")
    proc = subprocess.Popen([str(c.binary), "check", fx.base_url, "--allow-writes", "--yes", "--color", "never"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=tool_env(CANARY))
    assert proc.stdout is not None
    for _ in range(3):
        proc.stdout.readline()
    proc.stdout.close()  # what `head -n 3` does once it has its lines
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired as e:
        proc.kill()
        raise CaseFailure("[piped] the write run did not end after its stdout closed") from e
    text = err.decode(errors="replace")
    check(proc.returncode == 141, f"[piped] exit {proc.returncode}, expected 141", text)
    check("standard output was closed" in text, "[piped] stderr does not say stdout went away", text)
    check(CANARY not in text, "[piped] the token leaked on stderr", text)
    left = [u for u in snapshot(fx.base_url).get("Users", []) if str(u.get("userName", "")).startswith("scim-doctor-")]
    check(not left, f"[piped] test users left behind: {left}", text)


@case("token-echoed-in-every-encoding")
def _token_echo(c: Case) -> None:
    """A server that echoes the token in every encoding: no form reaches stdout, stderr (-v), the report, the HAR
    file; also for a token with a line break in it (sent without it, so echoed without it)."""
    fx = c.fixture("echo-token", token=None)  # any token is accepted
    for label, token in (("plain", CANARY), ("line-break", CANARY[:20] + "\n" + CANARY[20:])):
        token_file = c.dir / f"{label}.token"
        token_file.write_bytes(token.encode())
        har = c.dir / f"{label}.har"
        run = c.run("check", fx.base_url, "--token-file", str(token_file), "-v", "--format", "json", "--har",
                    str(har), token=None, secret=token, label=label, output=True)
        check(run.rc in (0, 1), f"[{label}] exit {run.rc}", run.describe())
        validate_har(run, har, secret=token)
        sent = token.replace("\n", "")
        for place, text in (("stdout", run.stdout), ("stderr", run.stderr), ("report", run.output_text or "")):
            form = leaks.find_leak(text, sent)
            check(form is None, f"[{label}] the token as sent leaked ({form}) in {place}", run.describe())


@case("write-run-report-on-full-disk")
def _full_disk_write_run(c: Case) -> None:
    """-o on a full disk in a write run that leaves a user behind: the leftover is still said, on stderr."""
    fx = c.fixture("delete-refused")
    run = c.run("check", fx.base_url, "--allow-writes", "--yes", "--only", "user-lifecycle", "--format", "json",
                "-o", "/dev/full", label="full-disk")
    check(run.rc == 3, f"[full-disk] exit {run.rc}, expected 3", run.describe())
    check("cannot write --output '/dev/full'" in run.stderr, "[full-disk] no message for the report", run.describe())
    check("left in the tenant" in run.stderr and "curl -X DELETE" in run.stderr,
          "[full-disk] the leftover is said nowhere", run.describe())


@case("resolve-pins-the-connection")
def _resolve_pins(c: Case) -> None:
    """--resolve: a name that has no DNS (.test) reaches the fixture on loopback, and the token goes there."""
    fx = c.fixture("none")
    url = f"http://scim-doctor.test:{fx.port}/scim/v2"
    run = c.run("check", url, "--resolve", f"scim-doctor.test:{fx.port}:127.0.0.1", "--format", "json",
                label="resolve", output=True)
    results = {r["id"]: r for r in run.json().get("results", [])}
    for probe in ("net.dns", "net.tcp", "test-connection.users", "auth.token-accepted"):
        status = results.get(probe, {}).get("status")
        check(status in ("pass", "warn"), f"[resolve] {probe} is {status}", run.output_text or run.describe())
    check("127.0.0.1" in results["net.dns"]["finding"], "[resolve] net.dns does not name the pinned address",
          results["net.dns"]["finding"])


@case("poisoned-server-text")
def _poisoned_text(c: Case) -> None:
    """Terminal escapes in a server's error detail reach the human report and -v only as visible \\u{…}."""
    fx = c.fixture("poisoned-text")
    run = c.run("check", fx.base_url, "--color", "always", "-v", label="poisoned")
    for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        for bad in ("\x1b]", "\x07", "\x9b", "\u009b", "\u202e", "\x1b[2J"):
            check(bad not in text, f"[poisoned] {stream} carries {bad!r} raw", run.describe())
    check("52;c;ZXZpbA==" in run.stdout + run.stderr, "[poisoned] the server's text is not shown at all",
          run.describe())


@case("fixture-conformant")
def _fixture_default(c: Case) -> None:
    fx = c.fixture("none")
    js, results = check_pair(c, fx.base_url, expected_rc=0)
    expect_healthy(js, results)


# Misbehaving servers ------------------------------------------------------------------------


# TLS ----------------------------------------------------------------------------------------


@case("tls-insecure-self-signed")
def _tls_insecure(c: Case) -> None:
    # --insecure lets the HTTP probes run, while the TLS probes still say what Entra would see.
    fx = c.fixture("none", tls=c.shared.certs().self_signed)
    run = c.run("check", fx.base_url, "--insecure", "--format", "json", label="json", output=True)
    results = validate_report(run, run.json())
    check(run.rc == 1, f"[json] exit code {run.rc}, expected 1 (tls.trust still fails)", status_table(results))
    expect_status(run, results, "tls.trust", {"fail"}, [["self-signed", "self signed"]])
    expect_status(run, results, "test-connection.users", {"pass"})


@case("tls-unicode-certificate-names")
def _tls_unicode_names(c: Case) -> None:
    # OpenSSL prints each byte of a name's UTF-8 as \XX: the report must show the names, not the escapes.
    cs = c.shared.certs()
    fx = c.fixture("none", tls=cs.unicode_names)
    run = c.run("check", fx.base_url, "--ca-file", cs.ca.cert, "--only", "tls", "--format", "json", label="json",
                output=True)
    results = validate_report(run, run.json())
    check(run.rc == 0, f"[json] exit code {run.rc}, expected 0", status_table(results))
    values = [e["value"] for r in results.values() for e in r["evidence"]]
    check(any(certs.UNICODE_CN in v for v in values), f"[json] no evidence names the leaf {certs.UNICODE_CN!r}",
          "\n".join(values))
    # The escapes read as escaped characters, backslashes dropped: "mC3BCnchen.localhost".
    check(not any("mC3BC" in v for v in values), "[json] a name is shown as its escapes without backslashes",
          "\n".join(values))


# Tenant URL handling ------------------------------------------------------------------------


@case("url-invalid")
def _url_invalid(c: Case) -> None:
    wire = Tripwire()
    c.on_cleanup(wire.close)
    problems: list[CaseFailure] = []
    for n, url in enumerate(["not a url", "", f"ftp://127.0.0.1:{wire.port}/scim/v2",
                             "http://127.0.0.1:99999/scim/v2", "https://", "https://:443/scim/v2"]):
        try:
            run = c.run("check", url, "--format", "json", label=f"bad-url-{n}", output=True)
            check(run.rc in (1, 2), f"[{run.label}] {url!r}: exit code {run.rc}, expected 1 (url.syntax fails) or 2",
                  run.describe())
            if run.rc == 2:
                expect_one_line_error(run)
            else:
                results = validate_report(run, run.json())
                expect_status(run, results, "url.syntax", {"fail"})
        except CaseFailure as f:  # try every URL, then report them all
            problems.append(f)
    check(not wire.touched(), "the tool connected to an ftp:// Tenant URL")
    if problems:
        raise CaseFailure("; ".join(p.reason for p in problems), "\n".join(p.details for p in problems))


@case("url-paste-artifacts")
def _url_paste(c: Case) -> None:
    fx = c.fixture("none")
    run = c.run("check", f'"{fx.base_url} ', "--format", "json", label="quoted", output=True)
    check(run.rc in (1, 2), f"[quoted] exit code {run.rc}, expected 1 or 2", run.describe())
    if run.rc == 1:
        results = validate_report(run, run.json())
        expect_status(run, results, "url.paste-artifacts", {"fail", "warn"})


@case("expected-url")
def _expected_url(c: Case) -> None:
    fx = c.fixture("none")
    run = c.run("check", fx.base_url, "--expected-url", fx.base_url, "--format", "json", label="same", output=True)
    expect_status(run, validate_report(run, run.json()), "url.expected-match", {"pass"})
    other = fx.origin + "/scim/v3"
    run = c.run("check", fx.base_url, "--expected-url", other, "--format", "json", label="different", output=True)
    results = validate_report(run, run.json())
    check(run.rc == 1, f"[different] exit code {run.rc}, expected 1", status_table(results))
    expect_status(run, results, "url.expected-match", {"fail"})


@case("ipv6-loopback")
def _ipv6(c: Case) -> None:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
    except OSError as e:
        raise CaseSkipped(f"no IPv6 loopback on this machine ({e})") from e
    fx = c.fixture("none", host="::1")
    js, results = check_pair(c, fx.base_url, expected_rc=0)
    expect_healthy(js, results)


# Command line -------------------------------------------------------------------------------


@case("cli-color")
def _color(c: Case) -> None:
    fx = c.fixture("none")
    run = c.run("check", fx.base_url, "--color", "always", label="always")
    check(run.rc == 0, f"[always] exit code {run.rc}", run.describe())
    check("\x1b[" in run.stdout, "[always] no ANSI colour with --color always", run.describe())
    run = c.run("check", fx.base_url, label="auto-not-a-tty")
    check(run.rc == 0, f"[auto-not-a-tty] exit code {run.rc}", run.describe())
    check("\x1b[" not in run.stdout, "[auto-not-a-tty] ANSI colour on a pipe with the default --color auto",
          run.describe())
    run = c.run("check", fx.base_url, "--color", "never", "--format", "json", label="json-stdout")
    check("\x1b[" not in run.stdout, "[json-stdout] ANSI escapes in JSON", run.describe())
    validate_report(run, run.json())


@case("cli-no-token")
def _no_token(c: Case) -> None:
    wire = Tripwire()
    c.on_cleanup(wire.close)
    run = c.run("check", f"http://127.0.0.1:{wire.port}/scim/v2", token=None, label="no-token")
    expect_one_line_error(run, 2, [["token"]])
    check(not wire.touched(), "[no-token] the tool connected before failing on the missing token")


@case("cli-usage-errors")
def _usage_errors(c: Case) -> None:
    wire = Tripwire()
    c.on_cleanup(wire.close)
    url = f"http://127.0.0.1:{wire.port}/scim/v2"
    expect_one_line_error(c.run("check", url, "--only", "nope.nothing", label="unknown-only"), 2,
                          [["nope.nothing"]])
    expect_one_line_error(c.run("check", url, "--skip", "bogus", label="unknown-skip"), 2, [["bogus"]])
    expect_one_line_error(c.run("check", label="missing-url"), 2)
    expect_one_line_error(c.run("check", url, "--format", "xml", label="bad-format"), 2, [["xml", "format"]])
    expect_one_line_error(c.run("check", url, "--connect-timeout", "soon", label="bad-timeout"), 2)
    expect_one_line_error(c.run("check", url, "--frobnicate", label="unknown-option"), 2, [["frobnicate"]])
    expect_one_line_error(c.run("check", url, "--token-file", str(c.dir / "no-such-file"), token=None,
                                label="missing-token-file"), 2, [["no-such-file", "token"]])
    expect_one_line_error(c.run("fly", label="unknown-command"), 2)
    check(not wire.touched(), "a usage error still connected to the Tenant URL")


@case("cli-only-skip")
def _only_skip(c: Case) -> None:
    fx = c.fixture("none")
    run = c.run("check", fx.base_url, "--only", "url.syntax,net.tcp", "--format", "json", label="only", output=True)
    results = validate_report(run, run.json())
    for p in ("url.syntax", "net.tcp"):
        expect_status(run, results, p, {"pass", "warn"})
    extra = [rid for rid, r in results.items() if rid not in ("url.syntax", "net.tcp") and r["status"] != "skip"]
    check(not extra, f"[only] probes ran outside --only: {', '.join(extra)}", status_table(results))
    run = c.run("check", fx.base_url, "--only", "tls.*", "--format", "json", label="only-prefix", output=True)
    results = validate_report(run, run.json())
    extra = [rid for rid, r in results.items() if not rid.startswith("tls.") and r["status"] != "skip"]
    check(not extra, f"[only-prefix] probes ran outside --only tls.*: {', '.join(extra)}", status_table(results))
    run = c.run("check", fx.base_url, "--skip", "users,groups,mappings", "--format", "json", label="skip",
                output=True)
    results = validate_report(run, run.json())
    ran = [rid for rid, r in results.items() if rid.split(".")[0] in ("users", "groups", "mappings")
           and r["status"] != "skip"]
    check(not ran, f"[skip] skipped sections still ran: {', '.join(ran)}", status_table(results))


@case("cli-list")
def _list(c: Case) -> None:
    run = c.run("list", token=None, label="list")
    check(run.rc == 0, f"[list] exit code {run.rc}", run.describe())
    missing = [p for p in PROBE_IDS + LIFECYCLE_PROBE_IDS if p not in run.stdout]
    check(not missing, f"[list] probe ids missing: {', '.join(missing)}", run.describe())
    run = c.run("list", "--format", "json", token=None, label="list-json")
    check(run.rc == 0, f"[list-json] exit code {run.rc}", run.describe())
    try:
        doc = json.loads(run.stdout)
    except ValueError as e:
        raise CaseFailure(f"[list-json] not JSON: {e}", run.describe()) from e
    ids: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                ids.add(node["id"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    missing = [p for p in PROBE_IDS + LIFECYCLE_PROBE_IDS if p not in ids]
    check(not missing, f"[list-json] probe ids missing: {', '.join(missing)}", run.stdout[:1500])


@case("cli-explain-docs")
def _explain_docs(c: Case) -> None:
    """explain <probe-id> (and an unknown id: exit 2 with suggestions); list --format markdown is the committed
    docs/probes.md; none of it carries the token (SCIM_TOKEN holds the canary)."""
    run = c.run("explain", "tls.trust", label="explain")
    check(run.rc == 0, f"[explain] exit code {run.rc}", run.describe())
    for part in ("WHAT IT CHECKS", "WHY ENTRA CARES", "VERDICTS", "fix: ", "SOURCES", "Security requirements"):
        check(part in run.stdout, f"[explain] {part!r} missing", run.describe())
    assert_no_leak(run)
    run = c.run("explain", "tls.trsut", label="explain-unknown")
    check(run.rc == 2, f"[explain-unknown] exit code {run.rc}, expected 2", run.describe())
    check("tls.trust" in run.stderr and not run.stdout, "[explain-unknown] no suggestion on stderr", run.describe())
    run = c.run("list", "--format", "markdown", label="list-markdown")
    check(run.rc == 0, f"[list-markdown] exit code {run.rc}", run.describe())
    committed = (ROOT / "docs" / "probes.md").read_text()
    check(run.stdout == committed, "[list-markdown] differs from docs/probes.md: regenerate it with "
          "swift run scim-doctor list --format markdown > docs/probes.md", run.describe())
    assert_no_leak(run)
    missing = [p for p in PROBE_IDS + LIFECYCLE_PROBE_IDS if f"### `{p}`" not in run.stdout]
    check(not missing, f"[list-markdown] probes missing: {', '.join(missing)}", run.describe())

@case("cli-version-help")
def _version(c: Case) -> None:
    run = c.run("--version", token=None, label="version")
    check(run.rc == 0, f"[version] exit code {run.rc}", run.describe())
    check("libcurl" in run.stdout.lower(), "[version] --version does not mention libcurl", run.describe())
    check(re.search(r"\d+\.\d+", run.stdout) is not None, "[version] no version number", run.describe())
    for args, must in ((["--help"], ["check", "list"]), (["check", "--help"], ["--token-file", "--format", "--only"]),
                       (["list", "--help"], ["--format"])):
        run = c.run(*args, token=None, label="help-" + "-".join(a.strip("-") for a in args))
        check(run.rc == 0, f"[{run.label}] exit code {run.rc}", run.describe())
        lacking = [m for m in must if m not in run.stdout]
        check(not lacking, f"[{run.label}] help lacks {', '.join(lacking)}", run.describe())


# Network ------------------------------------------------------------------------------------


# HAR trace (issue 5) ---------------------------------------------------------------------------

HAR_SCHEMA = LIB / "har-1.2.schema.json"
# Run in the venv's interpreter: jsonschema (pinned in scim_reference.CHECK_REQUIREMENTS) lives there.
_HAR_VALIDATE = """
import json, sys
import jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))[:20]:
    print("/".join(str(p) for p in e.absolute_path) + ": " + e.message[:300])
"""


def validate_har(run: Run, path: Path, secret: str = CANARY) -> dict[str, Any]:
    """The --har file: no form of the token anywhere in it, valid against the HAR 1.2 schema written from the
    specification (checked by Python's jsonschema, not by our code), and consistent as the specification asks."""
    where = f"[{run.label}] {path.name}"
    check(path.is_file(), f"{where}: no HAR file was written", run.describe())
    text = path.read_text(encoding="utf-8")
    form = leaks.find_leak(text, secret)
    check(form is None, f"{where}: the token leaked ({form} form)")
    python = scim_reference.VENV / "bin" / "python"
    out = subprocess.run([str(python), "-c", _HAR_VALIDATE, str(HAR_SCHEMA), str(path)], capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL)
    check(out.returncode == 0, f"{where}: jsonschema could not run", out.stderr[-2000:])
    check(out.stdout.strip() == "", f"{where}: not valid HAR 1.2: {out.stdout.splitlines()[0] if out.stdout else ''}",
          out.stdout)
    log = json.loads(text)["log"]
    pages = {p["id"] for p in log.get("pages", [])}
    starts = [e["startedDateTime"] for e in log["entries"]]
    check(starts == sorted(starts), f"{where}: entries are not sorted by startedDateTime")
    connections: set[Any] = set()
    for i, e in enumerate(log["entries"]):
        t = e["timings"]
        # The spec: time is the sum of the timings that apply; ssl is already part of connect.
        total = sum(t[k] for k in ("blocked", "dns", "connect", "send", "wait", "receive") if t.get(k, -1) != -1)
        check(abs(total - e["time"]) < 0.01,
              f"{where}: entry {i} time {e['time']} is not the sum {total} of its timings")
        check(e.get("pageref") is None or e["pageref"] in pages, f"{where}: entry {i} refers to an unknown page")
        for h in e["request"]["headers"]:
            if h["name"].lower() == "authorization":
                check(h["value"].startswith("Bearer [token "), f"{where}: entry {i} Authorization is {h['value']!r}")
        # A request on a reused connection has no handshake of its own (HAR: -1 where a timing does not apply).
        reused = e.get("connection") in connections
        check(not e["request"]["url"].startswith("https") or t.get("ssl", -1) >= 0 or e["response"]["status"] == 0
              or reused, f"{where}: entry {i} is https without an ssl timing on a new connection")
        check(e["response"]["status"] == 0 or isinstance(e.get("connection"), str),
              f"{where}: entry {i} does not name its connection")
        connections.add(e.get("connection"))
    return log


def har_run(c: Case, url: str, *args: str, label: str) -> tuple[Run, dict[str, Any], dict[str, Any]]:
    """A JSON run with --har; returns the run, its results and the validated HAR log."""
    path = c.dir / f"{label}.har"
    path.unlink(missing_ok=True)
    run = c.run("check", url, *args, "--format", "json", "--har", str(path), label=label, output=True)
    results = validate_report(run, run.json())
    check(f"written to {path}" in run.stderr, f"[{label}] no note on stderr that the HAR was written", run.describe())
    return run, results, validate_har(run, path)


@case("har-trace")
def _har_trace(c: Case) -> None:
    # A healthy server: every HTTP exchange of the run, none of the connect-only handshakes.
    ref = c.shared.reference()
    run, results, log = har_run(c, ref.base_url, label="reference")
    expect_healthy(run, results)
    check(log["creator"]["name"] == "scim-doctor", "[reference] HAR creator is not scim-doctor")
    entries = log["entries"]
    check(len(entries) >= 10, f"[reference] only {len(entries)} HAR entries for a full run")
    check(all(e["response"]["status"] > 0 for e in entries), "[reference] an exchange without a response",
          "\n".join(f"{e['request']['method']} {e['request']['url']} {e['response']['status']}" for e in entries))
    check(any("filter" in {q["name"] for q in e["request"]["queryString"]} for e in entries),
          "[reference] no request with a filter query in the HAR")
    # Every request the fixture logged is in the HAR, and nothing else (a TCP/TLS handshake sends no request).
    fx = c.fixture("reject-token")
    run, results, log = har_run(c, fx.base_url, label="reject-token")
    expect_status(run, results, "auth.token-accepted", {"fail"})
    entries = log["entries"]
    rejected = [e for e in entries if e["response"]["status"] == 401]
    check(rejected, "[reject-token] no 401 in the HAR")
    check(any(h["name"].lower() == "www-authenticate" for e in rejected for h in e["response"]["headers"]),
          "[reject-token] the 401's WWW-Authenticate header is not in the HAR")
    logged = [ln for ln in fx.requests() if re.search(r'"[A-Z]+ \S+ HTTP/1\.[01]"', ln)]
    check(len(entries) == len(logged), f"[reject-token] {len(entries)} HAR entries for {len(logged)} requests the "
          "fixture answered", "\n".join(logged))
    # A transport failure is an entry too: status 0 with _error, as browsers write it.
    port = scim_reference.free_port()
    run, _, log = har_run(c, f"http://127.0.0.1:{port}/scim/v2", "--only", "test-connection.users",
                          label="refused")
    failed = [e for e in log["entries"] if e["response"]["status"] == 0]
    check(failed and all("_error" in e["response"] for e in failed), "[refused] no entry with status 0 and _error",
          json.dumps(log["entries"], indent=1)[:1500])
    cs = c.shared.certs()
    tls_fx = c.fixture("none", tls=cs.leaf)
    run, _, log = har_run(c, tls_fx.base_url, "--ca-file", cs.ca.cert, label="https")
    # HTTPS: the TLS handshake of each new connection is in its timings (ssl, inside connect); requests on a
    # reused connection have none, and the run reuses its connections (issue 11).
    entries = log["entries"]
    first_on = {}
    for e in entries:
        first_on.setdefault(e.get("connection"), e)
    check(entries and all(e["timings"]["ssl"] >= 0 for e in first_on.values()),
          "[https] a new https connection without its TLS handshake time", json.dumps(entries[:2], indent=1)[:1500])
    check(len(first_on) < len(entries),
          f"[https] {len(entries)} requests on {len(first_on)} connections: none was reused")
    # TLS sessions (issue 11): a connection opened after the run's first https exchange has ended offers the
    # session of the last one (the TLS probes' connect-only handshakes stay full, and so may the first requests,
    # which set out together). A write run: every write takes a connection of its own. A few in twenty are full
    # handshakes all the same: their ClientHello carries no pre_shared_key, and each follows another connection's
    # resumption by a millisecond or two, before that one's new tickets arrived (OpenSSL uses a TLS 1.3 ticket
    # once, and libcurl 7.88 keeps one session per host). Without shared sessions all of them are full.
    tls_writes = c.fixture("none", tls=cs.leaf)
    _, _, log = har_run(c, tls_writes.base_url, "--ca-file", cs.ca.cert, "--allow-writes", "--yes",
                        label="https-writes")
    kinds = {port: kind for kind, port in tls_writes.handshakes()}

    def started(e: dict[str, Any]) -> float:
        return datetime.fromisoformat(e["startedDateTime"].replace("Z", "+00:00")).timestamp()

    entries = [e for e in log["entries"] if e["response"]["status"] > 0]
    first_end = min(started(e) + e["time"] / 1000 for e in entries)
    opened: dict[str, float] = {}
    for e in entries:
        opened.setdefault(e["connection"], started(e))
    # startedDateTime has whole milliseconds: a margin of two.
    later = [kinds.get(int(conn.rsplit(":", 1)[1]), "no handshake logged")
             for conn, at in opened.items() if at > first_end + 0.002]
    check(later.count("resumed") >= max(5, len(later) // 2),
          f"[https-writes] of {len(later)} connections opened after the first exchange {later.count('resumed')} "
          f"resumed a TLS session: {later}")
    # A write run: Entra's bodies as postData, and the cleanup's requests too.
    writes_fx = c.fixture("none")
    run, _, log = har_run(c, writes_fx.base_url, "--allow-writes", "--yes", label="writes")
    methods = {e["request"]["method"] for e in log["entries"]}
    check({"POST", "PATCH", "DELETE"} <= methods, f"[writes] the HAR lacks writes: {sorted(methods)}")
    posts = [e for e in log["entries"] if e["request"]["method"] == "POST"]
    check(all("userName" in e["request"].get("postData", {}).get("text", "") or "displayName" in
              e["request"].get("postData", {}).get("text", "") for e in posts), "[writes] a POST without its body")
    # Usage errors come before any request.
    bad = c.run("check", fx.base_url, "--har", str(c.dir / "no-such-dir" / "t.har"), label="har-bad-path")
    expect_one_line_error(bad, 2, [["--har"]])


# Reports for CI and support tickets (issue 5): JUnit and Markdown ---------------------------------

# Read by the pinned junitparser (checks/.work/venv), not by our code: what a CI system's JUnit reader sees.
_JUNIT_READER = r"""
import json, sys
from junitparser import JUnitXml, Failure, Error, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
if not isinstance(xml, JUnitXml):
    raise SystemExit("the root element is not <testsuites>")
stats = ("tests", "failures", "errors", "skipped")
out = {"root": {k: getattr(xml, k) for k in ("name", *stats, "time")}, "suites": []}
for suite in xml:
    declared = {k: getattr(suite, k) for k in stats}
    suite.update_statistics()
    s = {"name": suite.name, "time": suite.time, "timestamp": suite.timestamp, "declared": declared,
         "counted": {k: getattr(suite, k) for k in stats},
         "properties": {p.name: p.value for p in suite.properties()}, "cases": []}
    for case in suite:
        results = [{"kind": type(r).__name__, "message": r.message, "type": r.type, "text": r.text or ""}
                   for r in case.result]
        s["cases"].append({"classname": case.classname, "name": case.name, "time": case.time,
                           "results": results, "system_out": case.system_out or ""})
    out["suites"].append(s)
declared = {k: out["root"][k] for k in stats}
xml.update_statistics()
out["root"]["counted"] = {k: getattr(xml, k) for k in stats}
print(json.dumps(out))
"""

# Read by the pinned markdown-it-py (CommonMark with GFM tables, raw HTML recognised): what a renderer sees.
_MARKDOWN_READER = r"""
import json, sys
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark").enable("table")
tokens = md.parse(open(sys.argv[1], encoding="utf-8").read())
out = {"headings": [], "rows": [], "plain_rows": [], "html": [], "fences": [], "items": []}


def plain(token):
    # The text a reader sees: escapes resolved, code spans as their content, line breaks as spaces.
    if token.type != "inline":
        return ""
    return "".join(c.content if c.type in ("text", "code_inline") else " " if c.type.endswith("break") else ""
                   for c in token.children or [])


row = plain_row = None
for i, t in enumerate(tokens):
    if t.type == "heading_open":
        out["headings"].append([t.tag, tokens[i + 1].content])
    elif t.type == "tr_open":
        row, plain_row = [], []
    elif t.type in ("td_open", "th_open"):
        row.append(tokens[i + 1].content if tokens[i + 1].type == "inline" else "")
        plain_row.append(plain(tokens[i + 1]))
    elif t.type == "tr_close":
        out["rows"].append(row)
        out["plain_rows"].append(plain_row)
    elif t.type in ("html_block", "html_inline"):
        out["html"].append(t.content)
    elif t.type == "fence":
        out["fences"].append([t.info, t.content])
    elif t.type == "list_item_open":
        out["items"].append(tokens[i + 2].content if i + 2 < len(tokens) else "")
    if t.type == "inline":
        for child in t.children or []:
            if child.type == "html_inline":
                out["html"].append(child.content)
print(json.dumps(out))
"""

_STATUS_LABELS = {"pass": "✓ pass", "warn": "! warning", "fail": "✗ fail", "skip": "– skipped", "error": "? error"}
_TIMES = re.compile(r'(time|timestamp)="[^"]*"')


def _venv_read(reader: str, path: Path, label: str) -> dict[str, Any]:
    python = scim_reference.VENV / "bin" / "python"
    proc = subprocess.run([str(python), "-c", reader, str(path)], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    check(proc.returncode == 0, f"[{label}] the independent reader refused {path.name}", proc.stderr[-2000:])
    return json.loads(proc.stdout)


def xml_safe(text: str) -> str:
    """What the JUnit report makes of a text: the characters XML 1.0 forbids as Unicode's control pictures."""
    out = []
    for ch in text:
        o = ord(ch)
        if o < 0x20 and ch not in "\t\n\r":
            out.append(chr(0x2400 + o))
        elif o in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def validate_junit(run: Run, doc: dict[str, Any], strict: bool = False, exact: bool = True) -> dict[str, Any]:
    """The JUnit report of `run`, read by junitparser, says what the JSON report `doc` of the same server says
    (`exact`: word for word, not only the statuses; a write run's findings depend on the order of its writes)."""
    where = f"[{run.label}]"
    check(run.output_file is not None and run.output_text, f"{where} no JUnit report was written", run.describe())
    parsed = _venv_read(_JUNIT_READER, run.output_file, run.label)  # type: ignore[arg-type]
    results = [r for r in doc["results"]]
    statuses = [r["status"] for r in results]
    leftovers = len((doc.get("cleanup") or {}).get("leftovers") or [])
    extra = 1 if doc.get("cleanup") is not None else 0
    root = parsed["root"]
    want = {"tests": len(results) + extra,
            "failures": statuses.count("fail") + (statuses.count("warn") if strict else 0) + (1 if leftovers else 0),
            "errors": statuses.count("error"), "skipped": statuses.count("skip")}
    check({k: root[k] for k in want} == want, f"{where} <testsuites> counts {root} (expected {want})")
    check(root["counted"] == want, f"{where} junitparser counts the cases as {root['counted']}, expected {want}")
    problems = [f"suite {s['name']!r} declares {s['declared']} but holds {s['counted']}"
                for s in parsed["suites"] if s["declared"] != s["counted"]]
    check(not problems, f"{where} {problems[0] if problems else ''}", "\n".join(problems))
    cases = [c for s in parsed["suites"] for c in s["cases"] if c["classname"] != "cleanup"]
    check([(c["classname"], c["name"]) for c in cases] == [(r["section"], r["id"]) for r in results],
          f"{where} the test cases are not the probes, in report order, as (section id, probe id)")
    sections = list(dict.fromkeys(r["section"] for r in results))
    suites = [s for s in parsed["suites"] if s["cases"] and s["cases"][0]["classname"] != "cleanup"]
    check(len(suites) == len(sections) and all({c["classname"] for c in s["cases"]} == {sec}
                                               for s, sec in zip(suites, sections)),
          f"{where} not one <testsuite> per report section", json.dumps([s["name"] for s in suites]))
    for s in suites:
        check(s["properties"].get("token-fingerprint") == doc["target"]["tokenFingerprint"],
              f"{where} suite {s['name']!r} lacks the token fingerprint property", json.dumps(s["properties"]))
    for c, r in zip(cases, results):
        rid, status, finding = r["id"], r["status"], xml_safe(r["finding"])
        kinds = [x["kind"] for x in c["results"]]
        expected = {"pass": [], "warn": ["Failure"] if strict else [], "fail": ["Failure"], "error": ["Error"],
                    "skip": ["Skipped"]}[status]
        check(kinds == expected, f"{where} {rid} is {status} but its test case holds {kinds or 'no result'}",
              json.dumps(c, ensure_ascii=False)[:1500])
        if exact and (status in ("fail", "error", "skip") or (status == "warn" and strict)):
            got = c["results"][0]
            check(_unvaried(got["message"]) == _unvaried(finding),
                  f"{where} {rid}: message {got['message']!r} is not the finding {finding!r}")
            if status != "skip":
                for e in r["evidence"]:
                    check(_unvaried(xml_safe(e["value"])) in _unvaried(got["text"]), f"{where} {rid}: evidence "
                          f"{e['label']} is not in the <{got['kind'].lower()}> text", got["text"][:1500])
                if r.get("remediation"):
                    check(_unvaried(xml_safe(r["remediation"])) in _unvaried(got["text"]),
                          f"{where} {rid}: the fix is not in the text")
        if status == "warn" and not strict:
            check(not exact or _unvaried(c["system_out"]).startswith(_unvaried("warning: " + finding)),
                  f"{where} {rid} warns but its <system-out> does not say so", c["system_out"][:1000])
    if extra:
        cleanup_cases = [c for s in parsed["suites"] for c in s["cases"] if c["classname"] == "cleanup"]
        check(len(cleanup_cases) == 1, f"{where} a write run's report has no Cleanup test case")
        kinds = [x["kind"] for x in cleanup_cases[0]["results"]]
        check(kinds == (["Failure"] if leftovers else []),
              f"{where} the Cleanup test case holds {kinds} with {leftovers} leftover(s)")
    return parsed


def validate_markdown(run: Run, doc: dict[str, Any], exact: bool = True) -> dict[str, Any]:
    """The Markdown report of `run`, read by markdown-it-py, says what the JSON report `doc` says, with no raw
    HTML, one summary row of three cells per probe, and a section for each failing, warning or erroring probe."""
    where = f"[{run.label}]"
    check(run.output_file is not None and run.output_text, f"{where} no Markdown report was written", run.describe())
    text = run.output_text or ""
    parsed = _venv_read(_MARKDOWN_READER, run.output_file, run.label)  # type: ignore[arg-type]
    check(parsed["headings"][:1] == [["h1", "scim-doctor report"]], f"{where} no '# scim-doctor report' title",
          text[:500])
    # The only HTML is the report's own fold of the full table: <details><summary>…</summary> … </details>.
    foreign = [h for h in parsed["html"] if not re.fullmatch(r"<details>\n<summary>[^<>]*</summary>\n?", h)
               and h.strip() != "</details>"]
    check(not foreign, f"{where} raw HTML reaches the renderer: {foreign[:3]}")
    check(len(parsed["html"]) == 2, f"{where} the table of every probe is not folded in one <details> block")
    check(text.index("## All probes") > text.index("## Failures and warnings"),
          f"{where} the table of every probe comes before the failures")
    url = urllib.parse.urlsplit(doc["target"]["tenantURL"].strip())
    items = parsed["items"]
    tenant = next((i for i in items if i.startswith("**Tenant URL:**")), "")
    host_and_path = url.netloc.rpartition("@")[2] + url.path
    check(_unvaried(f"`{host_and_path}`") in _unvaried(tenant),
          f"{where} the Tenant URL line is not `{host_and_path}`: {tenant!r}")
    check(not url.query or url.query not in tenant, f"{where} the Tenant URL line keeps the query: {tenant!r}")
    check(any(re.match(r"\*\*Time:\*\* \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, \d+\.\d s$", i) for i in items),
          f"{where} the header has no time (ISO 8601) and duration", "\n".join(items[:8]))
    for key, needle in (("Tool", doc["tool"]["version"]), ("Secret Token", doc["target"]["tokenFingerprint"])):
        check(any(i.startswith(f"**{key}:**") and needle in i for i in items),
              f"{where} the header lacks {key} ({needle!r})", "\n".join(items[:8]))
    results = doc["results"]
    rows = parsed["rows"]
    header = rows.index(["Status", "Probe", "Finding"]) if ["Status", "Probe", "Finding"] in rows else -1
    check(header >= 0, f"{where} no summary table (Status | Probe | Finding)", text[:2000])
    summary = rows[header + 1:header + 1 + len(results)]
    bad = [row for row in summary if len(row) != 3]
    check(not bad, f"{where} summary rows with other than three cells: {bad[:2]}")
    check([(row[0], row[1]) for row in summary] == [(_STATUS_LABELS[r["status"]], f"`{r['id']}`") for r in results],
          f"{where} the summary table does not list every probe with its status, in order")
    # What a reader sees in the Finding cell is the finding itself: the escaping hides nothing and adds nothing.
    for row, r in zip(parsed["plain_rows"][header + 1:] if exact else [], results):
        finding = r["finding"].replace("?" + url.query, "?…") if url.query else r["finding"]
        shown = "".join(_md_visible(ch) for ch in finding).replace("\n", " ").strip()
        check(_unvaried(row[2]) == _unvaried(shown), f"{where} {r['id']}: the Finding cell reads {row[2]!r}, "
              f"not the finding {shown!r}")
    detailed = [r for r in results if r["status"] in ("fail", "warn", "error")]
    h3 = [h[1] for h in parsed["headings"] if h[0] == "h3"]
    check(h3 == [f"{_STATUS_LABELS[r['status']]}: `{r['id']}`" for r in detailed],
          f"{where} the sections are not one per failing, warning or erroring probe", json.dumps(h3[:10]))
    fences = "\n".join(f[1] for f in parsed["fences"])
    for r in detailed if exact else []:
        for e in r["evidence"]:
            first = e["value"].splitlines()[0] if e["value"].strip() else ""
            visible = "".join(_md_visible(ch) for ch in first)
            check(_unvaried(visible.strip()) in _unvaried(fences),
                  f"{where} {r['id']}: evidence {e['label']} is not in a code block",
                  f"{first!r}")
    if doc.get("cleanup") is not None:
        check(any(h[0] == "h2" and h[1].startswith("Cleanup") for h in parsed["headings"]),
              f"{where} a write run's report has no Cleanup section")
    return parsed


def _md_visible(ch: str) -> str:
    """What the Markdown report shows for one character (MarkdownReporter.visible)."""
    import unicodedata

    o = ord(ch)
    if o < 0x20 and ch not in "\t\n":
        return chr(0x2400 + o)
    if o == 0x7F:
        return "\u2421"
    if unicodedata.category(ch) == "Cf" or (ch.isspace() and ch not in " \t\n"):
        return f"<U+{o:04X}>"
    return ch


def _unvaried(text: str) -> str:
    """A text without what differs from run to run in the JSON report too: durations ("in 2 ms"), the GUID of
    Entra's Test Connection query, a write run's id and the ids a server gives the resources it creates; and the
    port of a loopback server (when each run has a fresh one)."""
    text = re.sub(r"127\.0\.0\.1(:| port |%3A)\d+", r"127.0.0.1\1<port>", text)
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<guid>", text)
    text = re.sub(r"\b[0-9a-f]{32}\b", "<id>", text)
    text = re.sub(r"scim-doctor-[0-9a-f]{8}", "scim-doctor-<run id>", text)
    return re.sub(r"\b\d+(\.\d+)? (ms|s)\b", "<n> \\2", text)


def _timeless(text: str) -> str:
    """A report without its times (JUnit's time and timestamp attributes, the Markdown header's time line) and
    without what varies between runs anyway (see _unvaried)."""
    text = _TIMES.sub("", text)
    return _unvaried(re.sub(r"(?m)^- \*\*Time:\*\* .*$", "", text))


@case("report-junit-markdown")
def _report_junit_markdown(c: Case) -> None:
    """JUnit and Markdown reports of misbehaving servers say what the JSON report says, read by independent
    parsers (junitparser, markdown-it-py); they are the same in a second run apart from times, and the same on
    stdout as in the --output file; a short summary goes to stderr with --output."""
    # A case-sensitive filter (a failure), loopback warnings, skips; an HTML login page (markup in evidence);
    # a body that is not UTF-8 (odd bytes in evidence).
    for fault in ("username-case-sensitive", "html-login", "invalid-utf8"):
        fx = c.fixture(fault)
        js = c.run("check", fx.base_url, "--format", "json", label=f"{fault}-json", output=True)
        doc = js.json()
        validate_report(js, doc)
        runs = {}
        for fmt, validate in (("junit", validate_junit), ("markdown", validate_markdown)):
            for n in (1, 2):
                run = c.run("check", fx.base_url, "--format", fmt, label=f"{fault}-{fmt}-{n}", output=True)
                check(run.rc == js.rc, f"[{run.label}] exit code {run.rc}, JSON run {js.rc}", run.describe())
                check(run.stdout == "", f"[{run.label}] the report went to stdout as well as to --output")
                check("report written to" in run.stderr and "scim-doctor:" in run.stderr,
                      f"[{run.label}] no short summary on stderr", run.describe())
                for r in doc["results"]:
                    if r["status"] in ("fail", "warn"):
                        check(r["id"] in run.stderr, f"[{run.label}] the stderr summary lacks {r['id']}",
                              run.describe())
                validate(run, doc)
                runs[(fmt, n)] = run
            first, second = runs[(fmt, 1)].output_text or "", runs[(fmt, 2)].output_text or ""
            check(_timeless(first) == _timeless(second), f"[{fault}-{fmt}] two runs differ in more than times",
                  "\n".join(difflib_lines(_timeless(first), _timeless(second))))
            out = c.run("check", fx.base_url, "--format", fmt, label=f"{fault}-{fmt}-stdout")
            check(_timeless(out.stdout) == _timeless(first), f"[{out.label}] stdout differs from the --output file",
                  "\n".join(difflib_lines(_timeless(first), _timeless(out.stdout))))


@case("report-several-outputs")
def _report_several_outputs(c: Case) -> None:
    """One run, four reports (-o a.xml -o b.md -o c.json -o d.txt): each in the format of its extension, each
    saying what a JSON-only run says; --format with several -o is a usage error that explains the rule."""
    fx = c.fixture("username-case-sensitive")
    files = {ext: c.dir / f"several.{ext}" for ext in ("xml", "md", "json", "txt")}
    argv = [a for path in files.values() for a in ("-o", str(path))]
    run = c.run("check", fx.base_url, *argv, label="several")
    check(run.rc == 1 and run.stdout == "", f"[several] exit code {run.rc}, stdout {run.stdout[:200]!r}",
          run.describe())
    check(f"reports written to {files['xml']} (junit), {files['md']} (markdown)" in run.stderr,
          "[several] stderr does not list the files written with their formats", run.describe())
    doc = json.loads(files["json"].read_text())
    validate_report(run, doc)
    as_file = {ext: dataclasses.replace(run, label=f"several-{ext}", output_file=path, output_text=path.read_text())
               for ext, path in files.items()}
    for one in as_file.values():
        assert_no_leak(one)
    validate_junit(as_file["xml"], doc)
    validate_markdown(as_file["md"], doc)
    human = files["txt"].read_text()
    check(human.startswith("scim-doctor ") and "\nWhat to fix\n" in human and "users.filter-case" in human,
          "[several-txt] the .txt file is not the human report", human[:1500])
    refused = c.run("check", fx.base_url, *argv, "--format", "json", label="several-format")
    expect_one_line_error(refused, 2, [["--format json with 4 -o files"], ["drop --format"]])


README = ROOT / "README.md"
EXAMPLE_BEGIN, EXAMPLE_END = "<!-- example:begin -->", "<!-- example:end -->"
EXAMPLE_TOKEN = "example-token-0b1c2d3e4f5a6b7c8d9e1234"


def readme_example_text(stdout: str, port: int) -> str:
    """A run's human report with what differs between runs fixed: the port, GUIDs, durations."""
    text = stdout.replace(f":{port}", ":43511")
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                  "bb7bac88-d73f-4692-a5bf-05b73bb0b96a", text)
    text = re.sub(r"\d+ ms\b", "0 ms", text)
    text = re.sub(r"in \d+\.\d s\.", "in 0.1 s.", text)
    return re.sub(r"within \d+ s\b", "within 1 s", text)


@case("readme-example")
def _readme_example(c: Case) -> None:
    """The README's example output is a real run, kept current: a Tenant URL ending in /Users against a fixture
    whose SCIM base is /scim/v2. UPDATE_README=1 writes the run into the README instead of comparing."""
    fx = c.fixture("none", token=EXAMPLE_TOKEN)
    run = c.run("check", fx.base_url + "/Users", "--color", "never", label="example", token=EXAMPLE_TOKEN,
                secret=EXAMPLE_TOKEN)
    check(run.rc == 1, f"[example] exit code {run.rc}, expected 1", run.describe())
    block = f"{EXAMPLE_BEGIN}\n```text\n$ scim-doctor check http://127.0.0.1:43511/scim/v2/Users\n" \
            f"{readme_example_text(run.stdout, fx.port)}```\n{EXAMPLE_END}"
    readme = README.read_text()
    current = re.search(re.escape(EXAMPLE_BEGIN) + r".*?" + re.escape(EXAMPLE_END), readme, re.S)
    check(current is not None, f"README.md has no {EXAMPLE_BEGIN} … {EXAMPLE_END} block")
    assert current is not None
    if os.environ.get("UPDATE_README") == "1":
        README.write_text(readme[:current.start()] + block + readme[current.end():])
        return
    check(current.group(0) == block, "README.md's example output is out of date: run UPDATE_README=1 "
          "checks/.work/venv/bin/python -m pytest checks/test_e2e.py -k readme-example",
          "\n".join(difflib_lines(current.group(0), block)))


@case("terminal-wrap")
def _terminal_wrap(c: Case) -> None:
    """On an 80-column terminal the human report wraps to the width with hanging indents, and never breaks a
    URL (each appears as often as in the unwrapped report of a pipe)."""
    fx = c.fixture("none")
    url = fx.base_url + "/Users"
    rc, text = terminal.run([str(c.binary), "check", url], tool_env(CANARY), columns=80)
    assert_no_leak(Run("terminal", [], rc, text, "", 0, None, None))
    piped = c.run("check", url, "--color", "never", label="piped")
    check(rc == piped.rc == 1, f"[terminal] exit code {rc} (piped {piped.rc}), expected 1", text[-2000:])
    lines = terminal.screen_lines(text)
    wide = [ln for ln in lines if len(ln) > 80 and "://" not in ln]
    check(not wide, f"[terminal] lines wider than 80 columns: {wide[:3]}", "\n".join(lines[:60]))
    check(max(len(ln) for ln in piped.stdout.splitlines()) > 80, "[piped] a pipe's report was wrapped")
    origin = fx.origin
    check("\n".join(lines).count(origin) == piped.stdout.count(origin),
          f"[terminal] {origin} appears {text.count(origin)} times, {piped.stdout.count(origin)} in a pipe: a URL "
          "was broken", "\n".join(lines[:60]))
    check(lines and any(ln.startswith(" " * 33) for ln in lines), "[terminal] no hanging indent under a finding")


@case("terminal-progress")
def _terminal_progress(c: Case) -> None:
    """Against a server that never answers, a terminal shows what is running and the timeout, on one line that
    is cleared before anything else is written; a pipe gets no progress line at all."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    c.on_cleanup(lambda: [s.close() for s in [listener, *held]])
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/scim/v2"
    rc, text = terminal.run([str(c.binary), "check", url, "--timeout", "2", "--connect-timeout", "2"],
                            tool_env(CANARY), columns=100, timeout=90)
    check(rc == 1, f"[terminal] exit code {rc}, expected 1", text[-2000:])
    drawn = re.findall(r"\r\x1b\[2K(running [^\r\n\x1b]*)", text)
    assert_no_leak(Run("terminal", [], rc, text, "", 0, None, None))
    check(drawn and all("each request times out after 2 s" in d for d in drawn),
          f"[terminal] no progress line naming the timeout: {drawn[:3]}", text[:3000])
    for m in re.finditer(r"\r\x1b\[2Krunning [^\r\n\x1b]*", text):
        check(text.startswith(terminal.CLEAR, m.end()), "[terminal] a progress line was not cleared before the "
              f"next output: {text[m.start():m.end() + 80]!r}")
    check("running " not in "\n".join(terminal.screen_lines(text)), "[terminal] a progress line stayed on screen")
    piped = c.run("check", url, "--timeout", "2", "--connect-timeout", "2", label="piped")
    check("\x1b[2K" not in piped.stdout + piped.stderr and "running " not in piped.stderr,
          "[piped] progress output reached a pipe", piped.describe())


def difflib_lines(a: str, b: str) -> list[str]:
    import difflib

    return list(difflib.unified_diff(a.splitlines(), b.splitlines(), "first", "second", lineterm=""))[:40]


@case("report-strict-quiet")
def _report_strict_quiet(c: Case) -> None:
    """--strict makes the warnings of an otherwise healthy server failures (exit 1, JUnit failures of type
    warning); --quiet prints only the warnings and the summary line. (The server labels its answers
    application/json: users.content-type warns.)"""
    fx = c.fixture("json-content-type")
    plain = c.run("check", fx.base_url, "--format", "json", label="plain", output=True)
    doc = plain.json()
    check(plain.rc == 0, f"[plain] exit code {plain.rc}, expected 0 (warnings only)", plain.describe())
    warned = [r["id"] for r in doc["results"] if r["status"] == "warn"]
    check(warned == ["users.content-type"], f"[plain] warnings {warned}, expected users.content-type only")
    strict = c.run("check", fx.base_url, "--strict", "--format", "json", label="strict-json", output=True)
    sdoc = strict.json()
    check(strict.rc == 1 and sdoc["exitCode"] == 1, f"[strict-json] exit code {strict.rc} (report "
          f"{sdoc['exitCode']}), expected 1 for warnings under --strict", strict.describe())
    junit = c.run("check", fx.base_url, "--strict", "--format", "junit", label="strict-junit", output=True)
    check(junit.rc == 1, f"[strict-junit] exit code {junit.rc}, expected 1", junit.describe())
    validate_junit(junit, sdoc, strict=True)
    human = c.run("check", fx.base_url, "--strict", "--color", "never", label="strict-human")
    check(human.rc == 1 and "--strict: the warnings above count as failures" in human.stdout,
          "[strict-human] the summary does not say the warnings count as failures", human.describe())
    quiet = c.run("check", fx.base_url, "--quiet", "--color", "never", label="quiet")
    check(quiet.rc == 0, f"[quiet] exit code {quiet.rc}", quiet.describe())
    lines = [ln for ln in quiet.stdout.splitlines() if ln.strip()]
    marks = [ln.split()[1] for ln in lines if ln.startswith("  ") and ln.split()[0] in "✓!✗–?"]
    check(marks == warned, f"[quiet] the probe lines are {marks}, expected only the warnings {warned}", quiet.describe())
    check(lines and re.match(r"^\d+ warnings?, \d+ passed", lines[-1]) is not None and "skipped" in lines[-1],
          "[quiet] the last line is not the summary line", quiet.describe())
    check("Changes take time" not in quiet.stdout and lines[0].startswith("scim-doctor ") and len(lines) == 2 + len(
        [ln for ln in lines if ln.startswith("      ")]) + len(warned),
          "[quiet] more than the header, the warnings (with evidence and fix) and the summary line", quiet.describe())


@case("report-canary-junit-markdown")
def _report_canary(c: Case) -> None:
    """The canary token, also put where it would be echoed (the Tenant URL's query and path, --expected-url),
    shows in no JUnit or Markdown report, on stdout or in a file, nor in the stderr summary (Case.run checks
    every run's stdout, stderr and --output file in every encoded form)."""
    fx = c.fixture("wrong-base-path")
    urls = [f"{fx.base_url}?tenant={CANARY}", f"{fx.origin}/{CANARY}/scim/v2"]
    for i, url in enumerate(urls):
        for fmt in ("junit", "markdown"):
            run = c.run("check", url, "--expected-url", f"{fx.base_url}?{CANARY}", "--format", fmt,
                        label=f"url{i}-{fmt}-file", output=True)
            check(run.rc == 1, f"[{run.label}] exit code {run.rc}, expected 1", run.describe())
            check("[token " in (run.output_text or ""), f"[{run.label}] the echoed token is not shown redacted",
                  (run.output_text or "")[:2000])
            run = c.run("check", url, "--format", fmt, "--verbose", "--strict", label=f"url{i}-{fmt}-stdout")
            check(run.rc == 1 and run.stdout.strip(), f"[{run.label}] no report on stdout", run.describe())


@case("report-write-run-junit-markdown")
def _report_write_run(c: Case) -> None:
    """A write run that leaves a test user behind: the JUnit report has a failing Cleanup test case naming the
    leftover's removal command, the Markdown report a Cleanup section with it."""
    # A fresh server for each run: the users left behind by one run would change what the next one lists.
    def write_run(fmt: str) -> Run:
        fx = c.fixture("delete-refused")
        try:
            return c.run("check", fx.base_url, "--allow-writes", "--yes", "--format", fmt, label=fmt, output=True)
        finally:
            fx.stop()

    js = write_run("json")
    doc = js.json()
    validate_report(js, doc)
    check(js.rc == 1 and (doc.get("cleanup") or {}).get("leftovers"), "[json] the fixture left nothing behind",
          js.describe())
    junit = write_run("junit")
    parsed = validate_junit(junit, doc, exact=False)
    failure = [r for s in parsed["suites"] for cs in s["cases"] if cs["classname"] == "cleanup" for r in cs["results"]]
    check(failure and "curl -X DELETE" in failure[0]["text"], "[junit] the Cleanup failure lacks the curl command",
          json.dumps(failure)[:1500])
    md = write_run("markdown")
    parsed_md = validate_markdown(md, doc, exact=False)
    check(any(f[0] == "sh" and "curl -X DELETE" in f[1] for f in parsed_md["fences"]),
          "[markdown] no sh code block with the leftover's curl command", (md.output_text or "")[-2000:])
