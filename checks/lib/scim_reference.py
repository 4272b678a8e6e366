#!/usr/bin/env python3
"""The reference SCIM server for the end-to-end tests: scim2-server (PyPI), pinned, in a venv.

    python3 checks/lib/scim_reference.py ensure-venv
        Creates checks/.work/venv with scim2-server==PINNED unless it is already there.
    python3 checks/lib/scim_reference.py serve --token TOKEN [--seed]
        Starts scim2-server on 127.0.0.1 and a free port, waits until it answers, seeds users
        and groups (--seed), prints `PORT <n>` and `URL http://127.0.0.1:<n>/v2`, and runs until
        it gets SIGTERM, SIGINT or SIGHUP; then it stops the server.

From Python:

    with ReferenceServer(token) as ref:      # started, answering, not yet seeded
        seeded = ref.seed()                  # {"users": [...], "groups": [...]}
        ref.base_url                         # http://127.0.0.1:<port>/v2

Python 3 standard library only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import processes  # noqa: E402

SCIM2_SERVER_PIN = "scim2-server==0.8.3"
# Everything the checks' venv holds, pinned: one line per requirement (add yours; ensure_venv installs them all).
CHECK_REQUIREMENTS = [
    SCIM2_SERVER_PIN,
    "junitparser==5.0.3",  # an independent JUnit XML reader for the --format junit checks
    "markdown-it-py==4.0.0",  # a CommonMark parser (with GFM tables) for the --format markdown checks
    "jsonschema==4.26.0",  # an independent JSON Schema validator (the HAR file; the JSON report's schema)
    "pytest==9.2.0",  # runs checks/test_*.py: the e2e cases, the fixture self-checks, the scenario matrix
    "pytest-xdist==3.8.0",  # … several at once (-n)
    "scim-sanity==0.7.4",  # checks/bench compares the write run with its probe (issue 11)
]
ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "checks" / ".work"
VENV = WORK / "venv"
SCIM2_SERVER = VENV / "bin" / "scim2-server"

# Talk to loopback only, and never through a proxy a machine may have configured.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"

SEED_USERS = [
    {
        "schemas": [USER, ENTERPRISE],
        "userName": "Ada.Lovelace@example.com",
        "externalId": "ada.lovelace",
        "name": {"formatted": "Ada Lovelace", "givenName": "Ada", "familyName": "Lovelace"},
        "displayName": "Ada Lovelace",
        "title": "Analyst",
        "active": True,
        "emails": [{"value": "ada.lovelace@example.com", "type": "work", "primary": True}],
        ENTERPRISE: {"employeeNumber": "1815", "department": "Engineering"},
    },
    {
        "schemas": [USER],
        "userName": "grace.hopper@example.com",
        "externalId": "grace.hopper",
        "name": {"formatted": "Grace Hopper", "givenName": "Grace", "familyName": "Hopper"},
        "displayName": "Grace Hopper",
        "active": True,
        "emails": [{"value": "grace.hopper@example.com", "type": "work", "primary": True}],
    },
    {
        "schemas": [USER],
        "userName": "Alan.Turing@example.com",
        "externalId": "alan.turing",
        "name": {"formatted": "Alan Turing", "givenName": "Alan", "familyName": "Turing"},
        "displayName": "Alan Turing",
        "active": False,
        "emails": [{"value": "alan.turing@example.com", "type": "work", "primary": True}],
    },
]

SEED_GROUPS = [("Engineering Team", [0, 1]), ("Research", [2])]


def ensure_venv(quiet: bool = True) -> Path:
    """Create the venv with every pinned requirement, unless they are all there already (idempotent)."""
    if SCIM2_SERVER.exists() and all(_installed_pin_ok(pin) for pin in CHECK_REQUIREMENTS):
        return SCIM2_SERVER
    WORK.mkdir(parents=True, exist_ok=True)
    python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
    if not (VENV / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "install", *(["-q"] if quiet else []), *CHECK_REQUIREMENTS], check=True,
                   stdin=subprocess.DEVNULL)
    if not SCIM2_SERVER.exists():
        raise RuntimeError(f"{SCIM2_SERVER} is missing after pip install {SCIM2_SERVER_PIN}")
    return SCIM2_SERVER


def _installed_pin_ok(pin: str = SCIM2_SERVER_PIN) -> bool:
    name, _, version = pin.partition("==")
    dist = name.strip().replace("-", "_").lower()
    for meta in (VENV / "lib").glob(f"python3*/site-packages/{dist}-*.dist-info/METADATA"):
        for line in meta.read_text(errors="replace").splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip() == version
    return False


def _listening_ports(pid: int) -> list[int]:
    """The TCP ports a process listens on, read from /proc (so port 0 needs no guessing)."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        return []
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if len(f) > 9 and f[3] == "0A" and f[9] in inodes:  # 0A = LISTEN
                ports.append(int(f[1].rsplit(":", 1)[1], 16))
    return ports


