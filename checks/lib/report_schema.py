"""Validates scim-doctor's JSON reports against docs/report.schema.json with Python's `jsonschema` (pinned in
scim_reference.CHECK_REQUIREMENTS, installed in checks/.work/venv): an independent validator, not our Swift code.

`problems(doc, kind)` returns one line per violation ([] when valid); kind is "check" (the `check --format json`
report, the schema's root) or "cleanup" (`cleanup --format json`, the schema's $defs/cleanupCommandReport).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from typing import Any

import scim_reference

SCHEMA_PATH = scim_reference.ROOT / "docs" / "report.schema.json"
_lock = threading.Lock()
_validators: dict[str, Any] = {}

# Run in the venv's own interpreter when the venv's packages cannot be imported here (another Python version).
_SUBPROCESS = """
import json, sys
import jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(sys.stdin)
if sys.argv[2] == "cleanup":
    schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/cleanupCommandReport"}
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
    print(("/".join(str(p) for p in e.absolute_path) or "(root)") + ": " + e.message[:300])
"""


def _schema(kind: str) -> dict[str, Any]:
    schema = json.loads(SCHEMA_PATH.read_text())
    if kind == "cleanup":
        return {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/cleanupCommandReport"}
    return schema


def _validator(kind: str) -> Any | None:
    """A jsonschema validator imported from the venv, or None when it cannot be imported into this interpreter."""
    with _lock:
        if kind in _validators:
            return _validators[kind]
        scim_reference.ensure_venv()
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        site = scim_reference.VENV / "lib" / version / "site-packages"
        validator = None
        if site.is_dir():
            if str(site) not in sys.path:
                sys.path.append(str(site))
            try:
                import jsonschema  # noqa: PLC0415 (from the venv, only once it exists)

                cls = jsonschema.Draft202012Validator
                cls.check_schema(_schema("check"))
                validator = cls(_schema(kind), format_checker=cls.FORMAT_CHECKER)
            except ImportError:
                validator = None
        _validators[kind] = validator
        return validator


def problems(doc: Any, kind: str = "check") -> list[str]:
    validator = _validator(kind)
    if validator is not None:
        errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
        return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:300]}" for e in errors]
    run = subprocess.run([str(scim_reference.VENV / "bin" / "python"), "-c", _SUBPROCESS, str(SCHEMA_PATH), kind],
                         input=json.dumps(doc), capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        return [f"the jsonschema validator failed: {run.stderr.strip()[-500:]}"]
    return [line for line in run.stdout.splitlines() if line.strip()]


if __name__ == "__main__":
    # checks/lib/report_schema.py [check|cleanup] < report.json
    found = problems(json.load(sys.stdin), sys.argv[1] if len(sys.argv) > 1 else "check")
    print("\n".join(found) or "valid")
    sys.exit(1 if found else 0)
