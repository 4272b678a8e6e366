#!/usr/bin/env python3
"""scim-doctor's scenario matrix: one real-world cause per scenario, checked for precision.

    checks/.work/venv/bin/python -m pytest checks/test_scenarios.py [-k NAME] [-n 3]   # run them
    python3 checks/scenarios/matrix.py --list            # name, area and cause of each
    python3 checks/scenarios/matrix.py --readme          # rewrite the README's "What scim-doctor recognises"
    python3 checks/scenarios/matrix.py --check-readme    # exit 1 when that README section is not what the catalogs give

Every catalog_*.py next to this file defines `SCENARIOS = [Scenario(...), ...]` (see scenario.py). For
each scenario the runner starts the declared server on 127.0.0.1 port 0 (checks/lib/fixture_server.py,
scim2-server, a refused port, a listener that never completes the TCP handshake, one that never
answers TLS, or nothing), renders the templates, and runs the binary twice — `--format human
--color never` and `--format json` — with the Secret Token through SCIM_TOKEN, --token-file or stdin.
It then checks:

  (a) both exit codes are the declared one;
  (b) the JSON parses; a probe with an Expect has that status and the phrase in its finding
      (case-insensitive); every other probe passes or is skipped, or matches an `allow` (a loopback
      fixture is a local endpoint: the probes that judge reachability pass and say so);
  (c) every expected probe is in the report;
  (d) the human report (folded: passing and skipped probes in one line per section) gives every probe it
      names the mark (✓ ! ✗ – ?) the JSON gives it, names every warning, failure and error on its own line,
      and lists each of them under "What to fix";
  (e) the token (as given, stripped, URL-encoded, base64) and the canary never appear in stdout or
      stderr of either run;
  (f) each run ends within `max_seconds` when the scenario sets it;
  (g') Entra scenarios (server kind "graph"): no request but a GET reached Graph (and the validateCredentials
      POST with --test-connection, the provisionOnDemand POST with --provision-on-demand);
  (g) write scenarios (`--allow-writes`, issue 4): each run gets a fresh server; after it, the server's
      /Users and /Groups hold no resource tagged scim-doctor- (or some, or are not read: `tagged_left`), and
      the scenario's `json_check`/`human_check` hold. With `interrupt`, the tool gets SIGINT once the fixture
      has answered a request on a resource the run created; no report is made then, so (b)-(d) give way to
      the exit code, the token and `human_check` on everything printed.

A scenario fails with its list of mismatches. Commands, outputs and server logs stay in
checks/.work/scenarios/<name>/.

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import importlib.util
import json
import re
import signal
import shutil
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LIB = ROOT / "checks" / "lib"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(LIB))

import certs  # noqa: E402
import graph_fixture  # noqa: E402
import leaks  # noqa: E402
from processes import CANARY, RUN_TIMEOUT, kill, read_line, shell_quote, tool_env, track  # noqa: E402
import report_schema  # noqa: E402
import scim_reference  # noqa: E402
from scenario import AREAS, TAG_PREFIX, Scenario  # noqa: E402

WORK = ROOT / "checks" / ".work" / "scenarios"
README = ROOT / "README.md"
BEGIN, END = "<!-- scenarios:begin -->", "<!-- scenarios:end -->"
MARKS = {"✓": "pass", "!": "warn", "✗": "fail", "–": "skip", "?": "error"}
MARK_OF = {v: k for k, v in MARKS.items()}
HUMAN_LINE = re.compile(r"^  (\S) ([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)(?:\s|$)")

# --------------------------------------------------------------------------------------------
# Child processes: every server the runner starts is killed on exit, even on SIGTERM.
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Catalogs
# --------------------------------------------------------------------------------------------


def load_catalogs() -> tuple[list[Scenario], list[str]]:
    """Every catalog's scenarios, and one message per catalog that could not be loaded (a broken catalog
    fails the run instead of hiding the others)."""
    scenarios: list[Scenario] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(HERE.glob("catalog_*.py")):
        try:
            spec = importlib.util.spec_from_file_location(path.stem, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[path.stem] = module  # (dataclasses in a catalog look their module up)
            spec.loader.exec_module(module)
        except Exception as e:  # noqa: BLE001
            errors.append(f"{path.name} does not load: {e!r}")
            continue
        found = getattr(module, "SCENARIOS", None)
        if not isinstance(found, list):
            errors.append(f"{path.name} defines no SCENARIOS list")
            continue
        for s in found:
            if not isinstance(s, Scenario):
                errors.append(f"{path.name}: {s!r} is not a Scenario")
            elif not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.name):
                errors.append(f"{path.name}: name {s.name!r} is not kebab-case")
            elif s.name in seen:
                errors.append(f"{path.name}: {s.name!r} is also in {seen[s.name]}")
            else:
                seen[s.name] = path.name
                scenarios.append(s)
    return scenarios, errors


# --------------------------------------------------------------------------------------------
# The README section
# --------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def readme_section(scenarios: list[Scenario]) -> str:
    lines = [BEGIN, "## What scim-doctor recognises", "",
             "Each row is a real-world cause that a scenario reproduces against a local server. \"What it reports\"",
             "lists the probes that warn (`!`) or fail (`✗`); every other probe passes or is skipped.", ""]
    for area in AREAS:
        rows = [s for s in scenarios if s.area == area]
        if not rows:
            continue
        lines += [f"### {area}", "", "| Cause | What it reports | Exit code |", "|---|---|---|"]
        for s in rows:
            shown = ", ".join(f"`{MARK_OF[e.status]} {e.probe}`" for e in s.expect)
            if s.reports:
                what = s.reports
            elif all(e.status in ("pass", "skip") for e in s.expect):  # also when expect is empty
                what = "nothing (recognised, not a failure)" + (f": {shown}" if shown else "")
            else:
                what = shown
            lines.append(f"| {_cell(s.cause)} | {what} | {s.exit} |")
        lines.append("")
    lines += ["The tables are generated from the scenarios in `checks/scenarios` (`python3 checks/scenarios/matrix.py --readme`);",
              "`checks/test` runs every scenario and checks that this section matches them.", END]
    return "\n".join(lines)


def readme_with_section(text: str, section: str) -> str:
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + section + tail
    # First time: after the "Reading the report" section, before the next "## " heading.
    m = re.search(r"^## Reading the report\n", text, re.M)
    if not m:
        raise SystemExit("scenarios: README.md has neither the scenario markers nor a '## Reading the report' section")
    nxt = re.search(r"^## ", text[m.end():], re.M)
    at = m.end() + nxt.start() if nxt else len(text)
    return text[:at] + section + "\n\n" + text[at:]


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------


class Shared:
    """The certificate set, made once per run on first use."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self._lock = threading.Lock()
        self._certs: certs.CertSet | None = None
        self._error: str | None = None

    def certs(self) -> certs.CertSet:
        with self._lock:
            if self._certs is None and self._error is None:
                try:
                    self._certs = certs.make_cert_set(self.tmp / "certs")
                except Exception as e:  # noqa: BLE001
                    self._error = f"could not make the test certificates: {e}"
            if self._certs is None:
                raise ScenarioError(self._error or "no certificates")
            return self._certs


