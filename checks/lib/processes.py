"""Running scim-doctor and the servers it is checked against, for every check under checks/: the canary token,
the environment the tool runs in, the registry of server processes (so that the end of a run stops them all),
and reading a server's first line with a deadline."""

from __future__ import annotations

import os
import re
import select
import subprocess
import threading
import time

# The token of every run: checked absent, in every form of checks/lib/leaks.py, from everything the tool prints.
CANARY = "canary-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
RUN_TIMEOUT = 90.0  # a single scim-doctor run that takes longer than this is a hang

_CHILDREN: set[subprocess.Popen[bytes]] = set()
_CHILDREN_LOCK = threading.Lock()


def track(proc: subprocess.Popen[bytes] | None) -> None:
    """Registers a server process, so that `kill_children` stops it whatever happens to the check."""
    if proc is not None:
        with _CHILDREN_LOCK:
            _CHILDREN.add(proc)


def kill(proc: subprocess.Popen[bytes] | None) -> None:
    """Stops one server process (waiting at most 10 s) and forgets it."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    with _CHILDREN_LOCK:
        _CHILDREN.discard(proc)


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    """Ends one server process politely (SIGTERM, 5 s to exit, then SIGKILL) and forgets it."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    with _CHILDREN_LOCK:
        _CHILDREN.discard(proc)


def kill_children() -> None:
    """Stops every server process still running (the end of the session, or an interrupt)."""
    with _CHILDREN_LOCK:
        for proc in _CHILDREN:
            if proc.poll() is None:
                proc.kill()


def tool_env(token: str | None) -> dict[str, str]:
    """The environment of a scim-doctor run: the token in SCIM_TOKEN (None: no SCIM_TOKEN), no proxy of the
    machine (loopback only), colour left to the run's own options."""
    env = {k: v for k, v in os.environ.items()
           if k.upper() not in {"SCIM_TOKEN", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "FTP_PROXY"}}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
    env.pop("NO_COLOR", None)
    if token is not None:
        env["SCIM_TOKEN"] = token
    return env


def shell_quote(word: str) -> str:
    return word if re.fullmatch(r"[\w@%+=:,./-]+", word) else "'" + word.replace("'", "'\\''") + "'"


def read_line(proc: subprocess.Popen[bytes], deadline_s: float) -> str:
    """The first stdout line of a child, waiting at most deadline_s (a server prints it when it is ready)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buf = b""
    end = time.monotonic() + deadline_s
    while b"\n" not in buf:
        remaining = end - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buf += chunk
    return buf.split(b"\n", 1)[0].decode(errors="replace")
