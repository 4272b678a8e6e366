"""The end-to-end cases of e2e/cases.py, one test each."""

from __future__ import annotations

from pathlib import Path

import cases
import pytest

CASES = dict(cases.CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_e2e(name: str, binary: Path, e2e_shared: cases.Shared) -> None:
    case = cases.Case(name, binary, e2e_shared)
    try:
        CASES[name](case)
    except cases.CaseFailure as failure:
        pytest.fail(f"{failure.reason}\n{failure.details}".rstrip() + f"\n(logs: {case.dir})", pytrace=False)
    except cases.CaseSkipped as skipped:
        pytest.skip(str(skipped))
    finally:
        case.cleanup()
