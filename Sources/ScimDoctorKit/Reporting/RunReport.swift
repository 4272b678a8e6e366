import Foundation

/// Everything a report renders: one run's inputs (redacted) and results. Every format is made from this.
public struct RunReport: Codable, Sendable, Equatable {
    /// Bumped on any incompatible change of this shape (see README, "JSON report").
    public static let currentSchemaVersion = 1

    public struct Tool: Codable, Sendable, Equatable {
        public var name = "scim-doctor"
        public var version: String
        public var libcurl: String
    }

    public struct Target: Codable, Sendable, Equatable {
        public var tenantURL: String
        public var tokenFingerprint: String
        /// `--insecure` was given: certificates were not verified for the HTTP probes.
        public var insecure: Bool
        /// Every address of the host is loopback: a local endpoint Entra cannot reach (said once, not per probe).
        public var localEndpoint = false
        /// The Entra side the run read (`scim-doctor entra`); absent for a SCIM-only run.
        public var entra: EntraSide?
    }

    /// Which directory and application the Entra probes read, and through which Graph.
    public struct EntraSide: Codable, Sendable, Equatable {
        public var tenant: String
        /// `app id …`, `app "…"` or `service principal …`, as named on the command line.
        public var application: String
        public var cloud: GraphCloud
        /// The origin Graph requests went to.
        public var graph: String
        /// `SCIM_DOCTOR_GRAPH_URL`, `SCIM_DOCTOR_LOGIN_URL` when in effect.
        public var overrides: [String]

        public init(_ target: EntraTarget) {
            tenant = target.tenant
            application = target.application.shown
            cloud = target.endpoints.cloud
            graph = target.endpoints.graphOrigin
            overrides = target.endpoints.overrides
        }
    }

    public struct Summary: Codable, Sendable, Equatable {
        public var pass = 0
        public var warn = 0
        public var fail = 0
        public var skip = 0
        public var error = 0

        init(_ results: [ProbeResult]) {
            for result in results {
                switch result.status {
                case .pass: pass += 1
                case .warn: warn += 1
                case .fail: fail += 1
                case .skip: skip += 1
                case .error: error += 1
                }
            }
        }
    }

    public var schemaVersion = RunReport.currentSchemaVersion
    public var tool: Tool
    public var target: Target
    public var startedAt: String
    public var durationMs: Int
    public var summary: Summary
    public var exitCode: Int32
    public var results: [ProbeResult]
    /// What a write run (`--allow-writes`) deleted at the end and what it could not; absent otherwise.
    public var cleanup: Cleanup?

    /// The end of a write run: every test resource it created, deleted or left behind.
    public struct Cleanup: Codable, Sendable, Equatable {
        public var runID: String
        /// `scim-doctor-<run id>`, in the name of every resource the run created.
        public var tag: String
        /// Newest first, as they were deleted.
        public var deleted: [CreatedResource]
        /// Each with the reason and the exact command that removes it.
        public var leftovers: [Leftover]

        public init(runID: String, tag: String, deleted: [CreatedResource], leftovers: [Leftover]) {
            self.runID = runID
            self.tag = tag
            self.deleted = deleted
            self.leftovers = leftovers
        }
    }

    public init(
        toolVersion: String, libcurl: String, tenantURL: String, token: Secret, insecure: Bool,
        localEndpoint: Bool = false, entra: EntraTarget? = nil, startedAt: Date, durationMs: Int,
        results: [ProbeResult], cleanup: Cleanup? = nil, strict: Bool = false
    ) {
        self.tool = Tool(version: toolVersion, libcurl: libcurl)
        self.target = Target(
            tenantURL: token.redact(tenantURL), tokenFingerprint: token.fingerprint, insecure: insecure,
            localEndpoint: localEndpoint, entra: entra.map(EntraSide.init))
        self.startedAt = UTCDate.iso8601(startedAt)
        self.durationMs = durationMs
        self.summary = Summary(results)
        self.exitCode = ExitCode(for: results, leftovers: cleanup?.leftovers.count ?? 0, strict: strict).rawValue
        self.results = results
        self.cleanup = cleanup
    }
}

/// The process exit codes (README, "Exit codes").
public enum ExitCode: Int32, Sendable {
    case success = 0
    case failures = 1
    case usage = 2
    case toolError = 3
    /// A write run stopped by SIGHUP (128 + 1: the terminal was closed), after its cleanup.
    case hungUp = 129
    /// A write run stopped by SIGINT (128 + 2), after its cleanup.
    case interrupted = 130
    /// Standard output went away (a closed pipe: `| head`), after the cleanup of a write run (128 + SIGPIPE).
    case outputClosed = 141
    /// A write run stopped by SIGTERM (128 + 15), after its cleanup.
    case terminated = 143

    /// A failure about the server outranks the tool's own error: the report already names a real problem.
    /// Test resources left behind in the tenant count as a failure too, and so do warnings under `--strict`.
    public init(for results: [ProbeResult], leftovers: Int = 0, strict: Bool = false) {
        if leftovers > 0 || results.contains(where: { $0.status == .fail || (strict && $0.status == .warn) }) {
            self = .failures
        } else if results.contains(where: { $0.status == .error }) {
            self = .toolError
        } else {
            self = .success
        }
    }
}
