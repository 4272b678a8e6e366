"""A Microsoft Graph and Entra sign-in stand-in on loopback, written from Microsoft's documented shapes
(../shared/reference/entra-graph.md §1-§2), for `scim-doctor entra`'s end-to-end checks.

    with GraphFixture(scenario="healthy") as graph:
        env = graph.env()          # SCIM_DOCTOR_GRAPH_URL / SCIM_DOCTOR_LOGIN_URL
        ...
        graph.requests             # every (method, path) it saw, to prove the run sent no write to Graph

Shapes the reference marks unconfirmed are labelled so here: the secrets read (beta; its permission), SyncAll's
meaning, the 403 code for the provisioning logs without a licence, the non-gallery mapping names.
Scenarios: see SCENARIOS. Only 127.0.0.1, port 0.
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TENANT = "contoso.onmicrosoft.com"
SP_ID = "8e881353-1735-45af-af21-ee1344582a4d"
APP_ID = "219561ee-1480-4c67-9aa6-63d861fae3ef"
JOB_ID = "scim.ff8bf889e03141ac8f7baedb059892ee.219561ee-1480-4c67-9aa6-63d861fae3ef"
GROUP_ID = "5e6c9ae1-2b1f-4c1e-9d7a-0b7d3f1e2a44"
NESTED_ID = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"
RULE_ID = "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8"
CLIENT_ID = "2f0a7c3e-1d4b-4e8f-9a6c-5b3d2e1f0a9b"
CLIENT_SECRET = "fixture-client-secret~9Q8w7E6r5T4y3U2i1O0p"
DEVICE_CODE = "GAQABAAEAAAD-fixture-device-code-0123456789abcdef"
READ_ONLY = ["Application.Read.All", "Synchronization.Read.All", "AuditLog.Read.All", "Directory.Read.All"]
TENANT_URL = "https://scim.example.com/scim/v2"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def access_token(scopes: list[str] | None = None, roles: list[str] | None = None,
                 audience: str = "https://graph.microsoft.com") -> str:
    """A JWT-shaped Graph token (unsigned: scim-doctor only decodes it; Graph, here the fixture, checks it)."""
    claims: dict[str, object] = {"aud": audience, "tid": "ff8bf889-e031-41ac-8f7b-aedb059892ee", "appid": CLIENT_ID,
                                 "exp": int(time.time()) + 3600}
    if scopes is not None:
        claims["scp"] = " ".join(scopes)
    if roles is not None:
        claims["roles"] = roles
    return ".".join([_b64(b'{"alg":"RS256","typ":"JWT"}'), _b64(json.dumps(claims).encode()), _b64(b"fixture-sig" * 8)])


def _job(code: str = "Active", state: str = "Active", status: dict | None = None,
         interval: str = "PT40M") -> dict:
    now = time.time()
    ended = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 600))
    began = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 670))
    execution = {"state": "Succeeded", "timeBegan": began, "timeEnded": ended, "countEscrowed": 0, "countExported": 2,
                 "error": {"code": "None", "message": "", "tenantActionable": False}}
    healthy = {"code": code, "countSuccessiveCompleteFailures": 0, "escrowsPruned": False, "quarantine": None,
               "steadyStateFirstAchievedTime": "2026-05-20T08:00:00Z", "steadyStateLastAchievedTime": ended,
               "lastExecution": execution, "lastSuccessfulExecution": execution, "progress": [],
               "troubleshootingUrl": ""}
    return {"id": JOB_ID, "templateId": "scim", "schedule": {"expiration": None, "interval": interval, "state": state},
            "status": status if status is not None else healthy,
            "synchronizationJobSettings": [{"name": "QuarantineTooManyDeletesThreshold", "value": "500"}]}


def _quarantined(reason: str) -> dict:
    began = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
    error = {"code": "SystemForCrossDomainIdentityManagementInvalidCredentials",
             "message": "Please provide a valid tenant URL for your application.", "tenantActionable": True}
    return {"code": "Quarantine", "countSuccessiveCompleteFailures": 3, "escrowsPruned": False,
            "lastExecution": {"state": "Failed", "timeBegan": began, "timeEnded": began, "error": error},
            "quarantine": {"currentBegan": began, "nextAttempt": began, "reason": reason, "seriesBegan": began,
                           "seriesCount": 3, "error": error}, "progress": []}


def _mapping(source: str, enabled: bool = True) -> dict:
    # The name is the 2020-2023 portal's; the current one says "Microsoft Entra ID" (unconfirmed which is stored).
    target = ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" if source == "User"
              else "urn:ietf:params:scim:schemas:core:2.0:Group")
    match = "userName" if source == "User" else "displayName"
    return {"name": f"Provision Azure Active Directory {source}s", "enabled": enabled, "flowTypes": "Add, Update, Delete",
            "scope": None, "sourceObjectName": source, "targetObjectName": target, "metadata": [],
            "attributeMappings": [{"source": {"expression": "[userPrincipalName]", "name": "userPrincipalName",
                                              "type": "Attribute", "parameters": []},
                                   "targetAttributeName": match, "matchingPriority": 1, "flowType": "Always"}]}


def _event(status: str, code: str = "", identity: str = "Alan Turing") -> dict:
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 900))
    return {"id": "75b5b8b4-0f1e-4b5a-9d7c-3e2f1a0b9c8d", "activityDateTime": when, "jobId": JOB_ID,
            "changeId": "3a5b7c9d-1e2f-4a6b-8c0d-2e4f6a8b0c1d", "provisioningAction": "create",
            "sourceIdentity": {"id": "cdb555e3-b33e-4fd5-a427-17fadacbdfa7", "displayName": identity,
                               "identityType": "User"},
            "provisioningStatusInfo": {"status": status, "errorInformation": {
                "errorCode": code, "reason": "returned an error response with the HTTP status code 409" if code else "",
                "errorCategory": "nonServiceFailure"}}}


def _healthy() -> dict:
    return {
        "principals": [{"id": SP_ID, "appId": APP_ID, "displayName": "Contoso SCIM"}],
        "jobs": [_job()],
        "mappings": [_mapping("User"), _mapping("Group")],
        # SyncAll "false" = Sync only assigned users and groups (derived, unconfirmed).
        "secrets": [{"key": "BaseAddress", "value": TENANT_URL}, {"key": "SecretToken", "value": "*"},
                    {"key": "SyncAll", "value": "false"},
                    {"key": "SyncNotificationSettings",
                     "value": json.dumps({"Enabled": True, "Recipients": "it-ops@contoso.com",
                                          "DeleteThresholdEnabled": True, "DeleteThresholdValue": 500})}],
        "assignments": [
            {"id": "a1", "appRoleId": "00000000-0000-0000-0000-000000000000", "principalId": f"cdb555e3-b33e-4fd5-a427-{i:012d}",
             "principalType": "User", "principalDisplayName": f"User {i}", "resourceId": SP_ID} for i in range(3)
        ] + [{"id": "a2", "appRoleId": "00000000-0000-0000-0000-000000000000", "principalId": GROUP_ID,
              "principalType": "Group", "principalDisplayName": "Engineering", "resourceId": SP_ID}],
        "group": {"id": GROUP_ID, "displayName": "Engineering", "securityEnabled": True},
        "members": [{"@odata.type": "#microsoft.graph.user", "id": "cdb555e3-b33e-4fd5-a427-17fadacbdfa7",
                     "displayName": "Alan Turing"}],
        "events": [_event("success"), _event("skipped")],
        "refused": {},          # read name -> (status, code)
        "throttle": set(),      # read names answered 429 (Retry-After: 1) once
        "scopes": READ_ONLY,
    }


def _scenario(name: str) -> dict:
    state = _healthy()
    if name == "healthy":
        pass
    elif name == "off":
        state["jobs"] = [_job(code="Paused", state="Disabled")]
    elif name.startswith("quarantine-"):
        state["jobs"] = [_job(code="Quarantine", status=_quarantined(name.removeprefix("quarantine-")))]
    elif name == "users-mapping-disabled":
        state["mappings"] = [_mapping("User", enabled=False), _mapping("Group")]
    elif name == "groups-mapping-disabled":
        state["mappings"] = [_mapping("User"), _mapping("Group", enabled=False)]
    elif name == "notify-off":
        state["secrets"][3]["value"] = json.dumps({"Enabled": False, "DeleteThresholdEnabled": False})
    elif name == "scoping-user-type":
        state["mappings"][0]["scope"] = {"groups": [{"clauses": [
            {"operatorName": "EQUALS", "sourceOperandName": "userType", "targetOperand": {"values": ["Member"]}}]}]}
    elif name == "test-connection-ok":
        state["scopes"] = READ_ONLY + ["Synchronization.ReadWrite.All"]
    elif name == "test-connection-token-rejected":
        state["scopes"] = READ_ONLY + ["Synchronization.ReadWrite.All"]
        state["validate"] = "token-rejected"
    elif name.startswith("pod-"):
        state["scopes"] = READ_ONLY + ["Synchronization.ReadWrite.All", "User.Read.All"]
        state["pod"] = name.removeprefix("pod-")
    elif name == "assigned-nobody":
        state["assignments"] = []
    elif name == "non-security-group":
        state["group"]["securityEnabled"] = False
    elif name == "nested-group":
        state["members"].append({"@odata.type": "#microsoft.graph.group", "id": NESTED_ID, "displayName": "Contractors"})
    elif name == "initial-cycle":
        state["jobs"] = [_job(code="NotRun", status={"code": "NotRun", "steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z",
                                                     "lastExecution": {"state": "Failed", "timeBegan": "0001-01-01T00:00:00Z",
                                                                       "timeEnded": "0001-01-01T00:00:00Z",
                                                                       "error": {"code": "None", "message": ""}},
                                                     "progress": [{"completedUnits": 12, "totalUnits": 40, "units": "pages"}]})]
    elif name == "base-address-mismatch":
        state["secrets"][0]["value"] = TENANT_URL + "/"
    elif name == "log-errors":
        state["events"] = [_event("failure", "SystemForCrossDomainIdentityManagementEntryConflict"),
                           _event("failure", "SystemForCrossDomainIdentityManagementEntryConflict", "Grace Hopper"),
                           _event("success")]
    elif name == "logs-no-licence":
        # The 403 code documented by users for sign-in logs; for the provisioning logs unconfirmed.
        state["refused"]["logs"] = (403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant")
    elif name == "logs-no-permission":
        state["refused"]["logs"] = (403, "Authorization_RequestDenied")
        state["scopes"] = READ_ONLY[:2] + ["Directory.Read.All"]
    elif name == "duplicate-names":
        state["principals"].append({"id": "d813d7d7-0f41-4edc-b284-d0dfaf399d15",
                                    "appId": "f7808c5e-cb57-4e37-8094-406d302c0f8d", "displayName": "Contoso SCIM"})
    elif name == "no-job":
        state["jobs"] = []
    elif name == "throttled":
        state["throttle"] = {"jobs", "schema"}
    elif name == "nothing-readable":
        for read in ("sp", "jobs", "schema", "secrets", "assignments", "groups", "logs"):
            state["refused"][read] = (403, "Authorization_RequestDenied")
    elif name == "many-assignments":
        state["assignments"] = [dict(state["assignments"][0], principalId=f"cdb555e3-b33e-4fd5-a427-{i:012d}",
                                     principalDisplayName=f"User {i}") for i in range(250)]
    elif name == "hostile":
        # Server-chosen text with terminal escapes, and a nextLink to another host (it would carry the token there).
        state["principals"][0]["displayName"] = "Contoso\x1b[2J\x1b]0;owned\x07 SCIM"
        state["mappings"][0]["name"] = "Users\x1b[31m red"
        state["hostile_next_link"] = True
    else:
        raise ValueError(f"unknown Graph scenario {name}")
    return state


SCENARIOS = ["pod-success", "pod-not-entitled", "pod-conflict", "healthy", "off", "notify-off", "scoping-user-type", "test-connection-ok", "test-connection-token-rejected", "quarantine-EncounteredQuarantineException", "quarantine-TooManyDeletes",
             "quarantine-EncounteredEscrowProportionThreshold", "users-mapping-disabled", "groups-mapping-disabled",
             "assigned-nobody", "non-security-group", "nested-group", "initial-cycle", "base-address-mismatch",
             "log-errors", "logs-no-licence", "logs-no-permission", "duplicate-names", "no-job", "throttled",
             "nothing-readable", "many-assignments", "hostile"]


class GraphFixture:
    def __init__(self, scenario: str = "healthy", token: str | None = None) -> None:
        self.state = _scenario(scenario)
        self.token = token or access_token(self.state["scopes"])
        self.requests: list[tuple[str, str]] = []
        self.device_polls = 0
        self.provisioned: list[str] = []  # object ids provisionOnDemand was asked for
        self.lock = threading.Lock()
        fixture = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                fixture._handle(self, "GET")

            def do_POST(self) -> None:
                fixture._handle(self, "POST")

            def do_PUT(self) -> None:
                fixture._handle(self, "PUT")

            def do_PATCH(self) -> None:
                fixture._handle(self, "PATCH")

            def do_DELETE(self) -> None:
                fixture._handle(self, "DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> GraphFixture:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def env(self) -> dict[str, str]:
        return {"SCIM_DOCTOR_GRAPH_URL": self.origin, "SCIM_DOCTOR_LOGIN_URL": self.origin}

    # -- HTTP --------------------------------------------------------------------------------------------------

    def _send(self, handler: BaseHTTPRequestHandler, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("request-id", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _graph_error(self, handler: BaseHTTPRequestHandler, status: int, code: str) -> None:
        self._send(handler, status, {"error": {"code": code, "message": "Insufficient privileges to complete the operation.",
                                               "innerError": {"request-id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                                                              "date": "2026-06-01T00:00:00"}}})

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parsed = urllib.parse.urlsplit(handler.path)
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        with self.lock:
            self.requests.append((method, handler.path))
        if "/oauth2/v2.0/" in path:
            return self._sign_in(handler, method, path, urllib.parse.parse_qs(body))
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return self._graph_error(handler, 401, "InvalidAuthenticationToken")
        if method == "POST" and path == f"/v1.0/servicePrincipals/{SP_ID}/synchronization/jobs/{JOB_ID}/validateCredentials":
            return self._validate(handler, body)
        if method == "POST" and path == f"/v1.0/servicePrincipals/{SP_ID}/synchronization/jobs/{JOB_ID}/provisionOnDemand":
            return self._provision(handler, body)
        if method != "GET":
            return self._graph_error(handler, 405, "Request_BadRequest")
        read, answer = self._read(path, query)
        if read is None:
            return self._graph_error(handler, 404, "Request_ResourceNotFound")
        if read in self.state["refused"]:
            status, code = self.state["refused"][read]
            return self._graph_error(handler, status, code)
        if read in self.state["throttle"]:
            self.state["throttle"].discard(read)
            return self._send(handler, 429, {"error": {"code": "TooManyRequests", "message": "throttled"}},
                              {"Retry-After": "1"})
        self._send(handler, 200, answer)

    def _validate(self, handler: BaseHTTPRequestHandler, body: str) -> None:
        """validateCredentials: 204 when Entra's call to the SCIM endpoint worked. Its failure body is undocumented;
        this is what Microsoft's gallery runbook observed (unconfirmed)."""
        claims = json.loads(base64.urlsafe_b64decode(self.token.split(".")[1] + "=="))
        granted = claims.get("scp", "").split() + claims.get("roles", [])
        if "Synchronization.ReadWrite.All" not in granted:
            return self._graph_error(handler, 403, "Authorization_RequestDenied")
        if json.loads(body or "{}").get("useSavedCredentials") is not True:
            return self._graph_error(handler, 400, "RequestMissingRequiredParameter")
        if self.state.get("validate") == "token-rejected":
            return self._send(handler, 400, {"error": {"code": "CredentialValidationUnavailable", "message":
                f"Resource: {TENANT_URL}/Users?filter=userName+eq+%2207ab%22 Operation: GET Response Status Code: 401 "
                "Response Content: {\"detail\":\"invalid token\"}"}})
        handler.send_response(204)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _provision(self, handler: BaseHTTPRequestHandler, body: str) -> None:
        """provisionOnDemand (G-POD): 200 with a key and a value that are JSON texts."""
        claims = json.loads(base64.urlsafe_b64decode(self.token.split(".")[1] + "=="))
        if "Synchronization.ReadWrite.All" not in claims.get("scp", "").split() + claims.get("roles", []):
            return self._graph_error(handler, 403, "Authorization_RequestDenied")
        request = json.loads(body or "{}")
        parameter = (request.get("parameters") or [{}])[0]
        subject = (parameter.get("subjects") or [{}])[0]
        if parameter.get("ruleId") != RULE_ID or subject.get("objectTypeName") != "User" or not subject.get("objectId"):
            return self._graph_error(handler, 400, "RequestMissingRequiredParameter")
        self.provisioned.append(subject["objectId"])
        outcome = self.state.get("pod", "success")
        key = {"success": {"result": "Success", "details": {}},
               "not-entitled": {"result": "Skipped", "details": {"errorCode": "NotEffectivelyEntitled", "errorMessage":
                   "This object does not have required entitlement for provisioning."}},
               "conflict": {"result": "Failure", "details": {
                   "errorCode": "SystemForCrossDomainIdentityManagementEntryConflict", "errorMessage":
                   "returned an error response with the HTTP status code 409"}}}[outcome]
        export = {"success": "success", "not-entitled": "skipped", "conflict": "failure"}[outcome]
        value = {"provisioningSteps": [
            {"name": "EntryImport", "provisioningStepType": "import", "status": "success",
             "description": "Retrieved User 'alan@contoso.com' from Azure Active Directory", "details": {}},
            {"name": "EntrySynchronizationScoping", "provisioningStepType": "scoping", "status": "success",
             "description": "Determine if User in scope by evaluating against each scoping filter",
             "details": {"Active in the source system": "True", "Assigned to the application": "True"}},
            {"name": "EntryExportAdd", "provisioningStepType": "export", "status": export,
             "description": "User 'alan@contoso.com' was created in customappsso", "details": {}}]}
        self._send(handler, 200, {"@odata.type": "#microsoft.graph.stringKeyStringValuePair",
                                  "key": json.dumps(key), "value": json.dumps(value)})

    def _read(self, path: str, query: dict[str, list[str]]) -> tuple[str | None, object]:
        sp = f"/v1.0/servicePrincipals/{SP_ID}"
        state = self.state
        if path == "/v1.0/servicePrincipals":
            wanted = (query.get("$filter") or [""])[0]
            found = [p for p in state["principals"] if f"'{p['appId']}'" in wanted or f"'{p['displayName']}'" in wanted]
            return "sp", {"value": found}
        if path == sp:
            return "sp", state["principals"][0]
        if path == sp + "/synchronization/jobs":
            return "jobs", {"value": state["jobs"]}
        if path == f"{sp}/synchronization/jobs/{JOB_ID}/schema":
            return "schema", {"id": JOB_ID, "synchronizationRules": [
                {"id": RULE_ID, "name": "USER_OUTBOUND_USER",
                 "metadata": [{"key": "supportsProvisionOnDemand", "value": "true"}],
                 "objectMappings": state["mappings"]}]}
        if path == f"/beta/servicePrincipals/{SP_ID}/synchronization/secrets":
            return "secrets", {"value": state["secrets"]}
        if path == sp + "/appRoleAssignedTo":
            return "assignments", self._page(state["assignments"], query, sp + "/appRoleAssignedTo")
        if path == f"/v1.0/groups/{GROUP_ID}":
            return "groups", state["group"]
        if path == f"/v1.0/groups/{GROUP_ID}/members":
            return "groups", {"value": state["members"]}
        if path == "/v1.0/users/alan@contoso.com":
            return "users", {"id": "cdb555e3-b33e-4fd5-a427-17fadacbdfa7", "userPrincipalName": "alan@contoso.com",
                             "displayName": "Alan Turing"}
        if path == "/v1.0/auditLogs/provisioning":
            return "logs", {"value": state["events"]}
        return None, None

    def _page(self, items: list[dict], query: dict[str, list[str]], path: str) -> dict:
        """100 a page, whatever $top asks (whether $top=999 is honoured there is unconfirmed)."""
        start = int((query.get("$skiptoken") or ["0"])[0])
        page = {"value": items[start:start + 100]}
        if start + 100 < len(items):
            origin = "http://evil.example.net" if self.state.get("hostile_next_link") else self.origin
            page["@odata.nextLink"] = f"{origin}{path}?$top=999&$skiptoken={start + 100}"
        elif self.state.get("hostile_next_link") and start == 0:
            page["@odata.nextLink"] = f"http://evil.example.net{path}?$skiptoken=100"
        return page

    def _sign_in(self, handler: BaseHTTPRequestHandler, method: str, path: str, form: dict[str, list[str]]) -> None:
        def field(name: str) -> str:
            return (form.get(name) or [""])[0]
        if not path.startswith(f"/{TENANT}/oauth2/v2.0/") or method != "POST":
            return self._send(handler, 400, {"error": "invalid_request", "error_description": "AADSTS90002: Tenant not found."})
        if path.endswith("/devicecode"):
            if field("client_id") != CLIENT_ID:
                return self._send(handler, 400, {"error": "unauthorized_client", "error_description": "AADSTS700016: app not found"})
            return self._send(handler, 200, {
                "device_code": DEVICE_CODE, "user_code": "FIXTURE9", "verification_uri": "https://microsoft.com/devicelogin",
                "expires_in": 900, "interval": 1,
                "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter "
                           "the code FIXTURE9 to authenticate."})
        grant = field("grant_type")
        if grant == "client_credentials":
            if field("client_id") != CLIENT_ID or field("client_secret") != CLIENT_SECRET:
                return self._send(handler, 401, {"error": "invalid_client", "error_description":
                                                 "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                                                 "in the request is the client secret value, not the client secret ID."})
            if field("scope") != "https://graph.microsoft.com/.default":
                return self._send(handler, 400, {"error": "invalid_scope", "error_description": "AADSTS70011: bad scope"})
            self.token = access_token(roles=self.state["scopes"])
            return self._send(handler, 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": self.token})
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            if field("device_code") != DEVICE_CODE:
                return self._send(handler, 400, {"error": "bad_verification_code"})
            self.device_polls += 1
            if self.device_polls == 1:
                return self._send(handler, 400, {"error": "authorization_pending", "error_description": "AADSTS70016: pending"})
            self.token = access_token(self.state["scopes"])
            return self._send(handler, 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": self.token,
                                             "id_token": "eyJ-fixture-id-token-0123456789",
                                             "refresh_token": "0.fixture-refresh-token-0123456789"})
        return self._send(handler, 400, {"error": "unsupported_grant_type"})
