import Testing

@testable import ScimDoctorKit

/// One probe example as a test case, named "probe-id: example → verdict".
struct ProbeCase: CustomTestStringConvertible, Sendable {
    let probe: any Probe
    let example: ProbeExample
    var testDescription: String { "\(probe.id): \(example)" }
}

let probeCases = everyProbe.flatMap { probe in probe.description.examples.map { ProbeCase(probe: probe, example: $0) } }

@Test("every probe example reaches its declared verdict", arguments: probeCases)
func probeExampleReachesVerdict(_ probeCase: ProbeCase) async throws {
    let example = probeCase.example
    let location = SourceLocation(
        fileID: example.fileID, filePath: example.filePath, line: example.line, column: example.column)
    let context = example.setup.makeContext()
    let verdict = try await probeCase.probe.run(context)
    #expect(
        verdict.status == example.expect, "\(probeCase.testDescription) got \(verdict.status): \(verdict.finding)",
        sourceLocation: location)
    if let phrase = example.expectFinding {
        #expect(
            verdict.finding.lowercased().contains(phrase.lowercased()),
            "finding \"\(verdict.finding)\" lacks \"\(phrase)\"", sourceLocation: location)
    }
    if verdict.status == .fail || verdict.status == .warn {
        #expect(
            verdict.remediation?.isEmpty == false, "a \(verdict.status) needs a remediation", sourceLocation: location)
    }
    let everything =
        ([verdict.finding, verdict.remediation ?? ""] + verdict.evidence.flatMap { [$0.label, $0.value] })
        .joined(separator: "\n")
    if example.setup.token.count >= 8 {
        #expect(
            !everything.contains(example.setup.token), "the token leaked into the verdict", sourceLocation: location)
    }
}