class ScenarioError(Exception):
    """The scenario could not be set up or run (reported as a FAIL with this message)."""


@dataclasses.dataclass
class Address:
    scheme: str
    host: str
    port: int
    base_path: str

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


class Context:
    """One scenario's work folder, server and cleanups."""

    def __init__(self, s: Scenario, shared: Shared) -> None:
        self.s = s
        self.shared = shared
        self.dir = WORK / s.name  # artefacts (another run of the same scenario may overwrite them)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.tmp = shared.tmp / s.name  # this run's own: the token file, the working directory
        self.tmp.mkdir(parents=True)
        self._cleanups: list[Callable[[], None]] = []
        self.address: Address | None = None
        self.server_log = self.tmp / "server.log"  # copied to the artefacts at the end
        # The fixture's --events lines (interrupt scenarios), appended by a reader thread.
        self.events: list[str] = []
        self.events_cond = threading.Condition()
        self.graph: graph_fixture.GraphFixture | None = None  # kind "graph"

    def stop_server(self, label: str) -> None:
        """Stops this run's server (a scenario with a server per run), keeping its log as server-<label>.log."""
        self.cleanup()
        self._cleanups = []
        if self.server_log.exists():
            self.write(f"server-{label}.log", self.server_log.read_text(errors="replace"))
            self.server_log.unlink()
        with self.events_cond:
            self.events = []
        self.address = None

    def on_cleanup(self, fn: Callable[[], None]) -> None:
        self._cleanups.append(fn)

    def cleanup(self) -> None:
        for fn in reversed(self._cleanups):
            try:
                fn()
            except Exception:  # noqa: BLE001 (cleanup goes on)
                traceback.print_exc()

    def write(self, name: str, text: str, append: bool = False) -> None:
        """An artefact; never fails the scenario (the folder may be gone under a concurrent run)."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            with open(self.dir / name, "a" if append else "w") as f:
                f.write(text)
        except OSError:
            pass

    # Template values ----------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        v = {"canary": CANARY}
        if self.s.server.tls is not None or self._uses(("{ca}", "{certs}")):
            c = self.shared.certs()
            v["ca"] = c.ca.cert
            v["certs"] = c.directory
        if self.address is not None:
            a = self.address
            v.update(origin=a.origin, base=a.origin + a.base_path, host=a.host, port=str(a.port))
        return v

    def _uses(self, needles: tuple[str, ...]) -> bool:
        s = self.s
        texts = [s.url, s.token, s.server_token or "", *s.args, *s.server.fixture_args]
        return any(n in t for t in texts for n in needles)

    def render(self, template: str, what: str) -> str:
        try:
            return template.format_map(self.values())
        except KeyError as e:
            raise ScenarioError(f"the {what} template {template!r} uses {{{e.args[0]}}}, which this scenario "
                                f"(server kind {self.s.server.kind!r}) does not define") from e
        except (ValueError, IndexError) as e:
            raise ScenarioError(f"the {what} template {template!r} is malformed: {e}") from e

    def render_phrase(self, phrase: str) -> str:
        """A phrase with {base}-style placeholders rendered; any other brace is taken literally."""
        try:
            return phrase.format_map(self.values()) if "{" in phrase else phrase
        except (KeyError, ValueError, IndexError):
            return phrase

    # Servers --------------------------------------------------------------------------------

    def start_server(self) -> None:
        kind = self.s.server.kind
        {"fixture": self._fixture, "scim2-server": self._reference, "refused": self._refused,
         "blackhole": self._blackhole, "tls-stall": self._tls_stall, "none": lambda: None,
         "graph": self._graph}[kind]()

    def _graph(self) -> None:
        fixture = graph_fixture.GraphFixture(self.s.server.fault or "healthy").__enter__()
        self.graph = fixture
        self.on_cleanup(lambda: fixture.__exit__(None, None, None))

    def _fixture(self) -> None:
        srv = self.s.server
        extra = [self.render(a, "fixture_args") for a in srv.fixture_args]
        base_path = "/scim/v2"
        for i, a in enumerate(extra):
            if a == "--base-path" and i + 1 < len(extra):
                base_path = extra[i + 1]
            elif a.startswith("--base-path="):
                base_path = a.split("=", 1)[1]
        base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        argv = [sys.executable, str(LIB / "fixture_server.py")]
        if srv.fault is not None:
            argv += ["--fault", srv.fault]
        if self.s.server_token is not None:
            argv.append("--token=" + self.render(self.s.server_token, "server_token"))
        if srv.tls is not None:
            pair = getattr(self.shared.certs(), srv.tls, None)
            if not isinstance(pair, certs.KeyPair):
                raise ScenarioError(f"no certificate {srv.tls!r} in certs.make_cert_set()")
            argv += ["--tls-cert", pair.chain, "--tls-key", pair.key]
        argv += extra
        if self.s.interrupt is not None:
            argv.append("--events")
        log = open(self.server_log, "wb")  # noqa: SIM115 (closed right after the start)
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, cwd=self.tmp)
        log.close()
        track(proc)

        def stop() -> None:
            kill(proc)
            if proc.stdout:
                proc.stdout.close()

        self.on_cleanup(stop)
        shown = [a if not a.startswith("--token=") else "--token=<server_token>" for a in argv]
        self.write("server.cmd", " ".join(shown) + "\n")
        line = read_line(proc, 15.0)
        m = re.fullmatch(r"PORT (\d+)", line.strip())
        if not m:
            raise ScenarioError(f"the fixture did not print its port (got {line!r}; exit {proc.poll()}): "
                                + self._log_tail())
        tls = srv.tls is not None
        self.address = Address("https" if tls else "http", "localhost" if tls else "127.0.0.1", int(m.group(1)),
                               base_path)
        if self.s.interrupt is not None:
            threading.Thread(target=self._read_events, args=(proc,), daemon=True).start()

    def _read_events(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        try:
            for raw in iter(proc.stdout.readline, b""):
                with self.events_cond:
                    self.events.append(raw.decode(errors="replace").strip())
                    self.events_cond.notify_all()
        except (OSError, ValueError):
            pass  # the fixture was stopped

    def _log_tail(self) -> str:
        try:
            return " | ".join(self.server_log.read_text(errors="replace").strip().splitlines()[-3:])
        except OSError:
            return ""

    def _reference(self) -> None:
        if self.s.server.tls is not None or self.s.server.fault is not None:
            raise ScenarioError("scim2-server takes neither tls nor fault")
        token = self.render(self.s.server_token or CANARY, "server_token")
        ref = scim_reference.ReferenceServer(token, log_path=self.server_log)

        def stop() -> None:
            kill(ref.proc)
            ref.stop()

        self.on_cleanup(stop)
        try:
            ref.start()
            track(ref.proc)
            ref.seed()
        except Exception as e:  # noqa: BLE001
            raise ScenarioError(f"could not start and seed scim2-server: {e}") from e
        assert ref.port is not None
        self.address = Address("http", "127.0.0.1", ref.port, "/v2")

    def _plain_address(self, port: int, scheme: str | None = None) -> Address:
        return Address(scheme or ("https" if self.s.server.tls else "http"), "127.0.0.1", port, "/scim/v2")

    def _refused(self) -> None:
        self.address = self._plain_address(scim_reference.free_port())

    def _blackhole(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        fillers: list[socket.socket] = []

        def close_all() -> None:
            for f in fillers:
                f.close()
            listener.close()

        self.on_cleanup(close_all)
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(4):  # fill the accept queue: later SYNs are dropped, so connect() hangs
            f = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            f.setblocking(False)
            try:
                f.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            fillers.append(f)
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.settimeout(0.5)
        try:
            probe.connect(("127.0.0.1", port))
            stalled = False
        except (TimeoutError, socket.timeout):
            stalled = True
        finally:
            probe.close()
        if not stalled:
            raise ScenarioError("could not make a listener that never completes the TCP handshake here")
        self.address = self._plain_address(port)

    def _tls_stall(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.settimeout(0.2)
        held: list[socket.socket] = []
        stop = threading.Event()

        def accept_loop() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                    held.append(conn)
                except (TimeoutError, socket.timeout):
                    continue
                except OSError:
                    return

        t = threading.Thread(target=accept_loop, daemon=True)
        t.start()

        def close_all() -> None:
            stop.set()
            t.join(timeout=2)
            for h in held:
                h.close()
            listener.close()

        self.on_cleanup(close_all)
        # A stall of the TLS handshake: always https (the point), on 127.0.0.1.
        self.address = self._plain_address(listener.getsockname()[1], "https")


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


def run_tool(ctx: Context, binary: Path, label: str, url: str, args: list[str], token: str) -> Run:
    s = ctx.s
    argv = [str(binary), "check", url, *args]
    if ctx.graph is not None:
        naming = any(a in args for a in ("--app-id", "--app-name", "--sp-id"))
        argv = [str(binary), "entra", "--tenant", graph_fixture.TENANT,
                *([] if naming else ["--app-id", graph_fixture.APP_ID]), *args]
    argv += ["--format", "human", "--color", "never"] if label == "human" else ["--format", "json"]
    stdin_bytes: bytes | None = None
    env_token: str | None = None
    if ctx.graph is not None:
        pass  # the Graph token and the fixture's origins go in the environment (tool_env below)
    elif s.token_via == "env":
        env_token = token
    elif s.token_via == "file":
        path = ctx.tmp / "token"
        path.write_bytes(token.encode())
        argv += ["--token-file", str(path)]
    else:
        argv += ["--token-file", "-"]
        stdin_bytes = token.encode()
    timeout = RUN_TIMEOUT if s.max_seconds is None else max(s.max_seconds * 3, s.max_seconds + 10)
    t0 = time.monotonic()
    timed_out = False
    note = ""
    if s.interrupt is not None:
        rc, out, err, timed_out, note = _run_interrupted(ctx, argv, stdin_bytes, env_token, timeout)
    else:
        try:
            env = tool_env(env_token)
            if ctx.graph is not None:
                env |= ctx.graph.env() | {"GRAPH_TOKEN": ctx.graph.token}
            proc = subprocess.run(argv, input=stdin_bytes,
                                  stdin=None if stdin_bytes is not None else subprocess.DEVNULL,
                                  capture_output=True, timeout=timeout, env=env, cwd=ctx.tmp)
            rc, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as e:
            timed_out = True
            rc, out, err = -999, e.stdout or b"", e.stderr or b""
    elapsed = time.monotonic() - t0
    run = Run(label, argv, rc, out.decode(errors="replace"), err.decode(errors="replace"), elapsed)
    how = {"env": "SCIM_TOKEN=<token> ", "file": "", "stdin": "<token on stdin> | "}[s.token_via]
    ctx.write("commands.txt", f"{how}{' '.join(shell_quote(a) for a in argv)}\n{note}# exit {rc} after "
              f"{elapsed:.2f}s\n", append=True)
    ctx.write(f"{label}.stdout", run.stdout)
    ctx.write(f"{label}.stderr", run.stderr)
    if timed_out:
        raise ScenarioError(f"[{label}] scim-doctor did not end within {timeout:.0f}s (hang)")
    return run


def _interrupt_trigger(ctx: Context, proc: subprocess.Popen[bytes], deadline: float) -> str | None:
    """The fixture event after which to interrupt ("after-first-create": the first request on a resource the
    run created, which proves the tool has read the create's answer), or None if the tool ended first."""
    created: set[str] = set()
    seen = 0
    with ctx.events_cond:
        while True:
            while seen < len(ctx.events):
                parts = ctx.events[seen].split()
                seen += 1
                # EVENT <METHOD> <path> <status> [<created id>]
                if len(parts) >= 5 and parts[1] == "POST" and parts[3] in ("200", "201"):
                    created.add(parts[4])
                elif len(parts) >= 3 and any(rid in parts[2] for rid in created):
                    return ctx.events[seen - 1]
            remaining = deadline - time.monotonic()
            if proc.poll() is not None or remaining <= 0:
                return None
            ctx.events_cond.wait(min(remaining, 0.25))  # woken by each event; the bound notices the tool's exit


def _run_interrupted(ctx: Context, argv: list[str], stdin_bytes: bytes | None, env_token: str | None,
                     timeout: float) -> tuple[int, bytes, bytes, bool, str]:
    """Runs the tool, sends it SIGINT at the scenario's trigger, and waits for it to end."""
    out_path, err_path = ctx.tmp / "tool.stdout", ctx.tmp / "tool.stderr"
    with open(out_path, "wb") as out_f, open(err_path, "wb") as err_f:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin_bytes is not None else subprocess.DEVNULL,
                                stdout=out_f, stderr=err_f, env=tool_env(env_token), cwd=ctx.tmp)
    track(proc)
    try:
        if stdin_bytes is not None and proc.stdin is not None:
            proc.stdin.write(stdin_bytes)
            proc.stdin.close()
        event = _interrupt_trigger(ctx, proc, time.monotonic() + timeout)
        if event is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            note = f"# SIGINT after the fixture's {event!r}\n"
        else:
            note = "# NOT interrupted: the tool ended (or the deadline passed) before the trigger\n"
        try:
            rc = proc.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            rc, timed_out = -999, True
    finally:
        kill(proc)
    if event is None:
        raise ScenarioError(f"the tool was never interrupted: no request on a created resource reached the fixture "
                            f"(exit {rc}); events: {' | '.join(ctx.events[-5:])}")
    return rc, out_path.read_bytes(), err_path.read_bytes(), timed_out, note


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def tagged_resources(ctx: Context) -> list[str]:
    """The resources on the scenario's server whose userName, displayName or externalId carries the write-run tag
    (as "Users/<id> <name>"); raises ScenarioError when the server cannot be read."""
    assert ctx.address is not None
    base = ctx.address.origin + ctx.address.base_path
    token = ctx.render(ctx.s.server_token or CANARY, "server_token")
    found: list[str] = []
    for kind in ("Users", "Groups"):
        status, body = scim_reference.http_json("GET", f"{base}/{kind}?startIndex=1&count=1000", token)
        if status != 200 or not isinstance(body, dict):
            raise ScenarioError(f"could not list {kind} on the server after the run: HTTP {status}")
        for r in body.get("Resources") or []:
            names = [r.get(k) for k in ("userName", "displayName", "externalId")]
            if any(isinstance(n, str) and n.lower().startswith(TAG_PREFIX) for n in names):
                found.append(f"{kind}/{r.get('id')} {next(n for n in names if isinstance(n, str))}")
    return found


