import Foundation

/// The settings of one `check` run, validated before any network call.
public struct CheckOptions: Sendable {
    /// The Tenant URL exactly as given (copy-paste artifacts included: the URL probes report them).
    public var tenantURL: String
    /// The Tenant URL exactly as the application shows it (`--expected-url`).
    public var expectedURL: String?
    public var caFile: String?
    /// Skip certificate verification for the HTTP probes; the TLS probes still report what Entra would see.
    public var insecure: Bool
    public var connectTimeout: Duration
    public var timeout: Duration
    /// `--allow-writes`: the lifecycle probes may create test resources (and change and delete only those).
    public var allowWrites: Bool
    /// `--patch-style`: which of Entra's PATCH dialects the lifecycle probes send.
    public var patchStyle: PatchStyle
    /// `--allow-http`: the token may go over plain http to a machine other than this one (CI against a service
    /// host); without it, plain http carries the token to loopback only.
    public var allowHTTP = false
    /// `--resolve host:port:address[,address]`: these addresses instead of DNS for that host and port.
    public var resolve: [ResolveOverride] = []
    /// The process environment, for the proxy policy.
    public var environment: [String: String] = [:]
    /// The Entra side (`scim-doctor entra`): the directory, the application, and where Graph is.
    public var entra: EntraTarget?

    public init(
        tenantURL: String, expectedURL: String? = nil, caFile: String? = nil, insecure: Bool = false,
        connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30), allowWrites: Bool = false,
        patchStyle: PatchStyle = .fromTenantURL
    ) {
        self.allowWrites = allowWrites
        self.patchStyle = patchStyle
        self.tenantURL = tenantURL
        self.expectedURL = expectedURL
        self.caFile = caFile
        self.insecure = insecure
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}

/// Entra's two PATCH dialects (entra-provisioning.md §3.5): the default one (capitalised ops, `"False"`, one
/// operation per attribute) and the SCIM-compliant one the `aadOptscim062020` Tenant URL flag selects.
public enum PatchStyle: String, Sendable, CaseIterable {
    /// The dialect the Tenant URL's flag selects (the default one without the flag).
    case fromTenantURL = "auto"
    case entraDefault = "default"
    case scimCompliant = "flag"
    case both
}

/// One `--resolve host:port:address[,address]` (curl's syntax): test a deployment before its DNS exists.
public struct ResolveOverride: Sendable, Equatable {
    public let host: String
    public let port: Int
    public let addresses: [String]

    /// Parses `host:port:address[,address]` (an IPv6 address may be in brackets); nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
            return nil
        }
        let addresses = parts[2].split(separator: ",").map {
            $0.trimming { $0 == "[" || $0 == "]" || $0 == " " }
        }
        guard !addresses.isEmpty, addresses.allSatisfy({ IPAddress($0) != nil }) else { return nil }
        self.host = parts[0].lowercased()
        self.port = port
        self.addresses = addresses
    }
}
