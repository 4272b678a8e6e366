import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process's streams and environment, behind a protocol so the whole command runs in unit tests.
public protocol Console: Sendable {
    var environment: [String: String] { get }
    var stdinIsTerminal: Bool { get }
    var stdoutIsTerminal: Bool { get }
    func writeOut(_ text: String)
    func writeErr(_ text: String)
    /// Standard input up to its end or `limit` bytes, whichever comes first (an endless pipe cannot fill memory).
    func readStandardInput(upTo limit: Int) -> Data
    /// Reads one line from the terminal with echo off; nil when there is no terminal.
    func readHidden(prompt: String) -> String?
    /// Writes `prompt` on stderr and reads one line from the terminal (echoed); nil when there is no terminal
    /// or the input ended.
    func readLine(prompt: String) -> String?
    /// Whether standard error is a terminal (the short summary of `--output` is coloured only there).
    var stderrIsTerminal: Bool { get }
}

extension Console {
    public var stderrIsTerminal: Bool { false }
}

/// The real console.
public struct SystemConsole: Console {
    public init() {}

    public var environment: [String: String] { ProcessInfo.processInfo.environment }
    public var stdinIsTerminal: Bool { isatty(0) == 1 }
    public var stdoutIsTerminal: Bool { isatty(1) == 1 }
    public var stderrIsTerminal: Bool { isatty(2) == 1 }
    public func writeOut(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    public func writeErr(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
    public func readStandardInput(upTo limit: Int) -> Data {
        (try? FileHandle.standardInput.read(upToCount: limit)) ?? Data()
    }

    public func readHidden(prompt: String) -> String? {
        guard isatty(0) == 1 else { return nil }
        writeErr(prompt)
        var saved = termios()
        tcgetattr(0, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &silent)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            writeErr("\n")
        }
        return Swift.readLine(strippingNewline: true)
    }

    public func readLine(prompt: String) -> String? {
        guard isatty(0) == 1 else { return nil }
        writeErr(prompt)
        return Swift.readLine(strippingNewline: true)
    }
}
