#!/usr/bin/env python3
"""A configurable, deliberately misbehaving SCIM 2.0 server for scim-doctor's end-to-end tests.

    python3 checks/lib/fixture_server.py [--fault NAME] [--token TOKEN] [--base-path /scim/v2]
                                         [--tls-cert FILE --tls-key FILE [--tls13-only]]
                                         [--host 127.0.0.1]
    python3 checks/lib/fixture_server.py --list-faults

It listens on an ephemeral port (port 0) of the loopback address, prints `PORT <n>` on stdout once
it accepts connections, then serves until it is killed. Every request is logged on stderr as one
line (never with its headers, so never with a token).

Without --fault (or with `--fault none`) it behaves like a conformant SCIM server for the read
requests Microsoft Entra sends: users and groups in memory, `filter` with `eq` (and `and`) on
userName / displayName (case-insensitive, as RFC 7643 says) and the other attributes,
`startIndex`/`count`, `attributes`/`excludedAttributes`, /Schemas (User, EnterpriseUser, Group),
/ResourceTypes, /ServiceProviderConfig (the only resource answered without a token), a 401 with
`WWW-Authenticate: Bearer realm="SCIM"` without the right token, and `application/scim+json`.

It also takes Entra's writes: POST /Users and /Groups (201 with id and meta; 409 uniqueness on a
duplicate userName/displayName, case-insensitive; unknown schema URIs such as Entra's ADSCIM group
schema are accepted and not kept), PATCH in both of Entra's dialects (ops in any case; active as
true/false or "True"/"False"; paths `title`, `name.givenName`, `emails[type eq "work"].value`,
`urn:…:enterprise:2.0:User:employeeNumber`, `…:manager` with a bare id or {"value": id} ("" or
Remove clears it), path-less add/replace whose keys are dotted or URN-qualified; group members
Add/Remove with value [{"value": id}] and Remove with `members[value eq "id"]`) → 204, and
DELETE → 204, then 404. With --events it prints `EVENT <METHOD> <path> <status> [<created id>]`
on stdout after every answer (a caller must then keep reading stdout).

Faults are entries of the FAULTS table: a name, a one-line description and the hooks of the
request pipeline that they replace (see `Fixture.handle`). Adding a fault is adding an entry:

    FAULTS["groups-404"] = Fault(
        "every /Groups request answers 404 (a user-only server)",
        list_groups=lambda fx, req: scim_error(404, "Unknown resource"),
    )

Hooks (each a function of the Fixture, the Request and the arguments shown; return a Response):

    intercept(fx, req)                  -> Response | None   before anything else; None = go on
    outside_base(fx, req)               -> Response          a path outside the SCIM base path
    is_public(fx, req, rel)             -> bool              answered without a token?
    authenticate(fx, req)               -> Response | None   None = accepted, else the 401/403
    service_provider_config(fx, req)    schemas(fx, req)     schema(fx, req, schema_id)
    resource_types(fx, req)             resource_type(fx, req, name)
    list_users(fx, req)                 get_user(fx, req, id)      create_user(fx, req)
    list_groups(fx, req)                get_group(fx, req, id)     create_group(fx, req)
    patch_user(fx, req, id)             patch_group(fx, req, id)   (204 on success)
    check_create(fx, req, kind, body)   -> Response | None   refuse a POST body (None = go on)
    check_patch(fx, req, kind, ops)     -> Response | None   refuse a PATCH's Operations (None = go on)
    patch_op(fx, req, kind, resource, op, path, value)       apply one operation (op lower-case) in place
    accept(fx, req, kind, resource)     -> dict              what is stored of a created or patched resource
    delete_resource(fx, req, kind, id)  not_found(fx, req, rel)    method_not_allowed(fx, req, rel)
    parse_filter(fx, req, kind, text)   -> predicate(resource) -> bool   (raise FilterError → 400)
    empty_filter_result(fx, req, kind)  -> Response    a filter that matched nothing
    render(fx, req, kind, resource)     -> dict        one resource as served (attributes applied)
    list_response(fx, req, kind, rendered, total, start) -> Response
    finalize(fx, req, response)         -> Response          last look at every response

`kind` is "Users" or "Groups". Settings that are not functions can ride along in the same table
(e.g. `base_path="/v2"`, `max_results=1`, `ignore_count=True`, `case_exact={"username"}`,
`trickle_delay=1.0`); `fx.setting(name, default)` reads them. A Response may carry `stream` (an
iterable of byte chunks, written and flushed one by one) instead of `body`, for huge or slow bodies.

Every fault declares its expected raw behaviour in `expect=[…]` (the request steps above FAULTS say how);
checks/test_fixture.py runs one self-check per fault, and usually a scenario or an e2e case runs scim-doctor
against it.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import http.server
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import leaks  # noqa: E402  (the forms a token must never take: the echo-token fault sends them all back)

SCIM_JSON = "application/scim+json"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

DATA = json.loads((Path(__file__).resolve().parent / "data" / "rfc7643.json").read_text())

# Attributes compared case-sensitively in filters (RFC 7643 caseExact: true); every other string
# attribute is compared case-insensitively (userName, displayName, emails.value...).
CASE_EXACT = {"id", "externalid"}


# --------------------------------------------------------------------------------------------
# Requests and responses
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Request:
    method: str
    target: str  # the request target as sent (path and query)
    path: str  # decoded path, without the query
    query: dict[str, list[str]]
    headers: Any  # email.message.Message: case-insensitive .get()
    body: bytes
    tls: bool

    def param(self, name: str) -> str | None:
        """A query parameter, matched case-insensitively (SCIM parameter names are)."""
        for key, values in self.query.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclasses.dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    # Instead of `body`: chunks written (and flushed) one by one, for huge or slow bodies. Give the
    # Content-Length in `headers`, or none for a body that ends when the connection closes.
    stream: Iterable[bytes] | None = None

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def set_header(self, name: str, value: str) -> Response:
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()] + [(name, value)]
        return self


def scim(status: int, obj: Any, *headers: tuple[str, str], content_type: str = SCIM_JSON) -> Response:
    return Response(status, json.dumps(obj).encode(), [("Content-Type", content_type), *headers])


def scim_error(status: int, detail: str, scim_type: str | None = None, *headers: tuple[str, str]) -> Response:
    body: dict[str, Any] = {"schemas": [ERROR], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return scim(status, body, *headers)


def html(status: int, text: str, *headers: tuple[str, str]) -> Response:
    return Response(status, text.encode(), [("Content-Type", "text/html; charset=utf-8"), *headers])


def text_response(status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> Response:
    return Response(status, text.encode(), [("Content-Type", content_type)])


class FilterError(Exception):
    """A filter the server does not understand: answered 400 invalidFilter."""


# --------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def seed_users() -> list[dict[str, Any]]:
    people = [
        ("Alice.Smith@Example.com", "Alice", "Smith", "Engineer", "Engineering", "1001", True),
        ("bob.jones@example.com", "Bob", "Jones", "Sales lead", "Sales", "1002", True),
        ("Carol.White@example.com", "Carol", "White", "Accountant", "Finance", "1003", False),
    ]
    users = []
    for n, (user_name, given, family, title, dept, number, active) in enumerate(people, start=1):
        users.append(
            {
                "schemas": [USER_SCHEMA, ENTERPRISE_USER],
                "id": f"u{n:03d}-{uuid.uuid5(uuid.NAMESPACE_URL, user_name).hex[:12]}",
                "externalId": user_name.split("@")[0].lower(),
                "userName": user_name,
                "name": {"formatted": f"{given} {family}", "givenName": given, "familyName": family},
                "displayName": f"{given} {family}",
                "title": title,
                "active": active,
                "preferredLanguage": "en-US",
                "emails": [{"value": user_name.lower(), "type": "work", "primary": True}],
                "phoneNumbers": [{"value": f"+1555000{number}", "type": "work"}],
                "addresses": [{"type": "work", "streetAddress": f"{n} Main St", "locality": "Springfield",
                               "postalCode": f"0{number}", "country": "US", "primary": True}],
                ENTERPRISE_USER: {"employeeNumber": number, "department": dept},
                "meta": {"resourceType": "User", "created": _now(), "lastModified": _now(), "version": 'W/"1"'},
            }
        )
    return users


def seed_groups(users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def member(u: dict[str, Any]) -> dict[str, Any]:
        return {"value": u["id"], "display": u["displayName"], "type": "User"}

    groups = []
    for n, (name, members) in enumerate([("Engineering Team", users[:2]), ("Finance", users[2:])], start=1):
        groups.append(
            {
                "schemas": [GROUP_SCHEMA],
                "id": f"g{n:03d}-{uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:12]}",
                "externalId": str(uuid.uuid5(uuid.NAMESPACE_DNS, name)),
                "displayName": name,
                "members": [member(u) for u in members],
                "meta": {"resourceType": "Group", "created": _now(), "lastModified": _now(), "version": 'W/"1"'},
            }
        )
    return groups


# --------------------------------------------------------------------------------------------
# Default behaviour: each function is the default of the hook of the same name
# --------------------------------------------------------------------------------------------


def d_intercept(fx: Fixture, req: Request) -> Response | None:
    return None


def d_outside_base(fx: Fixture, req: Request) -> Response:
    return scim_error(404, f"No SCIM resource at {req.path}; the SCIM base path is {fx.base_path or '/'}")


def d_is_public(fx: Fixture, req: Request, rel: str) -> bool:
    return rel.rstrip("/").lower() == "/serviceproviderconfig"


def d_authenticate(fx: Fixture, req: Request) -> Response | None:
    if not fx.tokens:
        return None
    auth = req.headers.get("Authorization") or ""
    scheme, _, credentials = auth.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip() in fx.tokens:
        return None
    return scim_error(
        401,
        "Authorization failure. The authorization header is invalid or missing",
        None,
        ("WWW-Authenticate", 'Bearer realm="SCIM"'),
    )


def d_service_provider_config(fx: Fixture, req: Request) -> Response:
    return scim(
        200,
        {
            "schemas": [SPC_SCHEMA],
            "documentationUri": "https://example.invalid/scim-docs",
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": 200},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "OAuth Bearer Token",
                    "description": "Authentication scheme using the OAuth Bearer Token Standard",
                    "specUri": "https://www.rfc-editor.org/info/rfc6750",
                    "primary": True,
                }
            ],
            "meta": {"resourceType": "ServiceProviderConfig", "location": fx.url(req, "/ServiceProviderConfig")},
        },
    )


def _with_location(fx: Fixture, req: Request, obj: dict[str, Any], rel: str) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    obj.setdefault("meta", {})["location"] = fx.url(req, rel)
    return obj


def d_schemas(fx: Fixture, req: Request) -> Response:
    res = [_with_location(fx, req, s, f"/Schemas/{s['id']}") for s in DATA["schemas"]]
    return scim(200, {"schemas": [LIST_RESPONSE], "totalResults": len(res), "startIndex": 1,
                      "itemsPerPage": len(res), "Resources": res})


def d_schema(fx: Fixture, req: Request, schema_id: str) -> Response:
    for s in DATA["schemas"]:
        if s["id"] == schema_id:
            return scim(200, _with_location(fx, req, s, f"/Schemas/{s['id']}"))
    return scim_error(404, f"Schema {schema_id} not found")


def d_resource_types(fx: Fixture, req: Request) -> Response:
    res = [_with_location(fx, req, r, f"/ResourceTypes/{r['id']}") for r in DATA["resourceTypes"]]
    return scim(200, {"schemas": [LIST_RESPONSE], "totalResults": len(res), "startIndex": 1,
                      "itemsPerPage": len(res), "Resources": res})


def d_resource_type(fx: Fixture, req: Request, name: str) -> Response:
    for r in DATA["resourceTypes"]:
        if r["id"] == name:
            return scim(200, _with_location(fx, req, r, f"/ResourceTypes/{r['id']}"))
    return scim_error(404, f"Resource type {name} not found")


_FILTER_TERM = re.compile(
    r'\s*(?P<attr>[A-Za-z][\w:.$-]*)\s+(?P<op>eq)\s+(?P<value>"(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)\s*',
    re.IGNORECASE,
)


def _lookup(resource: dict[str, Any], attr_path: str) -> list[Any]:
    """Values of an attribute path (case-insensitive names, URN prefixes, sub-attributes)."""
    node: Any = resource
    path = attr_path
    for urn in (ENTERPRISE_USER, USER_SCHEMA, GROUP_SCHEMA):
        if path.lower().startswith(urn.lower() + ":"):
            path = path[len(urn) + 1:]
            if urn == ENTERPRISE_USER:
                node = resource.get(ENTERPRISE_USER, {})
            break
    values = [node]
    for part in path.split("."):
        nxt: list[Any] = []
        for v in values:
            items = v if isinstance(v, list) else [v]
            for item in items:
                if isinstance(item, dict):
                    for k, val in item.items():
                        if k.lower() == part.lower():
                            nxt.append(val)
        values = nxt
    if not values and path.lower() == "manager" and node is resource:
        # An unprefixed manager means the enterprise extension's (the core schema has none), as Entra uses it.
        values = _lookup(resource, f"{ENTERPRISE_USER}:manager")
    flat: list[Any] = []
    for v in values:
        flat.extend(v if isinstance(v, list) else [v])
    # A reference compares by its id: {"value": id}.
    return [v["value"] if isinstance(v, dict) and "value" in v and path.lower() == "manager" else v for v in flat]


def d_parse_filter(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    terms = []
    for chunk in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        m = _FILTER_TERM.fullmatch(chunk)
        if not m:
            raise FilterError(f"Unsupported filter: {text}")
        attr, raw = m.group("attr"), m.group("value")
        value = json.loads(raw) if raw[0] == '"' or raw in ("true", "false", "null") else float(raw)
        leaf = attr.split(":")[-1].split(".")[-1].lower()
        terms.append((attr, value, leaf in CASE_EXACT | set(fx.setting("case_exact", set()))))

    def predicate(resource: dict[str, Any]) -> bool:
        for attr, value, exact in terms:
            found = _lookup(resource, attr)
            if isinstance(value, str) and not exact:
                ok = any(isinstance(v, str) and v.lower() == value.lower() for v in found)
            else:
                ok = any(v == value for v in found)
            if not ok:
                return False
        return True

    return predicate


def d_empty_filter_result(fx: Fixture, req: Request, kind: str) -> Response:
    return fx.hook("list_response")(fx, req, kind, [], 0, 1)


def d_render(fx: Fixture, req: Request, kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(resource)
    out["meta"]["location"] = fx.url(req, f"/{kind}/{resource['id']}")
    always = {"id", "schemas", "meta"}
    attributes = req.param("attributes")
    excluded = req.param("excludedAttributes")
    if attributes:
        wanted = {a.strip().split(".")[0].split(":")[-1].lower() for a in attributes.split(",")}
        out = {k: v for k, v in out.items() if k in always or k.lower() in wanted}
    if excluded:
        unwanted = {a.strip().split(".")[0].split(":")[-1].lower() for a in excluded.split(",")}
        out = {k: v for k, v in out.items() if k in always or k.lower() not in unwanted}
    return out


def d_list_response(fx: Fixture, req: Request, kind: str, rendered: list[dict[str, Any]], total: int,
                    start: int) -> Response:
    return scim(200, {"schemas": [LIST_RESPONSE], "totalResults": total, "startIndex": start,
                      "itemsPerPage": len(rendered), "Resources": rendered})


def _int_param(req: Request, name: str, default: int) -> int:
    raw = req.param(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as e:
        raise FilterError(f"{name} must be an integer") from e


def list_resources(fx: Fixture, req: Request, kind: str) -> Response:
    with fx.lock:
        pool = list(fx.store[kind])
    text = req.param("filter")
    try:
        if text is not None:
            predicate = fx.hook("parse_filter")(fx, req, kind, text)
            pool = [r for r in pool if predicate(r)]
        start = max(1, _int_param(req, "startIndex", 1))
        count = _int_param(req, "count", fx.setting("max_results", 200))
        if fx.setting("ignore_count", False):
            count = fx.setting("max_results", 200)
    except FilterError as e:
        return scim_error(400, str(e), "invalidFilter")
    if text is not None and not pool:
        return fx.hook("empty_filter_result")(fx, req, kind)
    page = pool[start - 1:start - 1 + max(0, min(count, fx.setting("max_results", 200)))]
    rendered = [fx.hook("render")(fx, req, kind, r) for r in page]
    return fx.hook("list_response")(fx, req, kind, rendered, len(pool), start)


def get_resource(fx: Fixture, req: Request, kind: str, rid: str) -> Response:
    with fx.lock:
        found = next((r for r in fx.store[kind] if r["id"] == rid), None)
    if found is None:
        return scim_error(404, f"Resource {rid} not found")
    return scim(200, fx.hook("render")(fx, req, kind, found))


ADSCIM_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
UNIQUE_KEY = {"Users": "userName", "Groups": "displayName"}


class PatchError(Exception):
    """A PATCH (or create) the server refuses: answered with this status and scimType."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def response(self) -> Response:
        return scim_error(self.status, self.detail, self.scim_type)


