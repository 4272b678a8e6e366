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
    /// SIGINT/SIGTERM during a write run (the executable passes `.process()`).
    public let interrupts: InterruptSignals
    /// Ends the process at once: a second signal during cleanup (tests record it instead).
    public let terminate: @Sendable (Int32) -> Void
    /// The write run's id (`scim-doctor-<run id>`); a fresh random one unless a test fixes it.
    public let runID: String

    public init(
        arguments: CheckArguments, console: any Console, transport: any HTTPTransport, resolver: any NameResolver,
        libcurlVersion: String, catalogue: [any Probe] = ScimDoctorKit.catalogue,
        interrupts: InterruptSignals = InterruptSignals(),
        terminate: @escaping @Sendable (Int32) -> Void = { exit($0) }, runID: String = WriteSession.newRunID()
    ) {
        self.interrupts = interrupts
        self.terminate = terminate
        self.runID = runID
        self.arguments = arguments
        self.console = console
        self.transport = transport
        self.resolver = resolver
        self.libcurlVersion = libcurlVersion
        self.catalogue = catalogue
    }

    public func run() async -> ExitCode {
        let token: Secret
        let entra: EntraTarget?
        // A joined run (check with --tenant) reads Graph with its own token; `entra` alone has only that one.
        var graphToken: Secret?
        do throws(UsageError) {
            try validate()
            if let entraArguments = arguments.entra { try confirmProvisioning(entraArguments) }
            // The URL's password and query values are redacted wherever the token is.
            var scimToken: Secret?
            if !arguments.tenantURL.isEmpty {
                scimToken = try TokenSource.read(arguments, console: console)
                    .alsoRedacting(TenantURL(arguments.tenantURL)?.secrets ?? [])
            }
            if let entraArguments = arguments.entra {
                // Every secret of the sign-in is redacted wherever the SCIM token is, and the other way round.
                let (target, signedIn) = try await signIn(entraArguments)
                entra = target
                token = scimToken?.alsoRedacting(signedIn.redactionEntries) ?? signedIn
                graphToken = scimToken.map { signedIn.alsoRedacting($0.redactionEntries) }
            } else {
                entra = nil
                guard let scimToken else { throw UsageError("missing <tenant-url>") }
                token = scimToken
            }
        } catch {
            console.writeErr(PrintableText.terminal("error: \(error.message)\n"))
            return .usage
        }
        let writes = WriteSession(runID: runID)
        if arguments.allowWrites, !arguments.assumeYes, writeProbesSelected {
            guard confirm(writes, token: token) else {
                console.writeErr("not confirmed; nothing was sent\n")
                return .usage
            }
        }
        if arguments.insecure {
            console.writeErr(
                "warning: --insecure: certificates are not verified for the HTTP probes; Entra always verifies them\n")
        }

        var options = CheckOptions(
            tenantURL: arguments.tenantURL, expectedURL: arguments.expectedURL, caFile: arguments.caFile,
            insecure: arguments.insecure, connectTimeout: arguments.connectTimeout, timeout: arguments.timeout,
            allowWrites: arguments.allowWrites, patchStyle: arguments.patchStyle ?? .fromTenantURL)
        options.allowHTTP = arguments.allowHTTP
        options.resolve = arguments.resolve
        options.environment = console.environment
        options.entra = entra
        if arguments.allowHTTP {
            console.writeErr(
                "WARNING: --allow-http: over a plain http:// Tenant URL the Secret Token crosses the network in clear "
                    + "text; use it only for a test service host you control\n")
        }
        let recorder = recordingTransport()  // --har: on the wire side of everything else
        let wire: any HTTPTransport = recorder ?? self.transport
        let logged: any HTTPTransport =
            arguments.verbose
            ? LoggingTransport(wire, token: token, write: { [console] in console.writeErr($0) }) : wire
        let gate = WriteGate(logged)
        let transport: any HTTPTransport = arguments.allowWrites ? gate : logged
        let context = ProbeContext(
            options: options, token: token, transport: transport, resolver: resolver, writes: writes,
            graphToken: graphToken)
        let engine = ProbeEngine(
            catalogue: catalogue, requestAllowance: arguments.connectTimeout + arguments.timeout)
        let selection = ProbeSelection(only: arguments.only, skip: arguments.skip)

        let destinations = (try? arguments.destinations()) ?? []  // (validated above)
        let style = Style.resolve(
            arguments.color, environment: console.environment,
            isTerminal: destinations.contains { $0.path == nil } && console.stdoutIsTerminal)
        let streaming = destinations == [ReportDestination(path: nil, format: .human)]
        // Wrapped to the terminal's width only when the report streams to a terminal (pipes and files stay as is).
        let human = HumanReporter(
            style: style, verbose: arguments.everyLine, quiet: arguments.quiet,
            dependencies: dependencies, width: streaming ? console.terminalWidth : nil)
        if streaming {
            console.writeOut(
                human.header(
                    tenantURL: arguments.tenantURL, token: token, toolVersion: Help.version,
                    entra: entra.map(RunReport.EntraSide.init)))
        }
        if streaming, !arguments.quiet {
            if await context.connectionPlan().localEndpoint { console.writeOut(human.localEndpointNote()) }
            if let proxy = await context.connectionPlan().proxy {
                console.writeOut("  proxy \(proxy.display) (from \(proxy.source)); the token stays inside TLS\n")
            }
            if arguments.insecure {
                console.writeOut(
                    style.apply("! --insecure: certificates are not verified for the HTTP probes\n", .yellow, .bold))
            }
        }

        let clock = ContinuousClock()
        let started = clock.now
        let startDate = Date()
        let progress = ProgressLine(
            console: console,
            enabled: streaming && console.stdoutIsTerminal && console.stderrIsTerminal && !arguments.verbose
                && console.environment["TERM"] != "dumb",
            requestTimeout: arguments.timeout)
        let pending = PendingSection(
            sizes: Dictionary(catalogue.map { ($0.description.section, 1) }, uniquingKeysWith: +))
        let control = WriteRunControl(
            note: { progress.writeErr($0) },
            exitNow: { [console, terminate] signal in
                // A second signal during cleanup: say what is still there, and go.
                Task {
                    progress.stop()
                    let leftovers = await context.notYetRemoved(reason: "not deleted: cleanup was stopped")
                    console.writeErr(
                        PrintableText.terminal(
                            token.redact(
                                Self.stoppedNow(signal, leftovers: leftovers, tenantURL: arguments.tenantURL))))
                    terminate(WriteRunControl.exitCode(signal).rawValue)
                }
            })
        let run: @Sendable () async -> [ProbeResult] = { [engine, selection, console] in
            await engine.run(context, selection: selection, onActivity: { progress.running($0, $1) }) { result in
                guard streaming, control.isProbing else { return }
                if let (finished, previous) = pending.add(result) {
                    progress.writeOut(human.render(section: finished, after: previous))
                }
                // Stdout went away (`| head`): a write run stops and cleans up as after a signal.
                if console.stdoutFailure != nil, arguments.allowWrites { control.handle(SIGPIPE) }
            }
        }

        let results: [ProbeResult]
        var cleanup: RunReport.Cleanup?
        if arguments.allowWrites {
            interrupts.begin { control.handle($0) }
            defer { interrupts.end() }
            let finished = await control.race(run)
            control.beginCleanup()
            progress.activity("cleaning up the test resources")
            let cleaned = await context.finalCleanup(after: gate)
            progress.stop()
            control.finish()
            cleanup = RunReport.Cleanup(
                runID: writes.runID, tag: writes.tag, deleted: cleaned.deleted, leftovers: cleaned.leftovers)
            guard let finished else {
                let signal = control.signal ?? SIGINT
                let text = PrintableText.terminal(
                    token.redact(Self.interrupted(signal, human: human, cleanup: cleanup)))
                if streaming, console.stdoutFailure == nil { console.writeOut(text) } else { console.writeErr(text) }
                _ = writeHAR(recorder, token: token, startedAt: startDate)
                return WriteRunControl.exitCode(signal)
            }
            results = finished
        } else {
            results = await run()
            progress.stop()
        }
        let elapsed = clock.now - started
        let report = RunReport(
            toolVersion: Help.version, libcurl: libcurlVersion, tenantURL: arguments.tenantURL, token: token,
            insecure: arguments.insecure, localEndpoint: await context.connectionPlan().localEndpoint, entra: entra,
            startedAt: startDate,
            durationMs: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
            results: results, cleanup: cleanup, strict: arguments.strict)

        let harWritten = writeHAR(recorder, token: token, startedAt: startDate)
        if let failed = deliver(report, to: destinations, human: human, streaming: streaming, token: token) {
            return failed
        }
        if !harWritten { return .toolError }
        // A signal that arrived while the final cleanup ran: the run finished, but was asked to stop.
        if let signal = control.signal { return WriteRunControl.exitCode(signal) }
        return ExitCode(rawValue: report.exitCode) ?? .toolError
    }

    /// Each probe's prerequisites, for the report's "What to fix".
    var dependencies: [ProbeID: [ProbeID]] {
        Dictionary(catalogue.map { ($0.id, $0.description.dependencies) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether any probe that writes is selected (without one, `--allow-writes` has nothing to confirm).
    var writeProbesSelected: Bool {
        let selection = ProbeSelection(only: arguments.only, skip: arguments.skip)
        return catalogue.contains { $0.description.writes && selection.exclusionReason($0.description) == nil }
    }

    /// States on the terminal what the write run will create and asks to go on; true for y or yes.
    func confirm(_ writes: WriteSession, token: Secret) -> Bool {
        console.writeErr(
            token.redact(
                "--allow-writes: scim-doctor will create test users and groups named \(writes.tag)… (usually 2 users and "
                    + "1 group; at most \(userCreateBudget) user and \(groupCreateBudget) group creates when the server refuses "
                    + "Entra's bodies) "
                    + "(e-mail addresses in example.com), in \(arguments.tenantURL); only these are changed, "
                    + "and all are deleted at the end.\n"))
        return askYes("Continue? [y/N] ")
    }

    /// True for y or yes at the prompt.
    func askYes(_ prompt: String) -> Bool {
        let answer = console.readLine(prompt: prompt)?.trimmingWhitespace().lowercased()
        return answer == "y" || answer == "yes"
    }

    /// What an interrupted write run prints once its cleanup is done.
    static func interrupted(_ signal: Int32, human: HumanReporter, cleanup: RunReport.Cleanup?) -> String {
        var text =
            "\n\(WriteRunControl.name(signal)) received: the probes still running were abandoned and no report was "
            + "made; the test resources were cleaned up.\n"
        if let cleanup { text += human.cleanup(cleanup) }
        let code = WriteRunControl.exitCode(signal).rawValue
        let left = cleanup?.leftovers.isEmpty == false
        text +=
            "\n\(left ? "Test resources were left in the tenant (see Cleanup)" : "Nothing was left behind"). (exit code \(code))\n"
        return text
    }

    /// What a second signal during cleanup prints before the process ends.
    static func stoppedNow(_ signal: Int32, leftovers: [Leftover], tenantURL: String) -> String {
        var text = "\nscim-doctor: \(WriteRunControl.name(signal)) again: stopping now, cleanup unfinished.\n"
        if leftovers.isEmpty {
            text += "No test resource created by this run is known to remain (a create still on the wire may have "
            text += "succeeded: scim-doctor cleanup finds it).\n"
        }
        for leftover in leftovers {
            text +=
                "  left in the tenant: \(leftover.kind.singular) \(PrintableText.quoted(leftover.label)) "
                + "(id \(PrintableText.line(leftover.id)))\n"
            text += "      remove    \(PrintableText.line(leftover.command))\n"
        }
        // The base only (no user:password@, no query): all cleanup needs, and nothing secret to paste around.
        let base = TenantURL(tenantURL).flatMap { ShellCommand.quote($0.base) } ?? "<tenant-url>"
        text += "Or: scim-doctor cleanup \(base) --yes (finds every resource tagged scim-doctor-<run id>)\n"
        return text
    }

    /// Everything that can be checked before any network call.
    func validate() throws(UsageError) {
        if arguments.allowWrites, !arguments.assumeYes, !console.stdinIsTerminal {
            throw UsageError("--allow-writes needs --yes when there is no terminal to confirm on")
        }
        try Self.validate(caFile: arguments.caFile)
        try Self.validate(har: arguments.har, outputs: arguments.outputs)
        // A report or trace written over a file a secret is read from would replace the secret.
        let secretFiles = [
            ("--token-file", arguments.tokenFile), ("--graph-token-file", arguments.entra?.graphTokenFile),
            ("--client-secret-file", arguments.entra?.clientSecretFile),
        ].compactMap { option, path in path.flatMap { $0 == "-" ? nil : (option, $0) } }
        for (option, path) in secretFiles {
            if arguments.outputs.contains(where: { ReportFile.identity($0) == ReportFile.identity(path) }) {
                throw UsageError("--output names the \(option) '\(path)': the report would replace the secret")
            }
            if let har = arguments.har, ReportFile.identity(har) == ReportFile.identity(path) {
                throw UsageError("--har names the \(option) '\(path)': the trace would replace the secret")
            }
        }
        for output in try arguments.destinations().compactMap(\.path) {
            let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                throw UsageError("--output '\(output)' is a directory; name a file")
            }
            guard FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else {
                throw UsageError("cannot write --output '\(output)': the directory does not exist or is not writable")
            }
        }
        if let expected = arguments.expectedURL, expected.trimmingWhitespace().isEmpty {
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

extension CheckCommand {
    /// `--ca-file` must be a readable PEM file (check and cleanup).
    static func validate(caFile: String?) throws(UsageError) {
        guard let caFile else { return }
        guard FileManager.default.isReadableFile(atPath: caFile) else {
            throw UsageError("cannot read --ca-file '\(caFile)': no such readable file")
        }
        let text = (try? String(contentsOfFile: caFile, encoding: .utf8)) ?? ""
        guard text.contains("-----BEGIN CERTIFICATE-----") else {
            throw UsageError("--ca-file '\(caFile)' holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
    }
}

/// The streaming reporter's section in progress: results arrive in catalogue order, one at a time, and a section
/// is printed as soon as all its results are in (folding needs the whole section).
private final class PendingSection: Sendable {
    private struct State {
        var current: [ProbeResult] = []
        var printed: [ProbeResult]?
    }
    private let state = Mutex(State())
    /// How many probes each section has (every probe of the catalogue gives a result, run or not).
    private let sizes: [Section: Int]

    init(sizes: [Section: Int]) { self.sizes = sizes }

    /// Adds a result; when it completes its section, returns the section and the one printed before it.
    func add(_ result: ProbeResult) -> ([ProbeResult], after: [ProbeResult]?)? {
        state.withLock { state in
            state.current.append(result)
            guard state.current.count >= sizes[result.section] ?? 1 else { return nil }
            defer {
                state.printed = state.current
                state.current = []
            }
            return (state.current, state.printed)
        }
    }
}
