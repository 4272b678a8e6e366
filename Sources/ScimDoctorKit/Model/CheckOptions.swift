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

    public init(
        tenantURL: String, expectedURL: String? = nil, caFile: String? = nil, insecure: Bool = false,
        connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30)
    ) {
        self.tenantURL = tenantURL
        self.expectedURL = expectedURL
        self.caFile = caFile
        self.insecure = insecure
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}
