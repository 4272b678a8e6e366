import Foundation
import Synchronization
import Testing

@testable import ScimDoctorKit

@Suite("progress line")
struct ProgressLineTests {
    let clear = ProgressLine.clear

    @Test("says what runs and the request timeout, and is cleared before report text and for good at the end")
    func drawsAndClears() {
        let console = FakeConsole()
        let progress = ProgressLine(
            console: console, enabled: true, requestTimeout: .seconds(30), appearsAfter: .zero, refresh: false)
        progress.running("users.list", true)
        progress.running("groups.list", true)
        progress.draw()
        #expect(console.progress.hasPrefix(clear + "running users.list (+1 more), "))
        #expect(console.progress.hasSuffix("; each request times out after 30 s"))
        progress.writeOut("Users ✓\n")
        #expect(console.progress.hasSuffix(clear) && console.stdout == "Users ✓\n")
        progress.running("users.list", false)
        progress.running("groups.list", false)
        let before = console.progress
        progress.draw()  // nothing runs: nothing to say
        #expect(console.progress == before)
        progress.activity("cleaning up the test resources")
        progress.draw()
        #expect(console.progress.contains(clear + "cleaning up the test resources … "))
        progress.stop()
        #expect(console.progress.hasSuffix(clear))
        let stopped = console.progress
        progress.draw()
        #expect(console.progress == stopped)
    }

    @Test("disabled (a pipe, a file, -v): writes nothing but the report")
    func disabled() {
        let console = FakeConsole()
        let progress = ProgressLine(
            console: console, enabled: false, requestTimeout: .seconds(30), appearsAfter: .zero, refresh: false)
        progress.running("users.list", true)
        progress.draw()
        progress.writeOut("x\n")
        progress.stop()
        #expect(console.progress.isEmpty && console.stdout == "x\n")
    }

    @Test("an interrupt in a write run says at once that cleanup has begun")
    func interruptSaysCleaningUp() async throws {
        let notes = Mutex<[String]>([])
        let control = WriteRunControl(note: { text in notes.withLock { $0.append(text) } }, exitNow: { _ in })
        control.handle(SIGINT)
        #expect(
            notes.withLock { $0 } == [
                "\nscim-doctor: SIGINT received: cleaning up the test resources this run created …\n"
            ])
    }
}