def after_run(ctx: Context, run: Run) -> list[str]:
    """The per-run checks of a write scenario: what the server holds afterwards, and the extra checks."""
    s = ctx.s
    problems: list[str] = []
    if ctx.graph is not None:
        # `entra` is read-only: nothing but GETs may reach Graph (the sign-in's POSTs go to the token endpoint).
        writes = [f"{m} {p}" for m, p in ctx.graph.requests if m != "GET" and "/oauth2/v2.0/" not in p
                  and not ("--test-connection" in s.args and p.endswith("/validateCredentials"))
                  and not ("--provision-on-demand" in s.args and p.endswith("/provisionOnDemand"))]
        if writes:
            problems.append(f"writes sent to Graph: {', '.join(writes[:5])}")
    if s.tagged_left is not None:
        try:
            left = tagged_resources(ctx)
            if s.tagged_left and not left:
                problems.append("no tagged resource left on the server, though it keeps what it is told to delete")
            if not s.tagged_left and left:
                problems.append(f"left on the server: {', '.join(left)}")
        except ScenarioError as e:
            problems.append(str(e))
        except OSError as e:
            problems.append(f"could not read the server after the run: {e!r}")
    checks: list[tuple[Callable[..., list[str]] | None, Any]] = []
    if s.interrupt is not None:
        checks.append((s.human_check, run.stdout + "\n" + run.stderr))
    elif run.label == "human":
        checks.append((s.human_check, run.stdout))
    elif s.json_check is not None:
        try:
            checks.append((s.json_check, json.loads(run.stdout)))
        except ValueError:
            pass  # check_scenario reports the broken JSON
    for fn, arg in checks:
        if fn is not None:
            problems += fn(arg)
    return [f"[{run.label}] {p}" for p in problems]


