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

    /// What must never be printed: the password and user name of a `user:password@` part, and the value of every
    /// query parameter that is not one of Entra's flags (it may be an API key), each with what stands in its
    /// place (`…`). Values shorter than 4 characters are left: they would redact innocent text.
    public var secrets: [(value: String, replacement: String)] {
        var secrets: [(String, String)] = []
        if let components = URLComponents(string: cleaned) {
            for part in [components.percentEncodedPassword, components.percentEncodedUser].compactMap({ $0 }) {
                secrets.append((part, "…"))
                if let decoded = part.removingPercentEncoding, decoded != part { secrets.append((decoded, "…")) }
            }
        }
        for item in (query ?? "").split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            // Entra's own flags are settings, shown as they are (fixes keep them).
            guard pair.count == 2, EntraFlag.documented(pair[0]) == nil else { continue }
            secrets.append((pair[1], "…"))
            if let decoded = pair[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                decoded != pair[1]
            {
                secrets.append((decoded, "…"))
            }
        }
        return secrets.filter { $0.0.count >= 4 }
    }

    /// Whether the Tenant URL carries a `user:password@` part.
    public var hasCredentials: Bool {
        URLComponents(string: cleaned).map { $0.user != nil || $0.password != nil } ?? false
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

    // MARK: - Cleaning

    /// Strips what a careless copy adds around or inside a URL.
    static func clean(_ raw: String) -> String { pasteArtifacts(in: raw).cleaned }

    /// Non-breaking and zero-width characters that are never part of a URL copied correctly
    /// (format and control characters are caught by their general category).
    static let invisible: Set<Unicode.Scalar> = [
        "\u{00A0}", "\u{202F}", "\u{2007}", "\u{180E}", "\u{2060}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}",
        "\u{00AD}",
    ]
    /// What a copy from a document or chat wraps a URL in; `[` and `(` are left alone (`https://[::1]`).
    static let openingWrappers: Set<Unicode.Scalar> = [
        "\"", "'", "`", "<", "“", "”", "„", "‘", "’", "‚", "«", "»", "‹", "›",
    ]
    static let closingWrappers: Set<Unicode.Scalar> = [
        "\"", "'", "`", ">", "“", "”", "„", "‘", "’", "‚", "«", "»", "‹", "›",
    ]

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        if invisible.contains(scalar) { return true }
        switch scalar.properties.generalCategory {
        case .format, .control: return !scalar.properties.isWhitespace
        default: return false
        }
    }

    /// The cleaned value and every artifact removed from `raw`, located by 1-based Unicode scalar position
    /// (scalars rather than characters: a zero-width joiner merges with its neighbour into one character).
    static func pasteArtifacts(in raw: String) -> (cleaned: String, artifacts: [PasteArtifact]) {
        typealias Entry = (position: Int, scalar: Unicode.Scalar)
        var kept: [Entry] = []
        var removed: [(entry: Entry, kind: PasteArtifact.Kind)] = []
        var label: (position: Int, text: String)?

        for (offset, scalar) in raw.unicodeScalars.enumerated() {
            if isInvisible(scalar) {
                removed.append(((offset + 1, scalar), .invisible))
            } else {
                kept.append((offset + 1, scalar))
            }
        }
        func isWhitespace(_ entry: Entry) -> Bool { entry.scalar.properties.isWhitespace }
        while let first = kept.first, isWhitespace(first) { removed.append((kept.removeFirst(), .whitespace)) }
        while let last = kept.last, isWhitespace(last) { removed.append((kept.removeLast(), .whitespace)) }

        // A pasted label such as "Tenant URL: https://…": keep from the scheme on. Text before the scheme
        // containing "/" or "?" is not a label but a URL of its own (e.g. a scheme-less URL with a URL in its query).
        if let start = schemeStart(in: kept.map(\.scalar)), start > 0 {
            var prefix = Array(kept[..<start])
            if !prefix.contains(where: { $0.scalar == "/" || $0.scalar == "?" }) {
                kept.removeFirst(start)
                // Quotes and spaces right before the scheme are reported as what they are; the rest is the label.
                while let last = prefix.last, isWhitespace(last) || openingWrappers.contains(last.scalar) {
                    removed.append((prefix.removeLast(), isWhitespace(last) ? .whitespace : .wrapper))
                }
                if let first = prefix.first {
                    label = (first.position, String(String.UnicodeScalarView(prefix.map(\.scalar))))
                }
            }
        }

        var changed = true
        while changed {
            changed = false
            if let first = kept.first, isWhitespace(first) || openingWrappers.contains(first.scalar) {
                removed.append((kept.removeFirst(), isWhitespace(first) ? .whitespace : .wrapper))
                changed = true
            }
            if let last = kept.last, isWhitespace(last) || closingWrappers.contains(last.scalar) {
                removed.append((kept.removeLast(), isWhitespace(last) ? .whitespace : .wrapper))
                changed = true
            }
        }
        for entry in kept where isWhitespace(entry) { removed.append((entry, .whitespace)) }
        kept.removeAll(where: isWhitespace)

        let firstKept = kept.first?.position ?? Int.max
        let lastKept = kept.last?.position ?? Int.min
        func placement(_ position: Int) -> PasteArtifact.Placement {
            position < firstKept ? .before : position > lastKept ? .after : .inside
        }
        var artifacts = removed.map { item in
            PasteArtifact(
                kind: item.kind, placement: placement(item.entry.position), position: item.entry.position,
                text: String(item.entry.scalar))
        }
        if let label {
            artifacts.append(
                PasteArtifact(kind: .label, placement: .before, position: label.position, text: label.text))
        }
        artifacts.sort { $0.position < $1.position }
        return (String(String.UnicodeScalarView(kept.map(\.scalar))), artifacts)
    }

    /// The index of the earliest `http://` or `https://` (any letter case).
    private static func schemeStart(in scalars: [Unicode.Scalar]) -> Int? {
        let lowered = scalars.map { Character($0).lowercased() }
        for index in scalars.indices {
            for scheme in ["https://", "http://"] where index + scheme.count <= scalars.count {
                if lowered[index..<(index + scheme.count)].joined() == scheme { return index }
            }
        }
        return nil
    }
}

/// Something a careless copy added to the Tenant URL, located in the text as given.
public struct PasteArtifact: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A zero-width, non-breaking, format or control character.
        case invisible
        /// A space, tab or line break.
        case whitespace
        /// A quote, backtick or angle bracket around the URL.
        case wrapper
        /// Text pasted before the scheme, such as `Tenant URL:`.
        case label
    }

    /// Where the artifact sits relative to the URL that remains.
    public enum Placement: Sendable, Equatable {
        case before, inside, after
    }

    public let kind: Kind
    public let placement: Placement
    /// 1-based position, counted in Unicode scalars, of the artifact's first scalar.
    public let position: Int
    /// The removed text: one scalar, or the whole label.
    public let text: String
}
