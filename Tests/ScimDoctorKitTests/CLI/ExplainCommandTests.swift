import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("explain command")
struct ExplainCommandTests {
    @Test("parses explain <probe-id or code>, words of a pasted message joined; rejects no word and unknown options")
    func parse() throws {
        #expect(try ArgumentParser.parse(["explain", "tls.trust"]) == .explain("tls.trust"))
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["explain"]) }
        #expect(
            try ArgumentParser.parse(["explain", "Error", "code:", "EntryConflict"])
                == .explain("Error code: EntryConflict"))
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["explain", "--bogus", "tls.trust"]) }
        #expect(try ArgumentParser.parse(["explain", "--help"]) == .help(Help.explain))
        #expect(try ArgumentParser.parse(["help", "explain"]) == .help(Help.explain))
    }

    @Test("explains a probe: checks, why, every verdict status of its examples with remediations, sources")
    func explainsProbe() async {
        let console = FakeConsole()
        let code = await ExplainCommand(id: "url.syntax", console: console, catalogue: catalogue).run()
        #expect(code == .success)
        let text = console.stdout
        for part in [
            "url.syntax", "WHAT IT CHECKS", "WHY ENTRA CARES", "VERDICTS", "SOURCES", "✓ pass", "! warn",
            "✗ fail", "fix: ", "Security requirements",
        ] {
            #expect(text.contains(part), "missing \(part)")
        }
        #expect(console.stderr.isEmpty)
    }

    @Test("the verdicts are the distinct outcomes of the probe's examples, grouped by status")
    func outcomesCoverExamples() async {
        for probe in catalogue {
            let outcomes = await ProbeExplainer.outcomes(of: probe)
            let statuses = Set(probe.description.examples.map(\.expect))
            #expect(Set(outcomes.map(\.status)) == statuses, "\(probe.id)")
            let order = outcomes.map { Status.allCases.firstIndex(of: $0.status) ?? 0 }
            #expect(order == order.sorted(), "\(probe.id): grouped by status")
            for outcome in outcomes where outcome.status == .fail || outcome.status == .warn {
                #expect(outcome.remediation?.isEmpty == false, "\(probe.id): \(outcome.finding)")
            }
            #expect(outcomes.map(\.examples.count).reduce(0, +) == probe.description.examples.count)
        }
    }

    @Test("an unknown id exits 2 and suggests the closest ids")
    func unknownID() async {
        let console = FakeConsole()
        let code = await ExplainCommand(id: "tls.trsut", console: console, catalogue: catalogue).run()
        #expect(code == .usage)
        #expect(console.stdout.isEmpty)
        #expect(console.stderr.contains("'tls.trsut' is neither a probe id nor an error code Entra shows"))
        #expect(console.stderr.contains("tls.trust"))
        #expect(ProbeExplainer.closest(to: "users.filtr", in: catalogue.map(\.id.rawValue)).first == "users.filter")
        let closest = ProbeExplainer.closest(to: "token", in: catalogue.map(\.id.rawValue))
        #expect(closest.prefix(2) == ["token.format", "token.expiry"])
    }

    @Test(
        "an error code Entra shows, or its banner text, names what Entra saw, the causes and the probes",
        arguments: [
            (
                "SystemForCrossDomainIdentityManagementServiceIncompatible", "test-connection.users",
                "--only test-connection.users,"
            ),
            ("ContosoEntryConflict", "users.filter-case", "user-lifecycle --allow-writes"),
            (
                "systemforcrossdomainidentitymanagementmultipleentriesinresponse", "groups.excluded-members",
                "--only users.filter,"
            ),
            (
                "You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account.",
                "net.dns", "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable"
            ),
        ])
    func explainsCode(_ text: String, _ probe: String, _ phrase: String) async {
        let console = FakeConsole()
        let code = await ExplainCommand(id: text, console: console, catalogue: catalogue).run()
        #expect(code == .success)
        let out = console.stdout
        for part in ["What Entra saw:", "LIKELY CAUSES", probe, phrase, "learn.microsoft.com"] {
            #expect(out.contains(part), "missing \(part) in \(out)")
        }
    }

    @Test(
        "the job's status codes and quarantine reasons: what Entra saw and the change to make in Entra",
        arguments: [
            ("Paused", "Provisioning Status to On"), ("quarantine", "Restart provisioning"),
            ("NotConfigured", "set Provisioning Mode to Automatic"),
            ("EncounteredQuarantineException", "auth.token-accepted"), ("TooManyDeletes", "pending deletions"),
            ("EncounteredTotalEscrowThreshold", "unconfirmed"),
        ])
    func explainsJobCodes(_ code: String, _ phrase: String) async {
        let console = FakeConsole()
        #expect(await ExplainCommand(id: code, console: console, catalogue: catalogue).run() == .success)
        #expect(console.stdout.contains("What Entra saw:") && console.stdout.contains(phrase), "\(console.stdout)")
    }

    @Test("an everyday word that is also a job code counts only as the whole input")
    func wholeWordCodes() {
        #expect(EntraCodeExplanation.matching("Active").first?.explanation.codes == ["Active"])
        #expect(EntraCodeExplanation.matching("the job is Active and Paused").isEmpty)
    }

    @Test("every probe an error code points to exists; every code is recognised by itself")
    func codeTableIsSound() {
        let ids = Set(catalogue.map(\.id))
        for explanation in EntraCodeExplanation.all {
            for probe in explanation.causes.compactMap(\.probe) {
                #expect(ids.contains(probe), "\(explanation.codes[0]) names \(probe), not in the catalogue")
            }
            for code in explanation.codes {
                #expect(EntraCodeExplanation.matching(code).first?.explanation.codes == explanation.codes, "\(code)")
            }
            for source in explanation.sources {
                #expect(!SourceLinks.urls(in: source).isEmpty, "\(explanation.codes[0]): no link for \(source)")
            }
        }
    }

    @Test("a typo in a command name suggests the command")
    func commandTypo() {
        #expect(throws: UsageError("unknown command 'lst'; did you mean 'list'? (see scim-doctor --help)")) {
            try ArgumentParser.parse(["lst"])
        }
        #expect(throws: UsageError("unknown command 'chek'; did you mean 'check'? (see scim-doctor --help)")) {
            try ArgumentParser.parse(["chek", "https://x"])
        }
    }
}
