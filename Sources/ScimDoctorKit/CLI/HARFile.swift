import Foundation

/// `check --har FILE`: where the recording transport goes, what is checked before any request, and the writing.
extension CheckCommand {
    /// The transport every request goes through: `recorder` when `--har` is given, so it sees each wire exchange.
    func recordingTransport() -> RecordingTransport? {
        arguments.har == nil ? nil : RecordingTransport(transport)
    }

    /// `--har` must name a file in a writable folder, and not the report's own `--output` file.
    static func validate(har: String?, outputs: [String]) throws(UsageError) {
        guard let har else { return }
        guard !har.isEmpty else { throw UsageError("--har needs a file name, e.g. --har trace.har") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: har, isDirectory: &isDirectory), isDirectory.boolValue {
            throw UsageError("--har '\(har)' is a directory; name a file, e.g. --har trace.har")
        }
        let directory = URL(fileURLWithPath: har).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else {
            throw UsageError("cannot write --har '\(har)': the directory does not exist or is not writable")
        }
        if outputs.contains(where: { ReportFile.identity($0) == ReportFile.identity(har) }) {
            throw UsageError("--har and --output name the same file '\(har)': give each its own")
        }
    }

    /// Writes the HAR file of the exchanges recorded so far; false (after saying why on stderr) when it cannot.
    func writeHAR(_ recorder: RecordingTransport?, token: Secret, startedAt: Date) -> Bool {
        guard let recorder, let path = arguments.har else { return true }
        let exchanges = recorder.exchanges
        let text = HARWriter.render(
            exchanges,
            run: HARWriter.Run(
                tenantURL: arguments.tenantURL, token: token, toolVersion: Help.version, libcurl: libcurlVersion,
                startedAt: startedAt))
        do throws(ReportFile.WriteError) {
            try ReportFile.write(Data(token.redact(text).utf8), to: path)
        } catch {
            console.writeErr(PrintableText.terminal("error: cannot write --har '\(path)': \(error.message)\n"))
            return false
        }
        let count = exchanges.count == 1 ? "1 HTTP exchange" : "\(exchanges.count) HTTP exchanges"
        console.writeErr("scim-doctor: HAR trace written to \(path) (\(count), token redacted)\n")
        return true
    }
}
