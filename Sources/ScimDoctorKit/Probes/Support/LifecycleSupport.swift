import Foundation

// Shared by the Users lifecycle and Groups lifecycle probes (write mode): Entra's request bodies
// (entra-provisioning.md §3.4, §3.5, §4.2), the test resources every probe works on, and read-back comparison.

/// A JSON value that keeps its keys in order, so the bodies sent read like Entra's and are the same every run.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    struct Member: Sendable, Equatable {
        let key: String
        var value: JSONValue
    }

    /// From a `JSONBody` value (object keys sorted, since the server's order is unknown).
    init(_ value: (any Sendable)?) {
        switch value {
        case let bool as Bool: self = .bool(bool)
        case let int as Int: self = .int(int)
        case let double as Double: self = .double(double)
        case let string as String: self = .string(string)
        case let array as [any Sendable]: self = .array(array.map { JSONValue($0) })
        case let object as [String: any Sendable]:
            self = .object(object.keys.sorted().map { Member(key: $0, value: JSONValue(object[$0])) })
        default: self = .null
        }
    }

    /// The parsed body of a response, nil when it is not a JSON object.
    init?(response: HTTPResponse?) {
        guard let response, let object = JSONBody(response).object else { return nil }
        self = JSONValue(object)
    }

    /// Compact JSON text.
    var text: String {
        switch self {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .int(let int): String(int)
        case .double(let double): String(double)
        case .string(let string): Self.quote(string)
        case .array(let array): "[" + array.map(\.text).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { Self.quote($0.key) + ":" + $0.value.text }.joined(separator: ",") + "}"
        }
    }

    var data: Data { Data(text.utf8) }

    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var members: [Member]? { if case .object(let value) = self { value } else { nil } }

    /// A member of an object; SCIM attribute names are case-insensitive (the exact spelling wins).
    subscript(key: String) -> JSONValue? {
        guard let members else { return nil }
        return (members.first { $0.key == key } ?? members.first { $0.key.lowercased() == key.lowercased() })?.value
    }

    /// Sets (replacing any spelling of the key) or appends a member; a non-object becomes an object.
    mutating func set(_ key: String, _ value: JSONValue) {
        var members = self.members ?? []
        if let index = members.firstIndex(where: { $0.key.lowercased() == key.lowercased() }) {
            members[index].value = value
        } else {
            members.append(Member(key: key, value: value))
        }
        self = .object(members)
    }

    mutating func remove(_ key: String) {
        guard let members else { return }
        self = .object(members.filter { $0.key.lowercased() != key.lowercased() })
    }

    /// A short description of the value for findings: `"+1 (555) 555-0100"`, `true`, `missing`.
    var shown: String {
        let text = self.text
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}

/// Builds `{"key": value, …}` in the given order.
func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
    .object(pairs.map { JSONValue.Member(key: $0.key, value: $0.value) })
}

/// One of the two test users. Every name carries the run tag; e-mail addresses use the reserved example.com.
struct TestPerson: Sendable {
    let handle: String
    let givenName: String
    let familyName: String
    let title: String
    let department: String
    let employeeNumber: String
    let streetAddress: String
    let locality: String
    let region: String
    let postalCode: String
    let country: String
    /// Work, mobile, fax: digits only, the way Entra sends a number that was entered that way.
    let phones: [String]
    let preferredLanguage: String

    /// The main test user (created, read back, patched, disabled, deleted).
    static let ada = TestPerson(
        handle: "ada", givenName: "Ada", familyName: "Lovelace", title: "Analyst", department: "Engineering",
        employeeNumber: "1815", streetAddress: "12 Analytical Row", locality: "London", region: "Greater London",
        postalCode: "EC1A 1AA", country: "GB", phones: ["15555550100", "15555550101", "15555550102"],
        preferredLanguage: "en-GB")
    /// The second test user: Ada's manager and the group member.
    static let grace = TestPerson(
        handle: "grace", givenName: "Grace", familyName: "Hopper", title: "Computer Scientist",
        department: "Research", employeeNumber: "1906", streetAddress: "1 Compiler Way", locality: "Arlington",
        region: "VA", postalCode: "22201", country: "US", phones: ["15555550110", "15555550111", "15555550112"],
        preferredLanguage: "en-US")

