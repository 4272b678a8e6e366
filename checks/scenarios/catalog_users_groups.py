"""Users and groups scenarios: Entra's matching and paging queries on existing resources (owner: S3)."""

from scenario import Expect, Scenario, Server

A = "Users and groups"

SCENARIOS = [
    Scenario(
        name="ug-username-case-sensitive", area=A,
        cause="userName filters are case-sensitive, so a user whose casing differs is not matched (duplicates, 409)",
        server=Server(fault="username-case-sensitive"),
        expect=[Expect("users.filter-case", "fail", "userName matching is case-sensitive")],
    ),
    Scenario(
        name="ug-count-ignored", area=A,
        cause="The server ignores count and returns every resource on each page (users and groups)",
        server=Server(fault="count-ignored"),
        expect=[
            Expect("users.count", "fail", "count ignored: asked for 1, got 3 users"),
            Expect("groups.count", "fail", "count ignored: asked for 1, got 2 groups"),
        ],
    ),
    Scenario(
        name="ug-users-only-server", area=A,
        cause="A users-only server answers 404 on /Groups (and its /Schemas has no Group schema)",
        server=Server(fault="groups-404"),
        expect=[Expect("test-connection.groups", "fail", "/Groups answers 404")],
    ),
    Scenario(
        name="ug-excluded-members-ignored", area=A,
        cause="excludedAttributes=members is ignored: group lookups return every member",
        server=Server(fault="excluded-members-ignored"),
        expect=[Expect("groups.excluded-members", "fail", "excludedAttributes=members ignored")],
    ),
    Scenario(
        name="ug-excluded-members-empty-array", area=A,
        cause="Groups read with excludedAttributes=members carry an empty members array: returned although excluded, "
              "without the cost a full group would show",
        server=Server(fault="excluded-members-empty-array"), exit=0,
        expect=[Expect("groups.excluded-members", "warn", "members is returned although excluded (as an empty array")],
    ),
    Scenario(
        name="ug-displayname-case-sensitive", area=A,
        cause="displayName filters are case-sensitive (Microsoft's SCIM Validator expects otherwise: a warning)",
        server=Server(fault="displayname-case-sensitive"), exit=0,
        expect=[Expect("groups.filter-case", "warn", "displayName matching is case-sensitive")],
    ),
    Scenario(
        name="ug-external-id-filter-400", area=A,
        cause="Filters on externalId are refused (400): a warning, since only a mapping that matches on externalId "
              "needs them",
        server=Server(fault="filter-external-id-400"), exit=0,
        expect=[Expect("users.filter-external-id", "warn", "the server rejects filter=externalId eq (HTTP 400)")],
    ),
    Scenario(
        name="ug-external-id-filter-500", area=A,
        cause="Filters on externalId fail with 500: a server fault whatever the mapping",
        server=Server(fault="filter-external-id-500"), exit=1,
        expect=[Expect("users.filter-external-id", "fail", "a server error on externalId eq")],
    ),
    Scenario(
        name="ug-external-id-filter-ignored", area=A,
        cause="Filters on externalId are ignored (every user comes back) while userName filters work",
        server=Server(fault="filter-external-id-ignored"), exit=0,
        expect=[Expect("users.filter-external-id", "warn", "returns 3 users instead of exactly")],
    ),
    Scenario(
        name="ug-paging-500", area=A,
        cause="Lists fail with 500 as soon as startIndex or count is given, and work without: the finding names paging",
        server=Server(fault="paging-500"), exit=1,
        expect=[Expect("users.list", "fail", "the server breaks on paging"),
                Expect("groups.list", "fail", "the server breaks on paging")],
        allow=[Expect(p, "skip") for p in ("users.count", "groups.count")],
    ),
    Scenario(
        name="ug-paging-500-html", area=A,
        cause="The same with an HTML 500 page",
        server=Server(fault="paging-500-html"), exit=1,
        expect=[Expect("users.list", "fail", "the server breaks on paging"),
                Expect("groups.list", "fail", "the server breaks on paging")],
    ),
]
