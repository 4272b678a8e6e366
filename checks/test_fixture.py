"""The fixtures behave as their names say, without scim-doctor: one test per fault of lib/fixture_server.py, which
sends the requests of the fault's own `expect` list and checks each raw answer. A scenario's or case's verdict is
then the tool's, not the fixture's."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

import cases
import fixture_server
import pytest

FAULTS = fixture_server.FAULTS


def test_every_fault_declares_its_behaviour() -> None:
    assert [name for name, fault in FAULTS.items() if not fault.expect] == []


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fixture(fault: str, binary: Path, e2e_shared: cases.Shared) -> None:
    case = cases.Case(f"fixture-{fault}", binary, e2e_shared)
    try:
        problems = _self_check(case, fault)
    finally:
        case.cleanup()
    assert not problems, "\n".join(problems)


def _self_check(case: cases.Case, fault: str) -> list[str]:
    fx = case.fixture(fault)
    ids: dict[str, str] = {}
    problems: list[str] = []

    def fill(value: Any) -> Any:
        text = json.dumps(value)
        for kind, rid in ids.items():
            text = text.replace("{" + kind + "}", rid)
        return json.loads(text)

    for step in FAULTS[fault].expect:
        if len(step) == 7:
            method, path, payload, with_token, status, ctype, key = step
        else:
            (path, with_token, status, ctype, key), method, payload = step, "GET", None
        path, payload, key = fill(path), fill(payload), fill(key)
        conn = http.client.HTTPConnection("127.0.0.1", fx.port, timeout=10)
        headers = {"Authorization": f"Bearer {cases.CANARY}"} if with_token else {}
        if payload is not None:
            headers["Content-Type"] = "application/scim+json"
        where = f"{method} {path}{' (token)' if with_token else ''}"
        try:
            try:
                conn.request(method, path, body=json.dumps(payload) if payload is not None else None, headers=headers)
                resp = conn.getresponse()
            except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected) as e:
                if status != 0:  # (reset: connected just before the fixture exited)
                    problems.append(f"{where}: {e!r}, expected HTTP {status}")
                continue
            body = resp.read()
            got_type = resp.getheader("Content-Type") or ""
            if resp.status != status:
                problems.append(f"{where}: HTTP {resp.status}, expected {status}"
                                + (" (a refused connection)" if status == 0 else ""))
            if not got_type.startswith(ctype):
                problems.append(f"{where}: Content-Type {got_type!r}, expected {ctype}")
            if method == "POST" and resp.status in (200, 201):
                created = json.loads(body).get("id")
                if isinstance(created, str):
                    ids[path.rstrip("/").rsplit("/", 1)[-1]] = created
            if key is not None:
                value = json.loads(body).get(key[0])
                if value != key[1]:
                    problems.append(f"{where}: {key[0]} is {value!r}, expected {key[1]!r}")
            if fault == "reject-token" and with_token and "invalid_token" not in (
                    resp.getheader("WWW-Authenticate") or ""):
                problems.append(f"{where}: no invalid_token in WWW-Authenticate")
        finally:
            conn.close()
    fx.stop()
    return problems
