import Foundation

/// The Secret Token. Its value is reachable only through `reveal()`, which only the transport calls;
/// every printed form is the fingerprint, so string interpolation and `dump` cannot leak it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String
    /// What the secret is, for its printed form: "token", "URL password", …
    public let name: String
    /// Prepared once (when first used) and shared by every copy of this value.
    private let redactor: Redactor
    /// The run's other secrets this one's `redact` also replaces.
    private let others: [(value: String, replacement: String)]

    public init(_ value: String, name: String = "token") {
        self.init(value, name: name, alsoRedacting: [])
    }

    private init(_ value: String, name: String, alsoRedacting others: [(value: String, replacement: String)]) {
        self.value = value
        self.name = name
        self.others = others
        self.redactor = Redactor(entries: [(value, "[\(name) \(Self.fingerprint(of: value))]")] + others)
    }

    /// The same token, whose `redact` also replaces each of `others` (the run's other secrets: a password or a
    /// query value in the Tenant URL) by its replacement — and all it replaced already: one redaction for every
    /// output of the run.
    public func alsoRedacting(_ others: [(value: String, replacement: String)]) -> Secret {
        others.isEmpty ? self : Secret(value, name: name, alsoRedacting: self.others + others)
    }

    /// This secret and every other it redacts, each with its replacement: to join another secret's redaction.
    public var redactionEntries: [(value: String, replacement: String)] { [(value, description)] + others }

    public static func == (lhs: Secret, rhs: Secret) -> Bool { lhs.value == rhs.value && lhs.name == rhs.name }

    /// The raw value, for the Authorization header and the local token checks only.
    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }

    /// Length and, for tokens long enough that it gives nothing away, the last 4 characters.
    public var fingerprint: String { Self.fingerprint(of: value) }

    private static func fingerprint(of value: String) -> String {
        let count = value.count
        guard count >= 16 else { return count == 1 ? "1 character" : "\(count) characters" }
        let tail = String(value.suffix(4)).unicodeScalars.map { scalar in
            scalar.isASCII && scalar.value >= 0x21 && scalar.value < 0x7F ? String(scalar) : "?"
        }.joined()
        return "…\(tail) (\(count) characters)"
    }

    public var description: String { "[\(name) \(fingerprint)]" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["fingerprint": fingerprint]) }

    /// Replaces every form of the secret in `text` (the closed list of `Redactor`) by its fingerprint.
    public func redact(_ text: String) -> String { redactor.redact(text) }

    /// The same for bytes; bytes without any form of the secret come back unchanged.
    public func redact(_ data: Data) -> Data { redactor.redact(data) }
}
