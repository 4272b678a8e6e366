"""Tenant URL scenarios: what people paste into Entra's Tenant URL field (owner: S1)."""

import re
import urllib.parse
from typing import Any, Callable

from scenario import Expect, Scenario, Server

A = "Tenant URL"


def one_corrected_url(path_and_flags: str) -> Callable[[dict[str, Any]], list[str]]:
    """Every remediation that proposes a Tenant URL on the tested host proposes the same one: origin + path_and_flags."""
    def check(doc: dict[str, Any]) -> list[str]:
        parts = urllib.parse.urlsplit(str((doc.get("target") or {}).get("tenantURL", "")))
        origin = f"{parts.scheme}://{parts.netloc}"
        found = set()
        for result in doc.get("results") or []:
            for url in re.findall(re.escape(origin) + r"[^\s\"'),;]*", str(result.get("remediation") or "")):
                found.add(url.rstrip(".?"))
        expected = origin + path_and_flags
        return [] if found == {expected} else [f"the fixes propose {sorted(found)}, expected only {expected}"]
    return check


SCENARIOS = [
    Scenario(
        name="tenant-url-trailing-slash", area=A,
        cause="The Tenant URL ends with a slash (…/scim/v2/)",
        url="{base}/", exit=0,
        expect=[Expect("url.path", "warn", "ends with a slash")],
    ),
    Scenario(
        name="tenant-url-ends-in-users", area=A,
        cause="The Tenant URL already ends in /Users (copied from a request example)",
        url="{base}/Users", exit=1,
        expect=[
            Expect("url.path", "fail", "ends in /Users"),
            # What Entra's Test Connection then gets: …/Users/Users answers 404 (the groups query is skipped
            # because the users query failed), and the base-path probe names the right Tenant URL.
            Expect("test-connection.users", "fail", "404: the Tenant URL path does not point at a SCIM service"),
            Expect("test-connection.base-path", "fail", "did you mean {base}?"),
        ],
    ),
    Scenario(
        name="tenant-url-http-public-name", area=A,
        cause="http:// instead of https:// on a public host name (here one that does not resolve either)",
        server=Server(kind="none"), url="http://scim.example.invalid/scim/v2", exit=1,
        # The scheme is wrong but the URL is sound: the host is still looked up, and everything after DNS is
        # skipped because the name does not resolve.
        expect=[Expect("url.syntax", "fail", "uses http://"), Expect("net.dns", "fail", "does not resolve")],
    ),
    Scenario(
        name="tenant-url-pasted-whitespace", area=A,
        cause="The Tenant URL was pasted with spaces, a tab, a newline and a zero-width space around it",
        url=" \t{base}\u200b \n", token_via="file", exit=1,
        # Everything else is checked on the cleaned URL, and passes.
        expect=[Expect("url.paste-artifacts", "fail", "U+200B ZERO WIDTH SPACE")],
    ),
    Scenario(
        name="tenant-url-expected-path-case", area=A,
        cause="The Tenant URL differs from the application's documented URL only in the letter case of its path",
        url="{base}", args=["--expected-url", "{origin}/SCIM/v2"], exit=1,
        expect=[Expect("url.expected-match", "fail", "path letter case")],
    ),
    Scenario(
        name="tenant-url-unknown-query", area=A,
        cause="The Tenant URL carries a query parameter Entra does not know (?tenant=contoso)",
        url="{base}?tenant=contoso", token_via="stdin", exit=1,
        expect=[Expect("url.query", "fail", 'unknown query parameter "tenant"')],
    ),
    Scenario(
        name="tenant-url-one-correction", area=A,
        cause="The Tenant URL ends in /Users and carries both ?aadOptscim062020 and an unknown ?tenant=contoso: every "
              "fix proposes the same corrected URL, keeping the flag",
        url="{base}/Users?aadOptscim062020&tenant=contoso", exit=1,
        expect=[
            Expect("url.path", "fail", "ends in /Users"),
            Expect("url.query", "fail", 'unknown query parameter "tenant"'),
            Expect("test-connection.users", "fail", "404: the Tenant URL path does not point at a SCIM service"),
            Expect("test-connection.base-path", "fail", "did you mean {base}?aadOptscim062020?"),
        ],
        json_check=one_corrected_url("/scim/v2?aadOptscim062020"),
    ),
    Scenario(
        name="tenant-url-no-path", area=A,
        cause="The Tenant URL is the bare host (no /scim/v2): the path fix names the base path found on the host",
        url="{origin}", exit=1,
        expect=[
            Expect("url.path", "warn", "test-connection.base-path found SCIM under /scim/v2"),
            Expect("test-connection.users", "fail", "404"),
            Expect("test-connection.base-path", "fail", "did you mean {base}?"),
        ],
        json_check=one_corrected_url("/scim/v2"),
    ),
    Scenario(
        name="tenant-url-aad-flag", area=A,
        cause="The Tenant URL ends with Entra's ?aadOptscim062020 flag (SCIM-compliant PATCH requests)",
        url="{base}?aadOptscim062020", exit=0,
        expect=[Expect("url.query", "pass", "opts into Entra's SCIM-compliant PATCH requests")],
    ),
]