def _key(obj: dict[str, Any], name: str) -> str | None:
    """The key of obj that is `name`, compared case-insensitively (SCIM attribute names are)."""
    return next((k for k in obj if k.lower() == name.lower()), None)


def _get(obj: dict[str, Any], name: str) -> Any:
    k = _key(obj, name)
    return obj[k] if k is not None else None


def _set(obj: dict[str, Any], name: str, value: Any) -> None:
    obj[_key(obj, name) or name] = value


def _pop(obj: dict[str, Any], name: str) -> None:
    k = _key(obj, name)
    if k is not None:
        del obj[k]


def _boolean(value: Any, attr: str) -> bool:
    """active as Entra sends it: true/false, or the strings "True"/"False" (any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise PatchError(400, f"{attr} must be a boolean, got {json.dumps(value)}", "invalidValue")


_VALUE_FILTER = re.compile(r'\s*(?P<attr>[A-Za-z$][\w$]*)\s+eq\s+(?P<value>"(?:[^"\\]|\\.)*"|true|false)\s*', re.I)


def _value_filter(text: str) -> Callable[[Any], bool]:
    """`type eq "work"` (joined with `and`) over the items of a multi-valued attribute."""
    terms = []
    for chunk in re.split(r"\s+and\s+", text.strip(), flags=re.I):
        m = _VALUE_FILTER.fullmatch(chunk)
        if not m:
            raise PatchError(400, f"Unsupported value filter [{text}]", "invalidFilter")
        terms.append((m.group("attr"), json.loads(m.group("value").lower() if m.group("value")[0] != '"'
                                                  else m.group("value"))))

    def match(item: Any) -> bool:
        if not isinstance(item, dict):
            return False
        for attr, want in terms:
            got = _get(item, attr)
            if isinstance(want, str) and isinstance(got, str):
                if attr.lower() in CASE_EXACT or attr.lower() == "value":
                    if got != want:
                        return False
                elif got.lower() != want.lower():
                    return False
            elif got != want:
                return False
        return True

    return match


_PATH = re.compile(r"(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>[^\]]*)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?")


def _split_path(kind: str, resource: dict[str, Any], path: str) -> tuple[dict[str, Any], str, str | None, str | None]:
    """(container, attribute, value filter, sub-attribute) of a PATCH path: `title`, `name.givenName`,
    `emails[type eq "work"].value`, `members[value eq "id"]`, `urn:…:enterprise:2.0:User:employeeNumber`."""
    container = resource
    rest = path.strip()
    for urn in (ENTERPRISE_USER, USER_SCHEMA, GROUP_SCHEMA):
        if rest.lower().startswith(urn.lower() + ":"):
            rest = rest[len(urn) + 1:]
            if urn == ENTERPRISE_USER:
                if kind != "Users":
                    raise PatchError(400, f"{urn} is not an extension of {kind}", "invalidPath")
                key = _key(resource, ENTERPRISE_USER) or ENTERPRISE_USER
                container = resource.setdefault(key, {})
            break
    m = _PATH.fullmatch(rest)
    if not m:
        raise PatchError(400, f"Unsupported path {path}", "invalidPath")
    return container, m.group("attr"), m.group("filter"), m.group("sub")


def _normalise_value(kind: str, attr: str, sub: str | None, value: Any, op: str) -> Any:
    if kind == "Users" and attr.lower() == "active" and sub is None:
        return _boolean(value, "active")
    if kind == "Users" and attr.lower() == "manager" and sub is None:
        if isinstance(value, str):
            return {"value": value} if value else None  # Entra: a bare id; "" removes the manager
        if isinstance(value, dict) and isinstance(_get(value, "value"), str):
            return {"value": _get(value, "value")} if _get(value, "value") else None
        raise PatchError(400, f"manager must be an id or {{\"value\": id}}, got {json.dumps(value)}", "invalidValue")
    return value


def _same_item(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return _get(a, "value") is not None and _get(a, "value") == _get(b, "value")
    return a == b


def apply_op(fx: Fixture, kind: str, resource: dict[str, Any], op: str, path: str | None, value: Any) -> None:
    """One PATCH operation (op already lower-case) applied to `resource` in place."""
    if path is None or path == "":
        if op == "remove":
            raise PatchError(400, "remove needs a path", "noTarget")
        if not isinstance(value, dict):
            raise PatchError(400, f"{op} without a path needs an object value", "invalidValue")
        for k, v in value.items():
            if k.lower() == ENTERPRISE_USER.lower() and isinstance(v, dict):
                for ek, ev in v.items():
                    apply_op(fx, kind, resource, op, f"{ENTERPRISE_USER}:{ek}", ev)
            elif k.lower() == "schemas":
                continue
            else:
                apply_op(fx, kind, resource, op, k, v)  # dotted (name.givenName) and URN keys too
        return
    container, attr, vfilter, sub = _split_path(kind, resource, path)
    if attr.lower() in ("id", "meta", "schemas"):
        raise PatchError(400, f"{attr} cannot be changed", "mutability")
    current = _get(container, attr)

    if vfilter is not None:
        match = _value_filter(vfilter)
        items = current if isinstance(current, list) else []
        hits = [i for i in items if match(i)]
        if op == "remove":
            if sub is None:
                _set(container, attr, [i for i in items if not match(i)])
            else:
                for i in hits:
                    _pop(i, sub)
            return
        if not hits:  # add (and, leniently, replace) creates the item the filter describes
            new: dict[str, Any] = {}
            for chunk in re.split(r"\s+and\s+", vfilter.strip(), flags=re.I):
                fm = _VALUE_FILTER.fullmatch(chunk)
                if fm:
                    new[fm.group("attr")] = json.loads(fm.group("value"))
            items = list(items) + [new]
            _set(container, attr, items)
            hits = [new]
        for i in hits:
            if sub is None:
                if not isinstance(value, dict):
                    raise PatchError(400, f"{path} needs an object value", "invalidValue")
                i.update(value)
            else:
                _set(i, sub, value)
        return

    if sub is not None:  # name.givenName
        if op == "remove":
            if isinstance(current, dict):
                _pop(current, sub)
            return
        if not isinstance(current, dict):
            current = {}
            _set(container, attr, current)
        _set(current, sub, value)
        return

    if op == "remove":
        if isinstance(current, list) and isinstance(value, list) and value:
            _set(container, attr, [i for i in current if not any(_same_item(i, v) for v in value)])
        else:
            _pop(container, attr)
        return
    value = _normalise_value(kind, attr, sub, value, op)
    if value is None:
        _pop(container, attr)
        return
    if isinstance(value, list) and (isinstance(current, list) or current is None) and op == "add":
        merged = list(current or [])
        for v in value:
            if not any(_same_item(m, v) for m in merged):
                merged.append(v)
        value = merged
    if kind == "Groups" and attr.lower() == "members":
        value = [_member(fx, v) for v in value] if isinstance(value, list) else value
    if attr.lower() == UNIQUE_KEY[kind].lower():
        if not isinstance(value, str) or not value:
            raise PatchError(400, f"{attr} must be a non-empty string", "invalidValue")
        _require_unique(fx, kind, value, resource["id"])
    _set(container, attr, value)


def _member(fx: Fixture, v: Any) -> dict[str, Any]:
    if not isinstance(v, dict) or not isinstance(_get(v, "value"), str):
        raise PatchError(400, f"a member must be {{\"value\": id}}, got {json.dumps(v)}", "invalidValue")
    mid = _get(v, "value")
    user = next((u for u in fx.store["Users"] if u["id"] == mid), None)
    group = next((g for g in fx.store["Groups"] if g["id"] == mid), None)
    if user is None and group is None:
        raise PatchError(400, f"no user or group has the id {mid}", "invalidValue")
    target = user or group
    assert target is not None
    return {"value": mid, "display": target.get("displayName") or target.get("userName"),
            "type": "User" if user is not None else "Group"}


def _require_unique(fx: Fixture, kind: str, value: str, own_id: str | None) -> None:
    key = UNIQUE_KEY[kind]
    if kind in fx.setting("allow_duplicates", set()):
        return
    if any(isinstance(r.get(key), str) and r[key].lower() == value.lower() and r["id"] != own_id
           for r in fx.store[kind]):
        raise PatchError(409, f"{key} {value} already exists", "uniqueness")


def _canonical(kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    """The schemas a conformant server lists for what it stores (unknown schema URIs are not kept)."""
    if kind == "Users":
        ext = _key(resource, ENTERPRISE_USER)
        if ext is not None and ext != ENTERPRISE_USER:
            resource[ENTERPRISE_USER] = resource.pop(ext)
        if ENTERPRISE_USER in resource and not resource[ENTERPRISE_USER]:
            del resource[ENTERPRISE_USER]
        resource["schemas"] = [USER_SCHEMA] + ([ENTERPRISE_USER] if ENTERPRISE_USER in resource else [])
    else:
        resource["schemas"] = [GROUP_SCHEMA]
        resource.setdefault("members", [])
    return resource


def d_accept(fx: Fixture, req: Request, kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    return resource


def d_check_create(fx: Fixture, req: Request, kind: str, body: dict[str, Any]) -> Response | None:
    return None


def d_check_patch(fx: Fixture, req: Request, kind: str, operations: list[dict[str, Any]]) -> Response | None:
    return None


def d_patch_op(fx: Fixture, req: Request, kind: str, resource: dict[str, Any], op: str, path: str | None,
               value: Any) -> None:
    apply_op(fx, kind, resource, op, path, value)


def _json_object(req: Request) -> dict[str, Any]:
    try:
        body = req.json()
    except (ValueError, UnicodeDecodeError) as e:
        raise PatchError(400, "The request body is not JSON", "invalidSyntax") from e
    if not isinstance(body, dict):
        raise PatchError(400, "The request body is not a JSON object", "invalidSyntax")
    return body


def _echo_token(fx: Fixture, req: Request, response: Response) -> Response:
    """Every form of the bearer token it received, in headers and (JSON answers) in the body."""
    auth = req.headers.get("Authorization") or ""
    token = auth[7:] if auth.lower().startswith("bearer ") else ""
    if not token or response.stream is not None:
        return response
    forms = leaks.encodings(token)
    for index, (name, form) in enumerate(forms.items()):
        if form.isascii() and "\r" not in form and "\n" not in form:
            response.set_header(f"X-Echo-{index}", form)
    try:
        body = json.loads(response.body) if response.body else None
    except ValueError:
        body = None
    if isinstance(body, dict):
        body["debug"] = {"authorization": auth, **forms}
        response.body = json.dumps(body).encode()
        response.set_header("Content-Length", str(len(response.body)))
    return response


def _slow(fx: Fixture, response: Response) -> Response:
    time.sleep(float(fx.setting("create_delay", 3.0)))
    return response


def _framework_refusal(body: bytes, content_type: str, challenge: str) -> Callable[[Fixture, Request], Response | None]:
    """A web framework's bearer middleware: any request without an accepted token gets this 401."""
    def authenticate(fx: Fixture, req: Request) -> Response | None:
        if d_authenticate(fx, req) is None:
            return None
        return Response(401, body, [("Content-Type", content_type), ("WWW-Authenticate", challenge)])
    return authenticate


