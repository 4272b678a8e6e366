import Foundation

/// `--color`: always, never, or decided from the environment and the stream.
public enum ColorMode: String, Sendable, CaseIterable {
    case auto, always, never
}

/// ANSI styling, decided once: `--color` first, then NO_COLOR, TERM=dumb, and whether the stream is a terminal.
public struct Style: Sendable {
    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    public static func resolve(_ mode: ColorMode, environment: [String: String], isTerminal: Bool) -> Style {
        switch mode {
        case .always: return Style(enabled: true)
        case .never: return Style(enabled: false)
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return Style(enabled: false) }
            if environment["TERM"] == "dumb" { return Style(enabled: false) }
            return Style(enabled: isTerminal)
        }
    }

    enum Code: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", magenta = "35", cyan = "36"
    }

    func apply(_ text: String, _ codes: Code...) -> String {
        guard enabled, !codes.isEmpty else { return text }
        return "\u{1B}[\(codes.map(\.rawValue).joined(separator: ";"))m\(text)\u{1B}[0m"
    }

    func mark(_ status: Status) -> String {
        switch status {
        case .pass: apply(status.symbol, .green)
        case .warn: apply(status.symbol, .yellow, .bold)
        case .fail: apply(status.symbol, .red, .bold)
        case .skip: apply(status.symbol, .dim)
        case .error: apply(status.symbol, .magenta, .bold)
        }
    }
}
