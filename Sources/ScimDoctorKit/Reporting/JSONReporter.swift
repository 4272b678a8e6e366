import Foundation

/// `--format json`: `RunReport` as JSON with sorted keys, so that two runs differ only in times and durations.
public enum JSONReporter {
    public static func render(_ report: RunReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report), let text = String(data: data, encoding: .utf8) else {
            return
                "{\"schemaVersion\":\(RunReport.currentSchemaVersion),\"error\":\"the report could not be encoded\"}\n"
        }
        return text + "\n"
    }
}
