import Foundation

/// Server text on one line: line breaks and tabs become single spaces, so a multi-line error ("1 validation
/// error for EnterpriseUser\nmanager") reads as words rather than running together; every other unprintable
/// character is shown as `\u{1b}`, as everywhere else (`PrintableText`).
func oneLine(_ text: String) -> String {
    let spaced = String(
        String.UnicodeScalarView(
            text.unicodeScalars.map { "\n\r\t\u{0B}\u{0C}".unicodeScalars.contains($0) ? " " : $0 }))
    return PrintableText.line(spaced.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
}

/// The largest prefix length not above `limit` that does not end inside a UTF-8 sequence.
func utf8Boundary(_ data: Data, at limit: Int) -> Int {
    guard limit < data.count else { return data.count }
    var end = limit
    // Back off continuation bytes (10xxxxxx) to the start of the cut character.
    while end > 0, end > limit - 4, data[data.startIndex + end] & 0xC0 == 0x80 { end -= 1 }
    return end
}
