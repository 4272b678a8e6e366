import Foundation

/// A probe's stable identifier, e.g. `tls.validity`: the public contract used by `--only`, `--skip`
/// and every machine-readable report.
public struct ProbeID: RawRepresentable, Hashable, Sendable, Codable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: ProbeID, rhs: ProbeID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The report's sections, in the order of the troubleshooting list admins already know.
public enum Section: String, CaseIterable, Codable, Sendable {
    case tenantURL = "tenant-url"
    case network = "network-tls"
    case secretToken = "secret-token"
    case authentication
    case testConnection = "test-connection"
    case users
    case groups
    case mappings = "attribute-mappings"
    /// Write mode (`--allow-writes`): Entra's user and group lifecycle, replayed on resources the run creates.
    case usersLifecycle = "users-lifecycle"
    case groupsLifecycle = "groups-lifecycle"
    // The Entra side (`scim-doctor entra`), read through Microsoft Graph, in the troubleshooting list's order.
    case provisioningJob = "provisioning-job"
    case entraMappings = "entra-mappings"
    case scopeAndAssignments = "scope-assignments"
    case provisioningLogs = "provisioning-logs"
    case cycle

    /// The Entra side's sections, read through Microsoft Graph.
    public var readsGraph: Bool {
        [.provisioningJob, .entraMappings, .scopeAndAssignments, .provisioningLogs, .cycle].contains(self)
    }

    public var title: String {
        switch self {
        case .tenantURL: "Tenant URL"
        case .network: "Network and TLS"
        case .secretToken: "Secret token"
        case .authentication: "Authentication"
        case .testConnection: "Test Connection"
        case .users: "Users"
        case .groups: "Groups"
        case .mappings: "Attribute mappings"
        case .usersLifecycle: "Users lifecycle"
        case .groupsLifecycle: "Groups lifecycle"
        case .provisioningJob: "Provisioning job"
        case .entraMappings: "Entra mappings"
        case .scopeAndAssignments: "Scope and assignments"
        case .provisioningLogs: "Provisioning logs"
        case .cycle: "Cycle"
        }
    }
}

/// A probe's verdict. `error` is the tool's own failure (it could not complete the probe),
/// never a finding about the server.
public enum Status: String, Codable, Sendable, CaseIterable {
    case pass, warn, fail, skip, error

    /// The one-character mark of the human report.
    public var symbol: String {
        switch self {
        case .pass: "✓"
        case .warn: "!"
        case .fail: "✗"
        case .skip: "–"
        case .error: "?"
        }
    }
}

/// One labelled piece of evidence: a request line, a status, a header, a body excerpt.
public struct Evidence: Codable, Sendable, Equatable {
    public var label: String
    public var value: String
    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// What a probe concluded. Failing and warning verdicts cannot be made without a remediation.
public struct Verdict: Sendable, Equatable {
    public var status: Status
    /// One line: what is wrong (or what is right).
    public var finding: String
    public var evidence: [Evidence]
    /// What to change and where; present for every warn and fail.
    public var remediation: String?
    /// A failure that should not stop dependants (e.g. an untrusted chain under `--insecure`).
    public var blocksDependants: Bool

    init(status: Status, finding: String, evidence: [Evidence], remediation: String?, blocksDependants: Bool) {
        self.status = status
        self.finding = finding
        self.evidence = evidence
        self.remediation = remediation
        self.blocksDependants = blocksDependants
    }

    /// The same verdict with `more` evidence at the end.
    public func adding(_ more: Evidence...) -> Verdict {
        var copy = self
        copy.evidence += more
        return copy
    }

    public static func pass(_ finding: String, evidence: [Evidence] = []) -> Verdict {
        Verdict(status: .pass, finding: finding, evidence: evidence, remediation: nil, blocksDependants: false)
    }

    public static func warn(_ finding: String, evidence: [Evidence] = [], fix: String) -> Verdict {
        Verdict(status: .warn, finding: finding, evidence: evidence, remediation: fix, blocksDependants: false)
    }

    public static func fail(
        _ finding: String, evidence: [Evidence] = [], fix: String, blocksDependants: Bool = true
    ) -> Verdict {
        Verdict(
            status: .fail, finding: finding, evidence: evidence, remediation: fix, blocksDependants: blocksDependants)
    }

