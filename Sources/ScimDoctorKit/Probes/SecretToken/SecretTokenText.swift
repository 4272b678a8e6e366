import Foundation

/// The Secret Token as pasted: what a copy added to it, and the token without those additions.
/// Never holds anything printable about the token beyond positions and code points of the additions.
struct SecretTokenText {
    /// One problem, phrased to follow "The Secret Token …".
    struct Problem {
        let status: Status
        let text: String
    }

    /// The token with whitespace, invisible characters, quotes and a `Bearer` prefix removed:
    /// what the length and JWT checks look at.
    let core: String
    let problems: [Problem]
    /// A carriage return or line feed anywhere (the transport strips these before sending).
    let hasLineBreak: Bool
    /// The kinds of problem found, for the remediation.
    let kinds: Set<Kind>

    enum Kind: Hashable { case empty, bearer, quotes, whitespace, nonASCII, control, tooShort, tooLong }

    static let minimumLength = 16
    static let maximumLength = 1024
    private static let quotes: Set<Unicode.Scalar> = ["\"", "'", "`", "“", "”", "„", "‘", "’", "‚", "«", "»"]

    init(_ token: String) {
        typealias Entry = (position: Int, scalar: Unicode.Scalar)
        var entries: [Entry] = token.unicodeScalars.enumerated().map { ($0.offset + 1, $0.element) }
        var leading: [Entry] = []
        var trailing: [Entry] = []
        var quoted: [Entry] = []
        var bearer = false

        func isBlank(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || TenantURL.isInvisible(scalar)
        }
        // Peel what sits around the token, in any nesting: ` "Bearer abc"\n`, `Bearer: 'abc'`...
        var changed = true
        while changed {
            changed = false
            while let first = entries.first, isBlank(first.scalar) {
                leading.append(entries.removeFirst())
                changed = true
            }
            while let last = entries.last, isBlank(last.scalar) {
                trailing.insert(entries.removeLast(), at: 0)
                changed = true
            }
            if let first = entries.first, Self.quotes.contains(first.scalar) {
                quoted.append(entries.removeFirst())
                changed = true
            }
            if let last = entries.last, Self.quotes.contains(last.scalar) {
                quoted.append(entries.removeLast())
                changed = true
            }
            let word = String(String.UnicodeScalarView(entries.prefix(7).map(\.scalar))).lowercased()
            // "Bearer" followed by a separator, or alone (its trailing space already peeled off).
            let separated =
                word.dropFirst(6).unicodeScalars.first.map { $0 == ":" || $0.properties.isWhitespace }
                ?? (entries.count == 6)
            if word.hasPrefix("bearer"), separated {
                entries.removeFirst(6)
                while let first = entries.first, first.scalar == ":" || first.scalar.properties.isWhitespace {
                    entries.removeFirst()
                }
                bearer = true
                changed = true
            }
        }
        let inside = entries.filter { $0.scalar.properties.isWhitespace }
        let nonASCII = (leading + entries + trailing).filter {
            !$0.scalar.isASCII && !$0.scalar.properties.isWhitespace && !quoted.map(\.position).contains($0.position)
        }.sorted { $0.position < $1.position }
        let controls = entries.filter {
            $0.scalar.isASCII && $0.scalar.properties.generalCategory == .control && !$0.scalar.properties.isWhitespace
        }
        core = String(String.UnicodeScalarView(entries.map(\.scalar).filter { !isBlank($0) }))
        hasLineBreak = token.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }

        func located(_ list: [Entry]) -> String {
            let shown = list.prefix(3).map { "\(PastedText.codePoint($0.scalar)) at position \($0.position)" }
            let more = list.count > 3 ? ", and \(list.count - 3) more" : ""
            return shown.joined(separator: ", ") + more
        }
        func whitespace(_ list: [Entry]) -> [Entry] { list.filter { $0.scalar.properties.isWhitespace } }

        var problems: [Problem] = []
        var kinds: Set<Kind> = []
        func add(_ kind: Kind, _ status: Status, _ text: String) {
            kinds.insert(kind)
            problems.append(Problem(status: status, text: text))
        }
        if token.isEmpty {
            add(.empty, .fail, "is empty")
        } else if core.isEmpty && !bearer {
            add(.empty, .fail, "contains only whitespace, quotes or invisible characters")
        } else if core.isEmpty {
            add(.empty, .fail, "is only the word \"Bearer\", without a token")
        }
        if !whitespace(leading).isEmpty {
            add(.whitespace, .fail, "has leading whitespace (\(located(whitespace(leading))))")
        }
        if bearer && !core.isEmpty {
            add(.bearer, .fail, "starts with the \"Bearer\" scheme (Entra adds the Bearer scheme itself; remove it)")
        }
        if !quoted.isEmpty {
            let sorted = quoted.sorted { $0.position < $1.position }
            add(.quotes, .fail, "is wrapped in quotes (\(located(sorted)))")
        }
        let trailingSpace = whitespace(trailing)
        if let lastBreak = trailingSpace.last(where: { $0.scalar == "\n" || $0.scalar == "\r" }) {
            let name = lastBreak.scalar == "\n" ? "a trailing newline" : "a trailing carriage return (CR)"
            add(.whitespace, .fail, "has \(name) (\(located(trailingSpace)))")
        } else if !trailingSpace.isEmpty {
            add(.whitespace, .fail, "has trailing whitespace (\(located(trailingSpace)))")
        }
        if !inside.isEmpty {
            add(.whitespace, .fail, "contains whitespace inside the token (\(located(inside)))")
        }
        if !nonASCII.isEmpty {
            let noun = nonASCII.count == 1 ? "a non-ASCII character" : "\(nonASCII.count) non-ASCII characters"
            add(.nonASCII, .fail, "contains \(noun) (\(located(nonASCII)))")
        }
        if !controls.isEmpty {
            add(.control, .fail, "contains control characters (\(located(controls)))")
        }
        let length = core.unicodeScalars.count
        if length > 0 && length < Self.minimumLength {
            add(
                .tooShort, .warn,
                "is only \(PastedText.count(length, "character")) long: likely a placeholder or a partial copy")
        } else if length > Self.maximumLength {
            add(
                .tooLong, .warn,
                "is \(length) characters long: Entra refuses to save very large secrets (\"Size of input "
                    + "ExternalSecret data is invalid\"; the limit is unconfirmed, Azure Government has a 1 KB limit "
                    + "for all credentials together)")
        }
        self.problems = problems
        self.kinds = kinds
    }
}
