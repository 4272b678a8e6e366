import Foundation
import Testing

@testable import ScimDoctorKit

/// `--har`: the recording transport and the HAR 1.2 file (structure, redaction, timings, bodies, failures).
@Suite("HAR writer")
struct HARWriterTests {
    static let canary = "canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    /// Every character RFC 6750's b64token allows, so its percent-encoded form differs from the raw one.
    static let special = "canary+9f8e/7d6c~5b4a.3928_1706-f5e4d3c2b1a0=="
    static let started = Date(timeIntervalSince1970: 1_780_000_000.25)

    static func run(_ token: String) -> HARWriter.Run {
        HARWriter.Run(
            tenantURL: "https://scim.example.com/scim/v2", token: Secret(token), toolVersion: "9.9.9",
            libcurl: "libcurl/test", startedAt: started)
    }

    /// The HAR as text and parsed.
    static func render(_ exchanges: [RecordedExchange], token: String = canary) throws -> (String, [String: Any]) {
        let text = HARWriter.render(exchanges, run: run(token))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return (text, try #require(object["log"] as? [String: Any]))
    }

    static func entries(_ log: [String: Any]) throws -> [[String: Any]] {
        try #require(log["entries"] as? [[String: Any]])
    }

    static func get(_ url: String, token: String? = canary, started: TimeInterval = 0) -> HTTPRequest {
        HTTPRequest(url: url, headers: [("Accept", "application/scim+json")], bearerToken: token.map { Secret($0) })
    }

    static func exchange(
        _ request: HTTPRequest, _ outcome: Result<HTTPResponse, TransportError>, at offset: TimeInterval = 0
    ) -> RecordedExchange {
        RecordedExchange(request: request, startedAt: started.addingTimeInterval(offset), outcome: outcome)
    }

    /// The forms of a secret that must never be written (as the checks' canary check (checks/lib/leaks.py) has them): raw,
    /// percent-encoded, hex, base64 and base64url at each alignment.
    static func leakForms(_ secret: String) -> [String: String] {
        let unreserved = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-~")
        var forms = [
            "raw": secret, "url-encoded": secret.addingPercentEncoding(withAllowedCharacters: unreserved) ?? secret,
            "hex": Data(secret.utf8).map { String(format: "%02x", $0) }.joined(),
            "base64(Bearer)": Data("Bearer \(secret)".utf8).base64EncodedString(),
        ]
        for (index, core) in Redactor.base64Cores(Data(secret.utf8)).enumerated() {
            forms["base64 #\(index)"] = core
        }
        return forms
    }

    static func expectNoLeak(_ text: String, _ secret: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (form, needle) in leakForms(secret) {
            #expect(
                !text.lowercased().contains(needle.lowercased()), "the token leaked (\(form))",
                sourceLocation: sourceLocation)
        }
    }

    // MARK: Structure