    func userName(_ tag: String) -> String { identity(tag).name }
    func identity(_ tag: String) -> TestIdentity { TestIdentity.user(tag: tag, handle: handle) }
    func displayName(_ tag: String) -> String { "\(tag) \(givenName) \(familyName)" }
    func externalId(_ tag: String) -> String { identity(tag).externalId ?? "" }
    /// The work e-mail differs from the userName so that a server moving one into the other can be told.
    func email(_ tag: String) -> String { "\(tag)-\(handle).\(familyName.lowercased())@example.com" }
    var formattedName: String { "\(givenName) \(familyName)" }
    var formattedAddress: String { "\(streetAddress), \(locality) \(postalCode), \(country)" }
}

/// Entra's request bodies, exactly as entra-provisioning.md §3 and §4 give them.
enum EntraBodies {
    static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    static let adscimGroup = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
    static let managerPath = "\(SchemaURN.enterpriseUser):manager"

    /// POST /Users with the default user mapping (§3.1, §3.4); the manager is set later by PATCH, as Entra does.
    static func user(_ person: TestPerson, tag: String) -> JSONValue {
        let phones = zip(["work", "mobile", "fax"], person.phones).map { type, number in
            object(["type": .string(type), "value": .string(number)])
        }
        return object([
            "schemas": .array([.string(SchemaURN.user), .string(SchemaURN.enterpriseUser)]),
            "externalId": .string(person.externalId(tag)),
            "userName": .string(person.userName(tag)),
            "active": .bool(true),
            "displayName": .string(person.displayName(tag)),
            "title": .string(person.title),
            "emails": .array([
                object(["primary": .bool(true), "type": .string("work"), "value": .string(person.email(tag))])
            ]),
            "preferredLanguage": .string(person.preferredLanguage),
            "name": object([
                "formatted": .string(person.formattedName), "familyName": .string(person.familyName),
                "givenName": .string(person.givenName),
            ]),
            "addresses": .array([
                object([
                    "type": .string("work"), "streetAddress": .string(person.streetAddress),
                    "locality": .string(person.locality), "region": .string(person.region),
                    "postalCode": .string(person.postalCode), "country": .string(person.country),
                    "formatted": .string(person.formattedAddress),
                ])
            ]),
            "phoneNumbers": .array(phones),
            SchemaURN.enterpriseUser: object([
                "employeeNumber": .string(person.employeeNumber), "department": .string(person.department),
            ]),
            "meta": object(["resourceType": .string("User")]),
            "roles": .array([]),
        ])
    }

    /// What a group create body may leave out when the server rejects Entra's (to find out which part it rejects).
    struct GroupVariant: Sendable, Equatable {
        var adscim = true
        var meta = true
        static let entra = GroupVariant()
    }

    /// POST /Groups (§4.2): the core schema plus Microsoft's ADSCIM URI, and `meta`.
    static func group(tag: String, _ variant: GroupVariant = .entra) -> JSONValue {
        var schemas: [JSONValue] = [.string(SchemaURN.group)]
        if variant.adscim { schemas.append(.string(adscimGroup)) }
        var body = object([
            "schemas": .array(schemas), "externalId": .string(TestIdentity.group(tag: tag).externalId ?? ""),
            "displayName": .string(TestIdentity.group(tag: tag).name),
        ])
        if variant.meta { body.set("meta", object(["resourceType": .string("Group")])) }
        return body
    }

    static func patch(_ operations: [JSONValue]) -> JSONValue {
        object(["schemas": .array([.string(patchOp)]), "Operations": .array(operations)])
    }

    static func operation(_ op: String, path: String? = nil, value: JSONValue? = nil) -> JSONValue {
        var operation = object(["op": .string(op)])
        if let path { operation.set("path", .string(path)) }
        if let value { operation.set("value", value) }
        return operation
    }
}

