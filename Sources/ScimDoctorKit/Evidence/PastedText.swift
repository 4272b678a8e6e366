import Foundation

/// Naming characters that a copy-paste adds to a Tenant URL or a Secret Token.
enum PastedText {
    /// "U+200B ZERO WIDTH SPACE"; control characters get their usual name (they have no Unicode name).
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let number = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name = scalar.properties.name ?? controlNames[scalar.value] ?? "control character"
        return "\(number) \(name)"
    }

    private static let controlNames: [UInt32: String] = [
        0x00: "NULL", 0x09: "CHARACTER TABULATION (tab)", 0x0A: "LINE FEED (newline)", 0x0B: "LINE TABULATION",
        0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN (CR)", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
    ]

    /// `text` in double quotes with whitespace other than a plain space, and every invisible character,
    /// written as `\u{…}` so that the evidence shows what is really there.
    static func visible(_ text: String) -> String { PrintableText.quoted(text) }

    /// A scalar as it may be quoted in a finding: printable ASCII in quotes, anything else by code point.
    static func quoted(_ scalar: Unicode.Scalar?) -> String {
        guard let scalar else { return "end of text" }
        if scalar.value > 0x20 && scalar.value < 0x7F { return "'\(Character(scalar))'" }
        return codePoint(scalar)
    }

    /// "1 character" / "3 characters".
    static func count(_ number: Int, _ noun: String) -> String {
        number == 1 ? "1 \(noun)" : "\(number) \(noun)s"
    }
}
