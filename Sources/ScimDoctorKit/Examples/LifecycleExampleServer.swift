import Foundation
import Synchronization

/// An in-memory SCIM server for the lifecycle probes' examples: it stores what is POSTed (ids `u-1`, `u-2`… and
/// `g-1`…), applies PATCHes in both of Entra's dialects, filters, deletes, and misbehaves in the ways `Behaviour`
/// names. Each context made from the example gets a fresh server (`ExampleSetup.makeRoutes`).
final class LifecycleExampleServer: Sendable {
    /// The ways a server breaks Entra's lifecycle; all off is a server that does everything right.
    struct Behaviour: Sendable {
        /// Top-level attributes (or `name.formatted`-style sub-attributes) the server does not store.
        var drops: [String] = []
        /// Top-level attributes stored under another name (`preferredLanguage` → `locale`).
        var renames: [String: String] = [:]
        /// Stores phone numbers as "+1 (555) 555-0100".
        var reformatsPhones = false
        /// Answers every POST /Users with this.
        var createReply: Reply?
        /// Creates that carry one of these top-level attributes are refused with 400 naming it (the first found).
        var refusesAttributes: [String] = []
        /// Creates that carry one of these are refused with 400 that names nothing.
        var refusesSilently: [String] = []
        /// Stores the user and answers with this status instead of 201.
        var createStatus: Int?
        /// Answers a create with this existing user (an upsert on a taken userName), storing nothing.
        var createReturnsExisting: JSONValue?
        /// A second user with a taken userName is created (201) instead of 409.
        var acceptsDuplicates = false
        /// A duplicate create answers 201 with the existing user.
        var duplicateReturnsExisting = false
        /// A duplicate create answers this status (instead of 409).
        var duplicateStatus: Int?
        var rejectsStringBooleans = false
        var rejectsCapitalisedOps = false
        var rejectsPathlessReplace = false
        /// PATCH answers 204 and changes nothing.
        var ignoresPatches = false
        var rejectsBareManager = false
        /// Manager updates answer 204 and are never stored (every other change is).
        var dropsManager = false
        /// A Replace of the manager clears it (an Add sets it).
        var replaceClearsManager = false
        var hidesDisabledFromFilter = false
        var hidesDisabledFromGet = false
        var caseSensitiveFilter = false
        /// A filter of two `eq` expressions joined by `and` answers 400 invalidFilter.
        var rejectsCompoundFilter = false
        /// Only the first expression of a filter is applied.
        var appliesFirstFilterTermOnly = false
        /// An unqualified `manager` in a filter answers 400 (the qualified enterprise name works).
        var rejectsShortManagerName = false
        /// Group creates fail with 400 when the body carries the ADSCIM schema URI / `meta`.
        var rejectsADSCIM = false
        var rejectsGroupMeta = false
        /// A second group with a taken displayName is created (201) instead of 409.
        var acceptsDuplicateGroups = false
        /// A duplicate group create answers this status (instead of 409).
        var duplicateGroupStatus: Int?
        var ignoresMemberRemoval = false
        /// `Remove` on `members` with a value list answers 400 (a remove carries no value, says RFC 7644 strictly).
        var rejectsRemoveWithValue = false
        var rejectsMemberFilterPath = false
        /// DELETE answers 204 and keeps the resource.
        var deleteKeeps = false
        /// DELETE answers this status and keeps the resource.
        var deleteStatus: Int?
    }

    private struct State {
        var users: [(id: String, resource: JSONValue)] = []
        var groups: [(id: String, resource: JSONValue)] = []
        var nextUser = 1
        var nextGroup = 1
    }

    private let behaviour: Behaviour
    private let state = Mutex(State())

    init(_ behaviour: Behaviour = Behaviour()) { self.behaviour = behaviour }

    /// The routes of an `ExampleSetup`.
    static func routes(_ behaviour: Behaviour = Behaviour()) -> [Route] {
        let server = LifecycleExampleServer(behaviour)
        return [
            Route(
                matches: { !$0.connectOnly },
                reply: { request in
                    // A create that gets no answer at all (a timeout, a reset connection).
                    if request.method == "POST", request.url.hasSuffix("/Users"),
                        case .failure(let error)? = behaviour.createReply?.result
                    {
                        return .failure(error)
                    }
                    return .success(server.handle(request))
                })
        ]
    }

    /// A setup with this server and, optionally, a patch style and Tenant URL; `before` routes answer first.
    static func setup(
        _ behaviour: Behaviour = Behaviour(), patchStyle: PatchStyle = .fromTenantURL,
        tenantURL: String = ExampleSetup.defaultTenantURL, before: [Route] = []
    ) -> ExampleSetup {
        var setup = ExampleSetup(tenantURL: tenantURL, patchStyle: patchStyle, routes: before + routes(behaviour))
        // A fresh server for every context, so that running an example again (explain, docs/probes.md) starts
        // from the same empty state.
        setup.makeRoutes = { before + routes(behaviour) }
        return setup
    }

