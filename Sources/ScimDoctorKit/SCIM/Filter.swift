import Foundation

func isPlainFilterValue(_ value: String) -> Bool {
    !value.contains("\"") && !value.contains("\\") && !value.isEmpty
}

/// `value` with the case of every letter swapped, keeping only letters whose case round-trips (ß stays ß),
/// so a case-insensitive server must still match it. Equal to `value` when it has no such letter.
func swappedCase(_ value: String) -> String {
    String(
        value.map { character -> String in
            let text = String(character)
            let upper = text.uppercased()
            let lower = text.lowercased()
            if text == lower, upper != text, upper.lowercased() == text { return upper }
            if text == upper, lower != text, lower.uppercased() == text { return lower }
            return text
        }.joined())
}
