import Foundation

/// The Tenant URL, split into what the user pasted and what Entra would build requests from.
public struct TenantURL: Sendable, Equatable {
    /// Exactly as given.
    public let raw: String
    /// With copy-paste artifacts (whitespace, invisible characters, quotes, angle brackets,
    /// a pasted label) removed: the value the network probes use, so one typo does not hide every other finding.
    public let cleaned: String
    public let scheme: String
    public let host: String
    public let port: Int
    /// The path as given, e.g. `/scim/v2/`.
    public let path: String
    /// The raw query (without `?`), nil when absent.
    public let query: String?
    public let fragment: String?

    /// Parses `raw`; nil when even the cleaned value has no scheme and host.
    public init?(_ raw: String) {
        self.raw = raw
        let cleaned = Self.clean(raw)
        self.cleaned = cleaned
        guard let components = URLComponents(string: cleaned), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? (scheme == "http" ? 80 : 443)
        self.path = components.percentEncodedPath
        self.query = components.percentEncodedQuery
        self.fragment = components.percentEncodedFragment
    }

    /// The base Entra appends `/Users` and `/Groups` to: scheme, authority and path, without
    /// query, fragment or trailing slash.
    public var base: String {
        var path = self.path
        while path.hasSuffix("/") { path.removeLast() }
        return "\(origin)\(path)"
    }

    /// `scheme://host[:port]` with the port only when it is not the default one.
    public var origin: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let defaultPort = scheme == "http" ? 80 : 443
        return port == defaultPort ? "\(scheme)://\(hostPart)" : "\(scheme)://\(hostPart):\(port)"
    }

    /// `base` + `/` + `resource` (+ `?query`).
    public func url(_ resource: String, query: String? = nil) -> String {
        let path = resource.hasPrefix("/") ? resource : "/\(resource)"
        guard let query, !query.isEmpty else { return base + path }
        return base + path + "?" + query
    }

    /// The same host with another base path (for "did you mean …").
    public func withBasePath(_ path: String) -> String { origin + path }

    public var isLoopback: Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower.hasSuffix(".localhost") || lower == "::1" || lower.hasPrefix("127.")
    }

    /// Characters that are never part of a URL copied correctly.
    static let invisible: Set<Unicode.Scalar> = [
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00A0}", "\u{202F}", "\u{2007}", "\u{00AD}",
    ]

    /// Strips what a careless copy adds around or inside a URL.
    static func clean(_ raw: String) -> String {
        var scalars = String.UnicodeScalarView(raw.unicodeScalars.filter { !invisible.contains($0) })
        var text = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        // A pasted label such as "Tenant URL: https://…": keep from the scheme on.
        if let range = text.range(of: "https://", options: .caseInsensitive)
            ?? text.range(of: "http://", options: .caseInsensitive), range.lowerBound != text.startIndex
        {
            text = String(text[range.lowerBound...])
        }
        let wrappers: [(Character, Character)] = [("\"", "\""), ("'", "'"), ("<", ">"), ("“", "”"), ("‘", "’"), ("`", "`")]
        var changed = true
        while changed {
            changed = false
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            for (open, close) in wrappers {
                if text.first == open || text.last == close {
                    if text.first == open { text.removeFirst() }
                    if text.last == close { text.removeLast() }
                    changed = true
                }
            }
        }
        scalars = text.unicodeScalars
        return String(scalars.filter { !$0.properties.isWhitespace })
    }
}
