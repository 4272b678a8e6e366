import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("A query component decoded as a server reads it")
struct QueryComponentTests {
    @Test(
        "+ and %XX decoded as Foundation decodes them; malformed or non-UTF-8 escapes left as they are",
        arguments: [
            "userName+eq+%22a%40b.c%22", "displayName%20eq%20%22%C3%A9t%C3%A9%22", "plain", "", "100%", "%zz", "%4",
            "%ff%fe", "a+b", "%2B", "%e2%80%8b",
        ])
    func decodes(_ component: String) {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        #expect(decodedQueryComponent(component) == (spaced.removingPercentEncoding ?? spaced))
    }
}
