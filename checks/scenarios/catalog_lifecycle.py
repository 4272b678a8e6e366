"""Write mode (issue 4): the Users and Groups lifecycle probes against a fixture that mishandles Entra's writes.

Every scenario runs `check --allow-writes --yes` against checks/lib/fixture_server.py; each of its two runs (human,
JSON) gets a fresh fixture, and afterwards the runner reads the fixture's /Users and /Groups for resources tagged
scim-doctor- (`tagged_left`).
"""

from __future__ import annotations

from typing import Any

from scenario import Expect, Scenario, Server

WRITES = ["--allow-writes", "--yes"]
USERS = "Users lifecycle"
GROUPS = "Groups lifecycle"
LIFECYCLE = [
    "user-lifecycle.create", "user-lifecycle.read-back", "user-lifecycle.duplicate", "user-lifecycle.filter",
    "user-lifecycle.patch", "user-lifecycle.manager", "user-lifecycle.manager-query", "user-lifecycle.disable",
    "user-lifecycle.delete",
    "group-lifecycle.create", "group-lifecycle.filter", "group-lifecycle.duplicate", "group-lifecycle.members",
    "group-lifecycle.rename", "group-lifecycle.delete",
]


def all_lifecycle_pass(doc: dict[str, Any]) -> list[str]:
    """Every lifecycle probe ran and passed (skipped is not good enough in a conformant write run), and cleanup
    deleted what the run created, leaving nothing."""
    results = {r.get("id"): r for r in doc.get("results") or []}
    problems = [f"{p}: {results[p].get('status') if p in results else 'missing'} (expected pass): "
                f"{str(results.get(p, {}).get('finding', ''))[:160]}"
                for p in LIFECYCLE if results.get(p, {}).get("status") != "pass"]
    return problems + clean(doc)


