import Foundation
import Synchronization

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
    /// Why standard output could not be written (nil while it works): once it fails, later writes are dropped.
    var stdoutFailure: OutputFailure? { get }
    /// The width of the terminal standard output is; nil when it is not a terminal (reports are then not wrapped).
    var terminalWidth: Int? { get }
    /// Writes on the terminal standard error is, and only there (the progress line); nothing otherwise.
    func writeProgress(_ text: String)
}

extension Console {
    public var stderrIsTerminal: Bool { false }
    public var stdoutFailure: OutputFailure? { nil }
    public var terminalWidth: Int? { nil }
    public func writeProgress(_ text: String) {}
}

/// Standard output failed: the reader went away (a closed pipe), or the device refused (a full disk).
public enum OutputFailure: Sendable, Equatable {
    case closed
    case failed(String)

    public var exitCode: ExitCode { self == .closed ? .outputClosed : .toolError }
    public var message: String {
        switch self {
        case .closed: "standard output was closed (the reader went away); the rest of the report was not written"
        case .failed(let reason): "cannot write to standard output: \(reason)"
        }
    }
}

/// The real console.
public struct SystemConsole: Console {
    /// Read once: Foundation builds the dictionary anew on every read.
    public let environment: [String: String]

    public init() { environment = ProcessInfo.processInfo.environment }

    public var stdinIsTerminal: Bool { isatty(0) == 1 }
    public var stdoutIsTerminal: Bool { isatty(1) == 1 }
    public var stderrIsTerminal: Bool { isatty(2) == 1 }
    /// `COLUMNS` when set (as most tools honour it), else the terminal's own size.
    public var terminalWidth: Int? {
        guard stdoutIsTerminal else { return nil }
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
    public func writeProgress(_ text: String) {
        if stderrIsTerminal { _ = Self.write(text, to: 2) }
    }
    /// POSIX writes, never FileHandle's (which traps on EPIPE or ENOSPC): a failure is recorded, not a crash.
    /// SIGPIPE is ignored by the executable, so a closed pipe comes back here as EPIPE.
    public func writeOut(_ text: String) {
        guard stdoutFailure == nil else { return }
        if let failure = Self.write(text, to: 1) { Self.failure.withLock { $0 = failure } }
    }

    public func writeErr(_ text: String) { _ = Self.write(text, to: 2) }

    public var stdoutFailure: OutputFailure? { Self.failure.withLock { $0 } }
    private static let failure = Mutex<OutputFailure?>(nil)

    private static func write(_ text: String, to descriptor: Int32) -> OutputFailure? {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno == EPIPE ? .closed : .failed(String(cString: strerror(errno)))
            }
            bytes = bytes.dropFirst(written)
        }
        return nil
    }
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
