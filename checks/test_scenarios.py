"""The scenario matrix: every Scenario of scenarios/catalog_*.py, one test each (see scenarios/matrix.py)."""

from __future__ import annotations

from pathlib import Path

import matrix
import pytest
import scim_reference

SCENARIOS, CATALOG_ERRORS = matrix.load_catalogs()


def test_catalogs_load() -> None:
    assert not CATALOG_ERRORS, "\n".join(CATALOG_ERRORS)


def test_readme_section_is_current() -> None:
    text = matrix.README.read_text()
    assert matrix.readme_with_section(text, matrix.readme_section(SCENARIOS)) == text, (
        "README.md's 'What scim-doctor recognises' is out of date: run python3 checks/scenarios/matrix.py --readme")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: matrix.Scenario, binary: Path, scenario_shared: matrix.Shared) -> None:
    if scenario.server.kind == "scim2-server":
        scim_reference.ensure_venv()
    outcome = matrix.run_scenario(scenario, binary, scenario_shared)
    if outcome.problems:
        pytest.fail("\n".join(outcome.problems) + f"\n(artefacts: {matrix.WORK / scenario.name})", pytrace=False)
