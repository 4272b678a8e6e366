"""Side-by-side comparisons for checks/bench/run (issue 11): scim-doctor against what a user would compare it with,
as ratios taken pair by pair (A, B, A, B, …: the median of the per-pair ratios), on loopback only.

- read-only vs one curl process replaying the same requests (read from scim-doctor's own HAR file), over http and
  over https with the system CA bundle (plus the test CA, so the chain verifies) parsed as a user's would be, each
  with the CPU time of the same runs;
- a 914-character JWT vs a short token;
- the write run vs scim-sanity (pinned in the checks venv) on twin scim2-servers, and the server's floor: the
  write run's requests (from its HAR) replayed by one curl process to a third server vs scim-sanity;
- the write run with 300 ms added to every answer (a delaying proxy): its depth in sequential round trips;
- the write run vs scim-sanity, both across the emulated 50 ms round trip below;
- https across an emulated 50 ms round trip (the kernel here has no netem: a TCP proxy that delivers every chunk
  after 25 ms each way and holds a new connection's first byte for one round trip, so handshakes cost what they
  cost across a network) vs a curl replay sending the same requests one after another on one connection;
- connections opened by one https run (counted by the proxy) and its TLS handshakes, full or resumed (logged by
  the fixture).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, NamedTuple

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "checks" / "lib"))
import certs  # noqa: E402
import fixture_server  # noqa: E402
import scim_reference  # noqa: E402

SYSTEM_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


class DelayProxy:
    """A loopback TCP proxy to `upstream`: each chunk is delivered `one_way` seconds after it arrived (both ways,
    or only server → client with `answers_only`), a new connection's first byte waits one more round trip (the
    handshake a real network charges), and the connections accepted are counted."""

    def __init__(self, upstream: int, one_way: float, answers_only: bool = False) -> None:
        self.upstream, self.one_way, self.answers_only = upstream, one_way, answers_only
        self.connections = 0
        self.requests = 0  # HTTP requests seen client → server (plain http only: request lines are counted)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            server = socket.create_connection(("127.0.0.1", self.upstream))
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            hold = 0.0 if self.answers_only else 2 * self.one_way
            self._pipe(client, server, 0.0 if self.answers_only else self.one_way, hold, count=True)
            self._pipe(server, client, self.one_way, 0.0)

    def _pipe(self, source: socket.socket, target: socket.socket, delay: float, hold: float,
              count: bool = False) -> None:
        chunks: queue.Queue[tuple[float, bytes | None]] = queue.Queue()

        def read() -> None:
            first = True
            while True:
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                if count and data:
                    self.requests += len(re.findall(rb"^(?:GET|POST|PUT|PATCH|DELETE) \S+ HTTP/1\.[01]\r$", data,
                                                    re.MULTILINE))
                chunks.put((time.monotonic() + delay + (hold if first else 0.0), data or None))
                first = False
                if not data:
                    return

        def write() -> None:
            while True:
                due, data = chunks.get()
                # Emulated latency, not synchronisation: the chunk is held until its delivery time.
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                try:
                    if data is None:
                        target.shutdown(socket.SHUT_WR)
                        return
                    target.sendall(data)
                except OSError:
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()

    def close(self) -> None:
        self.listener.close()


class Run(NamedTuple):
    seconds: float  # wall time from spawn to exit
    code: int
    cpu: float  # user + system seconds
    max_rss_kib: int


def run_once(argv: list[str], env: dict[str, str]) -> Run:
    """One fresh process, measured by wait4."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(elapsed, process.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def wall(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    run = run_once(argv, env)
    return run.seconds, run.code


