import Foundation
import Testing

@testable import ScimDoctorKit

/// The option table is the one list the completions are made from: it must match the parser and the help.
@Suite("option table")
struct OptionTableTests {
    /// A value the parser takes for an option of this kind.
    static func sample(_ option: OptionSpec) -> [String] {
        switch option.value {
        case .none: return []
        case .file: return ["report.json"]
        case .choices(let choices): return [choices[0]]
        case .text("seconds"): return ["5"]
        case .text("host:port:address"): return ["a.example:443:127.0.0.1"]
        case .text("ids"): return ["url"]
        case .text: return ["https://a.example/scim"]
        }
    }

    @Test("every option of the table parses, and its command's help names it")
    func optionsParseAndAreDocumented() throws {
        for command in CommandSpec.all {
            for option in command.options where option.long != "--help" {
                #expect(command.help.contains(option.long), "\(command.name) --help does not show \(option.long)")
                for name in option.names {
                    var argv = [command.name] + (command.positional == nil ? [] : ["https://a.example/scim"])
                    if command.name == "check" { argv.append("--allow-writes") }
                    if command.name == "explain" { argv = ["explain", "tls.trust"] }
                    argv += [name] + Self.sample(option)
                    #expect(throws: Never.self, "\(argv)") { try ArgumentParser.parse(argv) }
                }
            }
        }
    }

    @Test("every option the parser takes is in the table (completions cannot miss one)")
    func parserOptionsAreInTheTable() {
        let parser = SourceLayoutTests.files.filter { $0.path.hasSuffix("CLI/Arguments.swift") }.map(\.text).joined()
        var taken: Set<String> = []
        for line in parser.split(separator: "\n") where line.contains("case \"-") {
            for match in line.matches(of: /"(--?[a-z][a-z-]*)"/) { taken.insert(String(match.output.1)) }
        }
        let tabled = Set(CommandSpec.all.flatMap { $0.options.flatMap(\.names) })
        // Top-level flags, and --token, which is refused with a message.
        let aside: Set<String> = ["--version", "--generate-completion-script", "--generate-manual", "--token"]
        #expect(taken.count > 20)
        #expect(taken.subtracting(tabled).subtracting(aside).isEmpty, "\(taken.subtracting(tabled).subtracting(aside))")
    }

    @Test("the completions name every command and option; the manual holds every help text")
    func generatedTexts() throws {
        for shell in ShellCompletions.shells {
            let script = try ShellCompletions.script(for: shell)
            for command in CommandSpec.all {
                #expect(script.contains(command.name), "\(shell) lacks \(command.name)")
                for option in command.options {
                    let long = shell == "fish" ? "-l \(option.long.dropFirst(2))" : option.long
                    #expect(script.contains(long), "\(shell) lacks \(command.name) \(option.long)")
                }
            }
        }
        #expect(throws: UsageError.self) { try ShellCompletions.script(for: "powershell") }
        let manual = ManualPage.render()
        #expect(manual.hasPrefix(".TH SCIM-DOCTOR 1"))
        for command in CommandSpec.all { #expect(manual.contains(".SH \(command.name.uppercased())")) }
        #expect(manual.contains("--allow-writes"))
        #expect(try ArgumentParser.parse(["--generate-manual"]) == .help(manual))
    }
}