/// Entra's two PATCH dialects (§3.5).
enum PatchDialect: Sendable, Equatable {
    /// No flag: capitalised ops, `"False"` strings, one operation per attribute, `Remove` members with a value.
    case entraDefault
    /// `aadOptscim062020`: lower-case ops, booleans, a path-less replace, `members[value eq "…"]`.
    case scimCompliant

    var name: String { self == .entraDefault ? "Entra's default style" : "the aadOptscim062020 style" }
    var other: PatchDialect { self == .entraDefault ? .scimCompliant : .entraDefault }
    /// `Replace` / `replace`.
    func op(_ name: String) -> String {
        self == .entraDefault ? name.prefix(1).uppercased() + name.dropFirst().lowercased() : name.lowercased()
    }
}

extension ProbeContext {
    /// Whether the Tenant URL carries `aadOptscim062020` (bare or with a value, any letter case).
    var tenantHasCompliantFlag: Bool {
        let items = (tenant?.query ?? "").split(separator: "&").map { $0.split(separator: "=").first ?? "" }
        return items.contains { $0.lowercased() == "aadoptscim062020" }
    }

    /// The dialects `--patch-style` asks for, in the order they are tested.
    var patchDialects: [PatchDialect] {
        switch options.patchStyle {
        case .fromTenantURL: [tenantHasCompliantFlag ? .scimCompliant : .entraDefault]
        case .entraDefault: [.entraDefault]
        case .scimCompliant: [.scimCompliant]
        case .both: [.entraDefault, .scimCompliant]
        }
    }
}

// MARK: - The test resources

/// A create this run made (or tried), with what was sent.
struct LifecycleCreation: Sendable {
    let kind: ResourceKind
    let label: String
    let sent: JSONValue
    let result: Creation
    var exchange: Exchange { result.exchange }
    /// The id of the created resource, only once a read-back proved it the run's own.
    var id: String? { result.ownedID }
}

/// The main test user: the create, and the read-back made right after it (before any probe changes the user).
struct LifecycleUser: Sendable {
    let creation: LifecycleCreation
    let readBack: Exchange?
}

/// The test group: every create tried, Entra's body first.
struct LifecycleGroup: Sendable {
    let attempts: [(variant: EntraBodies.GroupVariant, creation: LifecycleCreation)]
    var creation: LifecycleCreation? { attempts.first { $0.creation.id != nil }?.creation }
    var entraCreate: LifecycleCreation { attempts[0].creation }
    var id: String? { creation?.id }
}

extension ProbeContext {
    /// Creates the test user once per run (Entra's default-mapping body) and reads it back at once.
    func lifecycleUser() async throws -> LifecycleUser {
        try await remember("lifecycle-user") { () -> Result<LifecycleUser, ProbeError> in
            do {
                // The read-back that proved the user the run's own is the one the read-back probe compares.
                let creation = try await self.lifecycleCreate(.ada)
                // A read-back that failed is that probe's finding; one showing another resource is not (the create's).
                let proof = creation.result.proof
                let failedRead = proof.map { $0.response?.status != 200 } ?? false
                return .success(
                    LifecycleUser(creation: creation, readBack: creation.id != nil || failedRead ? proof : nil))
            } catch {
                return .failure(ProbeError("\(error)"))
            }
        }.get()
    }

    /// Creates the second test user once per run: Ada's manager and the group member.
    func lifecycleMemberUser() async throws -> LifecycleCreation {
        try await remember("lifecycle-member-user") { () -> Result<LifecycleCreation, ProbeError> in
            do { return .success(try await self.lifecycleCreate(.grace)) } catch {
                return .failure(ProbeError("\(error)"))
            }
        }.get()
    }

    private func lifecycleCreate(_ person: TestPerson) async throws -> LifecycleCreation {
        let body = EntraBodies.user(person, tag: writes.tag)
        let identity = person.identity(writes.tag)
        let result = try await create(.users, body: body.data, identity: identity)
        return LifecycleCreation(kind: .users, label: identity.name, sent: body, result: result)
    }

