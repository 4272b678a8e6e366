import Foundation

/// The one Tenant URL every fix proposes, worked out once from all URL findings so that no two fixes of a run
/// disagree: the path without a SCIM resource suffix (`/Users`) and without trailing or double slashes, or the base
/// path test-connection.base-path found on the host; https when the http:// port speaks TLS; Entra's flags kept in
/// their documented form (one set to false dropped, as url.query advises); other query parameters (a tenant id, an
/// API key) and the fragment dropped.
struct CorrectedTenantURL: Sendable, Equatable {
    var scheme: String
    /// Without a trailing slash; "" is the root.
    var path: String
    let host: String
    let port: Int
    let flags: [String]

    init(_ tenant: TenantURL) {
        scheme = tenant.scheme
        host = tenant.host
        port = tenant.port
        var segments = tenant.path.split(separator: "/").map(String.init)
        if let suffix = URLPathProbe.resourceSuffix(segments) { segments.removeLast(suffix.count) }
        path = segments.map { "/" + $0 }.joined()
        var flags: [String] = []
        for item in (tenant.query ?? "").split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard let flag = EntraFlag.documented(parts[0]), !flags.contains(flag),
                !URLQueryProbe.turnsOff(parts.count > 1 ? parts[1] : nil)
            else { continue }
            flags.append(flag)
        }
        self.flags = flags
    }

    var url: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let defaultPort = scheme == "http" ? 80 : 443
        let origin = "\(scheme)://\(hostPart)" + (port == defaultPort ? "" : ":\(port)")
        return origin + path + (flags.isEmpty ? "" : "?" + flags.joined(separator: "&"))
    }
}

extension ProbeContext {
    /// The corrected Tenant URL, with what the network probes that ran before found (the URL section's probes run
    /// after them for this); asks for nothing itself.
    func correctedTenantURL() async throws -> CorrectedTenantURL {
        var corrected = CorrectedTenantURL(try requireTenant())
        if let path = await recalled(.foundBasePath) { corrected.path = path == "/" ? "" : path }
        if await recalled(.httpPortSpeaksTLS) == true { corrected.scheme = "https" }
        return corrected
    }
}

extension MemoKey {
    /// The base path test-connection.base-path found answering SCIM on the Tenant URL's host.
    static var foundBasePath: MemoKey<String> { .init("found-base-path") }
    /// Set by tls.handshake when an http:// Tenant URL's port completes a TLS handshake.
    static var httpPortSpeaksTLS: MemoKey<Bool> { .init("http-port-speaks-tls") }
}