def _routes_first(fx: Fixture, req: Request) -> Response | None:
    """A server that routes before it authenticates: a path it has no route for is 404, token or not."""
    rel = req.path[len(fx.base_path):] if req.path.startswith(fx.base_path) else req.path
    known = re.fullmatch(r"/(Users|Groups|Schemas|ResourceTypes|ServiceProviderConfig)(/[^/]+)?/?", rel, re.I)
    return None if known else Response(404, b"<html><title>404 Not Found</title></html>",
                                       [("Content-Type", "text/html; charset=utf-8")])


def _paging_500(html: bool) -> Callable[[Fixture, Request], Response | None]:
    """A list that fails as soon as startIndex or count is given (an unhandled offset), and works without."""
    def intercept(fx: Fixture, req: Request) -> Response | None:
        if req.method != "GET" or (req.param("startIndex") is None and req.param("count") is None):
            return None
        if html:
            return Response(500, b"<html><title>500 Internal Server Error</title></html>",
                            [("Content-Type", "text/html; charset=utf-8")])
        return scim_error(500, "Index was out of range. Must be non-negative and less than the size of the collection.")
    return intercept


def _refuse_create(names: tuple[str, ...], detail: Callable[[str], str]) -> Callable[..., Response | None]:
    """POST /Users with any of `names` (top-level keys, case-insensitive) is refused with 400 and `detail(name)`."""
    def check(fx: Fixture, req: Request, kind: str, body: dict[str, Any]) -> Response | None:
        if kind != "Users":
            return None
        present = {k.lower(): k for k in body}
        for name in names:
            if name.lower() in present:
                return scim_error(400, detail(present[name.lower()]), "invalidValue")
        return None
    return check


def _answer_existing_user(fx: Fixture) -> Response:
    with fx.lock:
        real = copy.deepcopy(fx.store["Users"][0])
    return scim(201, real)


def _swap_id(fx: Fixture, req: Request, kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    rendered = d_render(fx, req, kind, resource)
    if req.method == "POST" and kind == "Users":
        with fx.lock:
            rendered["id"] = fx.store["Users"][0]["id"]
    return rendered


def _create_with_id(fx: Fixture, req: Request, prefix: str) -> Response:
    response = create_resource(fx, req, "Users")
    if response.status != 201:
        return response
    created = json.loads(response.body)
    with fx.lock:
        stored = next(r for r in fx.store["Users"] if r["id"] == created["id"])
        stored["id"] = f"{prefix}{len(fx.store['Users'])}"
        created["id"] = stored["id"]
    return scim(201, created)


def create_resource(fx: Fixture, req: Request, kind: str) -> Response:
    try:
        body = _json_object(req)
        key = UNIQUE_KEY[kind]
        if not isinstance(body.get(key), str) or not body[key]:
            raise PatchError(400, f"{key} is required", "invalidValue")
        refused = fx.hook("check_create")(fx, req, kind, body)
        if refused is not None:
            return refused
        resource = copy.deepcopy(body)
        resource.pop("id", None)
        if kind == "Users" and "active" in resource:
            resource["active"] = _boolean(resource["active"], "active")
        if kind == "Groups" and isinstance(resource.get("members"), list):
            with fx.lock:
                resource["members"] = [_member(fx, m) for m in resource["members"]]
        _canonical(kind, resource)
        resource = fx.hook("accept")(fx, req, kind, resource)
        with fx.lock:
            _require_unique(fx, kind, body[key], None)
            resource["id"] = uuid.uuid4().hex
            resource["meta"] = {"resourceType": kind[:-1], "created": _now(), "lastModified": _now(),
                                "version": 'W/"1"'}
            fx.store[kind].append(resource)
    except PatchError as e:
        return e.response()
    rendered = fx.hook("render")(fx, req, kind, resource)
    return scim(201, rendered, ("Location", rendered["meta"]["location"]))


def patch_resource(fx: Fixture, req: Request, kind: str, rid: str) -> Response:
    try:
        body = _json_object(req)
        ops = _get(body, "Operations")
        if not isinstance(ops, list) or not ops or not all(isinstance(o, dict) for o in ops):
            raise PatchError(400, "Operations must be a non-empty array of objects", "invalidSyntax")
        refused = fx.hook("check_patch")(fx, req, kind, ops)
        if refused is not None:
            return refused
        with fx.lock:
            found = next((r for r in fx.store[kind] if r["id"] == rid), None)
            if found is None:
                return scim_error(404, f"Resource {rid} not found")
            work = copy.deepcopy(found)
            for o in ops:
                op = _get(o, "op")
                if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
                    raise PatchError(400, f"Unknown op {json.dumps(op)}", "invalidSyntax")
                path = _get(o, "path")
                if path is not None and not isinstance(path, str):
                    raise PatchError(400, "path must be a string", "invalidPath")
                fx.hook("patch_op")(fx, req, kind, work, op.lower(), path, _get(o, "value"))
            _canonical(kind, work)
            work = fx.hook("accept")(fx, req, kind, work)
            work["meta"]["lastModified"] = _now()
            version = re.search(r"\d+", str(work["meta"].get("version", ""))) or None
            work["meta"]["version"] = f'W/"{int(version.group()) + 1 if version else 2}"'
            found.clear()
            found.update(work)
    except PatchError as e:
        return e.response()
    return Response(204)


def d_delete_resource(fx: Fixture, req: Request, kind: str, rid: str) -> Response:
    with fx.lock:
        before = len(fx.store[kind])
        fx.store[kind] = [r for r in fx.store[kind] if r["id"] != rid]
        if len(fx.store[kind]) == before:
            return scim_error(404, f"Resource {rid} not found")
        for g in fx.store["Groups"]:  # a deleted user or group is no one's member any more
            if isinstance(g.get("members"), list):
                g["members"] = [m for m in g["members"] if not (isinstance(m, dict) and m.get("value") == rid)]
    return Response(204)


def d_not_found(fx: Fixture, req: Request, rel: str) -> Response:
    return scim_error(404, f"Unknown SCIM resource {rel}")


def d_method_not_allowed(fx: Fixture, req: Request, rel: str) -> Response:
    return scim_error(405, f"{req.method} is not supported on {rel}")


def d_finalize(fx: Fixture, req: Request, response: Response) -> Response:
    return response


DEFAULT_HOOKS: dict[str, Callable[..., Any]] = {
    "intercept": d_intercept,
    "outside_base": d_outside_base,
    "is_public": d_is_public,
    "authenticate": d_authenticate,
    "service_provider_config": d_service_provider_config,
    "schemas": d_schemas,
    "schema": d_schema,
    "resource_types": d_resource_types,
    "resource_type": d_resource_type,
    "list_users": lambda fx, req: list_resources(fx, req, "Users"),
    "list_groups": lambda fx, req: list_resources(fx, req, "Groups"),
    "get_user": lambda fx, req, rid: get_resource(fx, req, "Users", rid),
    "get_group": lambda fx, req, rid: get_resource(fx, req, "Groups", rid),
    "create_user": lambda fx, req: create_resource(fx, req, "Users"),
    "create_group": lambda fx, req: create_resource(fx, req, "Groups"),
    "patch_user": lambda fx, req, rid: patch_resource(fx, req, "Users", rid),
    "patch_group": lambda fx, req, rid: patch_resource(fx, req, "Groups", rid),
    "check_create": d_check_create,
    "check_patch": d_check_patch,
    "patch_op": d_patch_op,
    "accept": d_accept,
    "delete_resource": d_delete_resource,
    "parse_filter": d_parse_filter,
    "empty_filter_result": d_empty_filter_result,
    "render": d_render,
    "list_response": d_list_response,
    "not_found": d_not_found,
    "method_not_allowed": d_method_not_allowed,
    "finalize": d_finalize,
}

# (method, path relative to the base, hook, names of the captured groups passed as arguments)
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("GET", re.compile(r"/ServiceProviderConfigs?/?", re.I), "service_provider_config"),
    ("GET", re.compile(r"/Schemas/?", re.I), "schemas"),
    ("GET", re.compile(r"/Schemas/(?P<schema_id>[^/]+)", re.I), "schema"),
    ("GET", re.compile(r"/ResourceTypes/?", re.I), "resource_types"),
    ("GET", re.compile(r"/ResourceTypes/(?P<name>[^/]+)", re.I), "resource_type"),
    ("GET", re.compile(r"/Users/?", re.I), "list_users"),
    ("GET", re.compile(r"/Users/(?P<rid>[^/]+)", re.I), "get_user"),
    ("POST", re.compile(r"/Users/?", re.I), "create_user"),
    ("PATCH", re.compile(r"/Users/(?P<rid>[^/]+)", re.I), "patch_user"),
    ("GET", re.compile(r"/Groups/?", re.I), "list_groups"),
    ("GET", re.compile(r"/Groups/(?P<rid>[^/]+)", re.I), "get_group"),
    ("POST", re.compile(r"/Groups/?", re.I), "create_group"),
    ("PATCH", re.compile(r"/Groups/(?P<rid>[^/]+)", re.I), "patch_group"),
]


# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------


class Fault:
    """A named misbehaviour: hook overrides (functions) and settings (anything else), and `expect`, the raw
    behaviour the fault must show (checked by checks/test_fixture.py, one test per fault)."""

    def __init__(self, description: str, expect: list[tuple[Any, ...]] | None = None, **overrides: Any) -> None:
        self.description = description
        self.expect = expect or []
        self.overrides = overrides
        unknown = {k for k, v in overrides.items() if callable(v) and k not in DEFAULT_HOOKS}
        if unknown:
            raise ValueError(f"unknown hooks {sorted(unknown)}")


LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in - Example Corp</title></head>
<body>
  <h1>Sign in to Example Corp</h1>
  <form method="post" action="/login">
    <label>Email <input type="email" name="username"></label>
    <label>Password <input type="password" name="password"></label>
    <button type="submit">Log in</button>
  </form>
</body>
</html>
"""

NOT_FOUND_PAGE = """<!DOCTYPE html>
<html><head><title>404 Not Found</title></head>
<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>
<hr><address>Apache/2.4.57 (Debian) Server</address></body></html>
"""


def _html_not_found(fx: Fixture, req: Request, *_: Any) -> Response:
    return html(404, NOT_FOUND_PAGE)


def _reject_token(fx: Fixture, req: Request) -> Response:
    return scim_error(
        401,
        "The access token expired",
        None,
        ("WWW-Authenticate", 'Bearer error="invalid_token", error_description="The access token expired"'),
    )


def _empty_filter_404(fx: Fixture, req: Request, kind: str) -> Response:
    return scim_error(404, f"No {kind[:-1].lower()} matches the filter")


def _ignore_filter(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda resource: True


def _reject_filter(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    raise FilterError(f"Filtering is not supported on /{kind}")


def _on_external_id(text: str) -> bool:
    return re.match(r"\s*externalId\s", text, re.IGNORECASE) is not None


def _reject_external_id_filter(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    if _on_external_id(text):
        raise FilterError(f"Filtering on externalId is not supported on /{kind}")
    return d_parse_filter(fx, req, kind, text)


def _ignore_external_id_filter(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    return (lambda resource: True) if _on_external_id(text) else d_parse_filter(fx, req, kind, text)


def _list_users_external_id_500(fx: Fixture, req: Request) -> Response:
    if _on_external_id(req.param("filter") or ""):
        return scim_error(500, "column users.external_id does not exist")
    return list_resources(fx, req, "Users")


def _single_expression_filter(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    if re.search(r"\s+and\s+", text, re.IGNORECASE):
        raise FilterError("Only one filter expression is supported")
    return d_parse_filter(fx, req, kind, text)


def _first_expression_filter(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    return d_parse_filter(fx, req, kind, re.split(r"\s+and\s+", text, flags=re.IGNORECASE)[0])


def _qualified_manager_filter(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    if re.search(r"(^|\s)manager\s+eq\s", text, re.IGNORECASE):
        raise FilterError("Field not found: manager")
    return d_parse_filter(fx, req, kind, text)


def _login_redirect(fx: Fixture, req: Request) -> Response:
    if req.path.rstrip("/") == "/login":
        return html(200, LOGIN_PAGE)
    return Response(302, b"", [("Location", "/login?returnUrl=" + urllib.parse.quote(req.target, safe="")),
                               ("Content-Type", "text/html; charset=utf-8")])


SERVER_ERROR_BODY = {
    "timestamp": "2026-11-29T21:00:00.000+00:00",
    "status": 500,
    "error": "Internal Server Error",
    "message": "NullPointerException: Cannot invoke \"String.toLowerCase()\" because \"tenantId\" is null",
    "path": "",
}


def _server_error(fx: Fixture, req: Request, *_: Any) -> Response:
    return scim(500, dict(SERVER_ERROR_BODY, path=req.path), content_type="application/json")


def _xml_list(fx: Fixture, req: Request) -> Response:
    return Response(200, b'<?xml version="1.0" encoding="UTF-8"?>\n<Users totalResults="0"/>\n',
                    [("Content-Type", "application/xml; charset=utf-8")])


def _json_content_type(fx: Fixture, req: Request, response: Response) -> Response:
    if (response.header("Content-Type") or "").startswith(SCIM_JSON):
        response.set_header("Content-Type", "application/json; charset=utf-8")
    return response


def _list_without_schemas(fx: Fixture, req: Request, kind: str, rendered: list[dict[str, Any]], total: int,
                          start: int) -> Response:
    return scim(200, {"totalResults": total, "startIndex": start, "itemsPerPage": len(rendered),
                      "Resources": rendered})


def _total_as_string(fx: Fixture, req: Request, kind: str, rendered: list[dict[str, Any]], total: int,
                     start: int) -> Response:
    return scim(200, {"schemas": [LIST_RESPONSE], "totalResults": str(total), "startIndex": start,
                      "itemsPerPage": len(rendered), "Resources": rendered})


def _list_schemas(fx: Fixture, req: Request, keep: Callable[[dict[str, Any]], bool]) -> Response:
    res = [_with_location(fx, req, s, f"/Schemas/{s['id']}") for s in DATA["schemas"] if keep(s)]
    return scim(200, {"schemas": [LIST_RESPONSE], "totalResults": len(res), "startIndex": 1,
                      "itemsPerPage": len(res), "Resources": res})


def _schema_unless(fx: Fixture, req: Request, schema_id: str, missing: str) -> Response:
    if schema_id.lower() == missing.lower():
        return scim_error(404, f"Schema {schema_id} not found")
    return d_schema(fx, req, schema_id)


def _list_resource_types(fx: Fixture, req: Request, keep: Callable[[dict[str, Any]], bool]) -> Response:
    res = []
    for r in DATA["resourceTypes"]:
        if keep(r):
            r = copy.deepcopy(r)
            r["schemaExtensions"] = [e for e in r.get("schemaExtensions", []) if e.get("schema") != ENTERPRISE_USER]
            res.append(_with_location(fx, req, r, f"/ResourceTypes/{r['id']}"))
    return scim(200, {"schemas": [LIST_RESPONSE], "totalResults": len(res), "startIndex": 1,
                      "itemsPerPage": len(res), "Resources": res})


def _groups_not_found(fx: Fixture, req: Request, *_: Any) -> Response:
    return scim_error(404, f"Unknown SCIM resource {req.path}")


def _render_with_members(fx: Fixture, req: Request, kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    out = d_render(fx, req, kind, resource)
    if kind == "Groups" and "members" in resource:
        out["members"] = copy.deepcopy(resource["members"])
    return out


def _render_without_enterprise(fx: Fixture, req: Request, kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    out = d_render(fx, req, kind, resource)
    out.pop(ENTERPRISE_USER, None)
    if "schemas" in out:
        out["schemas"] = [s for s in out["schemas"] if s != ENTERPRISE_USER]
    return out


def _authenticated_scim_json(fx: Fixture, req: Request, response: Response) -> bool:
    """A 200 SCIM JSON answer to a request that passed authentication (the faults below spoil only
    those, so that a request without credentials still gets its plain 401)."""
    return (response.status == 200 and response.stream is None
            and (response.header("Content-Type") or "").startswith(SCIM_JSON)
            and fx.relative(req.path) is not None and fx.hook("authenticate")(fx, req) is None)


def _truncate(fx: Fixture, req: Request, response: Response) -> Response:
    if _authenticated_scim_json(fx, req, response):
        response.body = response.body[: max(1, len(response.body) * 3 // 5)]
    return response


def _gzip(fx: Fixture, req: Request, response: Response) -> Response:
    if _authenticated_scim_json(fx, req, response):
        import gzip
        response.body = gzip.compress(response.body)
        response.set_header("Content-Encoding", "gzip")
    return response


def _huge_header(fx: Fixture, req: Request, response: Response) -> Response:
    if _authenticated_scim_json(fx, req, response):
        response.set_header("X-Padding", "a" * 200_000)
    return response


def _total_out_of_range(fx: Fixture, req: Request, response: Response) -> Response:
    if _authenticated_scim_json(fx, req, response) and b'"totalResults"' in response.body:
        response.body = re.sub(rb'"totalResults": *\d+', b'"totalResults": ' + b"9" * 400, response.body)
    return response


HUGE_BODY_BYTES = 50 * 1000 * 1000


def _huge_stream(prefix: bytes, size: int) -> Iterator[bytes]:
    suffix = b'"}'
    yield prefix
    left = size - len(prefix) - len(suffix)
    chunk = b"x" * 65536
    while left > 0:
        yield chunk[:left]
        left -= len(chunk)
    yield suffix


def _huge(fx: Fixture, req: Request, response: Response) -> Response:
    if not _authenticated_scim_json(fx, req, response):
        return response
    # The real answer, then a 50 MB string member: valid JSON, if anyone read it all.
    prefix = response.body.rstrip()[:-1] + b', "padding": "'
    response.stream = _huge_stream(prefix, HUGE_BODY_BYTES)
    return response.set_header("Content-Length", str(HUGE_BODY_BYTES))


def _invalid_utf8(fx: Fixture, req: Request, response: Response) -> Response:
    if _authenticated_scim_json(fx, req, response) and response.body.rstrip().endswith(b"}"):
        # A member encoded in Latin-1 by a server that says UTF-8: "Caf\xe9" is not valid UTF-8.
        response.body = response.body.rstrip()[:-1] + b', "serverName": "Caf\xe9 Provisioning"}'
        response.set_header("Content-Type", SCIM_JSON + "; charset=utf-8")
    return response


DEEP_JSON_LEVELS = 10_000


def _deep(fx: Fixture, req: Request, response: Response) -> Response:
    if _authenticated_scim_json(fx, req, response) and response.body.rstrip().endswith(b"}"):
        nested = b"[" * DEEP_JSON_LEVELS + b"]" * DEEP_JSON_LEVELS
        response.body = response.body.rstrip()[:-1] + b', "extensions": ' + nested + b"}"
    return response


def _trickle_stream(body: bytes, delay: float) -> Iterator[bytes]:
    for n in range(len(body)):
        if n:
            time.sleep(delay)
        yield body[n:n + 1]


def _trickle(fx: Fixture, req: Request, response: Response) -> Response:
    if _authenticated_scim_json(fx, req, response):
        # Status line and headers at once, then the body one byte a second.
        response.stream = _trickle_stream(response.body, fx.setting("trickle_delay", 1.0))
        response.set_header("Content-Length", str(len(response.body)))
    return response


def _rate_limited(fx: Fixture, req: Request, *_: Any) -> Response:
    return scim_error(429, "Too many requests: rate limit exceeded", None, ("Retry-After", "1"))


def _forbidden(fx: Fixture, req: Request) -> Response | None:
    denied = d_authenticate(fx, req)
    if denied is not None:
        return denied  # no or a wrong token: the usual 401
    return scim_error(403, "The token is valid but does not grant access to SCIM provisioning")


def _no_auth(fx: Fixture, req: Request) -> Response | None:
    if not req.headers.get("Authorization"):
        return None  # no credentials at all: served anyway
    return d_authenticate(fx, req)


def _reject_boolean_strings(fx: Fixture, req: Request, kind: str, operations: list[dict[str, Any]]) -> Response | None:
    # A strictly typed server: active must be a JSON boolean, so Entra's default "False"/"True" is refused.
    for o in operations:
        path, value = _get(o, "path"), _get(o, "value")
        candidates = [value] if isinstance(path, str) and path.lower().endswith("active") else []
        if path is None and isinstance(value, dict):
            candidates = [v for k, v in value.items() if k.lower().endswith("active")]
        for v in candidates:
            if isinstance(v, str):
                return scim_error(400, f"Invalid value for attribute 'active': expected a boolean, got the string "
                                       f"{json.dumps(v)}", "invalidValue")
    return None


def _reject_capitalised_ops(fx: Fixture, req: Request, kind: str, operations: list[dict[str, Any]]) -> Response | None:
    for o in operations:
        op = _get(o, "op")
        if isinstance(op, str) and op not in ("add", "replace", "remove"):
            return scim_error(400, f"Invalid PATCH op {json.dumps(op)}: expected one of add, replace, remove",
                              "invalidSyntax")
    return None


DROPPED_ATTRIBUTES = ("preferredLanguage",)


def _drop_attributes(fx: Fixture, req: Request, kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    if kind == "Users":
        # A server without a column for them: accepted, never stored.
        for name in fx.setting("drop_attributes", DROPPED_ATTRIBUTES):
            _pop(resource, name)
    return resource


def _pretty_phone(number: Any) -> Any:
    """+15555550100 -> +1 (555) 555-0100 (North American numbers; anything else is left alone)."""
    if not isinstance(number, str):
        return number
    digits = re.sub(r"\D", "", number)
    if len(digits) == 10:
        digits = "1" + digits
    if len(digits) != 11 or not digits.startswith("1") or not re.fullmatch(r"\+?[\d\s-]+", number):
        return number
    return f"+1 ({digits[1:4]}) {digits[4:7]}-{digits[7:]}"


def _reformat_phones(fx: Fixture, req: Request, kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    phones = _get(resource, "phoneNumbers")
    if kind == "Users" and isinstance(phones, list):
        for p in phones:
            if isinstance(p, dict) and "value" in p:
                p["value"] = _pretty_phone(p["value"])
    return resource


def _reject_adscim(fx: Fixture, req: Request, kind: str, body: dict[str, Any]) -> Response | None:
    schemas = body.get("schemas")
    for uri in schemas if isinstance(schemas, list) else []:
        if isinstance(uri, str) and uri.lower() not in (USER_SCHEMA.lower(), ENTERPRISE_USER.lower(),
                                                        GROUP_SCHEMA.lower()):
            return scim_error(400, f"Unsupported schema URI {uri}", "invalidValue")
    return None


def _duplicate_group_500(fx: Fixture, req: Request, kind: str, body: dict[str, Any]) -> Response | None:
    if _group_name_taken(fx, kind, body):
        return scim_error(500, "could not create the group")
    return None


def _duplicate_group_500_html(fx: Fixture, req: Request, kind: str, body: dict[str, Any]) -> Response | None:
    if _group_name_taken(fx, kind, body):
        return html(500, "<html><body><h1>500 Internal Server Error</h1><pre>IntegrityError: UNIQUE constraint "
                         "failed: groups.display_name</pre></body></html>")
    return None


def _group_name_taken(fx: Fixture, kind: str, body: dict[str, Any]) -> bool:
    name = body.get("displayName")
    return kind == "Groups" and isinstance(name, str) and any(
        str(g.get("displayName", "")).lower() == name.lower() for g in fx.store["Groups"])


def _delete_keeps_users(fx: Fixture, req: Request, kind: str, rid: str) -> Response:
    if kind == "Users":
        with fx.lock:
            if any(r["id"] == rid for r in fx.store[kind]):
                return Response(204)  # answered, never done
    return d_delete_resource(fx, req, kind, rid)


def _delete_deactivates(fx: Fixture, req: Request, kind: str, rid: str) -> Response:
    """A soft delete: the user is kept, with active false."""
    if kind == "Users":
        with fx.lock:
            for r in fx.store[kind]:
                if r["id"] == rid:
                    r["active"] = False
                    return Response(204)
    return d_delete_resource(fx, req, kind, rid)


def _delete_refused(fx: Fixture, req: Request, kind: str, rid: str) -> Response:
    if kind == "Users":
        return scim_error(500, "The user could not be deleted")
    return d_delete_resource(fx, req, kind, rid)


def _ignore_member_removal(fx: Fixture, req: Request, kind: str, resource: dict[str, Any], op: str,
                           path: str | None, value: Any) -> None:
    if kind == "Groups" and op == "remove" and isinstance(path, str) and path.lower().startswith("members"):
        return  # 204, nothing removed
    apply_op(fx, kind, resource, op, path, value)


def _drop_manager(fx: Fixture, req: Request, kind: str, resource: dict[str, Any], op: str, path: str | None,
                  value: Any) -> None:
    if isinstance(path, str) and path.lower().endswith(":manager"):
        return  # 204, never stored
    if path is None and isinstance(value, dict):
        value = {k: v for k, v in value.items() if not k.lower().endswith(":manager")}
    apply_op(fx, kind, resource, op, path, value)


def _hide_disabled(fx: Fixture, req: Request, kind: str, text: str) -> Callable[[dict[str, Any]], bool]:
    predicate = d_parse_filter(fx, req, kind, text)
    if kind != "Users":
        return predicate
    return lambda r: predicate(r) and r.get("active") is not False


# The requests of the fixtures' self-checks (checks/test_fixture.py): each Fault's `expect` lists, in order, the
# raw behaviour it must show. A GET is (path after the origin, send the token?, status, Content-Type prefix, a
# JSON key that must hold a value (key, value) or None); a write is (METHOD, path, JSON body, send the token?,
# status, Content-Type prefix ("" for none), (key, value) or None). "{Users}" / "{Groups}" in a path or body
# stand for the id the last successful POST of that kind returned; status 0 means the fixture is gone.
_E = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

_PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

_USER = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", _E], "userName": "scim-doctor-selfcheck@example.com",
         "externalId": "scim-doctor-selfcheck", "active": True, "displayName": "scim-doctor-selfcheck Ada",
         "preferredLanguage": "en-GB", "phoneNumbers": [{"type": "work", "value": "+15555550100"}],
         "emails": [{"primary": True, "type": "work", "value": "scim-doctor-selfcheck@example.com"}],
         "meta": {"resourceType": "User"}, _E: {"employeeNumber": "7"}}

_GROUP = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                      "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
          "externalId": "scim-doctor-selfcheck-group", "displayName": "scim-doctor-selfcheck Group",
          "meta": {"resourceType": "Group"}}

def _ops(*ops: tuple[str, str | None, Any]) -> dict[str, Any]:
    return {"schemas": [_PATCH], "Operations": [{"op": o, **({"path": p} if p is not None else {}),
                                                  **({"value": v} if v is not None else {})} for o, p, v in ops]}

_U, _G = "/scim/v2/Users", "/scim/v2/Groups"

_BY_NAME = "/scim/v2/Users?filter=userName+eq+%22scim-doctor-selfcheck@example.com%22"

_J = "application/scim+json"


FAULTS: dict[str, Fault] = {
    "none": Fault("a conformant SCIM server (the default)",
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22no-such-user%22", True, 200, "application/scim+json",
         ("totalResults", 0)),
            ("/scim/v2/Users?filter=userName+eq+%22ALICE.SMITH@example.com%22", True, 200, "application/scim+json",
         ("totalResults", 1)),
            ("/scim/v2/Users?filter=userName+eq+%22no-such-user%22", False, 401, "application/scim+json", None),
            ("/scim/v2/ServiceProviderConfig", False, 200, "application/scim+json", None),
            ("/scim/v2/Groups?excludedAttributes=members&startIndex=1&count=1", True, 200, "application/scim+json",
         ("itemsPerPage", 1)),
            ("POST", _U, _USER, True, 201, _J, ("userName", "scim-doctor-selfcheck@example.com")),
            ("POST", _U, dict(_USER, userName="SCIM-DOCTOR-SELFCHECK@example.com"), True, 409, _J, ("scimType", "uniqueness")),
            ("PATCH", _U + "/{Users}", _ops(("Replace", 'emails[type eq "work"].value', "new@example.com"),
                                    ("Replace", "name.givenName", "Ada"),
                                    ("Replace", f"{_E}:employeeNumber", "8"),
                                    ("Replace", "active", "False")), True, 204, "", None),
            (_U + "/{Users}", True, 200, _J, (_E, {"employeeNumber": "8"})),
            ("PATCH", _U + "/{Users}", _ops(("replace", None, {"displayName": "x", "name.familyName": "L",
                                                       f"{_E}:department": "R", "active": True})), True, 204, "", None),
            (_U + "/{Users}", True, 200, _J, ("name", {"givenName": "Ada", "familyName": "L"})),
            ("POST", _G, _GROUP, True, 201, _J, ("schemas", ["urn:ietf:params:scim:schemas:core:2.0:Group"])),
            ("PATCH", _G + "/{Groups}", _ops(("Add", "members", [{"$ref": None, "value": "{Users}"}])), True, 204, "", None),
            (_G + "/{Groups}?excludedAttributes=members", True, 200, _J, ("members", None)),
            ("PATCH", _G + "/{Groups}", _ops(("remove", 'members[value eq "{Users}"]', None)), True, 204, "", None),
            (_G + "/{Groups}", True, 200, _J, ("members", [])),
            ("DELETE", _G + "/{Groups}", None, True, 204, "", None),
            (_G + "/{Groups}", True, 404, _J, None),
            ("DELETE", _U + "/{Users}", None, True, 204, "", None),
            (_U + "/{Users}", True, 404, _J, None),
        ],
    ),
    "wrong-base-path": Fault(
        "SCIM lives at the base path (default /scim/v2); every other path answers an HTML 404 page",
        outside_base=_html_not_found,
        expect=[
            ("/api/v1/Users?filter=userName+eq+%22x%22", True, 404, "text/html", None),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", ("totalResults", 0)),
        ],
    ),
    "html-login": Fault(
        "every request answers 200 with an HTML login page",
        intercept=lambda fx, req: html(200, LOGIN_PAGE),
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "text/html", None),
        ],
    ),
    "reject-token": Fault(
        "every token is refused as expired (401 invalid_token); /ServiceProviderConfig still answers",
        authenticate=_reject_token,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 401, "application/scim+json", ("status", "401")),
            ("/scim/v2/ServiceProviderConfig", False, 200, "application/scim+json", None),
        ],
    ),
    "empty-filter-404": Fault(
        "a filter that matches nothing answers 404 instead of an empty ListResponse; lists work",
        empty_filter_result=_empty_filter_404,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 404, "application/scim+json", ("status", "404")),
            ("/scim/v2/Users?startIndex=1&count=1", True, 200, "application/scim+json", ("totalResults", 3)),
        ],
    ),
    "filter-ignored": Fault(
        "the filter parameter is ignored: every filtered query returns all the resources",
        parse_filter=_ignore_filter,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json",
                        ("totalResults", 3)),
        ],
    ),
    "filter-400": Fault(
        "every filter is refused with 400 invalidFilter (filtering unsupported); lists work",
        parse_filter=_reject_filter,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 400, "application/scim+json",
         ("scimType", "invalidFilter")),
            ("/scim/v2/Users?startIndex=1&count=1", True, 200, "application/scim+json", ("totalResults", 3)),
        ],
    ),
    "filter-external-id-400": Fault(
        "filters on externalId are refused with 400 invalidFilter; userName and displayName filters work",
        parse_filter=_reject_external_id_filter,
        expect=[
            ("/scim/v2/Users?filter=externalId+eq+%22x%22", True, 400, "application/scim+json",
         ("scimType", "invalidFilter")),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", ("totalResults", 0)),
        ],
    ),
    "filter-external-id-500": Fault(
        "filters on externalId fail with 500; userName and displayName filters work",
        list_users=_list_users_external_id_500,
        expect=[
            ("/scim/v2/Users?filter=externalId+eq+%22x%22", True, 500, "application/scim+json", ("status", "500")),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", ("totalResults", 0)),
        ],
    ),
    "filter-external-id-ignored": Fault(
        "filters on externalId are ignored (every user is returned); userName and displayName filters work",
        parse_filter=_ignore_external_id_filter,
        expect=[
            ("/scim/v2/Users?filter=externalId+eq+%22x%22", True, 200, "application/scim+json", ("totalResults", 3)),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", ("totalResults", 0)),
        ],
    ),
    "filter-single-expression": Fault(
        "a filter of two expressions joined by and is refused with 400 invalidFilter; single expressions work",
        parse_filter=_single_expression_filter,
        expect=[
            ("/scim/v2/Users?filter=id+eq+%22x%22+and+manager+eq+%22y%22", True, 400, _J,
             ("scimType", "invalidFilter")),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, _J, ("totalResults", 0)),
        ],
    ),
    "filter-first-expression-only": Fault(
        "only the first expression of a filter joined by and is applied",
        parse_filter=_first_expression_filter,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22alice.smith@example.com%22+and+userName+eq+%22x%22", True, 200,
             _J, ("totalResults", 1)),
        ],
    ),
    "filter-qualified-manager-only": Fault(
        "an unqualified manager in a filter is refused (\"Field not found: manager\"); the enterprise extension's "
        "qualified name works, as in scim2-server",
        parse_filter=_qualified_manager_filter,
        expect=[
            ("/scim/v2/Users?filter=manager+eq+%22x%22", True, 400, _J, ("detail", "Field not found: manager")),
            (f"/scim/v2/Users?filter={_E}:manager.value+eq+%22x%22", True, 200, _J, ("totalResults", 0)),
        ],
    ),
    "login-redirect": Fault(
        "every request is redirected (302) to a sign-in page at /login, as by an SSO proxy in front of the app",
        intercept=_login_redirect,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 302, "text/html", None),
            ("/login", False, 200, "text/html", None),
        ],
    ),
    "server-error": Fault(
        "every authenticated /Users and /Groups request answers 500 with a JSON error body (an unhandled exception)",
        list_users=_server_error, list_groups=_server_error, get_user=_server_error, get_group=_server_error,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 500, "application/json", ("status", 500)),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", False, 401, "application/scim+json", ("status", "401")),
        ],
    ),
    "not-json": Fault(
        "/Users and /Groups lists answer 200 with an XML body (application/xml), not JSON",
        list_users=_xml_list, list_groups=_xml_list,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/xml", None),
        ],
    ),
    "json-content-type": Fault(
        "every SCIM response is labelled application/json instead of application/scim+json",
        finalize=_json_content_type,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/json",
                           ("totalResults", 0)),
        ],
    ),
    "no-list-schemas": Fault(
        "ListResponses of /Users and /Groups omit the schemas member",
        list_response=_list_without_schemas,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json",
                         ("schemas", None)),
        ],
    ),
    "total-results-string": Fault(
        'ListResponses of /Users and /Groups send totalResults as a string ("0")',
        list_response=_total_as_string,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json",
                              ("totalResults", "0")),
        ],
    ),
    "username-case-sensitive": Fault(
        "filters compare userName case-sensitively",
        case_exact={"username"},
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22alice.smith@example.com%22", True, 200, "application/scim+json",
         ("totalResults", 0)),
            ("/scim/v2/Users?filter=userName+eq+%22Alice.Smith@Example.com%22", True, 200, "application/scim+json",
         ("totalResults", 1)),
        ],
    ),
    "count-ignored": Fault(
        "the count parameter is ignored: /Users and /Groups lists return every resource",
        ignore_count=True,
        expect=[
            ("/scim/v2/Users?startIndex=1&count=1", True, 200, "application/scim+json", ("itemsPerPage", 3)),
            ("/scim/v2/Groups?excludedAttributes=members&startIndex=1&count=1", True, 200, "application/scim+json",
         ("itemsPerPage", 2)),
        ],
    ),
    "groups-404": Fault(
        "a users-only server: every /Groups request answers 404 and /Schemas, /ResourceTypes have no Group",
        list_groups=_groups_not_found, get_group=_groups_not_found, create_group=_groups_not_found,
        schemas=lambda fx, req: _list_schemas(fx, req, lambda s: s["id"] != GROUP_SCHEMA),
        schema=lambda fx, req, sid: _schema_unless(fx, req, sid, GROUP_SCHEMA),
        resource_types=lambda fx, req: _list_resource_types(fx, req, lambda r: r["id"] != "Group"),
        expect=[
            ("/scim/v2/Groups?excludedAttributes=members&filter=displayName+eq+%22x%22", True, 404,
         "application/scim+json", ("status", "404")),
            ("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", True, 404, "application/scim+json", None),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", ("totalResults", 0)),
        ],
    ),
    "manager-not-stored": Fault(
        "PATCH of the enterprise manager answers 204 and stores nothing (every other change is applied)",
        patch_op=_drop_manager,
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            ("PATCH", _U + "/{Users}", _ops(("Add", f"{_E}:manager", "x")), True, 204, "", None),
            (_U + "/{Users}", True, 200, _J, (_E, {"employeeNumber": "7"})),
        ],
    ),
    "excluded-members-empty-array": Fault(
        "groups read with excludedAttributes=members carry \"members\": [] (an empty placeholder) instead of no "
        "members attribute",
        render=lambda fx, req, kind, r: {**d_render(fx, req, kind, r), "members": []}
        if kind == "Groups" and req.param("excludedAttributes") else d_render(fx, req, kind, r),
        expect=[("/scim/v2/Groups/g001-93509c543aeb?excludedAttributes=members", True, 200, _J, ("members", []))],
    ),
    "excluded-members-ignored": Fault(
        "groups are always returned with their members, whatever excludedAttributes says",
        render=_render_with_members,
        expect=[
            ("/scim/v2/Groups/g001-93509c543aeb?excludedAttributes=members", True, 200, "application/scim+json",
         ("members", [{"value": "u001-822398521efa", "display": "Alice Smith", "type": "User"},
                      {"value": "u002-6e4769daa9b3", "display": "Bob Jones", "type": "User"}])),
        ],
    ),
    "displayname-case-sensitive": Fault(
        "filters compare displayName case-sensitively",
        case_exact={"displayname"},
        expect=[
            ("/scim/v2/Groups?filter=displayName+eq+%22engineering+team%22", True, 200, "application/scim+json",
         ("totalResults", 0)),
            ("/scim/v2/Groups?filter=displayName+eq+%22Engineering+Team%22", True, 200, "application/scim+json",
         ("totalResults", 1)),
        ],
    ),
    "no-enterprise-schema": Fault(
        "no enterprise extension: /Schemas, /ResourceTypes and the users lack urn:...:extension:enterprise:2.0:User",
        schemas=lambda fx, req: _list_schemas(fx, req, lambda s: s["id"] != ENTERPRISE_USER),
        schema=lambda fx, req, sid: _schema_unless(fx, req, sid, ENTERPRISE_USER),
        resource_types=lambda fx, req: _list_resource_types(fx, req, lambda r: True),
        render=_render_without_enterprise,
        expect=[
            ("/scim/v2/Schemas", True, 200, "application/scim+json", ("totalResults", 2)),
            ("/scim/v2/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", True, 404,
         "application/scim+json", None),
        ],
    ),
    "no-schemas": Fault(
        "/Schemas is not served (404); everything else works",
        schemas=lambda fx, req: scim_error(404, "Unknown SCIM resource /Schemas"),
        schema=lambda fx, req, schema_id: scim_error(404, f"Unknown SCIM resource /Schemas/{schema_id}"),
        expect=[
            ("/scim/v2/Schemas", True, 404, "application/scim+json", ("status", "404")),
        ],
    ),
    "truncated-json": Fault(
        "every authenticated 200 SCIM answer is cut after 60% of its JSON (Content-Length matches the cut body)",
        finalize=_truncate,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", None),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", False, 401, "application/scim+json", ("status", "401")),
        ],
    ),
    "gzip-unasked": Fault(
        "every authenticated 200 SCIM answer is gzip-compressed with Content-Encoding: gzip although the request "
        "sent no Accept-Encoding",
        finalize=_gzip,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, _J, None),
        ],
    ),
    "huge-header": Fault(
        "every authenticated 200 SCIM answer carries a 200 KB header line (X-Padding)",
        finalize=_huge_header,
        expect=[
            ("/scim/v2/ServiceProviderConfig", False, 200, _J, None),
        ],
    ),
    "total-out-of-range": Fault(
        "every authenticated ListResponse has a 400-digit totalResults (valid JSON, no integer type holds it)",
        finalize=_total_out_of_range,
        expect=[
            ("/scim/v2/ServiceProviderConfig", False, 200, _J, None),
        ],
    ),
    "huge-body": Fault(
        "every authenticated 200 SCIM answer is a 50 MB JSON body (streamed)",
        finalize=_huge,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", None),
        ],
    ),
    "invalid-utf8": Fault(
        "every authenticated 200 SCIM answer holds a Latin-1 byte (0xE9) while saying UTF-8",
        finalize=_invalid_utf8,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", None),
        ],
    ),
    "deep-json": Fault(
        "every authenticated 200 SCIM answer carries a member nested 10,000 arrays deep",
        finalize=_deep,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, "application/scim+json", None),
        ],
    ),
    "trickle": Fault(
        "every authenticated 200 SCIM answer sends its headers at once, then its body one byte a second",
        finalize=_trickle,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", False, 401, "application/scim+json", ("status", "401")),
        ],
    ),
    "rate-limited": Fault(
        "every authenticated /Users list or filter answers 429 with Retry-After: 1; /Groups works",
        list_users=_rate_limited,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 429, "application/scim+json", ("status", "429")),
            ("/scim/v2/Groups?excludedAttributes=members&startIndex=1&count=1", True, 200, "application/scim+json",
         ("itemsPerPage", 1)),
        ],
    ),
    "forbidden": Fault(
        "the right token gets 403 with a SCIM error on every SCIM request (a token without provisioning rights); "
        "no or a wrong token gets 401",
        authenticate=_forbidden,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 403, "application/scim+json", ("status", "403")),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", False, 401, "application/scim+json", ("status", "401")),
        ],
    ),
    "no-auth": Fault(
        "requests without an Authorization header are served like authenticated ones (a wrong token still gets 401)",
        authenticate=_no_auth,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", False, 200, "application/scim+json",
                 ("totalResults", 0)),
        ],
    ),
    # Issue 4's write faults (checks/scenarios/catalog_lifecycle.py).
    "rejects-false-string": Fault(
        'PATCH refuses active given as a string ("False"/"True", as Entra sends it by default) with 400; '
        "booleans work",
        check_patch=_reject_boolean_strings,
        expect=[
            ("POST", _U, _USER, True, 201, _J, ("active", True)),
            ("PATCH", _U + "/{Users}", _ops(("Replace", "active", "False")), True, 400, _J, ("scimType", "invalidValue")),
            ("PATCH", _U + "/{Users}", _ops(("replace", "active", False)), True, 204, "", None),
            (_U + "/{Users}", True, 200, _J, ("active", False)),
        ],
    ),
    "rejects-capitalised-ops": Fault(
        'PATCH refuses the ops "Add", "Replace", "Remove" (Entra\'s default capitalisation) with 400; '
        "lower-case ops work",
        check_patch=_reject_capitalised_ops,
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            ("PATCH", _U + "/{Users}", _ops(("Replace", "title", "Boss")), True, 400, _J, ("scimType", "invalidSyntax")),
            ("PATCH", _U + "/{Users}", _ops(("replace", "title", "Boss")), True, 204, "", None),
            (_U + "/{Users}", True, 200, _J, ("title", "Boss")),
        ],
    ),
    "refuses-enterprise-object": Fault(
        "POST /Users carrying the enterprise extension object is refused with 400 naming its URN (the URN alone "
        "in schemas is accepted)",
        check_create=_refuse_create((_E,), lambda name: f"Unsupported extension {name}"),
        expect=[
            ("POST", _U, _USER, True, 400, _J, ("detail", f"Unsupported extension {_E}")),
            ("POST", _U, {k: v for k, v in _USER.items() if k != _E}, True, 201, _J, None),
        ],
    ),
    "refuses-unnamed-attribute": Fault(
        "POST /Users carrying addresses is refused with a 400 that names nothing",
        check_create=_refuse_create(("addresses",), lambda name: "The request is invalid."),
        expect=[("POST", _U, dict(_USER, addresses=[{"type": "work", "country": "GB"}]), True, 400, _J, None)],
    ),
    "refuses-phones-drops-title": Fault(
        "POST /Users with phoneNumbers is refused with 400 naming it; without them users are created, but title is "
        "silently not stored",
        check_create=_refuse_create(("phoneNumbers",), lambda name: f"Attribute '{name}' is not supported"),
        drop_attributes=("title",),
        accept=_drop_attributes,
        expect=[
            ("POST", _U, _USER, True, 400, _J, ("detail", "Attribute 'phoneNumbers' is not supported")),
            ("POST", _U, dict({k: v for k, v in _USER.items() if k != "phoneNumbers"}, title="T"), True, 201, _J,
             ("title", None)),
        ],
    ),
    "drops-attribute": Fault(
        "users are created and patched without preferredLanguage: accepted, silently not stored",
        accept=_drop_attributes,
        expect=[
            ("POST", _U, _USER, True, 201, _J, ("preferredLanguage", None)),
            (_U + "/{Users}", True, 200, _J, ("preferredLanguage", None)),
            ("/scim/v2/Users?filter=userName+eq+%22bob.jones@example.com%22", True, 200, _J, ("totalResults", 1)),
        ],
    ),
    "reformats-phone": Fault(
        'phone numbers are stored reformatted: +15555550100 is served as "+1 (555) 555-0100"',
        accept=_reformat_phones,
        expect=[
            ("POST", _U, _USER, True, 201, _J, ("phoneNumbers", [{"type": "work", "value": "+1 (555) 555-0100"}])),
            (_U + "/{Users}", True, 200, _J, ("phoneNumbers", [{"type": "work", "value": "+1 (555) 555-0100"}])),
        ],
    ),
    "rejects-adscim-schema": Fault(
        "POST /Groups and /Users refuse any schema URI but the core and enterprise ones with 400 (Entra's "
        "ADSCIM group schema)",
        check_create=_reject_adscim,
        expect=[
            ("POST", _G, _GROUP, True, 400, _J, ("scimType", "invalidValue")),
            ("POST", _G, dict(_GROUP, schemas=["urn:ietf:params:scim:schemas:core:2.0:Group"]), True, 201, _J,
         ("displayName", "scim-doctor-selfcheck Group")),
        ],
    ),
    "duplicate-201": Fault(
        "POST /Users with an existing userName creates a second user (201) instead of answering 409",
        allow_duplicates={"Users"},
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            ("POST", _U, _USER, True, 201, _J, None),
            (_BY_NAME, True, 200, _J, ("totalResults", 2)),
        ],
    ),
    "duplicate-group-201": Fault(
        "POST /Groups with a taken displayName creates a second group (201) instead of answering 409",
        allow_duplicates={"Groups"},
        expect=[
            ("POST", _G, _GROUP, True, 201, _J, None),
            ("POST", _G, _GROUP, True, 201, _J, None),
            ("/scim/v2/Groups?filter=displayName+eq+%22scim-doctor-selfcheck+Group%22", True, 200, _J,
             ("totalResults", 2)),
        ],
    ),
    "duplicate-group-500": Fault(
        "POST /Groups with a taken displayName fails with 500 instead of answering 409",
        check_create=_duplicate_group_500,
        expect=[
            ("POST", _G, _GROUP, True, 201, _J, None),
            ("POST", _G, _GROUP, True, 500, _J, ("status", "500")),
        ],
    ),
    "duplicate-group-500-html": Fault(
        "POST /Groups with a taken displayName fails with a framework's HTML 500 page (a unique constraint) instead "
        "of answering 409",
        check_create=_duplicate_group_500_html,
        expect=[
            ("POST", _G, _GROUP, True, 201, _J, None),
            ("POST", _G, _GROUP, True, 500, "text/html", None),
        ],
    ),
    "delete-deactivates-hidden": Fault(
        "DELETE /Users/{id} answers 204 and only sets active false (a soft delete); filters no longer find inactive "
        "users, GET by id still does",
        delete_resource=_delete_deactivates,
        parse_filter=_hide_disabled,
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            ("DELETE", _U + "/{Users}", None, True, 204, "", None),
            (_U + "/{Users}", True, 200, _J, ("active", False)),
            (_BY_NAME, True, 200, _J, ("totalResults", 0)),
        ],
    ),
    "delete-refused": Fault(
        "DELETE /Users/{id} answers 500 and keeps the user; groups delete normally",
        delete_resource=_delete_refused,
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            ("DELETE", _U + "/{Users}", None, True, 500, _J, None),
            (_U + "/{Users}", True, 200, _J, None),
        ],
    ),
    "delete-keeps-user": Fault(
        "DELETE /Users/{id} answers 204 but the user remains (GET still finds it); groups delete normally",
        delete_resource=_delete_keeps_users,
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            ("DELETE", _U + "/{Users}", None, True, 204, "", None),
            (_U + "/{Users}", True, 200, _J, ("userName", "scim-doctor-selfcheck@example.com")),
            ("POST", _G, _GROUP, True, 201, _J, None),
            ("DELETE", _G + "/{Groups}", None, True, 204, "", None),
            (_G + "/{Groups}", True, 404, _J, None),
        ],
    ),
    "member-removal-ignored": Fault(
        "PATCH removing group members answers 204 and removes nothing",
        patch_op=_ignore_member_removal,
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            ("POST", _G, _GROUP, True, 201, _J, ("members", [])),
            ("PATCH", _G + "/{Groups}", _ops(("Add", "members", [{"value": "{Users}"}])), True, 204, "", None),
            ("PATCH", _G + "/{Groups}", _ops(("Remove", "members", [{"value": "{Users}"}])), True, 204, "", None),
            ("PATCH", _G + "/{Groups}", _ops(("remove", 'members[value eq "{Users}"]', None)), True, 204, "", None),
            (_G + "/{Groups}", True, 200, _J,
         ("members", [{"value": "{Users}", "display": "scim-doctor-selfcheck Ada", "type": "User"}])),
        ],
    ),
    "disabled-hidden-from-filter": Fault(
        "users with active=false vanish from filtered queries; GET /Users/{id} still returns them",
        parse_filter=_hide_disabled,
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            (_BY_NAME, True, 200, _J, ("totalResults", 1)),
            ("PATCH", _U + "/{Users}", _ops(("Replace", "active", "False")), True, 204, "", None),
            (_BY_NAME, True, 200, _J, ("totalResults", 0)),
            (_U + "/{Users}", True, 200, _J, ("active", False)),
        ],
    ),
    # Attacks on write mode (issue 8): a create answered with a resource the run did not create, or with ids that
    # would reach another path or a shell. The run must touch none of them.
    "create-upserts": Fault(
        "POST /Users answers 201 with an existing (seeded) user instead of creating one: an upsert on a taken "
        "userName; nothing is stored",
        create_user=lambda fx, req: _answer_existing_user(fx),
        expect=[
            ("POST", _U, _USER, True, 201, _J, ("userName", "Alice.Smith@Example.com")),
            (_BY_NAME, True, 200, _J, ("totalResults", 0)),
        ],
    ),
    "create-swaps-id": Fault(
        "POST /Users stores the user but answers with a seeded user's id",
        render=lambda fx, req, kind, r: _swap_id(fx, req, kind, r),
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            (_U + "/{Users}", True, 200, _J, ("userName", "Alice.Smith@Example.com")),
        ],
    ),
    "create-dot-id": Fault(
        'POST /Users stores the user but answers id ".." (PATCH or DELETE on it would reach the base path)',
        render=lambda fx, req, kind, r: {**d_render(fx, req, kind, r), "id": ".."} if req.method == "POST" else
        d_render(fx, req, kind, r),
        expect=[
            ("POST", _U, _USER, True, 201, _J, ("id", "..")),
        ],
    ),
    "create-injection-id": Fault(
        "users get ids with shell syntax (x'$(touch .pwned)'<n>) and DELETE /Users answers 500 and keeps them, "
        "so the report prints a removal command for them",
        create_user=lambda fx, req: _create_with_id(fx, req, "x'$(touch .pwned)'"),
        delete_resource=_delete_refused,
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            (_BY_NAME, True, 200, _J, ("totalResults", 1)),
        ],
    ),
    "create-slow": Fault(
        "POST /Users stores the user, then answers only after 3 s (--create-delay): past a short --timeout, the "
        "client never sees the id",
        create_user=lambda fx, req: _slow(fx, create_resource(fx, req, "Users")),
        expect=[
            ("POST", _U, _USER, True, 201, _J, None),
            (_BY_NAME, True, 200, _J, ("totalResults", 1)),
        ],
    ),
    "create-idless": Fault(
        "POST /Users stores the user but answers 201 without an id",
        render=lambda fx, req, kind, r: {k: v for k, v in d_render(fx, req, kind, r).items() if k != "id"}
        if req.method == "POST" else d_render(fx, req, kind, r),
        expect=[
            ("POST", _U, _USER, True, 201, _J, ("userName", "scim-doctor-selfcheck@example.com")),
            (_BY_NAME, True, 200, _J, ("totalResults", 1)),
        ],
    ),
    "framework-401": Fault(
        "without an accepted token every request, /ServiceProviderConfig and unknown paths included, gets 401 with "
        "an empty text/html body and WWW-Authenticate: Bearer realm=\"api\" (ASP.NET Core, Spring Security)",
        is_public=lambda fx, req, rel: False,
        authenticate=_framework_refusal(b"", "text/html; charset=utf-8", 'Bearer realm="api"'),
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", False, 401, "text/html", None),
            ("/scim/v2/ServiceProviderConfig", False, 401, "text/html", None),
            ("/scim/v2/no-such-thing", False, 401, "text/html", None),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, _J, ("totalResults", 0)),
        ],
    ),
    "framework-401-json": Fault(
        "like framework-401, with a JSON body {\"error\":\"unauthorized\"} and a bare WWW-Authenticate: Bearer",
        is_public=lambda fx, req, rel: False,
        authenticate=_framework_refusal(b'{"error":"unauthorized"}', "application/json", "Bearer"),
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", False, 401, "application/json", ("error", "unauthorized")),
            ("/scim/v2/ServiceProviderConfig", False, 401, "application/json", None),
        ],
    ),
    "framework-401-routed": Fault(
        "routes before it authenticates: unknown paths are 404 (HTML) with or without a token, the SCIM routes "
        "answer 401 with an empty body and WWW-Authenticate: Bearer realm=\"scim\" without an accepted token",
        is_public=lambda fx, req, rel: False,
        intercept=_routes_first,
        authenticate=_framework_refusal(b"", "text/html; charset=utf-8", 'Bearer realm="scim"'),
        expect=[
            ("/scim/v2/no-such-thing", False, 404, "text/html", None),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", False, 401, "text/html", None),
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, _J, ("totalResults", 0)),
        ],
    ),
    "paging-500": Fault(
        "GET /Users and /Groups with startIndex or count answer 500 (a SCIM error); without them the lists work",
        intercept=_paging_500(html=False),
        expect=[
            ("/scim/v2/Users?startIndex=1&count=1", True, 500, _J, None),
            ("/scim/v2/Users", True, 200, _J, None),
        ],
    ),
    "paging-500-html": Fault(
        "the same, with an HTML 500 page",
        intercept=_paging_500(html=True),
        expect=[("/scim/v2/Groups?startIndex=1&count=1", True, 500, "text/html", None)],
    ),
    "echo-token": Fault(
        "every answer echoes the bearer token it received in every encoding of checks/lib/leaks.py (raw, "
        "percent, hex, JSON \\u, HTML entities, base64 at each alignment): in X-Echo-N headers and, in JSON "
        "answers, a \"debug\" member",
        finalize=_echo_token,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, _J, ("totalResults", 0)),
        ],
    ),
    "poisoned-text": Fault(
        "every error detail and the userName filter answer carry terminal escapes (OSC 52 clipboard, OSC 0 title, "
        "clear screen, C1 CSI, a bidi override); the Server header too",
        list_users=lambda fx, req: scim_error(400, "bad filter \x1b]52;c;ZXZpbA==\x07\x1b]0;pwned\x07\x1b[2J\u009b2J"
                                              "\u202egpj.exe", "invalidFilter"),
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 400, _J, None),
        ],
    ),
    "dies-mid-run": Fault(
        "after answering its first successful POST /Users (--die-after-creates N changes N) the process drops "
        "every new request unanswered, finishes the answers under way, and exits: everything later is refused",
        die_after_creates=1,
        expect=[
            ("/scim/v2/Users?filter=userName+eq+%22x%22", True, 200, _J, ("totalResults", 0)),
            ("POST", _U, _USER, True, 201, _J, None),
            (_U + "/{Users}", True, 0, "", None),
        ],
    ),
}


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class Fixture:
    def __init__(self, fault: str, tokens: list[str], base_path: str) -> None:
        if fault not in FAULTS:
            raise SystemExit(f"unknown fault {fault!r}; known: {', '.join(sorted(FAULTS))}")
        self.fault_name = fault
        self.fault = FAULTS[fault]
        self.tokens = set(tokens)
        base_path = self.setting("base_path", base_path)
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.lock = threading.Lock()
        users = seed_users()
        self.store: dict[str, list[dict[str, Any]]] = {"Users": users, "Groups": seed_groups(users)}
        self.events = False  # --events: one stdout line per answered request
        self.die_after_creates: int | None = None  # --die-after-creates (dies-mid-run)
        self.user_creates = 0
        self.in_flight = 0  # requests being answered (dies-mid-run waits for them before exiting)
        self.dying = False

    @staticmethod
    def created_id(req: Request, response: Response) -> str | None:
        if req.method == "POST" and response.status in (200, 201) and response.body:
            try:
                rid = json.loads(response.body).get("id")
                return rid if isinstance(rid, str) else None
            except (ValueError, AttributeError):
                return None
        return None

    def before_send(self, req: Request, response: Response) -> None:
        """Called with each response before it is written: dies-mid-run starts dying here, so that no request
        the client sends after reading the Nth create's answer is answered."""
        limit = self.die_after_creates if self.die_after_creates is not None else self.setting("die_after_creates", 0)
        rel = self.relative(req.path) or req.path
        if limit and self.created_id(req, response) and re.fullmatch(r"/Users/?", rel, re.I):
            with self.lock:
                self.user_creates += 1
                if self.user_creates >= limit and not self.dying:
                    # From now on every new request is dropped unanswered; the ones already being answered
                    # finish (so which creates succeeded does not depend on thread timing), then the process ends.
                    self.dying = True
                    sys.stderr.write(f"fixture[{self.fault_name}] dying after POST /Users number {self.user_creates}\n")

    def after(self, req: Request, response: Response) -> None:
        """Called once a response has been written: the --events line, and dies-mid-run's exit."""
        rel = self.relative(req.path) or req.path
        created = self.created_id(req, response)
        if self.events:
            with self.lock:
                sys.stdout.write(f"EVENT {req.method} {rel} {response.status}{f' {created}' if created else ''}\n")
                sys.stdout.flush()
        with self.lock:
            self.in_flight -= 1
            if self.dying and self.in_flight == 0:
                sys.stderr.write(f"fixture[{self.fault_name}] exiting\n")
                sys.stderr.flush()
                os._exit(0)

    def admit(self) -> bool:
        """Whether to answer a request at all (a dying fixture drops every new one)."""
        with self.lock:
            if self.dying:
                return False
            self.in_flight += 1
            return True

    def hook(self, name: str) -> Callable[..., Any]:
        override = self.fault.overrides.get(name)
        return override if callable(override) else DEFAULT_HOOKS[name]

    def setting(self, name: str, default: Any) -> Any:
        value = self.fault.overrides.get(name, default)
        return default if callable(value) else value

    def url(self, req: Request, rel: str) -> str:
        host = req.headers.get("Host") or "127.0.0.1"
        return f"{'https' if req.tls else 'http'}://{host}{self.base_path}{rel}"

    def relative(self, path: str) -> str | None:
        base = self.base_path
        if not base:
            return path or "/"
        if path.lower() == base.lower() or path.lower() == base.lower() + "/":
            return "/"
        if path.lower().startswith(base.lower() + "/"):
            return path[len(base):]
        return None

    def handle(self, req: Request) -> Response:
        response = self.hook("intercept")(self, req)
        if response is None:
            rel = self.relative(req.path)
            if rel is None:
                response = self.hook("outside_base")(self, req)
            elif not self.hook("is_public")(self, req, rel) and (denied := self.hook("authenticate")(self, req)):
                response = denied
            else:
                response = self.route(req, rel)
        return self.hook("finalize")(self, req, response)

    def route(self, req: Request, rel: str) -> Response:
        method = "GET" if req.method == "HEAD" else req.method
        path_matched = False
        for route_method, pattern, hook in ROUTES:
            m = pattern.fullmatch(rel)
            if not m:
                continue
            path_matched = True
            if route_method == method:
                args = [urllib.parse.unquote(v) for v in m.groupdict().values()]
                return self.hook(hook)(self, req, *args)
        if method == "DELETE":
            m = re.fullmatch(r"/(Users|Groups)/([^/]+)", rel, re.I)
            if m:
                return self.hook("delete_resource")(self, req, m.group(1).capitalize(), m.group(2))
        if path_matched:
            return self.hook("method_not_allowed")(self, req, rel)
        return self.hook("not_found")(self, req, rel)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as production servers set it (nginx's tcp_nodelay is on by default): headers and body go out
    # in two writes, and with Nagle on a kept-alive connection the body would wait for the client's delayed ACK
    # (40 ms per request on Linux).
    disable_nagle_algorithm = True
    server_version = "scim-fixture/1"
    server: FixtureHTTPServer

    def setup(self) -> None:
        self.request.settimeout(self.server.io_timeout)
        if self.server.tls_context is not None:
            # Handshake in the connection's own thread, so a stalled or failing client never
            # blocks the accept loop.
            self.request = self.server.tls_context.wrap_socket(self.request, server_side=True)
            # One line per handshake, for the tests and the bench that count full ones against resumed ones.
            kind = "resumed" if self.request.session_reused else "full"
            sys.stderr.write(f"fixture[{self.server.fixture.fault_name}] {self.client_address[0]} tls handshake "
                             f"{kind} {self.request.version()} port {self.client_address[1]}\n")
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
        sys.stderr.write(f"fixture[{self.server.fixture.fault_name}] {self.address_string()} {format % args}\n")

    def _dispatch(self) -> None:
        if not self.server.fixture.admit():
            self.close_connection = True  # dies-mid-run: no answer at all
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        split = urllib.parse.urlsplit(self.path)
        req = Request(
            method=self.command,
            target=self.path,
            path=urllib.parse.unquote(split.path),
            query=urllib.parse.parse_qs(split.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
            tls=self.server.tls_context is not None,
        )
        try:
            response = self.server.fixture.handle(req)
        except Exception as e:  # a bug in a fault must show, not hang the client
            import traceback

            traceback.print_exc()
            response = text_response(500, f"fixture error: {e!r}\n")
        try:
            self.server.fixture.before_send(req, response)
            self._send(response)
        finally:
            self.server.fixture.after(req, response)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for k, v in response.headers:
            self.send_header(k, v)
        if response.header("Content-Length") is None and response.status not in (204, 304) \
                and response.stream is None:
            self.send_header("Content-Length", str(len(response.body)))
        if response.stream is not None and response.header("Content-Length") is None:
            self.close_connection = True  # the body ends when the connection closes
        self.end_headers()
        if self.command == "HEAD" or response.status in (204, 304):
            return
        if response.stream is None:
            self.wfile.write(response.body)
            self.wfile.flush()
            return
        try:
            for chunk in response.stream:
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError, ssl.SSLError, OSError):
            self.close_connection = True  # the client hung up (e.g. scim-doctor stopped reading at its cap)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch


class FixtureHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], fixture: Fixture, tls_context: ssl.SSLContext | None,
                 io_timeout: float) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.fixture = fixture
        self.tls_context = tls_context
        self.io_timeout = io_timeout
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Failed handshakes (the client refused our certificate) and dropped connections are
        # expected in these tests: one line, no traceback.
        exc = sys.exc_info()[1]
        sys.stderr.write(f"fixture[{self.fixture.fault_name}] {client_address[0]} connection error: {exc!r}\n")


