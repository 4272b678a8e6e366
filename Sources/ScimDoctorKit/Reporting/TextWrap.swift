import Foundation

/// Wrapping for a terminal: a prefix (a mark, a probe id, a label) followed by text folded to the width with a
/// hanging indent under the text's first column. A URL is never broken (it gets a line of its own, overflowing if
/// it must); another word longer than a line is cut. Without a width (a pipe, a file) the text is left as is.
enum TextWrap {
    static func wrap(_ text: String, prefix: String, width: Int?) -> String {
        let indent = visibleWidth(prefix)
        guard let width, width > indent + 10, visibleWidth(text) > width - indent else { return prefix + text }
        let room = width - indent
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        func flush() {
            lines.append(line)
            line = ""
            lineWidth = 0
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            var size = visibleWidth(word)
            // A word longer than a line: a URL stays whole on a line of its own, anything else is cut.
            while size > room, !isURL(word) {
                if lineWidth > 0 { flush() }
                let (head, tail) = cut(word, at: room)
                lines.append(head)
                word = tail
                size = visibleWidth(word)
            }
            if lineWidth > 0, lineWidth + 1 + size > room { flush() }
            line += (lineWidth > 0 ? " " : "") + word
            lineWidth += (lineWidth > 0 ? 1 : 0) + size
        }
        if lineWidth > 0 { flush() }
        let hanging = "\n" + String(repeating: " ", count: indent)
        return prefix + lines.joined(separator: hanging)
    }

    static func isURL(_ word: String) -> Bool {
        word.contains("://") || word.lowercased().hasPrefix("www.")
    }

    /// Columns on a terminal: characters, not counting scim-doctor's own colour sequences (`ESC [ … m`).
    static func visibleWidth(_ text: String) -> Int {
        var count = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                inEscape = true
                continue
            }
            count += 1
        }
        return count
    }

    /// The first `columns` visible characters and the rest (colour sequences are not split).
    private static func cut(_ word: String, at columns: Int) -> (String, String) {
        var head = ""
        var count = 0
        var index = word.startIndex
        var inEscape = false
        while index < word.endIndex, count < columns || inEscape {
            let character = word[index]
            if character == "\u{1B}" {
                inEscape = true
            } else if inEscape, character == "m" {
                inEscape = false
            } else if !inEscape {
                count += 1
            }
            head.append(character)
            index = word.index(after: index)
        }
        return (head, String(word[index...]))
    }
}
