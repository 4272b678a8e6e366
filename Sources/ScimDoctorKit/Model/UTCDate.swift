import Foundation

/// Calendar arithmetic and the few date texts the tool reads and writes, all in UTC, without a locale, a
/// time-zone database or ICU: the formatters Foundation offers load ICU's data on first use, which cost more
/// than a whole probe on loopback.
enum UTCDate {
    /// A date's fields in UTC (proleptic Gregorian); `weekday` 0 is Sunday.
    struct Fields: Equatable {
        var year, month, day, hour, minute, second, millisecond, weekday: Int
    }

    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// Nil for out-of-range fields (month 13, minute 61…).
    static func make(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second), (1...9999).contains(year)
        else { return nil }
        // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static func fields(of date: Date) -> Fields {
        let milliseconds = Int((date.timeIntervalSince1970 * 1_000).rounded(.down))
        let seconds = milliseconds >= 0 ? milliseconds / 1_000 : (milliseconds - 999) / 1_000
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
        // civil_from_days (H. Hinnant)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return Fields(
            year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day, hour: secondOfDay / 3_600,
            minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60, millisecond: milliseconds - seconds * 1_000,
            weekday: weekday)
    }

    /// "2026-12-01T19:55:16Z", or "2026-12-01T19:55:16.123Z" with milliseconds (HAR's `startedDateTime`).
    static func iso8601(_ date: Date, milliseconds: Bool = false) -> String {
        let f = fields(of: date)
        let time = "\(four(f.year))-\(two(f.month))-\(two(f.day))T\(two(f.hour)):\(two(f.minute)):\(two(f.second))"
        return milliseconds ? "\(time).\(three(f.millisecond))Z" : "\(time)Z"
    }

    /// "3 days", "5 hours", "1 hour", "4 minutes", each rounded to the nearest unit: a token that expires
    /// 2 days 23 hours 59 minutes from now expires "in 3 days", not "in 2 days".
    static func span(_ seconds: TimeInterval) -> String {
        let seconds = Int(seconds.rounded())
        func nearest(_ unit: Int) -> Int { (seconds + unit / 2) / unit }
        if seconds >= 2 * 86_400 - 1_800 { return PastedText.count(max(2, nearest(86_400)), "day") }
        if seconds >= 3_600 - 30 { return PastedText.count(max(1, nearest(3_600)), "hour") }
        if seconds >= 60 { return PastedText.count(nearest(60), "minute") }
        return PastedText.count(seconds, "second")
    }

    /// "2026-12-29 20:08 UTC": dates people read in findings.
    static func minutes(_ date: Date) -> String {
        let f = fields(of: date)
        return "\(four(f.year))-\(two(f.month))-\(two(f.day)) \(two(f.hour)):\(two(f.minute)) UTC"
    }

    /// RFC 9110 §5.6.7 IMF-fixdate: "Tue, 01 Dec 2026 19:55:16 GMT".
    static func httpDate(_ date: Date) -> String {
        let f = fields(of: date)
        return "\(weekdayNames[f.weekday]), \(two(f.day)) \(monthNames[f.month - 1]) \(four(f.year)) "
            + "\(two(f.hour)):\(two(f.minute)):\(two(f.second)) GMT"
    }

    /// An HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, plus the obsolete RFC 850 and asctime forms recipients
    /// must accept. The weekday is not checked (it adds nothing to the date).
    static func parseHTTPDate(_ text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        switch tokens.count {
        case 6 where tokens[5] == "GMT":  // "Tue, 01 Dec 2026 19:55:16 GMT"
            return date(day: tokens[1], month: tokens[2], year: tokens[3], time: tokens[4])
        case 4 where tokens[3] == "GMT":  // "Tuesday, 01-Dec-26 19:55:16 GMT"
            let parts = tokens[1].split(separator: "-").map(String.init)
            guard parts.count == 3, parts[2].count == 2, let shortYear = Int(parts[2]) else { return nil }
            // 00–69 as 20xx, as most HTTP libraries read RFC 850's two-digit years.
            let year = shortYear < 70 ? 2000 + shortYear : 1900 + shortYear
            return date(day: parts[0], month: parts[1], year: String(year), time: tokens[2])
        case 5:  // "Tue Dec  1 19:55:16 2026"
            return date(day: tokens[2], month: tokens[1], year: tokens[4], time: tokens[3])
        default:
            return nil
        }
    }

    private static func date(day: String, month: String, year: String, time: String) -> Date? {
        let clock = time.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard let day = Int(day), let year = Int(year), year >= 1000,
            let month = monthNames.firstIndex(where: { $0.lowercased() == month.lowercased() }),
            clock.count == 3, let hour = clock[0], let minute = clock[1], let second = clock[2]
        else { return nil }
        return make(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func three(_ value: Int) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }
    private static func four(_ value: Int) -> String {
        String(repeating: "0", count: max(0, 4 - "\(value)".count)) + "\(value)"
    }
}