    @Test("HAR 1.2 structure: log, creator, page, entries with every required member, oldest first")
    func structure() throws {
        let post = HTTPRequest(
            method: "POST", url: "https://scim.example.com/scim/v2/Users",
            headers: [("Content-Type", "application/scim+json")], bearerToken: Secret(Self.canary),
            body: Data(#"{"userName":"ada@example.com"}"#.utf8))
        let created = HTTPResponse(
            status: 201, headers: [("Content-Type", "application/scim+json"), ("Location", "/scim/v2/Users/1")],
            body: Data(#"{"id":"1"}"#.utf8), primaryIP: "192.0.2.1",
            timings: Timings(nameLookup: 0.001, connect: 0.002, tlsHandshake: 0.005, firstByte: 0.009, total: 0.010),
            sentHeaders: "POST /scim/v2/Users HTTP/1.1\nHost: scim.example.com\nContent-Type: application/scim+json")
        let list = HTTPResponse(
            status: 200, headers: [("Content-Type", "application/scim+json")], body: Data(#"{"totalResults":0}"#.utf8))
        let (_, log) = try Self.render([
            Self.exchange(
                Self.get("https://scim.example.com/scim/v2/Users?filter=userName+eq+%22x%22"), .success(list)),
            Self.exchange(post, .success(created), at: -1),
        ])
        #expect(log["version"] as? String == "1.2")
        let creator = try #require(log["creator"] as? [String: Any])
        #expect(creator["name"] as? String == "scim-doctor")
        #expect(creator["version"] as? String == "9.9.9")
        let pages = try #require(log["pages"] as? [[String: Any]])
        #expect(pages.first?["id"] as? String == "scim-doctor")
        let entries = try Self.entries(log)
        #expect(entries.count == 2)
        for entry in entries {
            for key in ["startedDateTime", "time", "request", "response", "cache", "timings"] {
                #expect(entry[key] != nil, "entry lacks \(key)")
            }
            #expect(entry["pageref"] as? String == "scim-doctor")
            #expect((entry["cache"] as? [String: Any])?.isEmpty == true)
            let request = try #require(entry["request"] as? [String: Any])
            for key in ["method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize"]
            {
                #expect(request[key] != nil, "request lacks \(key)")
            }
            let response = try #require(entry["response"] as? [String: Any])
            for key in [
                "status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL", "headersSize",
                "bodySize",
            ] {
                #expect(response[key] != nil, "response lacks \(key)")
            }
            let content = try #require(response["content"] as? [String: Any])
            #expect(content["size"] is Int && content["mimeType"] is String)
            let timings = try #require(entry["timings"] as? [String: Double])
            for key in ["send", "wait", "receive"] { #expect((timings[key] ?? -1) >= 0, "timings.\(key)") }
        }
        // Oldest first: the POST started a second earlier.
        let first = try #require(entries.first?["request"] as? [String: Any])
        #expect(first["method"] as? String == "POST")
        #expect(entries.first?["startedDateTime"] as? String == "2026-05-28T20:26:39.250Z")
        #expect(entries.first?["serverIPAddress"] as? String == "192.0.2.1")
        // The wire headers (from libcurl's record of them) and the body sent.
        let headers = try #require(first["headers"] as? [[String: String]])
        #expect(headers.contains { $0["name"] == "Host" && $0["value"] == "scim.example.com" })
        let postData = try #require(first["postData"] as? [String: Any])
        #expect(postData["mimeType"] as? String == "application/scim+json")
        #expect(postData["text"] as? String == #"{"userName":"ada@example.com"}"#)
        #expect(first["bodySize"] as? Int == 30)
        let firstResponse = try #require(entries.first?["response"] as? [String: Any])
        #expect(firstResponse["status"] as? Int == 201)
        #expect(firstResponse["httpVersion"] as? String == "HTTP/1.1")
        let firstContent = try #require(firstResponse["content"] as? [String: Any])
        #expect(firstContent["text"] as? String == #"{"id":"1"}"#)
        #expect(firstContent["mimeType"] as? String == "application/scim+json")
        // The query, decoded as a browser shows it.
        let second = try #require(entries.last?["request"] as? [String: Any])
        let query = try #require(second["queryString"] as? [[String: String]])
        #expect(query == [["name": "filter", "value": "userName eq \"x\""]])
    }

    // MARK: Redaction

    @Test(
        "the token is redacted everywhere: Authorization, URL, query, headers, cookies, bodies, errors",
        arguments: [canary, special])
    func redaction(token: String) throws {
        let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
        let base64 = Data(token.utf8).base64EncodedString()
        let hex = Data(token.utf8).map { String(format: "%02X", $0) }.joined()
        var request = Self.get(
            "https://scim.example.com/scim/v2/Users?access_token=\(encoded)&raw=\(token)#\(token)", token: token)
        request.headers.append(("X-Echo", token))
        request.body = Data("{\"secret\":\"\(token)\"}".utf8)
        // A transport that did not redact what it recorded: the writer must not rely on it.
        var binary = Data([0xFF, 0xFE, 0x00]) + Data(token.utf8) + Data([0xC3, 0x28])
        binary += Data(repeating: 0x80, count: 7)
        let response = HTTPResponse(
            status: 401,
            headers: [
                ("WWW-Authenticate", "Bearer error=\"invalid_token\", token=\"\(token)\""),
                ("Set-Cookie", "session=\(base64); Path=/; HttpOnly; Secure"), ("X-Hex", hex),
                ("Location", "https://login.example.com/?t=\(encoded)"),
            ],
            body: Data("{\"detail\":\"bad token \(token.uppercased()) / \(encoded) / \(base64)\"}".utf8),
            sentHeaders: "GET /scim/v2/Users?access_token=\(encoded) HTTP/1.1\nHost: x\nAuthorization: Bearer \(token)")
        let binaryResponse = HTTPResponse(
            status: 200, headers: [("Content-Type", "application/octet-stream")], body: binary)
        let failure = TransportError(kind: .timeout, code: 28, message: "timed out reading \(token)")
        let (text, log) = try Self.render(
            [
                Self.exchange(request, .success(response)),
                Self.exchange(request, .success(binaryResponse), at: 1),
                Self.exchange(request, .failure(failure), at: 2),
            ], token: token)
        Self.expectNoLeak(text, token)
        let fingerprint = Secret(token).description
        let entries = try Self.entries(log)
        #expect(entries.count == 3)
        for entry in entries {
            let request = try #require(entry["request"] as? [String: Any])
            let headers = try #require(request["headers"] as? [[String: String]])
            let authorization = headers.filter { $0["name"]?.lowercased() == "authorization" }
            #expect(authorization.map { $0["value"] } == ["Bearer \(fingerprint)"])
            #expect((request["url"] as? String)?.contains("#") == false)
        }
        // The binary body is still base64 of the bytes around the marker.
        let content = try #require((entries[1]["response"] as? [String: Any])?["content"] as? [String: Any])
        #expect(content["encoding"] as? String == "base64")
        let bodyText = try #require(content["text"] as? String)
        let bytes = try #require(Data(base64Encoded: bodyText))
        #expect(bytes.starts(with: Data([0xFF, 0xFE, 0x00]) + Data(Secret(token).description.utf8)))
        let cookies = try #require((entries[0]["response"] as? [String: Any])?["cookies"] as? [[String: Any]])
        #expect(cookies.first?["name"] as? String == "session")
        #expect(cookies.first?["httpOnly"] as? Bool == true)
    }

    // MARK: Timings

    @Test("libcurl's cumulative times become HAR's phases in ms (ssl inside connect, -1 where n/a)")
    func timings() {
        let https = HARWriter.phases(
            Timings(nameLookup: 0.001, connect: 0.004, tlsHandshake: 0.010, firstByte: 0.025, total: 0.030),
            secure: true, failure: nil)
        #expect(
            [https.blocked, https.dns, https.connect, https.ssl, https.send, https.wait, https.receive]
                == [-1, 1, 9, 6, 0, 15, 5])
        #expect(https.total == 30)
        let http = HARWriter.phases(
            Timings(nameLookup: 0.0005, connect: 0.0015, firstByte: 0.0105, total: 0.0125), secure: false,
            failure: nil)
        #expect([http.dns, http.connect, http.ssl, http.wait, http.receive] == [0.5, 1, -1, 9, 2])
        #expect(http.total == 12.5)
        // A scripted answer has no timings at all.
        let none = HARWriter.phases(Timings(), secure: true, failure: nil)
        #expect([none.blocked, none.dns, none.connect, none.ssl] == [-1, -1, -1, -1] && none.total == 0)
    }

    @Test("a failure's time goes to the phase that did not complete")
    func failureTimings() {
        let resolve = HARWriter.phases(Timings(total: 0.5), secure: true, failure: .resolve)
        #expect([resolve.dns, resolve.connect, resolve.ssl, resolve.wait] == [500, -1, -1, 0])
        let refused = HARWriter.phases(Timings(nameLookup: 0.001, total: 0.003), secure: false, failure: .refused)
        #expect([refused.dns, refused.connect, refused.wait] == [1, 2, 0])
        let tlsStall = HARWriter.phases(
            Timings(nameLookup: 0.001, connect: 0.002, total: 3.002), secure: true, failure: .tlsHandshake)
        #expect([tlsStall.connect, tlsStall.ssl, tlsStall.wait] == [3001, 3000, 0])
        #expect(tlsStall.total == 3002)
        let slow = HARWriter.phases(
            Timings(nameLookup: 0.001, connect: 0.002, total: 30.002), secure: false, failure: .timeout)
        #expect([slow.connect, slow.wait, slow.receive] == [1, 30000, 0])
        let trickle = HARWriter.phases(
            Timings(nameLookup: 0.001, connect: 0.002, firstByte: 0.004, total: 5.004), secure: false,
            failure: .timeout)
        #expect([trickle.wait, trickle.receive] == [2, 5000])
    }

    @Test("an entry's time is the sum of its phases, and the HAR carries them")
    func entryTime() throws {
        let response = HTTPResponse(
            status: 200,
            timings: Timings(
                nameLookup: 0.001, connect: 0.004, tlsHandshake: 0.010, firstByte: 0.025,
                total: 0.030))
        let (_, log) = try Self.render([Self.exchange(Self.get("https://scim.example.com/x"), .success(response))])
        let entry = try #require(try Self.entries(log).first)
        #expect(entry["time"] as? Double == 30)
        let timings = try #require(entry["timings"] as? [String: Double])
        #expect(timings == ["blocked": -1, "dns": 1, "connect": 9, "ssl": 6, "send": 0, "wait": 15, "receive": 5])
    }

    // MARK: Bodies

    @Test("bodies are cut at 64 KiB in the file, on a character boundary, and marked")
    func boundedBodies() throws {
        let long = String(repeating: "é", count: HARWriter.maxBodyBytes)  // 2 bytes each: the cut falls mid-way
        let cut = HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Data(long.utf8))
        var read = HTTPResponse(status: 200, body: Data(repeating: 0x61, count: 1 << 20), bodyTruncated: true)
        read.headers = [("Content-Type", "application/scim+json")]
        let binary = HTTPResponse(status: 200, body: Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 | 0x80) }))
        let small = HTTPResponse(status: 200, body: Data("ok".utf8))
        let (_, log) = try Self.render([
            Self.exchange(Self.get("https://s.example/a"), .success(cut)),
            Self.exchange(Self.get("https://s.example/b"), .success(read), at: 1),
            Self.exchange(Self.get("https://s.example/c"), .success(binary), at: 2),
            Self.exchange(Self.get("https://s.example/d"), .success(small), at: 3),
        ])
        let contents = try Self.entries(log).map {
            try #require(($0["response"] as? [String: Any])?["content"] as? [String: Any])
        }
        let text = try #require(contents[0]["text"] as? String)
        #expect(text.utf8.count <= HARWriter.maxBodyBytes && text.utf8.count >= HARWriter.maxBodyBytes - 1)
        #expect(text.allSatisfy { $0 == "é" })
        #expect(contents[0]["_truncated"] as? Bool == true)
        #expect(contents[0]["size"] as? Int == 2 * HARWriter.maxBodyBytes)
        #expect((contents[0]["comment"] as? String)?.contains("only the first 65536 bytes") == true)
        #expect((contents[1]["comment"] as? String)?.contains("read only the first 1048576") == true)
        #expect((contents[1]["text"] as? String)?.utf8.count == HARWriter.maxBodyBytes)
        #expect(contents[2]["encoding"] as? String == "base64")
        let encoded = try #require(contents[2]["text"] as? String)
        let bytes = try #require(Data(base64Encoded: encoded))
        #expect(bytes.count == HARWriter.maxBodyBytes && contents[2]["_truncated"] as? Bool == true)
        #expect(contents[3]["text"] as? String == "ok" && contents[3]["_truncated"] == nil)
        #expect(contents[3]["comment"] == nil)
    }

    // MARK: The recording transport

    @Test("connect-only exchanges (TCP/TLS handshakes) are not recorded; HTTP ones are, in start order")
    func connectOnlyExcluded() async throws {
        let scripted = ScriptedTransport([
            .connect(.handshake(TLSSession(version: "TLSv1.2"))),
            .get("/scim/v2/Users", .json(200, #"{"Resources":[]}"#)),
        ])
        let recorder = RecordingTransport(scripted)
        _ = try await recorder.send(HTTPRequest(url: "https://scim.example.com/scim/v2", connectOnly: true))
        _ = try await recorder.send(Self.get("https://scim.example.com/scim/v2/Users"))
        #expect(await scripted.requests.count == 2)
        #expect(recorder.exchanges.count == 1)
        let (_, log) = try Self.render(recorder.exchanges)
        #expect(try Self.entries(log).count == 1)
    }

    @Test("a transport failure is rethrown unchanged and written honestly: status 0 and _error")
    func transportFailure() async throws {
        let refused = TransportError(
            kind: .refused, code: 7, message: "Failed to connect to 127.0.0.1 port 9: Connection refused",
            timings: Timings(nameLookup: 0.0001, total: 0.0003))
        let recorder = RecordingTransport(ScriptedTransport([.anyRequest(.failure(refused))]))
        await #expect(throws: refused) {
            try await recorder.send(Self.get("http://127.0.0.1:9/scim/v2/Users"))
        }
        let (_, log) = try Self.render(recorder.exchanges)
        let entry = try #require(try Self.entries(log).first)
        let response = try #require(entry["response"] as? [String: Any])
        #expect(response["status"] as? Int == 0)
        #expect(response["_error"] as? String == "libcurl error 7: \(refused.message)")
        #expect(response["bodySize"] as? Int == -1 && response["statusText"] as? String == "")
        #expect((response["content"] as? [String: Any])?["size"] as? Int == 0)
        let timings = try #require(entry["timings"] as? [String: Double])
        #expect(timings["connect"] == 0.2 && timings["dns"] == 0.1 && timings["ssl"] == -1)
        // No wire record: the headers scim-doctor set, the token as its fingerprint.
        let headers = try #require((entry["request"] as? [String: Any])?["headers"] as? [[String: String]])
        #expect(headers.contains { $0["name"] == "Authorization" && $0["value"] == "Bearer \(Secret(Self.canary))" })
    }
}

/// `check --har FILE`: wiring, validation before any request, and the file of a real (scripted) run.
@Suite("check --har")
struct CheckHARTests {
    static let canary = HARWriterTests.canary

    /// Sends one TLS handshake and one authorized GET, as the real probes do.
    struct SendingProbe: Probe {
        let description = ProbeDescription(
            id: "url.x", section: .tenantURL, title: "sends", checks: "test", examples: [])
        func run(_ context: ProbeContext) async throws -> Verdict {
            _ = await context.send(HTTPRequest(url: "https://a.example/scim", connectOnly: true))
            let request = context.request(url: "https://a.example/scim/Users?filter=userName+eq+%22x%22")
            guard case .success(let response) = await context.send(request) else { return .fail("no", fix: "f") }
            return response.status == 200 ? .pass("ok") : .fail("status \(response.status)", fix: "f")
        }
    }

    func command(_ arguments: [String], transport: ScriptedTransport, console: FakeConsole) throws -> CheckCommand {
        guard case .check(let parsed) = try ArgumentParser.parse(["check", "https://a.example/scim"] + arguments)
        else { throw ProbeError("not a check invocation") }
        return CheckCommand(
            arguments: parsed, console: console, transport: transport, resolver: ScriptedResolver(.success([])),
            libcurlVersion: "libcurl/test", catalogue: [SendingProbe()])
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("har-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("--har is parsed")
    func parsed() throws {
        guard case .check(let arguments) = try ArgumentParser.parse(["check", "https://a.example", "--har", "t.har"])
        else { throw ProbeError("not check") }
        #expect(arguments.har == "t.har")
        #expect(Help.check.contains("--har <path>"))
    }

    @Test("--har writes every HTTP exchange of the run, without the token; the report is unchanged")
    func writesFile() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("trace.har").path
        let transport = ScriptedTransport([
            .connect(.handshake(nil)),
            .get("/scim/Users", .json(200, "{\"echo\":\"\(Self.canary)\"}")),
        ])
        let console = FakeConsole(environment: ["SCIM_TOKEN": Self.canary])
        let code = try await command(["--har", path, "--format", "json"], transport: transport, console: console)
            .run()
        #expect(code == .success)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        HARWriterTests.expectNoLeak(text, Self.canary)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let log = try #require(object["log"] as? [String: Any])
        #expect(log["version"] as? String == "1.2")
        let entries = try #require(log["entries"] as? [[String: Any]])
        #expect(entries.count == 1)  // the handshake is not HTTP
        #expect(entries.first?["comment"] as? String == "sent by \(SendingProbe().id.rawValue)")
        #expect(console.stderr.contains("HAR trace written to \(path) (1 HTTP exchange, token redacted)"))
        #expect(console.stdout.contains("\"schemaVersion\""))
    }

    @Test("-v names the probe that sent each request")
    func verboseNamesTheProbe() async throws {
        let transport = ScriptedTransport([.connect(.handshake(nil)), .get("/scim/Users", .json(200, "{}"))])
        let console = FakeConsole(environment: ["SCIM_TOKEN": Self.canary])
        _ = try await command(["-v", "--format", "json"], transport: transport, console: console).run()
        #expect(console.stderr.contains("> [\(SendingProbe().id.rawValue)] GET https://a.example/scim/Users"))
    }

    @Test(
        "--har is checked before any request",
        arguments: [
            (["--har", "/nonexistent-dir/trace.har"], "cannot write --har"),
            (["--har", "/tmp"], "is a directory"),
            (["--har", "/tmp/same-file", "--output", "/tmp/same-file"], "the same file"),
        ])
    func validation(extra: [String], message: String) async throws {
        let transport = ScriptedTransport([])
        let console = FakeConsole(environment: ["SCIM_TOKEN": Self.canary])
        let code = try await command(extra, transport: transport, console: console).run()
        #expect(code == .usage)
        #expect(console.stderr.hasPrefix("error: ") && console.stderr.contains(message))
        #expect(console.stderr.split(separator: "\n").count == 1)
        #expect(await transport.requests.isEmpty)
    }
}