    // MARK: - Requests

    private func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard let components = URLComponents(string: request.url) else { return Self.error(400, "bad URL") }
        let parts = components.percentEncodedPath.split(separator: "/").map { $0.removingPercentEncoding ?? "" }
        guard parts.count >= 3, parts[0] == "scim", parts[1] == "v2" else { return Self.error(404, "no such path") }
        let kind = parts[2]
        let id = parts.count > 3 ? parts[3] : nil
        let query =
            (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            ?? ""
        let body = request.body.flatMap { try? JSONParser.parse($0).get().value }.flatMap { $0.isObject ? $0 : nil }
        return state.withLock { state in
            switch (request.method, kind, id) {
            case ("POST", "Users", nil): return createUser(body, &state)
            case ("POST", "Groups", nil): return createGroup(body, &state)
            case ("GET", _, nil): return list(kind, query: query, state)
            case ("GET", _, let id?):
                guard let resource = find(kind, id, state) else { return Self.error(404, "\(kind) \(id) not found") }
                if behaviour.hidesDisabledFromGet, resource["active"] == .bool(false) {
                    return Self.error(404, "User \(id) not found")
                }
                return Self.json(200, resource)
            case ("PATCH", _, let id?):
                guard var resource = find(kind, id, state) else { return Self.error(404, "\(kind) \(id) not found") }
                if let problem = patch(&resource, body) { return problem }
                if !behaviour.ignoresPatches { store(kind, id, resource, &state) }
                return HTTPResponse(status: 204)
            case ("DELETE", _, let id?):
                guard find(kind, id, state) != nil else { return Self.error(404, "\(kind) \(id) not found") }
                if let status = behaviour.deleteStatus { return Self.error(status, "cannot delete") }
                if !behaviour.deleteKeeps {
                    if kind == "Users" {
                        state.users.removeAll { $0.id == id }
                    } else {
                        state.groups.removeAll { $0.id == id }
                    }
                }
                return HTTPResponse(status: 204)
            default:
                return Self.error(405, "method not allowed")
            }
        }
    }

    private func createUser(_ body: JSONValue?, _ state: inout State) -> HTTPResponse {
        if let reply = behaviour.createReply, let response = try? reply.result.get() { return response }
        if let existing = behaviour.createReturnsExisting { return Self.json(201, existing) }
        if let refused = behaviour.refusesAttributes.first(where: { body?[$0] != nil }) {
            return Self.error(400, "Unsupported attribute '\(refused)'", scimType: "invalidValue")
        }
        if behaviour.refusesSilently.contains(where: { body?[$0] != nil }) {
            return Self.error(400, "Bad request")
        }
        guard var user = body, let userName = user["userName"]?.string else {
            return Self.error(400, "userName is required")
        }
        if let existing = state.users.first(where: { $0.resource["userName"]?.string == userName }) {
            if behaviour.duplicateReturnsExisting { return Self.json(201, existing.resource) }
            if let status = behaviour.duplicateStatus { return Self.error(status, "could not create the user") }
            if !behaviour.acceptsDuplicates {
                return Self.error(409, "userName \(userName) is already taken", scimType: "uniqueness")
            }
        }
        let id = "u-\(state.nextUser)"
        state.nextUser += 1
        user.set("id", .string(id))
        user.set("meta", object(["resourceType": .string("User"), "location": .string("/scim/v2/Users/\(id)")]))
        user.remove("roles")
        for drop in behaviour.drops {
            let names = drop.split(separator: ".").map(String.init)
            if names.count == 2, var parent = user[names[0]] {
                parent.remove(names[1])
                user.set(names[0], parent)
            } else {
                user.remove(drop)
            }
        }
        for (from, to) in behaviour.renames.sorted(by: { $0.key < $1.key }) {
            if let value = user[from] {
                user.remove(from)
                user.set(to, value)
            }
        }
        if behaviour.reformatsPhones, let phones = user["phoneNumbers"]?.array {
            user.set("phoneNumbers", .array(phones.map(Self.reformatted)))
        }
        state.users.append((id, user))
        return Self.json(behaviour.createStatus ?? 201, user)
    }

    private static func reformatted(_ phone: JSONValue) -> JSONValue {
        guard let digits = phone["value"]?.string, digits.count == 11 else { return phone }
        let d = Array(digits)
        var copy = phone
        copy.set("value", .string("+\(d[0]) (\(String(d[1...3]))) \(String(d[4...6]))-\(String(d[7...]))"))
        return copy
    }

