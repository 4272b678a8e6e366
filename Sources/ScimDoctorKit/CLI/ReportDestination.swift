import Foundation

/// Where one report of `check` goes: standard output (`path` nil) or a file, in one format. One run can write
/// several (`-o a.xml -o b.md`): every one is rendered from the same `RunReport`.
public struct ReportDestination: Equatable, Sendable {
    public var path: String?
    public var format: OutputFormat

    /// The format a file's extension names (`.json`, `.xml` → JUnit, `.md`, `.txt`/`.log` → human).
    static func format(ofFile path: String) -> OutputFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "json": .json
        case "xml": .junit
        case "md", "markdown": .markdown
        case "txt", "log", "text": .human
        default: nil
        }
    }

    static let extensionRule =
        "the format of each -o file comes from its extension: .json, .xml (JUnit), .md (Markdown), .txt or .log "
        + "(human)"

    /// Without `-o`: standard output in `--format` (human by default). With one `-o`: that file, in `--format` if
    /// given, else in the format of its extension. With several: each in the format of its extension, and
    /// `--format` is a usage error (it could name only one of them).
    static func resolve(format: OutputFormat?, outputs: [String]) throws(UsageError) -> [ReportDestination] {
        guard !outputs.isEmpty else { return [ReportDestination(path: nil, format: format ?? .human)] }
        if let format, outputs.count == 1 { return [ReportDestination(path: outputs[0], format: format)] }
        if let format {
            throw UsageError(
                "--format \(format.rawValue) with \(outputs.count) -o files: \(extensionRule); drop --format, or "
                    + "give it with a single -o")
        }
        var destinations: [ReportDestination] = []
        for path in outputs {
            guard !path.isEmpty else { throw UsageError("--output needs a file name, e.g. -o report.json") }
            guard let format = Self.format(ofFile: path) else {
                throw UsageError(
                    "cannot tell the report format of -o '\(path)' from its extension: \(extensionRule)"
                        + (outputs.count == 1 ? "; or add --format" : ""))
            }
            if let twin = destinations.first(where: { ReportFile.identity($0.path ?? "") == ReportFile.identity(path) })
            {
                throw UsageError("-o names the same file twice ('\(twin.path ?? "")' and '\(path)')")
            }
            destinations.append(ReportDestination(path: path, format: format))
        }
        return destinations
    }
}
