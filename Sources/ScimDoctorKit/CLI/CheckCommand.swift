import Foundation
import Synchronization

/// `scim-doctor check`: validates the configuration (exit 2 before any network call), runs the catalogue,
/// renders the report and returns the exit code.
public struct CheckCommand: Sendable {
    public let arguments: CheckArguments
    public let console: any Console
    public let transport: any HTTPTransport
    public let resolver: any NameResolver
    /// "libcurl/7.88.1 OpenSSL/3.0.19", for the report.
    public let libcurlVersion: String
    public let catalogue: [any Probe]

    public init(
        arguments: CheckArguments, console: any Console, transport: any HTTPTransport, resolver: any NameResolver,
        libcurlVersion: String, catalogue: [any Probe] = ScimDoctorKit.catalogue
    ) {
        self.arguments = arguments
        self.console = console
        self.transport = transport
        self.resolver = resolver
        self.libcurlVersion = libcurlVersion
        self.catalogue = catalogue
    }

    public func run() async -> ExitCode {
        let token: Secret
        do {
            try validate()
            let (secret, warning) = try TokenSource.read(arguments, console: console)
            if let warning { console.writeErr(warning) }
            token = secret
        } catch {
            console.writeErr("error: \(error.message)\n")
            return .usage
        }
        if arguments.insecure {
            console.writeErr(
                "warning: --insecure: certificates are not verified for the HTTP probes; Entra always verifies them\n")
        }

        let options = CheckOptions(
            tenantURL: arguments.tenantURL, expectedURL: arguments.expectedURL, caFile: arguments.caFile,
            insecure: arguments.insecure, connectTimeout: arguments.connectTimeout, timeout: arguments.timeout)
        let transport: any HTTPTransport =
            arguments.verbose ? LoggingTransport(transport, token: token, console: console) : self.transport
        let context = ProbeContext(options: options, token: token, transport: transport, resolver: resolver)
        let engine = ProbeEngine(
            catalogue: catalogue, requestAllowance: arguments.connectTimeout + arguments.timeout)
        let selection = ProbeSelection(only: arguments.only, skip: arguments.skip)

        let style = Style.resolve(
            arguments.color, environment: console.environment,
            isTerminal: arguments.output == nil && console.stdoutIsTerminal)
        let human = HumanReporter(style: style, verbose: arguments.verbose)
        let streaming = arguments.format == .human && arguments.output == nil
        if streaming {
            console.writeOut(human.header(tenantURL: arguments.tenantURL, token: token, toolVersion: Help.version))
            if arguments.insecure {
                console.writeOut(
                    style.apply("! --insecure: certificates are not verified for the HTTP probes\n", .yellow, .bold))
            }
        }

        let clock = ContinuousClock()
        let started = clock.now
        let startDate = Date()
        let printed = PrintedSection()
        let results = await engine.run(context, selection: selection) { result in
            guard streaming else { return }
            console.writeOut(human.render(result, previous: printed.swap(result.section)))
        }
        let elapsed = clock.now - started
        let report = RunReport(
            toolVersion: Help.version, libcurl: libcurlVersion, tenantURL: arguments.tenantURL, token: token,
            insecure: arguments.insecure, startedAt: startDate,
            durationMs: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
            results: results)

        let rendered: String
        switch arguments.format {
        case .human:
            rendered =
                streaming
                ? human.footer(report) : HumanReporter(style: Style(enabled: false)).report(report, token: token)
        case .json: rendered = JSONReporter.render(report)
        }
        if let path = arguments.output {
            do {
                try Data(token.redact(rendered).utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                console.writeErr("error: cannot write --output '\(path)': \(error.localizedDescription)\n")
                return .toolError
            }
            let summary = report.summary
            console.writeErr(
                "scim-doctor: \(summary.fail) failed, \(summary.warn) warnings, \(summary.pass) passed, "
                    + "\(summary.skip) skipped, \(summary.error) could not run; report written to \(path)\n")
        } else {
            console.writeOut(token.redact(rendered))
        }
        return ExitCode(rawValue: report.exitCode) ?? .toolError
    }

    /// Everything that can be checked before any network call.
    func validate() throws(UsageError) {
        if let caFile = arguments.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw UsageError("cannot read --ca-file '\(caFile)': no such readable file")
            }
            let text = (try? String(contentsOfFile: caFile, encoding: .utf8)) ?? ""
            guard text.contains("-----BEGIN CERTIFICATE-----") else {
                throw UsageError("--ca-file '\(caFile)' holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
            }
        }
        if let output = arguments.output {
            let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                throw UsageError("--output '\(output)' is a directory; name a file")
            }
            guard FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else {
                throw UsageError("cannot write --output '\(output)': the directory does not exist or is not writable")
            }
        }
        if let expected = arguments.expectedURL, expected.trimmingCharacters(in: .whitespaces).isEmpty {
            throw UsageError("--expected-url is empty: pass the Tenant URL exactly as the application shows it")
        }
        let unknown = ProbeSelection(only: arguments.only, skip: arguments.skip).unknownPatterns(in: catalogue)
        if !unknown.isEmpty {
            throw UsageError(
                "unknown probe id \(unknown.map { "'\($0)'" }.joined(separator: ", ")); 'scim-doctor list' shows them all"
            )
        }
    }
}

/// The section printed last by the streaming reporter (results arrive in order, one at a time).
private final class PrintedSection: Sendable {
    private let section = Mutex<Section?>(nil)
    func swap(_ new: Section) -> Section? {
        section.withLock { old in
            defer { old = new }; return old
        }
    }
}