    private func createGroup(_ body: JSONValue?, _ state: inout State) -> HTTPResponse {
        guard var group = body, group["displayName"]?.string != nil else {
            return Self.error(400, "displayName is required")
        }
        let schemas = group["schemas"]?.array?.compactMap(\.string) ?? []
        if behaviour.rejectsADSCIM, let unknown = schemas.first(where: { !$0.hasPrefix("urn:ietf:params:scim") }) {
            return Self.error(400, "Unknown extension schemas: \(unknown)", scimType: "invalidSyntax")
        }
        if behaviour.rejectsGroupMeta, group["meta"] != nil { return Self.error(400, "meta is read-only") }
        if let name = group["displayName"]?.string,
            state.groups.contains(where: { $0.resource["displayName"]?.string == name })
        {
            if let status = behaviour.duplicateGroupStatus { return Self.error(status, "could not create the group") }
            if !behaviour.acceptsDuplicateGroups {
                return Self.error(409, "displayName \(name) is already taken", scimType: "uniqueness")
            }
        }
        let id = "g-\(state.nextGroup)"
        state.nextGroup += 1
        group.set("id", .string(id))
        group.set("schemas", .array([.string(SchemaURN.group)]))
        group.set("meta", object(["resourceType": .string("Group")]))
        state.groups.append((id, group))
        return Self.json(201, group)
    }