def tls_handshakes(log: str) -> list[tuple[str, int]]:
    """("full" or "resumed", the client's port) for each TLS handshake line `Handler.setup` wrote to `log`."""
    return [(m.group(1), int(m.group(2)))
            for m in re.finditer(r" tls handshake (full|resumed) \S+ port (\d+)$", log, re.MULTILINE)]


def tls_context(args: argparse.Namespace) -> ssl.SSLContext | None:
    if not args.tls_cert:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if args.tls_seclevel is not None:
        ctx.set_ciphers(f"DEFAULT:@SECLEVEL={args.tls_seclevel}")
    if args.tls_ciphers:
        ctx.set_ciphers(args.tls_ciphers)  # TLS 1.2 suites (OpenSSL names); TLS 1.3 suites are not affected
    ctx.load_cert_chain(args.tls_cert, args.tls_key)
    versions = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1,
                "1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
    if args.tls13_only:
        args.tls_min = args.tls_max = "1.3"
    if args.tls_min:
        ctx.minimum_version = versions[args.tls_min]
    if args.tls_max:
        ctx.maximum_version = versions[args.tls_max]
    return ctx


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fault", default="none", help="the misbehaviour (see --list-faults)")
    p.add_argument("--list-faults", action="store_true", help="print the known faults and exit")
    p.add_argument("--token", action="append", default=[], help="accepted bearer token (repeatable); "
                   "without one every request is accepted. Also read from FIXTURE_TOKEN.")
    p.add_argument("--base-path", default="/scim/v2", help="where SCIM lives (default /scim/v2)")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (127.0.0.1 or ::1)")
    p.add_argument("--tls-cert", help="serve HTTPS with this certificate (chain) file")
    p.add_argument("--tls-key", help="the private key of --tls-cert")
    p.add_argument("--tls13-only", action="store_true", help="accept TLS 1.3 only")
    p.add_argument("--tls-min", choices=["1.0", "1.1", "1.2", "1.3"])
    p.add_argument("--tls-max", choices=["1.0", "1.1", "1.2", "1.3"])
    p.add_argument("--tls-seclevel", type=int, help="OpenSSL security level (0 lets a 1024-bit key load)")
    p.add_argument("--tls-ciphers", help="OpenSSL cipher list for TLS 1.2 and below, e.g. AES256-SHA256")
    p.add_argument("--io-timeout", type=float, default=30.0, help="per-connection socket timeout")
    p.add_argument("--events", action="store_true", help="after PORT, print one stdout line per answered request: "
                   "EVENT <METHOD> <path below the base> <status> [<id> of a created resource]")
    p.add_argument("--die-after-creates", type=int, help="exit right after answering this many successful "
                   "POST /Users (default: the fault's setting; dies-mid-run's is 1)")
    args = p.parse_args(argv)

    if args.list_faults:
        for name in sorted(FAULTS):
            print(f"{name:24} {FAULTS[name].description}")
        return 0
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        p.error("the fixture only listens on loopback (127.0.0.1 or ::1)")
    if bool(args.tls_cert) != bool(args.tls_key):
        p.error("--tls-cert and --tls-key go together")
    tokens = list(args.token)
    if os.environ.get("FIXTURE_TOKEN"):
        tokens.append(os.environ["FIXTURE_TOKEN"])

    fixture = Fixture(args.fault, tokens, args.base_path)
    fixture.events = args.events
    fixture.die_after_creates = args.die_after_creates
    host = "127.0.0.1" if args.host == "localhost" else args.host
    server = FixtureHTTPServer((host, 0), fixture, tls_context(args), args.io_timeout)
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stderr.write(f"fixture[{args.fault}] listening on {host} port {server.server_address[1]}"
                     f"{' (TLS)' if server.tls_context else ''}, base path {fixture.base_path or '/'}\n")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
