"""Test Connection scenarios: Entra's `GET /Users?filter=userName eq "<random GUID>"` goes wrong (owner: S3).

Each fault is a checks/lib/fixture_server.py --fault; when the user query fails outright, the group query,
the Users and Groups sections and (for a path problem) the mappings are skipped, so only the probes below
may fail. test-connection.base-path fails too where the Tenant URL answers unlike SCIM: that is its own
finding ("did you mean …", or "no usual base path answers SCIM either").
"""

from scenario import Expect, Scenario, Server

A = "Test Connection"

SCENARIOS = [
    Scenario(
        name="tc-empty-filter-404", area=A,
        cause="The server answers 404 instead of 200 with an empty ListResponse when no user matches the filter",
        server=Server(fault="empty-filter-404"),
        expect=[Expect("test-connection.users", "fail", "the server answers 404 when no user matches")],
    ),
    Scenario(
        name="tc-filter-400", area=A,
        cause="The server does not support filtering on userName (400 invalidFilter)",
        server=Server(fault="filter-400"),
        expect=[Expect("test-connection.users", "fail", "rejects the filter userName eq")],
    ),
    Scenario(
        name="tc-filter-ignored", area=A,
        cause="The server ignores the filter and returns every user",
        server=Server(fault="filter-ignored"),
        expect=[Expect("test-connection.users", "fail", "filter ignored: the server returned 3 user(s)")],
    ),
    Scenario(
        name="tc-html-login-page", area=A,
        cause="The Tenant URL reaches a web sign-in page (HTTP 200, HTML) instead of the SCIM API",
        server=Server(fault="html-login"),
        expect=[
            Expect("test-connection.users", "fail", "it looks like a login page with a password field"),
            Expect("test-connection.base-path", "fail",
                   "(it answers a login page with a password field titled \"Sign in - Example Corp\"), and none of "
                   "the usual base paths"),
        ],
    ),
    Scenario(
        name="tc-login-redirect", area=A,
        cause="An SSO proxy in front of the application redirects (302) every request to a sign-in page",
        server=Server(fault="login-redirect"),
        expect=[
            Expect("test-connection.users", "fail", "redirects to {origin}/login?returnUrl="),
            Expect("test-connection.base-path", "fail",
                   "(it redirects to a sign-in page), and none of the usual base paths"),
        ],
    ),
    Scenario(
        name="tc-server-error", area=A,
        cause="The server fails on Entra's query with HTTP 500 (an unhandled exception, with a JSON error body)",
        server=Server(fault="server-error"),
        expect=[Expect("test-connection.users", "fail",
                       'HTTP 500 (InternalServerError): the server failed on GET …/Users: "NullPointerException')],
    ),
    Scenario(
        name="tc-not-json", area=A,
        cause="The endpoint answers 200 with a body that is not JSON (XML)",
        server=Server(fault="not-json"),
        expect=[Expect("test-connection.users", "fail", "HTTP 200 but not JSON (the body is not valid JSON: it breaks at offset 0): <?xml")],
    ),
    Scenario(
        name="tc-json-content-type", area=A,
        cause="Responses are labelled application/json instead of application/scim+json (tolerated: a warning)",
        server=Server(fault="json-content-type"), exit=0,
        expect=[Expect("users.content-type", "warn", "Content-Type is application/json")],
    ),
    Scenario(
        name="tc-list-without-schemas", area=A,
        cause="The ListResponse omits its schemas member",
        server=Server(fault="no-list-schemas"),
        expect=[Expect("test-connection.users", "fail", "schemas lack the ListResponse URN (no schemas)")],
    ),
    Scenario(
        name="tc-total-results-string", area=A,
        cause='totalResults is sent as a string ("0") instead of a number',
        server=Server(fault="total-results-string"),
        expect=[Expect("test-connection.users", "fail", 'totalResults is the string "0", not a non-negative integer')],
    ),
    Scenario(
        name="tc-wrong-base-path", area=A,
        cause="The Tenant URL has the wrong base path (the SCIM API lives at /scim/v2, not /api/v1)",
        server=Server(fault="wrong-base-path"), url="{origin}/api/v1",
        expect=[
            Expect("test-connection.users", "fail", "404: the Tenant URL path does not point at a SCIM service"),
            Expect("test-connection.base-path", "fail", "did you mean {base}?"),
        ],
    ),
]
