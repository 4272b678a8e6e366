import Foundation
import Synchronization

/// Replaces every form of a set of secrets in output text by each secret's fingerprint.
///
/// The forms are a closed list (README "Security"), derived from every *variant* of a secret: as given, trimmed,
/// without a pasted `Bearer `, and as sent on the wire (CR, LF and NUL removed). For each variant:
/// - the text itself, in any letter case;
/// - percent-encoded: keeping RFC 3986's unreserved characters (also with `/`, also with `!*'()`), keeping only
///   letters and digits, as a URL query, as a form (`+` for space), and every byte `%XX`;
/// - JSON-escaped: minimal (`\"`, `\\`, controls), with `\/`, with `+ < > & ' =` as `\u00XX` (.NET's encoder),
///   both, every non-alphanumeric as `\u00XX`, and every character as `\uXXXX`;
/// - HTML numeric entities: every character, and every non-alphanumeric, as `&#NN;` and `&#xHH;`;
/// - hex of its UTF-8 bytes;
/// - base64 and base64url at each of the three byte alignments (what any base64 text containing it contains,
///   so also Basic auth with the secret as user or password, and `Bearer <secret>` encoded).
/// Forms shorter than 4 characters (8 for encoded ones) are left out: they would redact innocent text.
///
/// All forms of all secrets are searched in one pass over the bytes (a hash of each position's first few bytes
/// picks the candidate forms), so the cost of redacting an output grows with its length, not with how many
/// forms or secrets there are; the forms are computed once, when first needed.
public final class Redactor: Sendable {
    private struct Pattern {
        let bytes: [UInt8]  // ASCII letters in lower case
        let replacement: [UInt8]
    }

    private struct Prepared {
        let keyLength: Int
        /// Packed first `keyLength` bytes → patterns, longest first.
        let byKey: [UInt64: [Pattern]]
        /// One bit per pair of first two bytes that some pattern starts with: almost every position of a body is
        /// rejected by one load, without hashing a key (every pattern has at least 4 bytes).
        let firstPairs: [UInt64]
        var isEmpty: Bool { byKey.isEmpty }

        func mayStart(_ first: UInt8, _ second: UInt8) -> Bool {
            let pair = Int(first) << 8 | Int(second)
            return firstPairs[pair >> 6] & (1 << UInt64(pair & 63)) != 0
        }
    }

    /// Each secret's value and what replaces its forms.
    private let entries: [(value: String, replacement: String)]
    private let prepared = Mutex<Prepared?>(nil)

    /// Redacts all of `secrets` at once, each replaced by its printed form (`[token …9f2c (40 characters)]`).
    public convenience init(_ secrets: [Secret]) {
        self.init(entries: secrets.map { ($0.reveal(), $0.description) })
    }

    init(entries: [(value: String, replacement: String)]) { self.entries = entries }

    public func redact(_ text: String) -> String {
        let table = table()
        guard !table.isEmpty else { return text }
        let bytes = Array(text.utf8)
        guard let replaced = Self.replace(bytes, table) else { return text }
        return String(decoding: replaced, as: UTF8.self)
    }

    /// Bytes without any form of a secret are returned as they are (invalid UTF-8 included).
    public func redact(_ data: Data) -> Data {
        let table = table()
        guard !table.isEmpty, let replaced = Self.replace(Array(data), table) else { return data }
        return Data(replaced)
    }

    private func table() -> Prepared {
        prepared.withLock { prepared in
            if let prepared { return prepared }
            let made = Self.prepare(entries)
            prepared = made
            return made
        }
    }

    private static func prepare(_ entries: [(value: String, replacement: String)]) -> Prepared {
        var patterns: [Pattern] = []
        for entry in entries {
            let replacement = Array(entry.replacement.utf8)
            for form in Self.forms(of: entry.value) {
                patterns.append(Pattern(bytes: lowercased(Array(form.utf8)), replacement: replacement))
            }
        }
        // Forms are at least 4 bytes long (`forms(of:)`); a shorter one could not be keyed by its first two bytes.
        patterns = patterns.filter { $0.bytes.count >= 2 }
        guard let shortest = patterns.map(\.bytes.count).min() else {
            return Prepared(keyLength: 8, byKey: [:], firstPairs: [])
        }
        let keyLength = min(8, shortest)
        var byKey: [UInt64: [Pattern]] = [:]
        var firstPairs = [UInt64](repeating: 0, count: 65536 / 64)
        for pattern in patterns {
            byKey[key(pattern.bytes, at: 0, length: keyLength), default: []].append(pattern)
            let pair = Int(pattern.bytes[0]) << 8 | Int(pattern.bytes[1])
            firstPairs[pair >> 6] |= 1 << UInt64(pair & 63)
        }
        for (key, list) in byKey { byKey[key] = list.sorted { $0.bytes.count > $1.bytes.count } }
        return Prepared(keyLength: keyLength, byKey: byKey, firstPairs: firstPairs)
    }

