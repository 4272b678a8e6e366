import Foundation

/// Text on its way to a terminal. Whatever a server chose (ids, names, error details, headers, certificate
/// names) may carry characters that act on a terminal or hide: ESC and the other C0 controls, DEL, C1 controls
/// (U+0080–U+009F: U+009B is a one-byte CSI), bidi overrides, zero-width and other format characters, line and
/// paragraph separators, unusual spaces. Every one of them is shown as `\u{1b}`, the one rendering used by the
/// human report, `-v` and `cleanup`, whichever probe or reporter produced the text.
public enum PrintableText {
    /// Whether `scalar` would act on a terminal, hide, or pass for something else.
    public static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII answers the question without Unicode's tables (most of what servers send).
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .privateUse,
            .unassigned:
            return true
        default:
            return TenantURL.invisible.contains(scalar)
        }
    }

    /// `\u{1b}`: lower-case hex, as Swift writes a scalar.
    public static func escaped(_ scalar: Unicode.Scalar) -> String {
        "\\u{\(String(scalar.value, radix: 16))}"
    }

    /// One line of server text: every unprintable character escaped, line breaks and tabs included, so that
    /// nothing a server sends can start a new report line, move the cursor or set the window title.
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnprintable) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnprintable(scalar) {
                out.append(contentsOf: escaped(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `"text"` with its unprintable characters escaped (for names and ids quoted in a sentence).
    public static func quoted(_ text: String) -> String { "\"\(line(text))\"" }

    /// A whole block for the terminal: like `line`, but line breaks and tabs stay, and so do the colour
    /// sequences scim-doctor's own `Style` writes (`ESC [ digits;… m`); any other escape sequence is shown.
    /// The last line of defence behind `line`, which every reporter applies to what it quotes.
    public static func terminal(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { isUnprintable($0) && $0 != "\n" && $0 != "\t" }) else { return text }
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", let end = colourSequenceEnd(scalars, from: index) {
                out.append(contentsOf: scalars[index...end])
                index = end + 1
                continue
            }
            if scalar != "\n", scalar != "\t", isUnprintable(scalar) {
                out.append(contentsOf: escaped(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
            index += 1
        }
        return String(out)
    }

    /// The index of the `m` closing `ESC [ <digits and ;> m` at `start`, nil for any other sequence.
    private static func colourSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var index = start + 2
        while index < scalars.count, index - start < 32 {
            let scalar = scalars[index]
            if scalar == "m" { return index }
            guard ("0"..."9").contains(scalar) || scalar == ";" else { return nil }
            index += 1
        }
        return nil
    }
}