    /// Creates the test group once per run with Entra's body. When the server rejects it (a 4xx other than
    /// auth, conflict or rate limit), tries without the ADSCIM schema URI, then without `meta`, then without
    /// both: the first accepted variant names what the server rejects, and the group it creates lets the
    /// other group probes run.
    func lifecycleGroup() async throws -> LifecycleGroup {
        try await remember("lifecycle-group") { () -> Result<LifecycleGroup, ProbeError> in
            do {
                let tag = self.writes.tag
                let identity = TestIdentity.group(tag: tag)
                var attempts: [(EntraBodies.GroupVariant, LifecycleCreation)] = []
                let variants = [
                    EntraBodies.GroupVariant.entra, .init(adscim: false, meta: true), .init(adscim: true, meta: false),
                    .init(adscim: false, meta: false),
                ]
                for variant in variants {
                    let body = EntraBodies.group(tag: tag, variant)
                    let result = try await self.create(.groups, body: body.data, identity: identity)
                    attempts.append(
                        (variant, LifecycleCreation(kind: .groups, label: identity.name, sent: body, result: result)))
                    guard let status = result.exchange.response?.status, (400..<500).contains(status),
                        ![401, 403, 404, 409, 429].contains(status)
                    else { break }
                }
                return .success(LifecycleGroup(attempts: attempts))
            } catch {
                return .failure(ProbeError("\(error)"))
            }
        }.get()
    }

    /// The group's displayName now (group-lifecycle.rename changes it).
    func lifecycleGroupName() async -> LifecycleName {
        let tag = writes.tag
        return await remember("lifecycle-group-name") { LifecycleName(TestIdentity.group(tag: tag).name) }
    }

    /// Runs `body` while no other lifecycle probe of the same kind works on the test resources: the probes share
    /// one user (one group) and would otherwise see each other's changes.
    func serially<T: Sendable>(_ kind: ResourceKind, _ body: () async throws -> T) async throws -> T {
        let lock = await remember("lifecycle-lock-\(kind.rawValue)") { LifecycleLock() }
        await lock.acquire()
        do {
            // A probe abandoned at its deadline while waiting must not write afterwards.
            try Task.checkCancellation()
            let value = try await body()
            await lock.release()
            return value
        } catch {
            await lock.release()
            throw error
        }
    }

    /// `GET /{kind}/{id}` fresh.
    func readResource(_ kind: ResourceKind, _ id: String) async throws -> Exchange {
        try await read(resourcePath(kind, id))
    }

    /// `GET /{kind}?[extra&]filter=attribute eq "value"` fresh (never memoized).
    func readFilter(_ kind: ResourceKind, _ attribute: String, equals value: String) async throws -> Exchange {
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .scimQueryValue) ?? value
        let filter = "filter=\(attribute)+eq+%22\(encoded)%22"
        return try await read(kind.path, query: kind.extraQuery.map { "\($0)&\(filter)" } ?? filter)
    }

    /// PATCH with `body` (an owned resource only: the context refuses others).
    func patch(_ kind: ResourceKind, id: String, _ body: JSONValue) async throws -> Exchange {
        try await patch(kind, id: id, body: body.data)
    }
}

/// The current value of a name that a probe may change.
actor LifecycleName {
    private(set) var value: String
    init(_ value: String) { self.value = value }
    func set(_ value: String) { self.value = value }
}

/// An async mutex: the first caller proceeds, later ones wait in order.
actor LifecycleLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

// MARK: - Answers and evidence

/// How a server answered a write.
enum WriteAnswer {
    case accepted(HTTPResponse)
    case rejected(HTTPResponse)
    case noAnswer(TransportError)

    init(_ exchange: Exchange) {
        switch exchange.outcome {
        case .failure(let error): self = .noAnswer(error)
        case .success(let response):
            self = (200..<300).contains(response.status) ? .accepted(response) : .rejected(response)
        }
    }
}

