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

    public init(
        toolVersion: String, libcurl: String, tenantURL: String, token: Secret, insecure: Bool, startedAt: Date,
        durationMs: Int,
        results: [ProbeResult]
    ) {
        self.tool = Tool(version: toolVersion, libcurl: libcurl)
        self.target = Target(
            tenantURL: token.redact(tenantURL), tokenFingerprint: token.fingerprint, insecure: insecure)
        self.startedAt = ISO8601DateFormatter().string(from: startedAt)
        self.durationMs = durationMs
        self.summary = Summary(results)
        self.exitCode = ExitCode(for: results).rawValue
        self.results = results
    }
}

/// The process exit codes (README, "Exit codes").
public enum ExitCode: Int32, Sendable {
    case success = 0
    case failures = 1
    case usage = 2
    case toolError = 3

    /// A failure about the server outranks the tool's own error: the report already names a real problem.
    public init(for results: [ProbeResult]) {
        if results.contains(where: { $0.status == .fail }) {
            self = .failures
        } else if results.contains(where: { $0.status == .error }) {
            self = .toolError
        } else {
            self = .success
        }
    }
}
