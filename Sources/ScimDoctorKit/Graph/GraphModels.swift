import Foundation

/// Typed views of the Graph answers the Entra probes read (entra-graph.md §2), each made from the JSON as it
/// came: a field that is missing or of another type is nil, never a crash.

/// `servicePrincipal`: the enterprise application.
public struct ServicePrincipal: Sendable, Equatable {
    public var id: String
    public var appID: String
    public var displayName: String

    init?(_ json: JSONValue) {
        guard let id = json["id"]?.string else { return nil }
        self.id = id
        appID = json["appId"]?.string ?? ""
        displayName = json["displayName"]?.string ?? ""
    }
}

/// `synchronizationJob` and its `status` (G-JOB, G-STATUS).
public struct SynchronizationJob: Sendable {
    public var json: JSONValue
    public var id: String { json["id"]?.string ?? "" }
    public var templateID: String { json["templateId"]?.string ?? "" }
    /// `NotConfigured`, `NotRun`, `Active`, `Paused`, `Quarantine` (others reported verbatim).
    public var code: String { json["status"]?["code"]?.string ?? "" }
    /// `schedule.state`: `Active`, `Disabled`, `Paused`.
    public var scheduleState: String { json["schedule"]?["state"]?.string ?? "" }
    /// `schedule.interval`, an ISO 8601 duration (`PT40M`).
    public var interval: String { json["schedule"]?["interval"]?.string ?? "" }
    public var status: JSONValue { json["status"] ?? .null }
    public var quarantine: Quarantine? { Quarantine(status["quarantine"]) }
    public var lastExecution: TaskExecution? { TaskExecution(status["lastExecution"]) }
    public var successiveFailures: Int { status["countSuccessiveCompleteFailures"]?.int ?? 0 }
    public var escrowsPruned: Bool { status["escrowsPruned"] == .bool(true) }
    public var steadyStateFirstAchieved: Date? { GraphTime.parse(status["steadyStateFirstAchievedTime"]?.string) }
    public var steadyStateLastAchieved: Date? { GraphTime.parse(status["steadyStateLastAchievedTime"]?.string) }
    /// `progress[]`: completed and total units of the cycle in progress.
    public var progress: (completed: Int, total: Int, units: String)? {
        guard let last = status["progress"]?.array?.last, let total = last["totalUnits"]?.int, total > 0 else {
            return nil
        }
        return (last["completedUnits"]?.int ?? 0, total, last["units"]?.string ?? "units")
    }
}

/// `synchronizationQuarantine`. Only a real quarantine: a paused job may carry a leftover object with empty
/// strings (G-GETJOB), which is none.
public struct Quarantine: Sendable {
    public var reason: String
    public var currentBegan: Date?
    public var seriesBegan: Date?
    public var nextAttempt: Date?
    public var seriesCount: Int
    public var errorCode: String
    public var errorMessage: String

    init?(_ json: JSONValue?) {
        guard let json, json.isObject else { return nil }
        reason = json["reason"]?.string ?? ""
        currentBegan = GraphTime.parse(json["currentBegan"]?.string)
        seriesBegan = GraphTime.parse(json["seriesBegan"]?.string)
        nextAttempt = GraphTime.parse(json["nextAttempt"]?.string)
        seriesCount = json["seriesCount"]?.int ?? 0
        errorCode = json["error"]?["code"]?.string ?? ""
        errorMessage = json["error"]?["message"]?.string ?? ""
        guard currentBegan != nil || !reason.isEmpty else { return nil }
    }
}

/// `synchronizationTaskExecution`. A job that never ran carries a placeholder (`state: "Failed"`, `timeBegan`
/// 0001-01-01, error code `None`, G-EXEC example B): that is nil here, not a failure.
public struct TaskExecution: Sendable {
    public var state: String
    public var began: Date
    public var ended: Date?
    public var errorCode: String
    public var errorMessage: String
    public var escrowed: Int

    init?(_ json: JSONValue?) {
        guard let json, json.isObject, let began = GraphTime.parse(json["timeBegan"]?.string) else { return nil }
        self.began = began
        state = json["state"]?.string ?? ""
        ended = GraphTime.parse(json["timeEnded"]?.string)
        errorCode = json["error"]?["code"]?.string ?? ""
        if errorCode == "None" { errorCode = "" }
        errorMessage = json["error"]?["message"]?.string ?? ""
        escrowed = json["countEscrowed"]?.int ?? 0
    }
}

