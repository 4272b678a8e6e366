import Foundation

/// How every request reaches the tenant host, decided once per run from the addresses its name resolves to:
/// the connection is pinned to exactly those addresses (libcurl `CURLOPT_RESOLVE`), so what the probes judged
/// is what is connected; the token is never sent over plain http to anything but loopback unless `--allow-http`;
/// and a proxy is used only as `ProxyPolicy` says.
public struct ConnectionPlan: Sendable, Equatable {
    /// `host:port:address[,address]` entries for the transport; empty for an IP literal or an unresolved name.
    public var pins: [String] = []
    /// Why no request may carry the token (plain http to a machine other than this one); nil when it may.
    public var tokenRefusal: String?
    /// The proxy requests go through, nil for none.
    public var proxy: ProxyPolicy.Choice?
    /// Every address of the host is loopback: a local endpoint (a developer's machine, a CI job's server). Entra
    /// cannot reach it, which the report says once; the probes judge the rest of it as they would a real one.
    public var localEndpoint = false

    /// `scheme`, `host`, `port` of the Tenant URL; `addresses` what the host resolved to (nil when unknown).
    static func make(
        scheme: String, host: String, port: Int, addresses: [String]?, allowHTTP: Bool, environment: [String: String]
    ) -> ConnectionPlan {
        var plan = ConnectionPlan()
        let parsed = (addresses ?? []).compactMap(IPAddress.init)
        let loopbackOnly =
            !parsed.isEmpty && parsed.count == addresses?.count && parsed.allSatisfy { $0.scope == .loopback }
        plan.localEndpoint = loopbackOnly
        if scheme == "http", !loopbackOnly, !allowHTTP {
            plan.tokenRefusal =
                "the Tenant URL is plain http:// to \(host), which is not only this machine "
                + "(\(addresses.map { $0.isEmpty ? "no address" : $0.joined(separator: ", ") } ?? "not resolved")): "
                + "scim-doctor does not send the Secret Token in clear text over a network"
        }
        if IPAddress(host) == nil, let addresses, !addresses.isEmpty {
            let listed = addresses.map { $0.contains(":") ? "[\($0)]" : $0 }.joined(separator: ",")
            plan.pins = ["\(host):\(port):\(listed)"]
        }
        plan.proxy = ProxyPolicy.choose(scheme: scheme, host: host, environment: environment)
        if plan.proxy != nil { plan.pins = [] }  // the proxy resolves the name; the header says a proxy is used
        return plan
    }
}

/// The proxy policy: an https Tenant URL honours `https_proxy`/`HTTPS_PROXY` (then `all_proxy`/`ALL_PROXY`) and
/// `no_proxy`/`NO_PROXY`, as curl does — through a CONNECT tunnel the token stays inside TLS, end to end. A plain
/// http Tenant URL never goes through a proxy (the proxy would read the token), and neither does loopback.
/// libcurl's own reading of the environment is always switched off, so this is the only policy.
public enum ProxyPolicy {
    public struct Choice: Sendable, Equatable {
        /// The proxy URL as configured (for the transport).
        public let url: String
        /// The environment variable it came from.
        public let source: String
        /// scheme://host:port of the proxy, without credentials (for the report).
        public var display: String {
            guard let components = URLComponents(string: url.contains("://") ? url : "http://" + url),
                let host = components.host
            else { return "(unreadable proxy setting)" }
            return "\(components.scheme ?? "http")://\(host)\(components.port.map { ":\($0)" } ?? "")"
        }
    }

    static func choose(scheme: String, host: String, environment: [String: String]) -> Choice? {
        guard scheme == "https" else { return nil }
        let lowerHost = host.lowercased()
        if lowerHost == "localhost" || IPAddress(host)?.scope == .loopback { return nil }
        let noProxy = environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
        for entry in noProxy.split(separator: ",").map({ $0.trimmingWhitespace().lowercased() }) {
            if entry == "*" { return nil }
            let domain = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            if !domain.isEmpty, lowerHost == domain || lowerHost.hasSuffix("." + domain) { return nil }
        }
        for name in ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
            if let value = environment[name]?.trimmingWhitespace(), !value.isEmpty {
                return Choice(url: value, source: name)
            }
        }
        return nil
    }
}
