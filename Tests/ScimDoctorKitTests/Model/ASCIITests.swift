import Testing

@testable import ScimDoctorKit

@Suite("ASCII character classes")
struct ASCIITests {
    @Test func hexDigitsAreASCIIOnly() {
        let hex = "0123456789abcdefABCDEF".filter(\.isASCIIHexDigit)
        #expect(hex.count == 22)
        // Fullwidth digits and letters pass Character.isHexDigit; they are not hex here.
        let fullwidth: [Character] = ["５", "ｆ"]
        #expect(fullwidth.allSatisfy { $0.isHexDigit } && !fullwidth.contains { $0.isASCIIHexDigit })
        let others = "gG -".filter(\.isASCIIHexDigit)
        #expect(others.isEmpty)
    }

    @Test func hexValuesOfBytes() {
        let values = Array("09afAF".utf8).map(\.asciiHexValue)
        #expect(values == [0, 9, 10, 15, 10, 15])
        let others = Array("gG/:@`".utf8).compactMap(\.asciiHexValue)
        #expect(others.isEmpty)
    }

    @Test func alphanumericsAreASCIIOnly() {
        let kept = "azAZ09é５ß-_.~ ".unicodeScalars.filter(\.isASCIIAlphanumeric)
        #expect(String(String.UnicodeScalarView(kept)) == "azAZ09")
    }
}