class CPU:
    """Wall time of a process (what `pairs` compares), keeping its CPU time aside: the CPU ratio is far steadier
    than the wall one on a shared machine, and says where a wall ratio comes from."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def wall(self, argv: list[str], env: dict[str, str]) -> float:
        run = run_once(argv, env)
        self.seconds.append(run.cpu)
        return run.seconds

    @staticmethod
    def line(ours: CPU, theirs: CPU) -> str:
        ratio = statistics.median(a / b for a, b in zip(ours.seconds, theirs.seconds) if b > 0)
        return (f"{'  the same runs, CPU time':<34} {statistics.median(ours.seconds) * 1000:9.1f} ms "
                f"{statistics.median(theirs.seconds) * 1000:7.1f} ms {ratio:6.2f}×   user + system (wait4)")


def pairs(a: Callable[[], float], b: Callable[[], float], runs: int) -> tuple[float, float, float]:
    """Median of A, median of B, and the median of the pair-by-pair ratios A/B."""
    times_a, times_b, ratios = [], [], []
    for _ in range(runs):
        ta, tb = a(), b()
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios)


def har_requests(binary: str, url: str, env: dict[str, str], extra: list[str]) -> list[dict]:
    """The HTTP requests one scim-doctor run sends, from its HAR file."""
    with tempfile.TemporaryDirectory() as d:
        har = Path(d) / "run.har"
        subprocess.run([binary, "check", url, "--har", str(har), *extra], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return [e["request"] for e in json.loads(har.read_text())["log"]["entries"]]


def curl_replay(requests: list[dict], token: str, extra: list[str]) -> list[str]:
    """One curl process sending the same requests in order (`--next`: one connection, reused)."""
    argv = ["curl"]
    for i, r in enumerate(requests):
        if i:
            argv.append("--next")
        argv += ["-s", "-o", "/dev/null", "-X", r["method"], *extra]
        for h in r["headers"]:
            if h["name"].lower() == "authorization":
                argv += ["-H", f"Authorization: Bearer {token}"]
            elif h["name"].lower() not in ("host", "content-length"):
                argv += ["-H", f"{h['name']}: {h['value']}"]
        if r.get("postData"):
            argv += ["--data-binary", r["postData"].get("text", "")]
        argv.append(r["url"])
    return argv


def https_fixture(tls: certs.KeyPair, token: str, log: Path) -> tuple[subprocess.Popen[str], int]:
    """The keep-alive fixture server (conformant) over https with `tls`, logging to `log` (a line per request and
    one per TLS handshake, full or resumed)."""
    python = str(scim_reference.VENV / "bin" / "python")
    with open(log, "w") as sink:
        process = subprocess.Popen(
            [python, str(ROOT / "checks" / "lib" / "fixture_server.py"), f"--token={token}", "--tls-cert",
             tls.chain, "--tls-key", tls.key], stdout=subprocess.PIPE, stderr=sink, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    return process, int(line.split()[1])


def compare(binary: str, runs: int, token: str, jwt: str) -> list[str]:
    """`runs` pairs of each slow comparison; the read-only ones take tens of milliseconds on a noisy 2-core machine,
    so they get at least 15 pairs."""
    env = dict(os.environ, SCIM_TOKEN=token, NO_COLOR="1")
    fast, slow = max(15, 3 * runs), max(3, runs // 2)
    lines = [f"{'comparison':<34} {'scim-doctor':>12} {'other':>10} {'ratio':>7}   other"]

    def row(name: str, a: float, b: float, ratio: float, other: str) -> None:
        lines.append(f"{name:<34} {a * 1000:9.0f} ms {b * 1000:7.0f} ms {ratio:6.2f}×   {other}")

    with scim_reference.ReferenceServer(token) as reference:
        reference.seed()
        url = reference.base_url
        replay = curl_replay(har_requests(binary, url, env, []), token, [])
        ours, theirs = CPU(), CPU()
        row("read-only, http, scim2-server",
            *pairs(lambda: ours.wall([binary, "check", url], env), lambda: theirs.wall(replay, env), fast),
            f"one curl process, {replay.count('--next') + 1} requests")
        lines.append(CPU.line(ours, theirs))
    with scim_reference.ReferenceServer(token) as short, scim_reference.ReferenceServer(jwt) as long:
        short.seed()
        long.seed()
        row("read-only, 914-character JWT",
            *pairs(lambda: wall([binary, "check", long.base_url], dict(env, SCIM_TOKEN=jwt))[0],
                   lambda: wall([binary, "check", short.base_url], env)[0], fast),
            "the same with a 44-character token")

    with tempfile.TemporaryDirectory() as d:
        cert_set = certs.make_cert_set(d)
        bundle = Path(d) / "system-plus-test-ca.pem"
        bundle.write_text((SYSTEM_BUNDLE.read_text() if SYSTEM_BUNDLE.exists() else "")
                          + Path(cert_set.ca.cert).read_text())
        log = Path(d) / "fixture.log"
        process, port = https_fixture(cert_set.leaf, token, log)
        try:
            url = f"https://localhost:{port}/scim/v2"
            # scim-doctor's --ca-file adds to the system store (as an admin passes a private CA); curl's --cacert
            # replaces it, so curl gets the system bundle with the CA appended: both trust the same set.
            tls = ["--ca-file", cert_set.ca.cert]
            replay = curl_replay(har_requests(binary, url, env, tls), token, ["--cacert", str(bundle)])
            ours, theirs = CPU(), CPU()
            row("read-only, https, system store + CA",
                *pairs(lambda: ours.wall([binary, "check", url, *tls], env), lambda: theirs.wall(replay, env), fast),
                "one curl process (--cacert the same bundle)")
            lines.append(CPU.line(ours, theirs))
            proxy = DelayProxy(port, 0.0)
            before = handshakes(log)
            wall([binary, "check", f"https://localhost:{proxy.port}/scim/v2", *tls], env)
            after = handshakes(log)
            full, resumed = (after[kind] - before[kind] for kind in ("full", "resumed"))
            lines.append(f"{'connections, one https run':<34} {proxy.connections:9d}      "
                         f"TLS handshakes: {full} full, {resumed} resumed (TLS probes: one full each; "
                         "HTTP requests: shared connections and sessions)")
            proxy.close()
            proxy = DelayProxy(port, 0.025)
            far = f"https://localhost:{proxy.port}/scim/v2"
            replay = curl_replay(har_requests(binary, far, env, tls), token, ["--cacert", str(bundle)])
            row("read-only, https, 50 ms round trip",
                *pairs(lambda: wall([binary, "check", far, *tls], env)[0], lambda: wall(replay, env)[0],
                       slow),
                "curl, the same requests one after another")
            proxy.close()
        finally:
            process.kill()
            process.wait()

    sanity = scim_reference.VENV / "bin" / "scim-sanity"
    with (scim_reference.ReferenceServer(token) as ours, scim_reference.ReferenceServer(token) as theirs,
          scim_reference.ReferenceServer(token) as floor):
        ours.seed()
        theirs.seed()
        floor.seed()
        writes = [binary, "check", ours.base_url, "--allow-writes", "--yes"]
        probe = [str(sanity), "probe", theirs.base_url, "--token", token, "--i-accept-side-effects"]
        if shutil.which(str(sanity)) or sanity.exists():
            row("write run, scim2-server", *pairs(lambda: wall(writes, env)[0], lambda: wall(probe, env)[0], fast),
                "scim-sanity probe")
            # What the server alone needs for the write run's requests: one curl process sending them one after
            # another to a third server (a lower bound: the ids of the recorded run are not this server's, so its
            # reads, changes and deletes of them are cheap 404s). When half of scim-sanity's time is below it, no
            # client sending these requests one after another reaches it on this server.
            recorded = har_requests(binary, ours.base_url, env, ["--allow-writes", "--yes"])
            for request in recorded:
                request["url"] = request["url"].replace(ours.base_url, floor.base_url)
            replay = curl_replay(recorded, token, [])
            row(f"  its {len(recorded)} requests, curl alone",
                *pairs(lambda: wall(replay, env)[0], lambda: wall(probe, env)[0], slow),
                "scim-sanity probe: the server's floor for them, one after another")
        slow_ours = DelayProxy(int(ours.base_url.split(":")[2].split("/")[0]), 0.3, answers_only=True)
        slow_theirs = DelayProxy(int(theirs.base_url.split(":")[2].split("/")[0]), 0.3, answers_only=True)
        path = "/" + ours.base_url.split("/", 3)[3]
        har = Path(tempfile.mkdtemp()) / "slow-write.har"
        ours_time = wall([binary, "check", f"http://127.0.0.1:{slow_ours.port}{path}", "--allow-writes", "--yes",
                          "--har", str(har)], env)[0]
        chain = round_trips(har)
        shutil.rmtree(har.parent, ignore_errors=True)
        theirs_time = wall([str(sanity), "probe", f"http://127.0.0.1:{slow_theirs.port}{path}", "--token", token,
                            "--i-accept-side-effects"], env)[0] if sanity.exists() else float("nan")
        row("write run, 300 ms per answer", ours_time, theirs_time, ours_time / theirs_time,
            f"scim-sanity; depth ≈ {ours_time / 0.3:.0f} vs {theirs_time / 0.3:.0f} sequential round trips")
        lines.append(f"{'requests, one write run':34} {slow_ours.requests:>6}     {slow_theirs.requests:>6}           "
                     "scim-doctor vs scim-sanity (request lines through the proxy)")
        # Across a network what counts is how many round trips wait on each other, not the server's CPU.
        far_ours, far_theirs = (DelayProxy(int(ref.base_url.split(":")[2].split("/")[0]), 0.025)
                                for ref in (ours, theirs))
        if sanity.exists():
            row("write run, 50 ms round trip",
                *pairs(lambda: wall([binary, "check", f"http://127.0.0.1:{far_ours.port}{path}", "--allow-writes",
                                     "--yes"], env)[0],
                       lambda: wall([str(sanity), "probe", f"http://127.0.0.1:{far_theirs.port}{path}", "--token",
                                     token, "--i-accept-side-effects"], env)[0], slow),
                "scim-sanity probe, both through the 50 ms proxy")
        far_ours.close()
        far_theirs.close()
        lines.append("")
        lines.append(f"the write run's requests by round trip at 300 ms per answer ({len(chain)} round trips):")
        lines += [f"  {i + 1:2d}  {requests}" for i, requests in enumerate(chain)]
    return lines


def handshakes(log: Path) -> dict[str, int]:
    """The TLS handshakes the fixture has logged so far, by kind."""
    kinds = [kind for kind, _ in fixture_server.tls_handshakes(log.read_text(errors="replace"))]
    return {kind: kinds.count(kind) for kind in ("full", "resumed")}


def round_trips(har: Path) -> list[str]:
    """The requests of a run through the 300 ms proxy, grouped by the round trip they started in (what went out
    together, and so the chain that had to wait)."""
    try:
        entries = json.loads(har.read_text())["log"]["entries"]
    except (OSError, ValueError, KeyError):
        return []
    starts = [datetime.fromisoformat(e["startedDateTime"].replace("Z", "+00:00")).timestamp() for e in entries]
    # A round trip begins with a request sent more than half an answer's delay after the previous round trip began
    # (not slots of 300 ms from the first request: the client's own time between answers adds up over 20 trips).
    groups: list[tuple[float, list[str]]] = []
    for start, entry in sorted(zip(starts, entries), key=lambda pair: pair[0]):
        request = entry["request"]
        resource = request["url"].split("/v2/", 1)[-1].split("?", 1)[0]
        kind = resource.split("/", 1)[0] + ("/{id}" if "/" in resource else "")
        query = "?filter" if "filter=" in request["url"] else ""
        if not groups or start - groups[-1][0] > 0.15:
            groups.append((start, []))
        groups[-1][1].append(f"{request['method']} {kind}{query}")
    return [", ".join(requests) for _, requests in groups]