def check_interrupted(s: Scenario, runs: list[Run], token: str) -> list[str]:
    """An interrupted run makes no report: its exit code, its time and the token."""
    problems: list[str] = []
    for run in runs:
        problems = run_problems(s, run, token) + problems
    return problems


def run_problems(s: Scenario, run: Run, token: str) -> list[str]:
    """What is wrong with one run whatever it printed: its exit code, its time, a leak of the token (first)."""
    problems: list[str] = []
    if run.rc != s.exit:
        problems.append(f"[{run.label}] exit code {run.rc}, expected {s.exit}")
    if s.max_seconds is not None and run.elapsed > s.max_seconds:
        problems.append(f"[{run.label}] took {run.elapsed:.1f}s, bound {s.max_seconds:g}s")
    for secret in secrets_of(token):
        for place, text in (("stdout", run.stdout), ("stderr", run.stderr)):
            form = leaks.find_leak(text, secret)
            if form is not None:
                problems.insert(0, f"[{run.label}] the token leaked ({form} form) in {place}")
    return problems


def secrets_of(token: str) -> list[str]:
    out: list[str] = []
    for t in (token, token.strip(), "".join(token.split()), CANARY):
        if t and t not in out:
            out.append(t)
    return out


def status_table(results: dict[str, dict[str, Any]]) -> str:
    return "\n".join(f"{str(r.get('status')):5} {rid:28} {str(r.get('finding', ''))[:200]}"
                     for rid, r in results.items())


