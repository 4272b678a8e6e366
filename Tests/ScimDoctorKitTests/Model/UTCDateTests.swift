import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("UTC dates without ICU")
struct UTCDateTests {
    /// Foundation's formatter as the oracle, over dates from 1900 to 2200, leap days and negative times included.
    @Test("ISO 8601 and the fields agree with Foundation's formatter")
    func agreesWithFoundation() {
        let oracle = ISO8601DateFormatter()
        oracle.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SystemRandomNumberGenerator()
        var dates = [-2_208_988_800, -1, 0, 951_782_400, 951_868_799, 1_798_574_922, 7_258_118_399].map {
            Date(timeIntervalSince1970: TimeInterval($0))
        }
        for _ in 0..<2_000 {
            dates.append(
                Date(
                    timeIntervalSince1970: Double(Int.random(in: -2_208_988_800...7_258_118_399, using: &generator))
                        + 0.25))
        }
        for date in dates {
            #expect(UTCDate.iso8601(date, milliseconds: true) == oracle.string(from: date))
            let fields = UTCDate.fields(of: date)
            #expect(
                UTCDate.make(
                    year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute,
                    second: fields.second) == Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
        }
    }

    @Test("the texts findings, reports and HAR files show")
    func texts() {
        let date = Date(timeIntervalSince1970: 1_798_574_922.5)
        #expect(UTCDate.iso8601(date) == "2026-12-29T20:08:42Z")
        #expect(UTCDate.iso8601(date, milliseconds: true) == "2026-12-29T20:08:42.500Z")
        #expect(UTCDate.minutes(date) == "2026-12-29 20:08 UTC")
        #expect(UTCDate.minutes(ExampleSetup.defaultNow) == "2026-06-01 00:00 UTC")
        #expect(UTCDate.httpDate(date) == "Tue, 29 Dec 2026 20:08:42 GMT")
        #expect(UTCDate.httpDate(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test(
        "HTTP dates in the three forms RFC 9110 §5.6.7 makes recipients accept",
        arguments: [
            "Tue, 29 Dec 2026 20:08:42 GMT", "Tuesday, 29-Dec-26 20:08:42 GMT", "Tue Dec 29 20:08:42 2026",
            "tue, 29 dec 2026 20:08:42 GMT",
        ])
    func httpDates(text: String) {
        #expect(UTCDate.parseHTTPDate(text) == Date(timeIntervalSince1970: 1_798_574_922))
    }

    @Test("a space-padded asctime day, and text that is no HTTP date")
    func otherHTTPDates() {
        #expect(UTCDate.parseHTTPDate("Sun Nov  6 08:49:37 1994") == Date(timeIntervalSince1970: 784_111_777))
        for text in [
            "", "yesterday", "Tue, 29 Dec 2026 20:08:42 CET", "Tue, 32 Dec 2026 20:08:42 GMT",
            "Tue, 29 Foo 2026 20:08:42 GMT", "Tue, 29 Dec 2026 20:08 GMT", "Tue, 29 Dec 2026 25:08:42 GMT",
            "Tue, 29 Dec 26 20:08:42 GMT", "1798574922",
        ] {
            #expect(UTCDate.parseHTTPDate(text) == nil, "\(text)")
        }
    }
}