enum LifecycleEvidence {
    /// Request line, a short excerpt of what was sent, the status and the start of the answer.
    static func write(_ exchange: Exchange, sent: JSONValue?, limit: Int = 240) -> [Evidence] {
        var evidence = Evidence.exchange(exchange)
        if let sent {
            let text = sent.text
            let excerpt = text.count > limit ? String(text.prefix(limit)) + "… (\(text.utf8.count) bytes)" : text
            evidence.insert(Evidence("sent", excerpt), at: min(1, evidence.count))
        }
        return evidence
    }

    /// "HTTP 400: \"detail\"" or "no answer: <libcurl message>".
    static func said(_ exchange: Exchange) -> String {
        switch exchange.outcome {
        case .failure(let error): return "no answer (\(error.message))"
        case .success(let response):
            guard let message = SCIMAnswer.serverMessage(response) else { return "HTTP \(response.status)" }
            return "HTTP \(response.status): \"\(message)\""
        }
    }
}

/// The fix for a server that did not answer a write at all.
func noAnswerFix(_ what: String) -> String {
    "On the server: make \(what) answer within the timeout (check the application's logs and any reverse proxy); "
        + "Entra retries failed writes in the next cycle, 40 minutes later."
}

// MARK: - Read-back comparison

/// Where a sent value lives in a SCIM resource.
enum AttributeLocation: Sendable {
    /// Nested attribute names (`["name", "givenName"]`, `[enterprise URN, "employeeNumber"]`).
    case path([String])
    /// `attribute[type eq "type"].sub` of a multi-valued attribute.
    case typed(String, type: String, sub: String)
}

/// One attribute the create sent, named as Entra's Mappings page names its target.
struct SentAttribute: Sendable {
    let target: String
    let expected: JSONValue
    let location: AttributeLocation

    /// The default Entra mapping that produces it, e.g. `telephoneNumber → phoneNumbers[type eq "work"].value`.
    var mapping: String {
        EntraDefaultMappings.user.first { $0.target.lowercased() == target.lowercased() }?.description
            ?? target
    }
}

/// What became of a sent attribute on the way back.
enum AttributeDrift: Sendable {
    case dropped
    case moved(to: String)
    case reformatted(got: JSONValue, note: String?)
    case changed(got: JSONValue)
}

enum ReadBack {
    /// Every mapped attribute of Entra's default user body (not `schemas`, `meta`, `roles` or `primary`, which are
    /// not mappings).
    static func sentAttributes(_ person: TestPerson, tag: String) -> [SentAttribute] {
        func path(_ target: String, _ value: JSONValue, _ names: [String]) -> SentAttribute {
            SentAttribute(target: target, expected: value, location: .path(names))
        }
        func typed(_ attribute: String, _ type: String, _ sub: String, _ value: String) -> SentAttribute {
            SentAttribute(
                target: "\(attribute)[type eq \"\(type)\"].\(sub)", expected: .string(value),
                location: .typed(attribute, type: type, sub: sub))
        }
        let enterprise = SchemaURN.enterpriseUser
        return [
            path("userName", .string(person.userName(tag)), ["userName"]),
            path("active", .bool(true), ["active"]),
            path("displayName", .string(person.displayName(tag)), ["displayName"]),
            path("title", .string(person.title), ["title"]),
            typed("emails", "work", "value", person.email(tag)),
            path("preferredLanguage", .string(person.preferredLanguage), ["preferredLanguage"]),
            path("name.givenName", .string(person.givenName), ["name", "givenName"]),
            path("name.familyName", .string(person.familyName), ["name", "familyName"]),
            path("name.formatted", .string(person.formattedName), ["name", "formatted"]),
            typed("addresses", "work", "formatted", person.formattedAddress),
            typed("addresses", "work", "streetAddress", person.streetAddress),
            typed("addresses", "work", "locality", person.locality),
            typed("addresses", "work", "region", person.region),
            typed("addresses", "work", "postalCode", person.postalCode),
            typed("addresses", "work", "country", person.country),
            typed("phoneNumbers", "work", "value", person.phones[0]),
            typed("phoneNumbers", "mobile", "value", person.phones[1]),
            typed("phoneNumbers", "fax", "value", person.phones[2]),
            path("externalId", .string(person.externalId(tag)), ["externalId"]),
            path("\(enterprise):employeeNumber", .string(person.employeeNumber), [enterprise, "employeeNumber"]),
            path("\(enterprise):department", .string(person.department), [enterprise, "department"]),
        ]
    }

