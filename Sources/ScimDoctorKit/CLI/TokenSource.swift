import Foundation

/// Where the Secret Token comes from, in order of precedence: `--token-file` (`-` for standard input),
/// `SCIM_TOKEN`, then a hidden prompt on a terminal. Never the command line: argv is visible to every user of
/// the machine (`ps`) and stays in shell history.
enum TokenSource {
    static let environmentVariable = "SCIM_TOKEN"
    /// The longest token read (bytes). Real Secret Tokens are opaque strings or JWTs of a few kilobytes; anything
    /// longer is a wrong file or an endless pipe, and refusing it keeps memory and redaction bounded.
    static let maximumBytes = 16 * 1024
    /// How many times the hidden prompt asks when Enter is pressed on an empty line.
    static let promptAttempts = 3

    static func read(_ arguments: CheckArguments, console: any Console) throws(UsageError) -> Secret {
        try read(file: arguments.tokenFile, console: console)
    }

    static func read(file: String?, console: any Console) throws(UsageError) -> Secret {
        if let path = file { return Secret(try text(ofFile: path, option: "--token-file", console: console)) }
        if let value = console.environment[environmentVariable] {
            try checkSize(value.utf8.count, source: environmentVariable)
            return Secret(value)
        }
        if console.stdinIsTerminal {
            // An empty Enter is a slip, not a token: ask again, and stop after three with a clear message.
            for attempt in 1...promptAttempts {
                guard let typed = console.readHidden(prompt: "Secret Token (input hidden): ") else { break }
                try checkSize(typed.utf8.count, source: "the prompt")
                if !typed.trimmingWhitespace().isEmpty { return Secret(typed) }
                if attempt < promptAttempts {
                    console.writeErr("no token entered; paste the Secret Token and press Enter (Ctrl-C to stop)\n")
                }
            }
            throw UsageError(
                "no Secret Token entered at the prompt; paste it there, set \(environmentVariable), or pass "
                    + "--token-file PATH")
        }
        throw UsageError(
            "no Secret Token: set \(environmentVariable), or pass --token-file PATH ('-' reads standard input)")
    }

    /// A secret from a file (`-`: standard input), at most `maximumBytes`, UTF-8, without one final line ending
    /// (an editor's final newline is the file's, not the secret's; anything else is diagnosed by token.format).
    static func text(ofFile path: String, option: String, console: any Console) throws(UsageError) -> String {
        let data: Data
        if path == "-" {
            data = console.readStandardInput(upTo: maximumBytes + 1)
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw UsageError("cannot read \(option) '\(path)': no such readable file")
            }
            defer { try? handle.close() }
            do {
                data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
            } catch {
                throw UsageError("cannot read \(option) '\(path)': \(error.localizedDescription)")
            }
        }
        try checkSize(data.count, source: path == "-" ? "standard input" : "\(option) '\(path)'")
        guard let text = String(data: data, encoding: .utf8) else {
            throw UsageError("\(option) '\(path)' is not UTF-8 text")
        }
        return dropOneLineEnding(text)
    }

    private static func checkSize(_ count: Int, source: String) throws(UsageError) {
        guard count > maximumBytes else { return }
        throw UsageError(
            "the Secret Token from \(source) is longer than \(maximumBytes) bytes; a real Secret Token (an opaque "
                + "string or a JWT) is far shorter: check that this is the token and nothing else")
    }

    static func dropOneLineEnding(_ text: String) -> String {
        if text.hasSuffix("\r\n") { return String(text.dropLast(2)) }
        if text.hasSuffix("\n") { return String(text.dropLast()) }
        return text
    }
}
