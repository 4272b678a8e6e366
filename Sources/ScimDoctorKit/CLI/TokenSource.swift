import Foundation

/// Where the Secret Token comes from, in order of precedence: `--token-file`, `--token`, `SCIM_TOKEN`,
/// then a hidden prompt on a terminal.
enum TokenSource {
    static let environmentVariable = "SCIM_TOKEN"

    /// The token, plus any warning to print. Throws a usage error when there is none.
    static func read(_ arguments: CheckArguments, console: any Console) throws(UsageError) -> (Secret, String?) {
        try read(file: arguments.tokenFile, value: arguments.tokenValue, console: console)
    }

    static func read(file: String?, value: String?, console: any Console) throws(UsageError) -> (Secret, String?) {
        if let path = file {
            let data: Data
            if path == "-" {
                data = console.readStandardInput()
            } else {
                guard let contents = FileManager.default.contents(atPath: path) else {
                    throw UsageError("cannot read --token-file '\(path)': no such readable file")
                }
                data = contents
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw UsageError("--token-file '\(path)' is not UTF-8 text")
            }
            // An editor's final newline is the file's, not the token's; anything else is diagnosed by token.format.
            return (Secret(dropOneLineEnding(text)), nil)
        }
        if let value {
            return (
                Secret(value),
                "warning: --token puts the Secret Token on the command line, where other users of this machine can "
                    + "see it; prefer SCIM_TOKEN=… or --token-file\n"
            )
        }
        if let value = console.environment[environmentVariable] {
            return (Secret(value), nil)
        }
        if console.stdinIsTerminal, let typed = console.readHidden(prompt: "Secret Token (input hidden): ") {
            return (Secret(typed), nil)
        }
        throw UsageError(
            "no Secret Token: set \(environmentVariable), or pass --token-file PATH ('-' reads standard input)")
    }

    static func dropOneLineEnding(_ text: String) -> String {
        if text.hasSuffix("\r\n") { return String(text.dropLast(2)) }
        if text.hasSuffix("\n") { return String(text.dropLast()) }
        return text
    }
}
