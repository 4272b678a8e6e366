"""Tenant URL scenarios: what people paste into Entra's Tenant URL field (owner: S1)."""

from scenario import Expect, Scenario, Server

A = "Tenant URL"

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
        name="tenant-url-aad-flag", area=A,
        cause="The Tenant URL ends with Entra's ?aadOptscim062020 flag (SCIM-compliant PATCH requests)",
        url="{base}?aadOptscim062020", exit=0,
        expect=[Expect("url.query", "pass", "opts into Entra's SCIM-compliant PATCH requests")],
    ),
]
