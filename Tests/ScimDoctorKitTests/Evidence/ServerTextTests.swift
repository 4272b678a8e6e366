import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Server text in findings")
struct ServerTextTests {
    @Test("multi-line server errors read as words on one line")
    func oneLineText() {
        #expect(
            oneLine("1 validation error for EnterpriseUser\nmanager\n  Input should be")
                == "1 validation error for EnterpriseUser manager Input should be")
        #expect(oneLine("tab\there\u{7F}end") == "tab here\\u{7f}end")
        // Terminal escapes in a server's detail are shown, as everywhere else, never passed on.
        #expect(oneLine("bad \u{1B}]0;title\u{07} \u{9B}2J") == "bad \\u{1b}]0;title\\u{7} \\u{9b}2J")
    }

    @Test("the SCIM detail of an error body is quoted on one line")
    func detailOnOneLine() {
        let response = HTTPResponse(
            status: 400, body: Data(ScimSamples.error(400, detail: "first\\nsecond").utf8))
        #expect(SCIMAnswer.serverMessage(response) == "first second")
        #expect(SCIMAnswer.error(response)?.summary == "detail \"first second\"")
    }
}