def http_json(method: str, url: str, token: str | None = None, body: Any = None,
              timeout: float = 5.0) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/scim+json")
    if data is not None:
        req.add_header("Content-Type", "application/scim+json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw) if raw else None
        except ValueError:
            return e.code, raw.decode(errors="replace")


class ReferenceServer:
    """scim2-server on 127.0.0.1 and an ephemeral port, with a bearer token."""

    def __init__(self, token: str, log_path: str | os.PathLike[str] | None = None,
                 start_deadline: float = 30.0) -> None:
        self.token = token
        self.log_path = Path(log_path) if log_path else None
        self.start_deadline = start_deadline
        self.proc: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self._log = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v2"

    def start(self) -> ReferenceServer:
        exe = ensure_venv()
        self._log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(exe), "--hostname", "127.0.0.1", "--port", "0", "--bearer-token", self.token],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + self.start_deadline
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"scim2-server exited with {self.proc.returncode} before answering")
            ports = _listening_ports(self.proc.pid)
            if ports:
                self.port = ports[0]
                try:
                    status, _ = http_json("GET", f"{self.base_url}/ServiceProviderConfig", timeout=2)
                    if status == 200:
                        return self
                except OSError:
                    pass
            time.sleep(0.05)  # polling interval of a bounded readiness wait, not synchronisation
        self.stop()
        raise RuntimeError(f"scim2-server did not answer /ServiceProviderConfig within {self.start_deadline}s")

    def seed(self) -> dict[str, list[dict[str, Any]]]:
        users = []
        for u in SEED_USERS:
            status, body = http_json("POST", f"{self.base_url}/Users", self.token, u)
            if status != 201:
                raise RuntimeError(f"seeding user {u['userName']}: HTTP {status} {body}")
            users.append(body)
        groups = []
        for name, members in SEED_GROUPS:
            payload = {"schemas": [GROUP], "displayName": name,
                       "members": [{"value": users[i]["id"], "display": users[i]["displayName"]} for i in members]}
            status, body = http_json("POST", f"{self.base_url}/Groups", self.token, payload)
            if status != 201:
                raise RuntimeError(f"seeding group {name}: HTTP {status} {body}")
            groups.append(body)
        return {"users": users, "groups": groups}

    def stop(self) -> None:
        processes.stop(self.proc)
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
        self._log = None

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port() -> int:
    """A port nothing listens on right now (for the refused-connection case)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="scim_reference.py serve")
    p.add_argument("--token", default=os.environ.get("SCIM_REFERENCE_TOKEN"), required=False)
    p.add_argument("--seed", action="store_true")
    p.add_argument("--log", help="write scim2-server's own log here")
    args = p.parse_args(argv)
    if not args.token:
        p.error("--token (or SCIM_REFERENCE_TOKEN) is required")
    ref = ReferenceServer(args.token, log_path=args.log)

    stopping = []

    def stop(signum: int, frame: object) -> None:
        # Only ask the server to end here: the main thread's wait() then returns and stops it
        # cleanly (waiting inside a signal handler would deadlock on Popen's wait lock).
        stopping.append(signum)
        if ref.proc is not None and ref.proc.poll() is None:
            ref.proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        ref.start()
        if stopping:
            return 0
        if args.seed:
            seeded = ref.seed()
            print(f"SEEDED {len(seeded['users'])} users, {len(seeded['groups'])} groups", flush=True)
        print(f"PORT {ref.port}", flush=True)
        print(f"URL {ref.base_url}", flush=True)
        assert ref.proc is not None
        ref.proc.wait()
        return 0 if stopping else 1  # 1: the server died on its own
    finally:
        ref.stop()


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[1] == "ensure-venv":
        print(f"scim2-server: {ensure_venv(quiet='-v' not in argv)}")
        return 0
    if len(argv) >= 2 and argv[1] == "serve":
        return _serve(argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