def cleanup_of(doc: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    cleanup = doc.get("cleanup")
    if not isinstance(cleanup, dict):
        return {}, ["the JSON report of a write run has no cleanup object"]
    return cleanup, []


def clean(doc: dict[str, Any]) -> list[str]:
    """Cleanup deleted at least the test user and left nothing."""
    cleanup, problems = cleanup_of(doc)
    if problems:
        return problems
    if cleanup.get("leftovers"):
        problems.append(f"cleanup.leftovers is not empty: {cleanup.get('leftovers')}")
    if not cleanup.get("deleted"):
        problems.append("cleanup.deleted is empty: the run created nothing, or did not say it deleted it")
    return problems


def leftovers(kind: str) -> Any:
    """Cleanup reports leftovers of `kind` ("users"/"groups"), each with its id and a curl DELETE command."""

    def check(doc: dict[str, Any]) -> list[str]:
        cleanup, problems = cleanup_of(doc)
        if problems:
            return problems
        left = cleanup.get("leftovers") or []
        if not any(str(item.get("kind", "")).lower() == kind for item in left):
            problems.append(f"cleanup.leftovers has no {kind}: {left}")
        for item in left:
            command = str(item.get("command", ""))
            if not item.get("id") or "curl -X DELETE" not in command or str(item.get("id")) not in command:
                problems.append(f"a leftover without its id and curl DELETE command: {item}")
        return problems

    return check


def may_remain(kind: str, name_part: str) -> Any:
    """Cleanup says a `kind` resource may remain, names it, and offers no DELETE for an id it could not prove."""

    def check(doc: dict[str, Any]) -> list[str]:
        cleanup, problems = cleanup_of(doc)
        if problems:
            return problems
        left = [i for i in cleanup.get("leftovers") or [] if str(i.get("kind", "")).lower() == kind]
        if not any(str(i.get("reason", "")).startswith("may remain") and name_part in str(i.get("label")) for i in left):
            problems.append(f"cleanup.leftovers says no {kind} named *{name_part}* may remain: {left}")
        for item in left:
            if "curl" in str(item.get("command", "")) and not item.get("id"):
                problems.append(f"a DELETE command for a resource without a proven id: {item}")
        return problems

    return check


def human_says(*phrases: str) -> Any:
    """The human output holds each phrase (case-insensitive)."""

    def check(text: str) -> list[str]:
        low = " ".join(text.split()).lower()
        return [f"the human output lacks {p!r}" for p in phrases if p.lower() not in low]

    return check


SCENARIOS = [
    Scenario(
        name="lifecycle-conformant",
        area=USERS,
        cause="A server that handles Entra's creates, PATCHes (default dialect), disable and deletes correctly",
        server=Server(kind="fixture"),
        args=WRITES,
        exit=0,
        json_check=all_lifecycle_pass,
        human_check=human_says("Cleanup", "deleted"),
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-conformant-both-styles",
        area=USERS,
        cause="The same server, tested with both PATCH dialects (--patch-style both, as with and without "
              "aadOptscim062020)",
        server=Server(kind="fixture"),
        args=[*WRITES, "--patch-style", "both"],
        exit=0,
        json_check=all_lifecycle_pass,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-conformant-flag-url",
        area=USERS,
        cause="The Tenant URL carries ?aadOptscim062020: the SCIM-compliant PATCH dialect is tested, and accepted",
        server=Server(kind="fixture"),
        url="{base}?aadOptscim062020",
        args=WRITES,
        exit=0,
        json_check=all_lifecycle_pass,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-flag-avoids-false-string",
        area=USERS,
        cause='The server refuses "False" strings, but the Tenant URL has ?aadOptscim062020, so Entra sends booleans',
        server=Server(kind="fixture", fault="rejects-false-string"),
        url="{base}?aadOptscim062020",
        args=WRITES,
        exit=0,
        json_check=all_lifecycle_pass,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-flag-avoids-capitalised-ops",
        area=USERS,
        cause="The server refuses capitalised ops, but the Tenant URL has ?aadOptscim062020, so Entra sends lower-case ones",
        server=Server(kind="fixture", fault="rejects-capitalised-ops"),
        url="{base}?aadOptscim062020",
        args=WRITES,
        exit=0,
        json_check=all_lifecycle_pass,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-rejects-false-string",
        area=USERS,
        cause='PATCH refuses active as the string "False" (Entra\'s default disable) and accepts only a boolean',
        server=Server(kind="fixture", fault="rejects-false-string"),
        args=WRITES,
        exit=1,
        expect=[Expect("user-lifecycle.disable", "fail", 'rejects "False" as a string')],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-rejects-capitalised-ops",
        area=USERS,
        cause='PATCH refuses the capitalised ops Entra sends by default ("Replace", "Add", "Remove")',
        server=Server(kind="fixture", fault="rejects-capitalised-ops"),
        args=WRITES,
        exit=1,
        expect=[
            Expect("user-lifecycle.patch", "fail", "rejects capitalised ops"),
            Expect("user-lifecycle.manager", "fail", "capitalised"),
            Expect("user-lifecycle.disable", "fail", "only the aadOptscim062020 form"),
            Expect("group-lifecycle.members", "fail", "capitalised"),
            Expect("group-lifecycle.rename", "fail", '"Replace"'),
        ],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-drops-attribute",
        area=USERS,
        cause="The server accepts preferredLanguage on create but silently does not store it",
        server=Server(kind="fixture", fault="drops-attribute"),
        args=WRITES,
        exit=1,
        expect=[Expect("user-lifecycle.read-back", "fail", "preferredLanguage dropped")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-reformats-phone",
        area=USERS,
        cause='The server stores phone numbers reformatted ("+1 (555) 555-0100" for +15555550100): Entra updates '
              "the user every cycle",
        server=Server(kind="fixture", fault="reformats-phone"),
        args=WRITES,
        exit=1,
        expect=[Expect("user-lifecycle.read-back", "fail", 'reformatted ("+1 (555) 555-0100"')],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-duplicate-201",
        area=USERS,
        cause="A second POST with an existing userName creates a duplicate user (201) instead of answering 409",
        server=Server(kind="fixture", fault="duplicate-201"),
        args=WRITES,
        exit=1,
        expect=[Expect("user-lifecycle.duplicate", "fail", "duplicate accepted")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-manager-query-refused",
        area=USERS,
        cause="Filters of two expressions (id eq … and manager eq …, Microsoft's reference-attribute query) are "
              "refused with 400: a warning, the query's literal form being unconfirmed",
        server=Server(kind="fixture", fault="filter-single-expression"),
        args=WRITES,
        exit=0,
        expect=[Expect("user-lifecycle.manager-query", "warn", "rejects the filter id eq … and manager eq …")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-manager-query-ignored",
        area=USERS,
        cause="Only the first expression of a filter is applied, so the reference query finds the user whatever the "
              "manager",
        server=Server(kind="fixture", fault="filter-first-expression-only"),
        args=WRITES,
        exit=0,
        expect=[Expect("user-lifecycle.manager-query", "warn", "the manager expression is ignored")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-manager-query-qualified-only",
        area=USERS,
        cause="An unqualified manager in a filter is refused while the enterprise extension's qualified name works "
              "(RFC 7644 §3.10 lets a server want it; Microsoft's example uses the short name)",
        server=Server(kind="fixture", fault="filter-qualified-manager-only"),
        args=WRITES,
        exit=0,
        expect=[Expect("user-lifecycle.manager-query", "warn", "rejects the short name manager")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-group-duplicate-201",
        area=GROUPS,
        cause="A second POST /Groups with a taken displayName creates a second group (201), though Microsoft requires "
              "displayName to be unique (SCIM does not); the duplicate is removed at once",
        server=Server(kind="fixture", fault="duplicate-group-201"),
        args=WRITES,
        exit=1,
        expect=[Expect("group-lifecycle.duplicate", "fail", "duplicate group created")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-group-duplicate-500",
        area=GROUPS,
        cause="A second POST /Groups with a taken displayName fails with 500 instead of 409",
        server=Server(kind="fixture", fault="duplicate-group-500"),
        args=WRITES,
        exit=1,
        expect=[Expect("group-lifecycle.duplicate", "fail", "answered HTTP 500")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-group-duplicate-500-html",
        area=GROUPS,
        cause="The same with a framework's HTML error page",
        server=Server(kind="fixture", fault="duplicate-group-500-html"),
        args=WRITES,
        exit=1,
        expect=[Expect("group-lifecycle.duplicate", "fail", "answered HTTP 500")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-disabled-hidden-from-filter",
        area=USERS,
        cause="Disabled users vanish from filtered queries (GET by id still finds them): Entra cannot re-match them",
        server=Server(kind="fixture", fault="disabled-hidden-from-filter"),
        args=WRITES,
        exit=1,
        expect=[Expect("user-lifecycle.disable", "fail", "disabled users hidden from filters")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-delete-keeps-user",
        area=USERS,
        cause="DELETE answers 204 but the user remains (a soft delete): named so, with what it costs, and no DELETE "
              "command is offered for what DELETE only deactivates",
        server=Server(kind="fixture", fault="delete-keeps-user"),
        args=WRITES,
        exit=1,
        expect=[Expect("user-lifecycle.delete", "fail", "still finds it, so Entra matches it again")],
        human_check=human_says("left in the tenant", "# no command: DELETE only deactivates this user"),
        tagged_left=True,
        reports="`✗ user-lifecycle.delete` (a soft delete, and whether Entra matches it again); Cleanup lists the "
                "test users left in the tenant, to be removed in the application",
    ),
    Scenario(
        name="lifecycle-delete-deactivates-hidden",
        area=USERS,
        cause="DELETE only sets active false and filters hide inactive users: Entra would create the user again and "
              "meet its taken userName",
        server=Server(kind="fixture", fault="delete-deactivates-hidden"),
        args=WRITES,
        exit=1,
        expect=[Expect("user-lifecycle.delete", "fail",
                       "(kept with active false): GET /Users/")],
        allow=[Expect("user-lifecycle.disable", "fail", "hidden from filters")],
        human_check=human_says("# no command: DELETE only deactivates this user"),
        tagged_left=True,
    ),
    Scenario(
        name="lifecycle-delete-refused",
        area=USERS,
        cause="DELETE answers 500 and keeps the user: the test user is left behind, and reported with its command",
        server=Server(kind="fixture", fault="delete-refused"),
        args=WRITES,
        exit=1,
        expect=[Expect("user-lifecycle.delete", "fail", "answered HTTP 500")],
        json_check=leftovers("users"),
        human_check=human_says("left in the tenant", "curl -X DELETE"),
        tagged_left=True,
        reports="`✗ user-lifecycle.delete`; Cleanup lists the test users left in the tenant, each with its "
                "`curl -X DELETE` command",
    ),
    Scenario(
        name="lifecycle-server-dies-mid-run",
        area=USERS,
        # Only the Users lifecycle probes run (--only), so that no other probe's requests race the death and
        # the two runs (human, JSON) see the same thing.
        cause="The server dies right after answering the first create, before the tool can read the user back: "
              "nothing is proven the run's own, and cleanup says the test user may remain",
        server=Server(kind="fixture", fault="dies-mid-run"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail", "is not proven"), Expect("user-lifecycle.delete", "skip")],
        allow=[Expect(p, "fail", phrase) for p in LIFECYCLE if p.startswith("user-lifecycle.")
               for phrase in ("no answer", "no HTTP answer")],
        json_check=may_remain("users", "-ada@example.com"),
        human_check=human_says("left in the tenant", "may remain", "in the application"),
        tagged_left=None,  # nothing to ask: the server is gone
        reports="`✗ user-lifecycle.create` (answered, but the read-back got no answer: not proven); Cleanup says "
                "the test user may remain and to remove it in the application — no DELETE for an unproven id",
    ),
    Scenario(
        name="lifecycle-interrupted-after-create",
        area=USERS,
        cause="The write run is interrupted (SIGINT) right after its first create: cleanup still removes everything",
        server=Server(kind="fixture"),
        args=WRITES,
        exit=130,
        interrupt="after-first-create",
        human_check=human_says("SIGINT received", "deleted", "Nothing was left behind"),
        reports="no report; cleanup deletes what the run created, then \"Nothing was left behind\" (exit 130)",
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-rejects-adscim-schema",
        area=GROUPS,
        cause="POST /Groups refuses Entra's extra schema URI "
              "(http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group)",
        server=Server(kind="fixture", fault="rejects-adscim-schema"),
        args=WRITES,
        exit=1,
        expect=[Expect("group-lifecycle.create", "fail", "rejects Entra's ADSCIM schema")],
        json_check=clean,
        tagged_left=False,
    ),
    # Faults behind the first refusal (issue 10): the create is retried without what the server refused, and the
    # other probes run on the user that was created, naming what they find.
    Scenario(
        name="lifecycle-refuses-enterprise-object",
        area=USERS,
        cause="POST /Users refuses the enterprise extension object: retried without it, the other user probes run",
        server=Server(kind="fixture", fault="refuses-enterprise-object"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail",
                       'the server refuses "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"; without it '
                       "the user was created")],
        allow=[Expect("user-lifecycle.manager", "fail")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-refuses-unnamed-attribute",
        area=USERS,
        cause="POST /Users refuses an attribute without naming it: the core attributes alone are accepted and said so",
        server=Server(kind="fixture", fault="refuses-unnamed-attribute"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail", "an attribute it did not name")],
        allow=[Expect("user-lifecycle.manager", "fail")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-refusal-hides-dropped-title",
        area=USERS,
        cause="POST /Users refuses phoneNumbers, and without them silently drops title: both are found in one run",
        server=Server(kind="fixture", fault="refuses-phones-drops-title"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail", 'the server refuses "phoneNumbers"'),
                Expect("user-lifecycle.read-back", "fail", "title dropped")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-manager-not-stored",
        area=USERS,
        cause="PATCH of the manager answers 204 but nothing is stored: a failure that names it, not a warning about "
              "the value form",
        server=Server(kind="fixture", fault="manager-not-stored"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.manager", "fail", "manager updates are accepted but not stored")],
        json_check=clean,
        tagged_left=False,
    ),
    Scenario(
        name="lifecycle-member-removal-ignored",
        area=GROUPS,
        cause="PATCH removing a group member answers 204 but the member stays",
        server=Server(kind="fixture", fault="member-removal-ignored"),
        args=WRITES,
        exit=1,
        expect=[Expect("group-lifecycle.members", "fail", "member removal ignored")],
        json_check=clean,
        tagged_left=False,
    ),
]


def untouched_seed(doc: dict[str, Any]) -> list[str]:
    """No cleanup entry names a seeded (real) user: the run deleted and offered to delete nothing it did not create."""
    cleanup, problems = cleanup_of(doc)
    if problems:
        return problems
    for item in (cleanup.get("deleted") or []) + (cleanup.get("leftovers") or []):
        if str(item.get("id", "")).startswith("u0"):
            problems.append(f"cleanup names a seeded user: {item}")
    return problems


def safe_commands(doc: dict[str, Any]) -> list[str]:
    """Every removal command quotes the server's id: percent-encoded inside single quotes, no $( ... ) to run."""
    cleanup, problems = cleanup_of(doc)
    if problems:
        return problems
    left = cleanup.get("leftovers") or []
    if not left:
        problems.append("no leftover to print a command for")
    for item in left:
        command = str(item.get("command", ""))
        if "$(" in command or ("curl" in command and "%27%24%28touch" not in command):
            problems.append(f"an unsafe or unquoted removal command: {command}")
    return problems


# Attacks on write mode (issue 8): they stay in the suite for good.
SCENARIOS += [
    Scenario(
        name="attack-create-upserts",
        area=USERS,
        cause="POST /Users answers with an existing real user (an upsert): the run must not PATCH or DELETE it",
        server=Server(kind="fixture", fault="create-upserts"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail", "shows another resource")],
        json_check=untouched_seed,
        tagged_left=False,
        reports="`✗ user-lifecycle.create` (the read-back shows another resource); no PATCH or DELETE reaches the "
                "real user",
    ),
    Scenario(
        name="attack-create-swaps-id",
        area=USERS,
        cause="POST /Users stores the test user but answers a real user's id: the real one is untouched, the "
              "test user is found by its name and removed",
        server=Server(kind="fixture", fault="create-swaps-id"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail", "shows another resource")],
        json_check=untouched_seed,
        tagged_left=False,
        reports="`✗ user-lifecycle.create`; Cleanup deletes the test user it finds by name, never the real user",
    ),
    Scenario(
        name="attack-create-dot-id",
        area=USERS,
        cause='POST /Users answers id "..": no PATCH or DELETE goes to the base path; the test user is found by '
              "its name and removed",
        server=Server(kind="fixture", fault="create-dot-id"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail", "dot segment")],
        json_check=untouched_seed,
        tagged_left=False,
        reports="`✗ user-lifecycle.create` (an id scim-doctor will not put in a URL)",
    ),
    Scenario(
        name="attack-create-idless",
        area=USERS,
        cause="POST /Users creates the user but answers without an id: cleanup finds it by its name and removes it",
        server=Server(kind="fixture", fault="create-idless"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail", "without an id")],
        tagged_left=False,
        reports="`✗ user-lifecycle.create` (no id); Cleanup finds the user by its exact name and deletes it",
    ),
    Scenario(
        name="attack-create-answered-too-late",
        area=USERS,
        cause="POST /Users stores the user but answers after --timeout: the run never sees the id, and cleanup "
              "finds the user by its name and removes it",
        server=Server(kind="fixture", fault="create-slow"),
        args=[*WRITES, "--only", "user-lifecycle.create", "--timeout", "1"],
        exit=1,
        expect=[Expect("user-lifecycle.create", "fail", "got no answer")],
        tagged_left=False,
        reports="`✗ user-lifecycle.create` (no answer within --timeout); Cleanup deletes the user it finds by name",
    ),
    Scenario(
        name="attack-injection-id",
        area=USERS,
        cause="User ids carry shell syntax (x'$(touch .pwned)') and DELETE keeps them: the printed removal command "
              "is safe to paste",
        server=Server(kind="fixture", fault="create-injection-id"),
        args=[*WRITES, "--only", "user-lifecycle"],
        exit=1,
        expect=[Expect("user-lifecycle.delete", "fail")],
        allow=[Expect(p, "fail") for p in LIFECYCLE if p.startswith("user-lifecycle.")],
        json_check=safe_commands,
        human_check=human_says("%27%24%28touch"),
        tagged_left=True,
        reports="the leftover's `curl -X DELETE` command carries the id percent-encoded in single quotes",
    ),
]
