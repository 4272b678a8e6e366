/// Foundation's `trimmingCharacters(in:)`, by hand: Foundation's goes through NSString (perf showed it on a run's
/// critical path, parsing the Tenant URL and every header line of every answer).
extension StringProtocol {
    /// Without the leading and trailing scalars `drop` names.
    public func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }),
            let last = scalars.lastIndex(where: { !drop($0) })
        else { return "" }
        // Scalar indices are indices of the text itself: one slice, no rebuilding scalar by scalar.
        return String(self[first..<scalars.index(after: last)])
    }

    /// `CharacterSet.whitespaces`: spaces and tabs (and, as Foundation has it, the zero-width space); line breaks
    /// stay.
    public func trimmingWhitespace() -> String { trimming(\.isSpace) }

    /// `CharacterSet.whitespacesAndNewlines`: those and Unicode's line breaks.
    public func trimmingWhitespaceAndNewlines() -> String { trimming { $0.isSpace || $0.properties.isWhitespace } }
}

extension Unicode.Scalar {
    fileprivate var isSpace: Bool {
        self == "\t" || self == "\u{200B}" || properties.generalCategory == .spaceSeparator
    }
}