def human_statuses(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = HUMAN_LINE.match(line)
        if m and m.group(1) in MARKS:
            out[m.group(2)] = MARKS[m.group(1)]
    return out


def what_to_fix(text: str) -> set[str]:
    """The probe ids named in the human report's "What to fix" block (up to the next blank line)."""
    block = text.split("\nWhat to fix\n", 1)[1].split("\n\n", 1)[0] if "\nWhat to fix\n" in text else ""
    return set(re.findall(r"[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+", block))


def short(text: str, n: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 1] + "…"


def report_schema_problems(doc: Any) -> list[str]:
    """The JSON report validates against docs/report.schema.json, checked by Python's jsonschema
    (checks/lib/report_schema.py), independently of the Swift encoder."""
    return [f"[json] does not match docs/report.schema.json: {p}" for p in report_schema.problems(doc)[:5]]


def check_scenario(s: Scenario, args: list[str], human: Run, js: Run, token: str,
                   phrase: Callable[[str], str]) -> tuple[list[str], str]:
    """The mismatches (most telling first) and the status table. `phrase` renders a phrase's template."""
    problems: list[str] = []
    for run in (human, js):
        problems = run_problems(s, run, token) + problems
    try:
        doc = json.loads(js.stdout)
        raw = doc["results"]
        results = {r["id"]: r for r in raw}
        if len(results) != len(raw):
            problems.append("[json] a probe is reported twice")
    except (ValueError, KeyError, TypeError) as e:
        problems.append(f"[json] the report does not parse: {short(repr(e))}: {short(js.stdout)!r}")
        return problems, ""
    problems += report_schema_problems(doc)
    if isinstance(doc.get("exitCode"), int) and doc["exitCode"] != js.rc:
        problems.append(f"[json] exitCode {doc['exitCode']} in the report, {js.rc} from the process")

    expected = {e.probe: e for e in s.expect}
    for e in s.expect:
        if e.probe not in results:
            problems.append(f"{e.probe}: expected {e.status} {e.phrase!r}, missing from the report")
    for rid, r in results.items():
        status, finding = r.get("status"), str(r.get("finding", ""))
        if rid in expected:
            e = expected[rid]
            if status != e.status:
                problems.append(f"{rid}: expected {e.status}, got {status}: {short(finding)}")
            elif phrase(e.phrase).lower() not in finding.lower():
                problems.append(f"{rid}: {status} as expected, but the finding lacks {phrase(e.phrase)!r}: "
                                f"{short(finding)}")
            continue
        if status in ("pass", "skip"):
            continue
        if any(a.probe == rid and a.status == status and phrase(a.phrase).lower() in finding.lower()
               for a in s.allow):
            continue
        problems.append(f"{rid}: expected pass/skip, got {status}: {short(finding)}")

    # The human report folds passing and skipped probes (one line per section, or per skip reason): every
    # warning, failure and error must have its own line with the JSON's mark, and a place in "What to fix".
    marks = human_statuses(human.stdout)
    fixes = what_to_fix(human.stdout)
    for rid, r in results.items():
        status = r.get("status")
        if rid in marks and marks[rid] != status:
            problems.append(f"{rid}: {status} in JSON, {marks[rid]} ({MARK_OF.get(marks[rid])}) in the human report")
        if status in ("warn", "fail", "error"):
            if rid not in marks:
                problems.append(f"{rid}: {status} in JSON, no line in the human report")
            if rid not in fixes:
                problems.append(f"{rid}: {status} in JSON, not under \"What to fix\" in the human report")
    for rid in marks:
        if rid not in results:
            problems.append(f"{rid}: in the human report ({marks[rid]}), not in the JSON")
    return problems, status_table(results)


@dataclasses.dataclass
class Outcome:
    name: str
    problems: list[str]
    elapsed: float


def run_scenario(s: Scenario, binary: Path, shared: Shared) -> Outcome:
    t0 = time.monotonic()
    ctx = Context(s, shared)
    problems: list[str] = []
    table = ""
    per_run = s.server_per_run if s.server_per_run is not None else "--allow-writes" in s.args
    try:
        runs: list[Run] = []
        extra: list[str] = []
        for label in ("human", "json"):
            if runs and per_run:
                ctx.stop_server(runs[-1].label)
            if not runs or per_run:
                ctx.start_server()
            url = "" if s.server.kind == "graph" else ctx.render(s.url, "url")  # entra takes no URL
            args = [ctx.render(a, "args") for a in s.args]
            token = ctx.render(s.token, "token")
            runs.append(run_tool(ctx, binary, label, url, args, token))
            if ctx.graph is not None:
                token = ctx.graph.token  # the secret that must not leak is the Graph token
            extra += after_run(ctx, runs[-1])
        human, js = runs
        if s.interrupt is not None:
            problems = check_interrupted(s, runs, token)
        else:
            problems, table = check_scenario(s, args, human, js, token, ctx.render_phrase)
        problems += extra
    except ScenarioError as e:
        problems = [str(e)]
    except Exception as e:  # noqa: BLE001 (a broken scenario is a failed scenario)
        problems = [f"the scenario crashed: {e!r}"]
        ctx.write("crash.txt", traceback.format_exc())
    finally:
        ctx.cleanup()
        if ctx.server_log.exists():
            ctx.write("server.log", ctx.server_log.read_text(errors="replace"))
    elapsed = time.monotonic() - t0
    ctx.write(
        "result.txt", ("PASS" if not problems else "FAIL") + f" {s.name} ({elapsed:.1f}s)\n"
        + "".join(f"- {p}\n" for p in problems) + ("\n" + table + "\n" if table else ""))
    return Outcome(s.name, problems, elapsed)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description="scim-doctor's scenario matrix: the catalogs and the README section")
    p.add_argument("--list", action="store_true", help="list the scenarios (name, area, cause)")
    p.add_argument("--readme", action="store_true", help="rewrite the README section from the catalogs")
    p.add_argument("--check-readme", action="store_true", help="exit 1 when the README section is out of date")
    args = p.parse_args(argv)

    scenarios, errors = load_catalogs()
    for e in errors:
        print(f"catalog: {e}", flush=True)
    if args.list:
        for s in scenarios:
            print(f"{s.name:44} {s.area:20} {s.cause}")
        return 1 if errors else 0
    if errors:
        print(f"scenarios: not touching {README.name}: a catalog is broken")
        return 1
    text = README.read_text()
    new = readme_with_section(text, readme_section(scenarios))
    if args.readme:
        if new != text:
            README.write_text(new)
            print(f"scenarios: rewrote the section of {README} ({len(scenarios)} scenarios)")
        else:
            print(f"scenarios: {README} is up to date ({len(scenarios)} scenarios)")
        return 0
    if new != text:
        sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True),
                                                   "README.md", "README.md (from the catalogs)"))
        print("scenarios: README.md's 'What scim-doctor recognises' is out of date: run "
              "python3 checks/scenarios/matrix.py --readme")
        return 1
    print(f"scenarios: README.md matches the catalogs ({len(scenarios)} scenarios)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
