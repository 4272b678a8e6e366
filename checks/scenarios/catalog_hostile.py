"""Hostile responses: bodies and timings that must not crash, hang or bloat scim-doctor (owner: S3).

Each fault spoils only authenticated 200 SCIM answers (a request without credentials still gets its 401),
so auth.required passes and the spoiled answer is first met by Entra's Test Connection query.
"""

from scenario import Expect, Scenario, Server

A = "Hostile responses"

SCENARIOS = [
    Scenario(
        name="hostile-truncated-json", area=A,
        cause="The JSON body is cut short (a Content-Length that is too small, a proxy limit, a crash mid-response)",
        server=Server(fault="truncated-json"),
        expect=[Expect("test-connection.users", "fail", "the JSON is cut short: it stops after 83 bytes")],
    ),
    Scenario(
        name="hostile-50mb-body", area=A,
        cause="Every answer is a 50 MB body: scim-doctor reads at most 1 MiB of it and says so",
        server=Server(fault="huge-body"), max_seconds=5,
        expect=[Expect("test-connection.users", "fail",
                       "the body is too large: more than 1048576 bytes (Content-Length: 50000000), so scim-doctor "
                       "cut it there")],
    ),
    Scenario(
        name="hostile-invalid-utf8", area=A,
        cause="The body is not valid UTF-8 (Latin-1 text sent as UTF-8)",
        server=Server(fault="invalid-utf8"),
        expect=[Expect("test-connection.users", "fail", "the body is not valid UTF-8: byte 0xE9 at offset")],
    ),
    Scenario(
        name="hostile-unasked-gzip", area=A,
        cause="The answers are gzip-compressed (Content-Encoding: gzip) although nobody asked for it",
        server=Server(fault="gzip-unasked"),
        expect=[Expect("test-connection.users", "fail", "Content-Encoding: gzip, which scim-doctor did not ask for")],
    ),
    Scenario(
        name="hostile-huge-header", area=A,
        cause="Every answer carries a 200 KB header line: libcurl refuses it, and the finding says so (not "
              "\"out of memory\")",
        server=Server(fault="huge-header"),
        expect=[Expect("auth.token-accepted", "fail", "a response header larger than libcurl accepts")],
    ),
    Scenario(
        name="hostile-total-out-of-range", area=A,
        cause="totalResults is a 400-digit number: valid JSON, but no integer Entra reads",
        server=Server(fault="total-out-of-range"),
        expect=[Expect("test-connection.users", "fail", "totalResults is a number out of range (400 characters)")],
    ),
    Scenario(
        name="hostile-deep-json", area=A,
        cause="The JSON is nested 10,000 levels deep",
        server=Server(fault="deep-json"),
        expect=[Expect("test-connection.users", "fail", "the JSON nests 10001 levels deep")],
    ),
    Scenario(
        name="hostile-trickle", area=A,
        cause="The server sends its answers one byte a second: the run ends at --timeout, not later",
        server=Server(fault="trickle"), args=["--timeout", "3"], max_seconds=5,
        # The token's first request is the one that trickles; every probe after it is skipped or uses
        # requests that still answer at once (the 401 without credentials).
        expect=[Expect("auth.token-accepted", "fail", "Operation timed out after 3")],
    ),
    Scenario(
        name="hostile-rate-limited", area=A,
        cause="/Users always answers 429 with Retry-After: 1 (scim-doctor waits once, retries, reports)",
        server=Server(fault="rate-limited"), max_seconds=6,
        expect=[Expect("test-connection.users", "fail",
                       "HTTP 429 on GET …/Users: rate limited (Retry-After: 1); still 429 after waiting 1 s and "
                       "retrying once")],
    ),
]
