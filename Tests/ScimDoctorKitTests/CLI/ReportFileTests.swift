import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Report files")
struct ReportFileTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("a new report is readable by its owner only; an old one is replaced whole, with no temporary left")
    func ownerOnlyAndAtomic() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("report.json").path
        try "old report, longer than the new one".write(toFile: path, atomically: false, encoding: .utf8)
        try ReportFile.write(Data("new".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.json"])
    }

    @Test("a device is written directly, and a failure leaves the old report as it was")
    func devicesAndFailures() throws {
        try ReportFile.write(Data("discarded".utf8), to: "/dev/null")
        #expect(throws: ReportFile.WriteError.self) { try ReportFile.write(Data("x".utf8), to: "/dev/full") }
        #expect(throws: ReportFile.WriteError.self) {
            try ReportFile.write(Data("x".utf8), to: "/nonexistent-folder/report.json")
        }
    }

    @Test("--output or --har naming the token file, also through a symlink, is a usage error before any request")
    func outputIsNotTheTokenFile() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = folder.appendingPathComponent("token").path
        try "canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0".write(toFile: token, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: token)
        for option in ["--output", "--har"] {
            for target in [token, link] {
                guard
                    case .check(let arguments) = try ArgumentParser.parse(
                        ["check", "https://a.example/scim", "--token-file", token, option, target])
                else { throw ProbeError("not a check") }
                let console = FakeConsole()
                let transport = ScriptedTransport([])
                let code = await CheckCommand(
                    arguments: arguments, console: console, transport: transport,
                    resolver: ScriptedResolver(.success([])), libcurlVersion: "test"
                ).run()
                #expect(code == .usage, "\(option) \(target)")
                #expect(console.stderr.contains("names the --token-file"))
                #expect(await transport.requests.isEmpty)
            }
        }
        #expect(try String(contentsOfFile: token, encoding: .utf8).hasPrefix("canary-"))
    }
}
