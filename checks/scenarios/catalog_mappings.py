"""Attribute mapping scenarios: what /Schemas declares against Entra's default mappings (owner: S3)."""

from scenario import Expect, Scenario, Server

A = "Attribute mappings"

SCENARIOS = [
    Scenario(
        name="mappings-no-enterprise-extension", area=A,
        cause="/Schemas lacks the enterprise extension, so employeeNumber, department and manager have no target",
        server=Server(fault="no-enterprise-schema"),
        expect=[Expect("mappings.user-attributes", "fail",
                       "employeeId → employeeNumber, department → department, manager → manager")],
    ),
    Scenario(
        name="mappings-schemas-not-served", area=A,
        cause="/Schemas is not served (404): not required for non-gallery apps, so the mapping checks are skipped",
        server=Server(fault="no-schemas"), exit=0,
        expect=[
            Expect("mappings.user-attributes", "skip", "does not serve /Schemas: HTTP 404"),
            Expect("mappings.group-attributes", "skip", "does not serve /Schemas: HTTP 404"),
        ],
    ),
]
