"""What every check under checks/ shares: the binary under test, the canary token, the leak check, the servers.

The domain stays in plain modules pytest does not own (lib/, e2e/cases.py, scenarios/matrix.py); pytest brings
the registry, selection (-k), parallel runs (-n, pytest-xdist), skips, failure reports and teardown.
Every server listens on 127.0.0.1 / ::1, port 0; nothing else is ever contacted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHECKS = Path(__file__).resolve().parent
ROOT = CHECKS.parent
for folder in ("lib", "e2e", "scenarios"):
    sys.path.insert(0, str(CHECKS / folder))

import cases  # noqa: E402
import matrix  # noqa: E402
import processes  # noqa: E402


def _binary() -> Path:
    """SCIM_DOCTOR_BIN, else the debug (or SCIM_DOCTOR_CONFIGURATION) build's binary, built if need be."""
    if os.environ.get("SCIM_DOCTOR_BIN"):
        return Path(os.environ["SCIM_DOCTOR_BIN"]).resolve()
    config = os.environ.get("SCIM_DOCTOR_CONFIGURATION", "debug")
    build = subprocess.run(["swift", "build", "-c", config, "--product", "scim-doctor"], cwd=ROOT,
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if build.returncode != 0:
        pytest.exit(f"swift build failed:\n{build.stdout[-3000:]}{build.stderr[-3000:]}", returncode=3)
    out = subprocess.run(["swift", "build", "-c", config, "--show-bin-path"], cwd=ROOT, capture_output=True,
                         text=True, stdin=subprocess.DEVNULL)
    return Path(out.stdout.strip().splitlines()[-1]) / "scim-doctor"


def pytest_configure(config: pytest.Config) -> None:
    # Once per run, on the controller only (the xdist workers inherit its environment): find or build the binary,
    # and start from empty work folders.
    if not hasattr(config, "workerinput"):
        os.environ["SCIM_DOCTOR_BIN"] = str(_binary())
        for folder in (cases.WORK, matrix.WORK):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def binary() -> Path:
    path = Path(os.environ["SCIM_DOCTOR_BIN"])
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.exit(f"no scim-doctor binary at {path}", returncode=3)
    return path


@pytest.fixture(scope="session")
def e2e_shared() -> Iterator[cases.Shared]:
    """The e2e cases' shared resources (the seeded reference server, the certificates), one set per worker."""
    with tempfile.TemporaryDirectory(prefix="scim-doctor-e2e-") as tmp:
        shared = cases.Shared(Path(tmp))
        try:
            yield shared
        finally:
            shared.close()
            processes.kill_children()


@pytest.fixture(scope="session")
def scenario_shared() -> Iterator[matrix.Shared]:
    with tempfile.TemporaryDirectory(prefix="scim-doctor-scenarios-") as tmp:
        try:
            yield matrix.Shared(Path(tmp))
        finally:
            processes.kill_children()