    /// Not applicable here (an http:// URL has no TLS to check, no user exists to filter on...).
    /// Such a skip does not stop dependants.
    public static func skip(_ reason: String, evidence: [Evidence] = []) -> Verdict {
        Verdict(status: .skip, finding: reason, evidence: evidence, remediation: nil, blocksDependants: false)
    }
}

/// Everything the catalogue, `list`, the docs and the tests know about a probe.
public struct ProbeDescription: Sendable {
    public let id: ProbeID
    public let section: Section
    public let title: String
    /// One sentence: what is checked and why Entra cares.
    public let checks: String
    /// Probes whose failure makes this one meaningless (it is then skipped with the reason).
    public let dependencies: [ProbeID]
    /// Probes that must have finished first, whatever their verdict (they work on the same test resource, which
    /// this one changes or deletes); their failure does not skip this one.
    public let runsAfter: [ProbeID]
    /// The probe's timeout, counted in requests it may make one after another: it is abandoned (an `error`
    /// result) after that many times the per-request allowance (`--connect-timeout` + `--timeout`).
    public let timeoutInRequests: Int
    /// The probe creates, changes or deletes resources in the tenant: it runs only with `--allow-writes`,
    /// and only on resources the run created itself (see `WriteSession`).
    public let writes: Bool
    /// Server behaviours with the verdict each must get; run by one parameterized test. Made when asked
    /// (tests, `list`, `explain`), not at every start of the tool: the catalogue holds hundreds.
    public var examples: [ProbeExample] { makeExamples() }
    private let makeExamples: @Sendable () -> [ProbeExample]
    /// A short paragraph on why Entra cares (`scim-doctor explain`, docs/probes.md).
    public let rationale: String?
    /// Where the expected behaviour is documented: Microsoft's pages (with the section), RFC sections, or the
    /// reference observation it rests on, marked "(unconfirmed)" when Microsoft does not document it.
    public let sources: [String]

    public init(
        id: ProbeID, section: Section, title: String, checks: String, rationale: String? = nil,
        sources: [String] = [], dependencies: [ProbeID] = [], runsAfter: [ProbeID] = [], timeoutInRequests: Int = 2,
        writes: Bool = false, examples: @autoclosure @escaping @Sendable () -> [ProbeExample]
    ) {
        self.runsAfter = runsAfter
        self.rationale = rationale
        self.sources = sources
        self.timeoutInRequests = timeoutInRequests
        self.writes = writes
        self.id = id
        self.section = section
        self.title = title
        self.checks = checks
        self.dependencies = dependencies
        self.makeExamples = examples
    }
}

/// A diagnostic step. Implementations are stateless values; shared observations (a handshake,
/// a response) come from the context, which performs each of them once per run.
public protocol Probe: Sendable {
    var description: ProbeDescription { get }
    /// Throwing means the tool could not complete the probe: it becomes an `error` result.
    func run(_ context: ProbeContext) async throws -> Verdict
    /// Starts, as the run begins, the observations `run` will ask for that carry nothing of the tenant's and
    /// change nothing (connect-only TLS handshakes): they are shared, so `run` finds them done instead of making
    /// them one after another once its prerequisites have passed. The probe still waits for those verdicts.
    func prefetch(_ context: ProbeContext) async
}

extension Probe {
    public var id: ProbeID { description.id }
    public func prefetch(_ context: ProbeContext) async {}
}

/// One result in the report.
public struct ProbeResult: Codable, Sendable, Equatable {
    public var id: ProbeID
    public var section: Section
    public var title: String
    public var status: Status
    public var finding: String
    public var evidence: [Evidence]
    public var remediation: String?
    public var durationMs: Int
}

extension ProbeResult {
    /// Like the synthesized encoder, but `remediation` is written as `null` rather than left out,
    /// so every result has the same keys (README, "JSON report").
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(section, forKey: .section)
        try container.encode(title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encode(finding, forKey: .finding)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(remediation, forKey: .remediation)
        try container.encode(durationMs, forKey: .durationMs)
    }
}

/// The probe whose work is running in this task, for what records requests (`-v`, `--har`) to name who sent each
/// one. Set by the engine around each probe's run; child tasks inherit it. Nil outside a probe (the write run's
/// final cleanup).
public enum ProbeScope {
    @TaskLocal public static var current: ProbeID?

    /// "users.filter", or "cleanup" for a request no probe sent.
    public static var name: String { current?.rawValue ?? "cleanup" }
}
