import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Trimming")
struct TrimmingTests {
    static let samples = [
        "", " ", "\t x \t", " a b ", "\r\n value \r\n", "\u{00A0}nbsp\u{00A0}", "\u{3000}ideographic\u{3000}",
        "\u{2028}line separator\u{2029}", "\u{200B}zero-width stays\u{200B}", "\u{85}next line\u{85}", "été ",
        " 👩‍💻 ",
    ]

    @Test("trims what Foundation's CharacterSet.whitespaces and .whitespacesAndNewlines trim", arguments: samples)
    func sameAsFoundation(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
        #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text[...].trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test func trimsWhatItIsTold() {
        #expect("[::1] ".trimming { $0 == "[" || $0 == "]" || $0 == " " } == "::1")
        #expect("///".trimming { $0 == "/" } == "")
    }
}
