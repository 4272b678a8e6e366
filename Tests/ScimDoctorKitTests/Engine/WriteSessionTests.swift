import Foundation
import Synchronization
import Testing

@testable import ScimDoctorKit

/// An in-memory SCIM server for writes: POST assigns ids, DELETE removes (unless told to keep), GET finds.
final class MemoryServer: HTTPTransport {
    private let state = Mutex<(next: Int, ids: Set<String>, log: [String])>((1, [], []))
    let keepOnDelete: Bool
    /// GET by id answers 404 even for resources that exist.
    let hiddenFromGet: Bool

    init(keepOnDelete: Bool = false, hiddenFromGet: Bool = false) {
        self.keepOnDelete = keepOnDelete
        self.hiddenFromGet = hiddenFromGet
    }

    var log: [String] { state.withLock { $0.log } }
    var ids: Set<String> { state.withLock { $0.ids } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let path = URLComponents(string: request.url)?.path ?? ""
        let id = path.split(separator: "/").last.map(String.init) ?? ""
        return state.withLock { state in
            state.log.append("\(request.method) \(path)")
            switch request.method {
            case "POST":
                let new = "id-\(state.next)"
                state.next += 1
                state.ids.insert(new)
                return HTTPResponse(status: 201, body: Data("{\"id\":\"\(new)\"}".utf8))
            case "DELETE":
                guard state.ids.contains(id) else { return HTTPResponse(status: 404) }
                if !keepOnDelete { state.ids.remove(id) }
                return HTTPResponse(status: 204)
            default:
                let found = state.ids.contains(id) && !hiddenFromGet
                return HTTPResponse(status: found ? 200 : 404, body: Data("{}".utf8))
            }
        }
    }
}

@Suite("Write session")
struct WriteSessionTests {
    func context(_ server: MemoryServer) -> ProbeContext {
        ProbeContext(
            options: CheckOptions(tenantURL: "https://scim.example.com/scim/v2", allowWrites: true),
            token: Secret("secret-token-value-123"), transport: server, resolver: ScriptedResolver(.success([])),
            writes: WriteSession(runID: "0e0e0e0e"))
    }

    @Test("only resources this run created can be changed or deleted")
    func ownership() async throws {
        let server = MemoryServer()
        let context = context(server)
        _ = try await context.create(.users, body: Data("{}".utf8), label: "a")
        await #expect(throws: ProbeError.self) { _ = try await context.delete(.users, id: "someone-else") }
        await #expect(throws: ProbeError.self) { _ = try await context.patch(.groups, id: "id-1", body: Data()) }
        _ = try await context.patch(.users, id: "id-1", body: Data("{}".utf8))
        #expect(!server.log.contains("DELETE /scim/v2/Users/someone-else"))
    }

    @Test("cleanup deletes what remains, newest first, and verifies it is gone")
    func cleanupOrder() async throws {
        let server = MemoryServer()
        let context = context(server)
        _ = try await context.create(.users, body: Data("{}".utf8), label: "first")
        _ = try await context.create(.groups, body: Data("{}".utf8), label: "second")
        let report = await context.cleanUp()
        #expect(report.leftovers.isEmpty)
        #expect(report.deleted.map(\.id) == ["id-2", "id-1"])
        #expect(server.ids.isEmpty)
        let deletes = server.log.filter { $0.hasPrefix("DELETE") }
        #expect(deletes == ["DELETE /scim/v2/Groups/id-2", "DELETE /scim/v2/Users/id-1"])
    }

    @Test("a resource that survives its DELETE is a leftover, with the command that removes it")
    func leftovers() async throws {
        let server = MemoryServer(keepOnDelete: true)
        let context = context(server)
        _ = try await context.create(.users, body: Data("{}".utf8), label: "sticky")
        let report = await context.cleanUp()
        let leftover = try #require(report.leftovers.first)
        #expect(leftover.id == "id-1")
        #expect(leftover.reason.contains("still there"))
        #expect(leftover.command.contains("curl -X DELETE"))
        #expect(leftover.command.contains("https://scim.example.com/scim/v2/Users/id-1"))
        #expect(!leftover.command.contains("secret-token-value-123"))
    }

    @Test("a resource deleted by a probe is counted once and not deleted again")
    func alreadyDeleted() async throws {
        let server = MemoryServer()
        let context = context(server)
        _ = try await context.create(.users, body: Data("{}".utf8), label: "gone")
        _ = try await context.delete(.users, id: "id-1")
        let report = await context.cleanUp()
        #expect(report.deleted.map(\.id) == ["id-1"])
        #expect(server.log.filter { $0.hasPrefix("DELETE") }.count == 1)
    }

    @Test("a resource the server hides from GET is still deleted, not silently dropped")
    func hiddenResource() async throws {
        let server = MemoryServer(hiddenFromGet: true)
        let context = context(server)
        _ = try await context.create(.users, body: Data("{}".utf8), label: "hidden")
        let report = await context.cleanUp()
        #expect(server.log.contains("DELETE /scim/v2/Users/id-1"))
        #expect(server.ids.isEmpty)
        #expect(report.deleted.map(\.id) == ["id-1"])
    }

    @Test("nothing is created without --allow-writes, whoever asks")
    func refusesWithoutAllowWrites() async throws {
        let server = MemoryServer()
        let readOnly = ProbeContext(
            options: CheckOptions(tenantURL: "https://scim.example.com/scim/v2"), token: Secret("t"),
            transport: server, resolver: ScriptedResolver(.success([])))
        await #expect(throws: ProbeError.self) {
            _ = try await readOnly.create(.users, body: Data("{}".utf8), label: "x")
        }
        #expect(server.log.isEmpty)
    }

    @Test("run tags are scim-doctor- and eight hex digits")
    func tags() {
        let id = WriteSession.newRunID()
        #expect(id.wholeMatch(of: /[0-9a-f]{8}/) != nil)
        #expect(WriteSession(runID: id).tag == "scim-doctor-\(id)")
    }
}
