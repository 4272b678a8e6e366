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
        case .text("tenant"): return ["contoso.onmicrosoft.com"]
        case .text("guid"): return ["219561ee-1480-4c67-9aa6-63d861fae3ef"]
        case .text("name"): return ["Contoso SCIM"]
        case .text("user"): return ["alan@contoso.com"]
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
                    let entraOptions = [
                        "--tenant", "--app-id", "--app-name", "--sp-id", "--cloud", "--graph-token-file", "--client-id",
                        "--client-secret-file", "--test-connection", "--provision-on-demand",
                    ]
                    if command.name == "entra" || entraOptions.contains(option.long) {
                        // The options that name the application are given once; a client secret needs its client.
                        let naming = ["--app-id", "--app-name", "--sp-id"].contains(option.long)
                        if option.long != "--tenant" { argv += ["--tenant", "contoso.onmicrosoft.com"] }
                        if !naming { argv += ["--sp-id", "8e881353-1735-45af-af21-ee1344582a4d"] }
                        if option.long == "--yes" { argv += ["--provision-on-demand", "alan@contoso.com"] }
                        if option.long == "--client-secret-file" {
                            argv += ["--client-id", "2f0a7c3e-1d4b-4e8f-9a6c-5b3d2e1f0a9b"]
                        }
                    }
                    argv += [name] + Self.sample(option)
                    #expect(throws: Never.self, "\(argv)") { try ArgumentParser.parse(argv) }
                }
            }
        }
    }

    @Test("every option the parser takes is in the table (completions cannot miss one)")
    func parserOptionsAreInTheTable() {
        let parser = SourceLayoutTests.files.filter {
            $0.path.hasSuffix("CLI/Arguments.swift") || $0.path.hasSuffix("CLI/EntraArguments.swift")
        }.map(\.text).joined()
        var taken: Set<String> = []
        for line in parser.split(separator: "\n") where line.contains("case \"-") {
            for match in line.matches(of: /"(--?[a-z][a-z-]*)"/) { taken.insert(String(match.output.1)) }
        }
        let tabled = Set(CommandSpec.all.flatMap { $0.options.flatMap(\.names) })
        // Top-level flags, and --token, which is refused with a message.
        let aside: Set<String> = [
            "--version", "--generate-completion-script", "--generate-manual", "--token", "--client-secret",
            "--graph-token",
        ]
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
