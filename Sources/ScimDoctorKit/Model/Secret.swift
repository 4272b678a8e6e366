import Foundation

/// The Secret Token. Its value is reachable only through `reveal()`, which only the transport calls;
/// every printed form is the fingerprint, so string interpolation and `dump` cannot leak it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The raw value, for the Authorization header and the local token checks only.
    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }

    /// Length and, for tokens long enough that it gives nothing away, the last 4 characters.
    public var fingerprint: String {
        let count = value.count
        guard count >= 16 else { return "\(count) characters" }
        let tail = String(value.suffix(4)).unicodeScalars.map { scalar in
            scalar.isASCII && scalar.value >= 0x21 && scalar.value < 0x7F ? String(scalar) : "?"
        }.joined()
        return "…\(tail) (\(count) characters)"
    }

    public var description: String { "[token \(fingerprint)]" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["fingerprint": fingerprint]) }

    /// Replaces every occurrence of the token (and of its trimmed form) in `text` by its fingerprint.
    public func redact(_ text: String) -> String {
        var result = text
        for needle in redactionNeedles where result.contains(needle) {
            result = result.replacingOccurrences(of: needle, with: description)
        }
        return result
    }

    /// The forms the token may take in echoed output; too-short fragments would redact innocent text.
    private var redactionNeedles: [String] {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        var needles = [value, trimmed]
        if trimmed.lowercased().hasPrefix("bearer ") {
            needles.append(String(trimmed.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        }
        // A server that echoes the token in JSON may escape "/" (PHP, Jackson) or "+" (.NET) in it.
        needles += needles.flatMap { needle -> [String] in
            let slash = needle.replacingOccurrences(of: "/", with: "\\/")
            return [
                slash, needle.replacingOccurrences(of: "+", with: "\\u002B"),
                slash.replacingOccurrences(of: "+", with: "\\u002B"),
            ]
        }
        return Array(Set(needles.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
    }
}
