import Foundation

/// The inputs of an example: what the user typed and how the (scripted) network behaves.
public struct ExampleSetup: Sendable {
    public var tenantURL: String
    public var token: String
    public var expectedURL: String?
    public var insecure: Bool
    public var caFile: String?
    /// Write mode, as `--allow-writes` (and `--patch-style`) would set it.
    public var allowWrites: Bool
    public var patchStyle: PatchStyle
    /// `--allow-http`.
    public var allowHTTP: Bool
    public var routes: [Route]
    /// When set, `makeContext()` takes its routes from here rather than `routes`: for stateful scripted servers,
    /// so that every run of the example starts from the same state.
    public var makeRoutes: (@Sendable () -> [Route])?
    public var addresses: Result<[String], TransportError>
    /// The local clock, fixed so that expiry examples never rot.
    public var now: Date
    /// The Entra side (`scim-doctor entra`), for the Entra probes' examples (see `GraphExampleTenant`).
    public var entra: EntraTarget?

    public static let defaultTenantURL = "https://scim.example.com/scim/v2"
    public static let defaultToken = "example-token-0123456789abcdef"
    /// The run id of every example, so that bodies and tags are predictable: tag `scim-doctor-0e0e0e0e`.
    public static let runID = "0e0e0e0e"
    /// 2026-06-01T00:00:00Z
    public static let defaultNow = Date(timeIntervalSince1970: 1_780_272_000)

    public init(
        tenantURL: String = ExampleSetup.defaultTenantURL, token: String = ExampleSetup.defaultToken,
        expectedURL: String? = nil, insecure: Bool = false, caFile: String? = nil, allowWrites: Bool = true,
        patchStyle: PatchStyle = .fromTenantURL, allowHTTP: Bool = false, routes: [Route] = [],
        addresses: Result<[String], TransportError> = .success(["203.0.113.10"]), now: Date = ExampleSetup.defaultNow
    ) {
        self.tenantURL = tenantURL
        self.token = token
        self.expectedURL = expectedURL
        self.insecure = insecure
        self.caFile = caFile
        self.allowWrites = allowWrites
        self.patchStyle = patchStyle
        self.allowHTTP = allowHTTP
        self.routes = routes
        self.addresses = addresses
        self.now = now
    }

    /// A context over a `ScriptedTransport`, as the parameterized example test and unit tests use it.
    public func makeContext() -> ProbeContext {
        var options = CheckOptions(
            tenantURL: tenantURL, expectedURL: expectedURL, caFile: caFile, insecure: insecure,
            connectTimeout: .seconds(2), timeout: .seconds(5), allowWrites: allowWrites, patchStyle: patchStyle)
        options.allowHTTP = allowHTTP
        options.entra = entra
        return ProbeContext(
            options: options, token: Secret(token), transport: ScriptedTransport(makeRoutes?() ?? routes),
            resolver: ScriptedResolver(addresses), now: now, makeGUID: { "2d1e6a4e-0c1b-4c52-9a7e-3f5b8d9c0a11" },
            writes: WriteSession(runID: Self.runID))
    }
}