/// One `objectMapping` of the schema's synchronization rules (G-OBJMAP).
public struct ObjectMapping: Sendable {
    public var json: JSONValue
    public var name: String { json["name"]?.string ?? "" }
    public var enabled: Bool { json["enabled"] != .bool(false) }
    public var sourceObjectName: String { json["sourceObjectName"]?.string ?? "" }
    public var targetObjectName: String { json["targetObjectName"]?.string ?? "" }
    /// `flowTypes` as a set: "Add, Update, Delete" and "Add,Update,Delete" are the same.
    public var flowTypes: Set<String> {
        Set(
            (json["flowTypes"]?.string ?? "Add, Update, Delete").split(separator: ",")
                .map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty })
    }
    /// The attribute mappings that match objects (`matchingPriority` > 0), lowest priority first.
    public var matching: [(target: String, source: String, priority: Int)] {
        (json["attributeMappings"]?.array ?? []).compactMap { mapping in
            guard let priority = mapping["matchingPriority"]?.int, priority > 0 else { return nil }
            return (
                mapping["targetAttributeName"]?.string ?? "",
                mapping["source"]?["expression"]?.string ?? mapping["source"]?["name"]?.string ?? "", priority
            )
        }.sorted { $0.priority < $1.priority }
    }
    /// The scoping filter's groups (OR of ANDs), empty without one.
    public var scopeGroups: [JSONValue] { json["scope"]?["groups"]?.array ?? [] }

    /// Identified by the source object, as mapping names vary between portal versions (entra-graph.md §2.3).
    static func user(in mappings: [ObjectMapping]) -> ObjectMapping? {
        mappings.first { $0.sourceObjectName.lowercased() == "user" }
    }

    static func group(in mappings: [ObjectMapping]) -> ObjectMapping? {
        mappings.first { $0.sourceObjectName.lowercased() == "group" }
    }
}

/// The synchronization secrets (`GET /beta/…/synchronization/secrets`): key/value pairs, secret values masked.
public struct SynchronizationSecrets: Sendable {
    public var values: [String: String]

    init(_ json: JSONValue) {
        var values: [String: String] = [:]
        for item in json["value"]?.array ?? [] {
            if let key = item["key"]?.string { values[key] = item["value"]?.string ?? "" }
        }
        self.values = values
    }

    /// The Tenant URL Entra stored.
    public var baseAddress: String? { values["BaseAddress"] }
    /// `SyncAll`: `"false"` is "Sync only assigned users and groups" (derived, entra-graph.md §2.4).
    public var syncAll: Bool? { values["SyncAll"].map { $0.lowercased() == "true" } }
}

/// One `appRoleAssignment` of the application (G-ART).
public struct AppRoleAssignment: Sendable {
    public var principalID: String
    public var principalType: String
    public var principalDisplayName: String

    init?(_ json: JSONValue) {
        guard let id = json["principalId"]?.string else { return nil }
        principalID = id
        principalType = json["principalType"]?.string ?? ""
        principalDisplayName = json["principalDisplayName"]?.string ?? ""
    }
}

/// One `provisioningObjectSummary` (G-PROVLIST); the deprecated `statusInfo` is read too.
public struct ProvisioningEvent: Sendable {
    public var status: String
    public var errorCode: String
    public var reason: String
    public var when: Date?
    public var identity: String

    init(_ json: JSONValue) {
        let info = json["provisioningStatusInfo"] ?? json["statusInfo"]
        status = info?["status"]?.string?.lowercased() ?? ""
        errorCode = info?["errorInformation"]?["errorCode"]?.string ?? ""
        reason = info?["errorInformation"]?["reason"]?.string ?? ""
        when = GraphTime.parse(json["activityDateTime"]?.string)
        identity = json["sourceIdentity"]?["displayName"]?.string ?? json["sourceIdentity"]?["id"]?.string ?? ""
    }
}

/// Graph's timestamps: ISO 8601 with up to 7 fractional digits; `0001-01-01T00:00:00Z` (and empty) is "never".
enum GraphTime {
    static func parse(_ text: String?) -> Date? {
        guard let text, text.count >= 19 else { return nil }
        let digits = text.prefix(19)
        let fields = digits.split(whereSeparator: { "-T:".contains($0) }).map { Int($0) }
        guard fields.count == 6, let year = fields[0], year > 1, let month = fields[1], let day = fields[2],
            let hour = fields[3], let minute = fields[4], let second = fields[5]
        else { return nil }
        return UTCDate.make(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }
}
