import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Percent-encoding, by hand, as Foundation does it")
struct PercentEncodingTests {
    static let texts = [
        String(String.UnicodeScalarView((0x20...0x7E).compactMap(Unicode.Scalar.init))), "José Núñez", "名前",
        "tök€n 👩‍💻 a+b", "١٢٣ ⅫA\u{301}", "",
    ]

    @Test("each kept set encodes as the CharacterSet it replaces", arguments: texts)
    func encodes(_ text: String) {
        let unreserved = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        var queryValue = CharacterSet.alphanumerics
        queryValue.insert(charactersIn: "-._~@")
        func foundation(_ set: CharacterSet) -> String { text.addingPercentEncoding(withAllowedCharacters: set) ?? "" }
        #expect(PercentEncoding.encoded(text, keeping: PercentEncoding.isUnreserved) == foundation(unreserved))
        #expect(PercentEncoding.encoded(text, keeping: PercentEncoding.isQueryValue) == foundation(queryValue))
        #expect(PercentEncoding.encoded(text, keeping: PercentEncoding.isQuery) == foundation(.urlQueryAllowed))
    }

    @Test(
        "+ and %XX decoded as Foundation decodes them; malformed or non-UTF-8 escapes left as they are",
        arguments: [
            "userName+eq+%22a%40b.c%22", "displayName%20eq%20%22%C3%A9t%C3%A9%22", "plain", "", "100%", "%zz", "%4",
            "%ff%fe", "a+b", "%2B", "%e2%80%8b",
        ])
    func decodes(_ component: String) {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        #expect(PercentEncoding.decodedQueryComponent(component) == (spaced.removingPercentEncoding ?? spaced))
    }
}