    /// The value at `location`, with a note when the multi-valued `type` came back in another letter case.
    static func locate(_ location: AttributeLocation, in resource: JSONValue) -> (value: JSONValue, note: String?)? {
        switch location {
        case .path(let names):
            var current: JSONValue? = resource
            for name in names { current = current?[name] }
            guard let current, current != .null else { return nil }
            return (current, nil)
        case .typed(let attribute, let type, let sub):
            let elements = resource[attribute]?.array ?? []
            if let element = elements.first(where: { $0["type"]?.string == type }),
                let value = element[sub], value != .null
            {
                return (value, nil)
            }
            guard
                let element = elements.first(where: { $0["type"]?.string?.lowercased() == type.lowercased() }),
                let value = element[sub], value != .null
            else { return nil }
            return (value, "type \(element["type"]?.shown ?? "?") for sent \"\(type)\"")
        }
    }

    /// Letters and digits only, lower-cased: equal for a reformatted value ("+1 (555) 555-0100" and "15555550100").
    static func normalized(_ value: JSONValue) -> String {
        let text: String
        switch value {
        case .string(let string): text = string
        case .bool(let bool): text = bool ? "true" : "false"
        default: text = value.text
        }
        return String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
    }

    /// Every leaf of a resource with its path in mapping notation (`phoneNumbers[type eq "work"].value`,
    /// `urn:…:User:employeeNumber`), except `id`, `meta` and `schemas`.
    static func leaves(_ value: JSONValue, path: String = "", urnParent: Bool = false) -> [(String, JSONValue)] {
        switch value {
        case .object(let members):
            return members.flatMap { member -> [(String, JSONValue)] in
                if path.isEmpty, ["id", "meta", "schemas"].contains(member.key.lowercased()) { return [] }
                let child = path.isEmpty ? member.key : urnParent ? "\(path):\(member.key)" : "\(path).\(member.key)"
                return leaves(member.value, path: child, urnParent: path.isEmpty && member.key.hasPrefix("urn:"))
            }
        case .array(let elements):
            return elements.enumerated().flatMap { index, element -> [(String, JSONValue)] in
                let label = element["type"]?.string.map { "[type eq \"\($0)\"]" } ?? "[\(index)]"
                return leaves(element, path: path + label)
            }
        default:
            return [(path, value)]
        }
    }

    /// Each sent attribute that did not come back exactly as sent. Values are compared case-sensitively,
    /// attribute names case-insensitively.
    static func drift(_ sent: [SentAttribute], in resource: JSONValue) -> [(SentAttribute, AttributeDrift)] {
        let targets = Set(sent.map { $0.target.lowercased() })
        let others = leaves(resource).filter { !targets.contains($0.0.lowercased()) }
        return sent.compactMap { attribute -> (SentAttribute, AttributeDrift)? in
            guard let (value, note) = locate(attribute.location, in: resource) else {
                if let moved = others.first(where: { $0.1 == attribute.expected }) {
                    return (attribute, .moved(to: moved.0))
                }
                return (attribute, .dropped)
            }
            if value == attribute.expected {
                return note.map { (attribute, .reformatted(got: value, note: $0)) }
            }
            if normalized(value) == normalized(attribute.expected) {
                return (attribute, .reformatted(got: value, note: note))
            }
            return (attribute, .changed(got: value))
        }
    }
}

extension String {
    /// Upper-case letters lower-cased and vice versa: a filter value "in different case".
    var swappedCase: String {
        map { $0.isUppercase ? $0.lowercased() : $0.uppercased() }.joined()
    }
}
