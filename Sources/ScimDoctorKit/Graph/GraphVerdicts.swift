import Foundation

/// How the Entra probes turn Graph's answers into verdicts and evidence, one way for all of them.
enum GraphVerdicts {
    /// The request and status of each exchange of a read (at most three; pages beyond are counted).
    static func evidence(_ read: GraphRead) -> [Evidence] {
        var evidence = read.exchanges.prefix(3).flatMap { Evidence.exchange($0, body: false) }
        if read.exchanges.count > 3 { evidence.append(Evidence("pages", "\(read.exchanges.count) requests")) }
        if let refusal = read.refusal, !refusal.message.isEmpty || refusal.requestID != nil {
            evidence.append(Evidence("Graph said", PrintableText.line(refusal.shown)))
        }
        return evidence
    }

    /// A read Graph refused, as the skip of the probe that needed it: a 403 names the permission (or licence)
    /// it needs; anything else says what came back.
    static func refused(_ read: GraphRead, reading what: String, needs permission: String) -> Verdict {
        guard let refusal = read.refusal else { return .skip("\(what) could not be read") }
        if refusal.isDenied {
            return .skip(
                "Graph denied reading \(what) (\(PrintableText.line(refusal.code))): it needs \(permission)",
                evidence: evidence(read))
        }
        return .skip(
            "\(what) could not be read: \(PrintableText.line(refusal.shown))", evidence: evidence(read))
    }

    /// The Entra side needs an earlier read that gave nothing (its own probe says why).
    static let noApplication = Verdict.skip("the application was not found (see entra.sp)")
    static let noJob = Verdict.skip("no synchronization job was read (see entra.job)")

    /// A server-chosen name, for findings: one line, quoted, at most 80 characters.
    static func name(_ text: String) -> String { PrintableText.quoted(String(text.prefix(80))) }

    /// `PT40M` → 40 minutes; nil for what is no simple ISO 8601 duration, or .NET's TimeSpan.MaxValue (a job
    /// never scheduled: `P10675199DT2H48M5.4775807S`).
    static func duration(_ text: String) -> Duration? {
        guard text.hasPrefix("P"), !text.hasPrefix("P10675199D") else { return nil }
        var seconds = 0.0
        var number = ""
        var inTime = false
        for character in text.dropFirst() {
            switch character {
            case "T": inTime = true
            case "0"..."9", ".": number.append(character)
            default:
                guard let value = Double(number) else { return nil }
                number = ""
                switch (character, inTime) {
                case ("D", false): seconds += value * 86_400
                case ("H", true): seconds += value * 3_600
                case ("M", true): seconds += value * 60
                case ("S", true): seconds += value
                default: return nil
                }
            }
        }
        // At most about 30 years: a hostile interval must not overflow Duration.
        return number.isEmpty && seconds <= 1e9 ? .seconds(seconds) : nil
    }
}
