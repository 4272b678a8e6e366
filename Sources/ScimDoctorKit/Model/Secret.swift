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

    /// Replaces every form of the token in `text` (see `redactionForms`) by its fingerprint.
    public func redact(_ text: String) -> String {
        let forms = redactionForms
        var result = text
        // In any letter case: an echo in upper case (or hex and percent-escapes in either case) still gives it away.
        for needle in (forms.verbatim + forms.encoded).sorted(by: { $0.count > $1.count })
        where result.range(of: needle, options: .caseInsensitive) != nil {
            result = result.replacingOccurrences(of: needle, with: description, options: .caseInsensitive)
        }
        return result
    }

    /// The forms the token may take in output, longest first. `verbatim`: as given, trimmed, without a pasted
    /// "Bearer ", and JSON-escaped as servers echo it ("\/" from PHP or Jackson, "\u002B" from .NET).
    /// `encoded`: percent-encoded (as in a URL or a form), hex, and base64 at every byte alignment (as inside a
    /// Basic header or an encoded blob). Fragments too short to be the token are left out: they would redact
    /// innocent text.
    var redactionForms: (verbatim: [String], encoded: [String]) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        var raws = [value, trimmed]
        if trimmed.lowercased().hasPrefix("bearer ") {
            raws.append(String(trimmed.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        }
        raws = Array(Set(raws.filter { $0.count >= 4 }))
        let escaped = raws.flatMap { raw -> [String] in
            let slash = raw.replacingOccurrences(of: "/", with: "\\/")
            return [
                slash, raw.replacingOccurrences(of: "+", with: "\\u002B"),
                slash.replacingOccurrences(of: "+", with: "\\u002B"),
            ]
        }
        let unreserved = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        var encoded: [String] = []
        for raw in raws {
            encoded += [
                raw.addingPercentEncoding(withAllowedCharacters: unreserved),
                raw.addingPercentEncoding(withAllowedCharacters: unreserved.union(CharacterSet(charactersIn: " ")))?
                    .replacingOccurrences(of: " ", with: "+"),
                raw.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed),
            ].compactMap { $0 }
            let bytes = Data(raw.utf8)
            encoded.append(bytes.map { String(format: "%02x", $0) }.joined())
            encoded += Self.base64Cores(bytes)
            encoded.append(Data("Bearer \(raw)".utf8).base64EncodedString())
        }
        let verbatim = Set(raws + escaped)
        let longestFirst: (String, String) -> Bool = { $0.count > $1.count }
        return (
            verbatim.sorted(by: longestFirst),
            Set(encoded.filter { $0.count >= 8 }).subtracting(verbatim).sorted(by: longestFirst)
        )
    }

    /// The base64 (standard and URL-safe) of `bytes` at offsets 0, 1 and 2 of a 3-byte group, without the
    /// characters that depend on the neighbouring bytes: what any base64 text containing the token contains.
    static func base64Cores(_ bytes: Data) -> [String] {
        var cores: [String] = []
        for offset in 0..<3 {
            let encoded = (Data(repeating: 0, count: offset) + bytes).base64EncodedString()
            let unpadded = String(encoded.prefix { $0 != "=" })
            let start = offset == 0 ? 0 : (offset * 4 + 2) / 3 + 1
            let end = unpadded.count - 2
            guard end - start >= 8 else { continue }
            let core = String(unpadded.dropFirst(start).prefix(end - start))
            cores.append(core)
            cores.append(core.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
        }
        return cores
    }
}
