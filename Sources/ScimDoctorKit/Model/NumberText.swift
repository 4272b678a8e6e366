/// Numbers as text, by hand: Foundation's `String(format:)` goes through NSString and dynamic casts, and the
/// redaction forms of a token ask for it once per byte.
public enum NumberText {
    /// `value` in hex, zero-padded to `width` digits (`0a`; `%0A` is `"%" + hex(10, width: 2, uppercase: true)`).
    public static func hex(_ value: some BinaryInteger, width: Int, uppercase: Bool = false) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `value` rounded to one decimal (`2.5`; what `%.1f` prints for the values used here, which are never
    /// negative nor huge).
    public static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite, value >= 0, value < 1e15 else { return "\(value)" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
