import CurlTransport
import Foundation
import ScimDoctorKit

// Thin entry point: parse, wire the real transport in, set the exit code. Everything else is in ScimDoctorKit.

// A closed stdout (`| head`) must not kill the process mid-cleanup: writes then fail with EPIPE, and the
// commands stop writing there, clean up, and exit 141.
signal(SIGPIPE, SIG_IGN)
let console = SystemConsole()
let exitCode: ExitCode
do {
    switch try ArgumentParser.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help(let text):
        console.writeOut(text)
        exitCode = .success
    case .version:
        console.writeOut("scim-doctor \(Help.version)\n\(CurlTransport.versionDescription)\n")
        exitCode = .success
    case .list(let format):
        let format = CatalogueFormat(rawValue: format.rawValue) ?? .human
        console.writeOut(await CatalogueReporter.render(everyProbe, format: format))
        exitCode = .success
    case .explain(let id):
        exitCode = await ExplainCommand(id: id, console: console, catalogue: everyProbe).run()
    case .check(let arguments):
        exitCode = await CheckCommand(
            arguments: arguments, console: console, transport: CurlTransport(), resolver: SystemResolver(),
            libcurlVersion: CurlTransport.versionDescription,
            catalogue: arguments.entra == nil ? catalogue : everyProbe, interrupts: .process()
        ).run()
    case .entra(let arguments):
        exitCode = await CheckCommand(
            arguments: arguments, console: console, transport: CurlTransport(), resolver: SystemResolver(),
            libcurlVersion: CurlTransport.versionDescription, catalogue: entraCatalogue
        ).run()
    case .cleanup(let arguments):
        exitCode = await CleanupCommand(
            arguments: arguments, console: console, transport: CurlTransport(), resolver: SystemResolver()
        ).run()
    }
} catch {
    console.writeErr(PrintableText.terminal("error: \(error.message)\n"))
    exitCode = .usage
}
exit(
    console.stdoutFailure.map { failure in
        console.writeErr("scim-doctor: \(failure.message)\n")
        return max(exitCode.rawValue, failure.exitCode.rawValue)
    } ?? exitCode.rawValue)