    /// nil when nothing matched (the caller keeps its input untouched).
    private static func replace(_ input: [UInt8], _ table: Prepared) -> [UInt8]? {
        let lower = lowercased(input)
        let length = table.keyLength
        guard lower.count >= length else { return nil }
        var output: [UInt8] = []
        var copiedUpTo = 0
        var index = 0
        while index + length <= lower.count {
            if table.mayStart(lower[index], lower[index + 1]),
                let candidates = table.byKey[key(lower, at: index, length: length)],
                let match = candidates.first(where: { matches($0.bytes, in: lower, at: index) })
            {
                if output.isEmpty { output.reserveCapacity(input.count) }
                output.append(contentsOf: input[copiedUpTo..<index])
                output.append(contentsOf: match.replacement)
                index += match.bytes.count
                copiedUpTo = index
            } else {
                index += 1
            }
        }
        guard copiedUpTo > 0 else { return nil }
        output.append(contentsOf: input[copiedUpTo...])
        return output
    }

    private static func matches(_ pattern: [UInt8], in text: [UInt8], at index: Int) -> Bool {
        guard index + pattern.count <= text.count else { return false }
        for offset in pattern.indices where text[index + offset] != pattern[offset] { return false }
        return true
    }

    private static func key(_ bytes: [UInt8], at index: Int, length: Int) -> UInt64 {
        var key: UInt64 = 0
        for offset in 0..<length { key = key << 8 | UInt64(bytes[index + offset]) }
        return key
    }

    private static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
    }

    // MARK: - The forms

    /// The variants of a secret as it may have been given or sent, at least 4 characters long.
    static func variants(of value: String) -> [String] {
        let trimmed = value.trimmingWhitespaceAndNewlines()
        var variants = [value, trimmed]
        if trimmed.lowercased().hasPrefix("bearer ") {
            variants.append(String(trimmed.dropFirst(7)).trimmingWhitespace())
        }
        // As the transport sends it: a header line cannot carry CR, LF or NUL.
        variants += variants.map { variant in
            String(String.UnicodeScalarView(variant.unicodeScalars.filter { !"\r\n\0".unicodeScalars.contains($0) }))
        }
        var seen: Set<String> = []
        return variants.filter { $0.count >= 4 && seen.insert($0).inserted }
    }

    /// Every form of every variant (see the type's documentation).
    static func forms(of value: String) -> [String] {
        var verbatim: [String] = []
        var encoded: [String] = []
        for variant in variants(of: value) {
            verbatim.append(variant)
            verbatim += jsonForms(variant)
            encoded += percentForms(variant) + htmlForms(variant)
            let bytes = Data(variant.utf8)
            encoded.append(bytes.map { NumberText.hex($0, width: 2) }.joined())
            encoded += base64Cores(bytes)
        }
        var seen: Set<String> = []
        return (verbatim.filter { $0.count >= 4 } + encoded.filter { $0.count >= 8 }).filter {
            seen.insert($0.lowercased()).inserted
        }
    }

    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        // JSON escapes UTF-16 code units: a scalar beyond the BMP is a surrogate pair.
        String(Character(scalar)).utf16.map { "\\u" + NumberText.hex($0, width: 4) }.joined()
    }

    static func jsonForms(_ text: String) -> [String] {
        func escaped(slash: Bool, htmlSafe: Bool) -> String {
            text.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\"": return htmlSafe ? unicodeEscape(scalar) : "\\\""
                case "\\": return "\\\\"
                case "/": return slash ? "\\/" : "/"
                case "+", "<", ">", "&", "'", "=": return htmlSafe ? unicodeEscape(scalar) : String(scalar)
                case _ where scalar.value < 0x20: return unicodeEscape(scalar)
                default: return String(scalar)
                }
            }.joined()
        }
        return [
            escaped(slash: false, htmlSafe: false), escaped(slash: true, htmlSafe: false),
            escaped(slash: false, htmlSafe: true), escaped(slash: true, htmlSafe: true),
            text.unicodeScalars.map { $0.isASCIIAlphanumeric ? String($0) : unicodeEscape($0) }.joined(),
            text.unicodeScalars.map(unicodeEscape).joined(),
        ]
    }

    static func percentForms(_ text: String) -> [String] {
        func encoded(keeping extra: String = "", _ base: (Unicode.Scalar) -> Bool = PercentEncoding.isUnreserved)
            -> String
        {
            PercentEncoding.encoded(text) { base($0) || extra.unicodeScalars.contains($0) }
        }
        // What common encoders keep: RFC 3986's unreserved set; Python's quote() also keeps "/"; JavaScript's
        // encodeURIComponent also keeps "!*'()"; some encode everything but letters and digits; a URL query keeps
        // more; a form writes a space as "+"; some encode every byte.
        return [
            encoded(), encoded(keeping: "/"), encoded(keeping: "!*'()"), encoded(\.isASCIIAlphanumeric),
            encoded(PercentEncoding.isQuery), String(encoded(keeping: " ").map { $0 == " " ? "+" : $0 }),
            encoded { _ in false },
        ]
    }

    static func htmlForms(_ text: String) -> [String] {
        let decimal: (Unicode.Scalar) -> String = { "&#\($0.value);" }
        let hex: (Unicode.Scalar) -> String = { "&#x\(String($0.value, radix: 16));" }
        return [decimal, hex].flatMap { entity in
            [
                text.unicodeScalars.map(entity).joined(),
                text.unicodeScalars.map { $0.isASCIIAlphanumeric ? String($0) : entity($0) }.joined(),
            ]
        }
    }

    /// The base64 (standard and URL-safe) of `bytes` at offsets 0, 1 and 2 of a 3-byte group, without the
    /// characters that depend on the neighbouring bytes: what any base64 text containing the bytes contains.
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