    private func list(_ kind: String, query: String, _ state: State) -> HTTPResponse {
        var resources = (kind == "Users" ? state.users : state.groups).map(\.resource)
        if let filter = query.firstMatch(of: /filter=([^&]*)/)?.1 {
            let terms = filter.matches(of: /([\w:.]+) eq "([^"]*)"/).map { (String($0.1), String($0.2)) }
            if terms.count > 1, behaviour.rejectsCompoundFilter {
                return Self.error(400, "only one filter expression is supported", scimType: "invalidFilter")
            }
            if behaviour.rejectsShortManagerName, terms.contains(where: { $0.0 == "manager" }) {
                return Self.error(400, "Field not found: manager", scimType: "invalidFilter")
            }
            let applied = behaviour.appliesFirstFilterTermOnly ? Array(terms.prefix(1)) : terms
            resources = resources.filter { resource in
                applied.allSatisfy { attribute, value in
                    // The manager is compared by its id, stored as {"value": id} (or a bare string).
                    let manager = resource[SchemaURN.enterpriseUser]?["manager"]
                    let isManager = attribute == "manager" || attribute == "\(EntraBodies.managerPath).value"
                    let found = isManager ? manager?.string ?? manager?["value"]?.string : resource[attribute]?.string
                    guard let actual = found else { return false }
                    return behaviour.caseSensitiveFilter ? actual == value : actual.lowercased() == value.lowercased()
                }
            }
            if behaviour.hidesDisabledFromFilter { resources.removeAll { $0["active"] == .bool(false) } }
        }
        if query.contains("excludedAttributes=members") {
            resources = resources.map { resource in
                var copy = resource
                copy.remove("members")
                return copy
            }
        }
        return Self.json(
            200,
            object([
                "schemas": .array([.string(SchemaURN.listResponse)]), "totalResults": .int(resources.count),
                "startIndex": .int(1), "itemsPerPage": .int(resources.count), "Resources": .array(resources),
            ]))
    }

    private func find(_ kind: String, _ id: String, _ state: State) -> JSONValue? {
        (kind == "Users" ? state.users : state.groups).first { $0.id == id }?.resource
    }

    private func store(_ kind: String, _ id: String, _ resource: JSONValue, _ state: inout State) {
        if kind == "Users" {
            if let index = state.users.firstIndex(where: { $0.id == id }) { state.users[index].resource = resource }
        } else if let index = state.groups.firstIndex(where: { $0.id == id }) {
            state.groups[index].resource = resource
        }
    }

    // MARK: - PATCH

    /// Applies a PatchOp to `resource`; a response when the server rejects it.
    private func patch(_ resource: inout JSONValue, _ body: JSONValue?) -> HTTPResponse? {
        guard let operations = body?["Operations"]?.array else { return Self.error(400, "Operations missing") }
        for operation in operations {
            guard let op = operation["op"]?.string else { return Self.error(400, "op missing") }
            if behaviour.rejectsCapitalisedOps, op != op.lowercased() {
                return Self.error(
                    400, "Invalid op \"\(op)\": expected add, replace or remove", scimType: "invalidSyntax")
            }
            let path = operation["path"]?.string
            let value = operation["value"]
            switch (op.lowercased(), path) {
            case ("replace", nil), ("add", nil):
                if behaviour.rejectsPathlessReplace { return Self.error(400, "path is required") }
                for member in value?.members ?? [] {
                    if let problem = set(&resource, member.key, member.value) { return problem }
                }
            case ("add", "members"?), ("replace", "members"?):
                let added = (value?.array ?? []).compactMap { $0["value"]?.string }
                let current = resource["members"]?.array ?? []
                let kept = current.filter { !added.contains($0["value"]?.string ?? "") }
                resource.set("members", .array(kept + added.map { object(["value": .string($0)]) }))
            case ("remove", "members"?):
                if behaviour.rejectsRemoveWithValue, value != nil {
                    return Self.error(400, "a remove operation carries no value, a filter in the path selects it")
                }
                if !behaviour.ignoresMemberRemoval {
                    let removed = (value?.array ?? []).compactMap { $0["value"]?.string }
                    resource.set(
                        "members", .array(Self.members(resource).filter { !removed.contains($0) }.map(Self.member)))
                }
            case ("remove", let path?) where path.hasPrefix("members["):
                if behaviour.rejectsMemberFilterPath { return Self.error(400, "unsupported path \(path)") }
                guard let match = path.firstMatch(of: /members\[value eq "([^"]*)"\]/) else {
                    return Self.error(400, "bad path")
                }
                if !behaviour.ignoresMemberRemoval {
                    let removed = String(match.1)
                    resource.set("members", .array(Self.members(resource).filter { $0 != removed }.map(Self.member)))
                }
            case ("remove", let path?):
                remove(&resource, path)
            case ("replace", let path?)
            where behaviour.replaceClearsManager && path.lowercased() == EntraBodies.managerPath.lowercased():
                remove(&resource, path)
            case (_, let path?):
                if let problem = set(&resource, path, value ?? .null) { return problem }
            default:
                return Self.error(400, "unsupported op \(op)")
            }
        }
        return nil
    }

    private static func members(_ resource: JSONValue) -> [String] {
        (resource["members"]?.array ?? []).compactMap { $0["value"]?.string }
    }

    private static func member(_ id: String) -> JSONValue { object(["value": .string(id)]) }

    /// Sets the attribute at a PATCH path: `a`, `a.b`, `a[type eq "t"].b`, `urn:…:User:a`.
    private func set(_ resource: inout JSONValue, _ path: String, _ value: JSONValue) -> HTTPResponse? {
        var value = value
        if path.lowercased() == "active", case .string(let text) = value {
            if behaviour.rejectsStringBooleans {
                return Self.error(400, "active must be a boolean, not \"\(text)\"", scimType: "invalidValue")
            }
            value = .bool(text.lowercased() == "true")
        }
        if path.lowercased() == EntraBodies.managerPath.lowercased() {
            if case .string(let id) = value {
                if behaviour.rejectsBareManager { return Self.error(400, "manager must be an object with a value") }
                value = object(["value": .string(id)])
            }
            if behaviour.dropsManager { return nil }
        }
        if path.hasPrefix("urn:"), let colon = path.lastIndex(of: ":") {
            let urn = String(path[..<colon])
            var parent = resource[urn] ?? .object([])
            parent.set(String(path[path.index(after: colon)...]), value)
            resource.set(urn, parent)
        } else if let match = path.firstMatch(of: /(\w+)\[type eq "([^"]*)"\]\.(\w+)/) {
            let (attribute, type, sub) = (String(match.1), String(match.2), String(match.3))
            var elements = resource[attribute]?.array ?? []
            if let index = elements.firstIndex(where: { $0["type"]?.string == type }) {
                elements[index].set(sub, value)
            } else {
                elements.append(object(["type": .string(type), sub: value]))
            }
            resource.set(attribute, .array(elements))
        } else if let dot = path.firstIndex(of: ".") {
            let parentName = String(path[..<dot])
            var parent = resource[parentName] ?? .object([])
            parent.set(String(path[path.index(after: dot)...]), value)
            resource.set(parentName, parent)
        } else {
            resource.set(path, value)
        }
        return nil
    }

    private func remove(_ resource: inout JSONValue, _ path: String) {
        if path.hasPrefix("urn:"), let colon = path.lastIndex(of: ":") {
            let urn = String(path[..<colon])
            guard var parent = resource[urn] else { return }
            parent.remove(String(path[path.index(after: colon)...]))
            resource.set(urn, parent)
        } else {
            resource.remove(path)
        }
    }

    // MARK: - Answers

    private static func json(_ status: Int, _ body: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/scim+json")], body: body.data)
    }

    private static func error(_ status: Int, _ detail: String, scimType: String? = nil) -> HTTPResponse {
        var body = object([
            "schemas": .array([.string(SchemaURN.error)]), "status": .string(String(status)),
            "detail": .string(detail),
        ])
        if let scimType { body.set("scimType", .string(scimType)) }
        return json(status, body)
    }
}
