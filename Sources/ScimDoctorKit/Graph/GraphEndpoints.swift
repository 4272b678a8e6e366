import Foundation

/// The Microsoft clouds `--cloud` names, each with its token and Graph hosts (entra-graph.md §1.1). Tokens of one
/// cloud are not accepted by another.
public enum GraphCloud: String, CaseIterable, Sendable, Codable {
    case global
    case usgov
    case usgovDoD = "usgov-dod"
    case china

    /// Where tokens come from.
    public var loginOrigin: String {
        switch self {
        case .global: "https://login.microsoftonline.com"
        case .usgov, .usgovDoD: "https://login.microsoftonline.us"
        // Microsoft's national-cloud page (2025); its deployments page still says login.chinacloudapi.cn.
        case .china: "https://login.partner.microsoftonline.cn"
        }
    }

    /// Where Graph answers, and the prefix of every scope.
    public var graphOrigin: String {
        switch self {
        case .global: "https://graph.microsoft.com"
        case .usgov: "https://graph.microsoft.us"
        case .usgovDoD: "https://dod-graph.microsoft.us"
        case .china: "https://microsoftgraph.chinacloudapi.cn"
        }
    }
}

/// Where this run's Graph and token requests go. `SCIM_DOCTOR_GRAPH_URL` and `SCIM_DOCTOR_LOGIN_URL` (a full
/// origin each) replace the cloud's hosts — for tests and sovereign proxies — while every path stays as Microsoft
/// documents it and scopes keep the cloud's Graph host.
public struct GraphEndpoints: Sendable, Equatable {
    public var cloud: GraphCloud
    public var graphOrigin: String
    public var loginOrigin: String
    /// The environment variables in effect, for the report header's warning.
    public var overrides: [String] = []

    public static let graphOverride = "SCIM_DOCTOR_GRAPH_URL"
    public static let loginOverride = "SCIM_DOCTOR_LOGIN_URL"

    public init(cloud: GraphCloud) {
        self.cloud = cloud
        self.graphOrigin = cloud.graphOrigin
        self.loginOrigin = cloud.loginOrigin
    }

    /// The cloud's endpoints with the environment's overrides; a usage error for an override that is not an
    /// origin, or plain http to anything but loopback.
    public static func resolve(cloud: GraphCloud, environment: [String: String]) throws(GraphSetupError)
        -> GraphEndpoints
    {
        var endpoints = GraphEndpoints(cloud: cloud)
        if let value = environment[graphOverride], !value.isEmpty {
            endpoints.graphOrigin = try origin(value, name: graphOverride)
            endpoints.overrides.append(graphOverride)
        }
        if let value = environment[loginOverride], !value.isEmpty {
            endpoints.loginOrigin = try origin(value, name: loginOverride)
            endpoints.overrides.append(loginOverride)
        }
        return endpoints
    }

    /// `scheme://host[:port]`, nothing else.
    static func origin(_ value: String, name: String) throws(GraphSetupError) -> String {
        var text = value.trimmingWhitespace()
        if text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
            components.path.isEmpty, components.query == nil, components.fragment == nil, components.user == nil
        else {
            throw GraphSetupError(
                "\(name) must be an origin such as https://graph.example.net or http://127.0.0.1:8080 (scheme, host, "
                    + "port; no path)")
        }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if scheme == "http", IPAddress(bare)?.scope != .loopback, bare.lowercased() != "localhost" {
            throw GraphSetupError("\(name) is plain http:// to \(host): plain http is accepted only for loopback")
        }
        return text
    }

    /// The `.default` scope of the cloud's Graph (client credentials), whatever the override.
    public var defaultScope: String { cloud.graphOrigin + "/.default" }

    /// Delegated scopes (device code), each prefixed with the cloud's Graph host. No `offline_access`: no
    /// refresh token is wanted, as nothing is kept between runs.
    public func scopes(_ permissions: [String]) -> String {
        permissions.map { cloud.graphOrigin + "/" + $0 }.joined(separator: " ")
    }
}

/// A Graph setting that cannot work (an override that is no origin, a sign-in that failed): said before any
/// probe runs.
public struct GraphSetupError: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
