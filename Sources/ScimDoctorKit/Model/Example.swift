import Foundation

/// A server behaviour and the verdict a probe must reach on it (SwiftLint's "examples are the tests").
/// The source location points a failing test at the example's own line.
public struct ProbeExample: Sendable, CustomStringConvertible {
    public let name: String
    public let setup: ExampleSetup
    public let expect: Status
    /// A phrase the finding must contain (case-insensitive), so the right cause is named.
    public let expectFinding: String?
    public let fileID: String
    public let filePath: String
    public let line: Int
    public let column: Int

    public init(
        _ name: String, _ setup: ExampleSetup = ExampleSetup(), expect: Status, finding: String? = nil,
        fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
    ) {
        self.name = name
        self.setup = setup
        self.expect = expect
        self.expectFinding = finding
        self.fileID = fileID
        self.filePath = filePath
        self.line = line
        self.column = column
    }

    public var description: String { "\(name) → \(expect.rawValue)" }
}
