import Foundation
import ScimDoctorKit
import Testing

@testable import CurlTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loopback integration tests: real libcurl against small Python servers on 127.0.0.1, port 0.
@Suite("CurlTransport on loopback", .enabled(if: Tools.available, "needs python3 and openssl"))
struct CurlTransportTests {
    let transport = CurlTransport()
    let token = Secret("s3cr3t-token-value-ABCD1234")

    @Test func plainGetReturnsStatusHeadersBodyAndRedactsTheToken() async throws {
        let server = try await TestServer.start(
            mode: "http", expectedAuthorization: "Bearer \(token.reveal())")
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(
                url: server.url("/Users?x=1"), headers: [("Accept", "application/scim+json")],
                bearerToken: token))

        #expect(response.status == 200)
        #expect(response.header("x-test") == "yes")
        #expect(response.contentType == "application/json")
        #expect(response.primaryIP == "127.0.0.1")
        #expect(response.tls == nil)
        #expect(response.timings.total > 0)
        let echo = try Echo.decode(response.body)
        #expect(echo.method == "GET" && echo.path == "/Users?x=1")
        #expect(echo.authMatches)
        #expect(echo.authorizationCount == 1)
        #expect(!echo.headerNames.map { $0.lowercased() }.contains("expect"))

        #expect(response.sentHeaders.hasPrefix("GET /Users?x=1 HTTP/1.1"))
        #expect(response.sentHeaders.contains("Accept: application/scim+json"))
        #expect(response.sentHeaders.contains("Authorization: Bearer \(token.description)"))
        #expect(!response.sentHeaders.contains(token.reveal()))
        #expect(!String(describing: response).contains(token.reveal()))
    }

    @Test func requestsWithTheTokenShareOneConnection() async throws {
        let server = try await TestServer.start(mode: "http")
        defer { server.stop() }
        var responses: [HTTPResponse] = []
        for path in ["/a", "/b", "/c"] {
            responses.append(try await transport.send(HTTPRequest(url: server.url(path), bearerToken: token)))
        }
        let ports = try responses.map { try Echo.decode($0.body).clientPort }
        #expect(Set(ports).count == 1, "the server saw \(Set(ports).count) connections")
        #expect(responses.map(\.reusedConnection) == [false, true, true])
        #expect(Set(responses.map(\.connection)).count == 1 && responses[0].connection.hasPrefix("127.0.0.1:"))
    }

    @Test func unauthenticatedRequestsKeepTheirOwnConnection() async throws {
        let server = try await TestServer.start(mode: "http")
        defer { server.stop() }
        let first = try await transport.send(HTTPRequest(url: server.url("/a"), bearerToken: token))
        let anonymous = try await transport.send(HTTPRequest(url: server.url("/b")))
        let again = try await transport.send(HTTPRequest(url: server.url("/c"), bearerToken: token))
        let ports = try [first, anonymous, again].map { try Echo.decode($0.body).clientPort }
        #expect(ports[1] != ports[0] && ports[1] != ports[2])
        #expect(!anonymous.reusedConnection)
    }

    /// libcurl resends a request whose reused connection dies before the answer; a write must never go twice.
    @Test func aWriteIsSentOnceWhenTheServerDropsTheConnection() async throws {
        let server = try await TestServer.start(mode: "http")
        defer { server.stop() }
        _ = try await transport.send(HTTPRequest(url: server.url("/warm"), bearerToken: token))
        let write = HTTPRequest(method: "POST", url: server.url("/drop"), bearerToken: token, body: Data("{}".utf8))
        let error = await sendExpectingError(write)
        #expect(error != nil, "a dropped connection is an error, not a response")
        let count = try await transport.send(HTTPRequest(url: server.url("/count"), bearerToken: token))
        let posts = try JSONDecoder().decode([String: Int].self, from: count.body)["posts"]
        #expect(posts == 1, "the server received the POST \(posts ?? 0) times")
    }

    @Test func lineBreaksNeverReachAHeaderLine() async throws {
        let injected = Secret("abcdefgh\r\nX-Injected: yes")
        let server = try await TestServer.start(
            mode: "http", expectedAuthorization: "Bearer abcdefghX-Injected: yes")
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(
                url: server.url("/"), headers: [("X-Note", "one\r\nX-Injected-Too: 1")],
                bearerToken: injected))

        let echo = try Echo.decode(response.body)
        #expect(echo.authMatches)
        let names = echo.headerNames.map { $0.lowercased() }
        #expect(!names.contains("x-injected") && !names.contains("x-injected-too"))
        #expect(!response.sentHeaders.contains("abcdefgh"))
        #expect(response.sentHeaders.contains(injected.description))
    }

    @Test func bodiesAndMethods() async throws {
        let server = try await TestServer.start(mode: "http")
        defer { server.stop() }
        let patch = #"{"Operations":[{"op":"replace","value":{"active":false}}]}"#
        let patchRequest = HTTPRequest(
            method: "PATCH", url: server.url("/Users/1"), body: Data(patch.utf8))
        let patched = try Echo.decode(try await transport.send(patchRequest).body)
        #expect(patched.method == "PATCH" && patched.body == patch)

        let postRequest = HTTPRequest(method: "POST", url: server.url("/"), body: Data())
        let posted = try Echo.decode(try await transport.send(postRequest).body)
        #expect(posted.method == "POST" && posted.bodyLength == 0)

        let deleteRequest = HTTPRequest(method: "DELETE", url: server.url("/Users/1"))
        let deleted = try Echo.decode(try await transport.send(deleteRequest).body)
        #expect(deleted.method == "DELETE" && deleted.bodyLength == 0)
    }

    @Test func refusedPort() async throws {
        let error = await sendExpectingError(
            HTTPRequest(url: "http://127.0.0.1:\(try closedPort())/"))
        #expect(error?.kind == .refused)
        #expect(error?.code == 7)
    }

    @Test func silentServerTimesOut() async throws {
        let server = try await TestServer.start(mode: "silent")
        defer { server.stop() }
        let start = ContinuousClock.now
        let error = await sendExpectingError(
            HTTPRequest(url: server.url("/"), bearerToken: token, timeout: .seconds(1)))
        #expect(ContinuousClock.now - start < .seconds(2.5))
        #expect(error?.kind == .timeout)
        #expect(error?.code == 28)
        #expect(error?.message.contains(token.reveal()) == false)
    }

    @Test func fullBacklogIsAConnectTimeout() async throws {
        let server = try await TestServer.start(mode: "full")
        defer { server.stop() }
        let start = ContinuousClock.now
        let error = await sendExpectingError(
            HTTPRequest(url: server.url("/"), connectTimeout: .seconds(1), timeout: .seconds(5)))
        #expect(ContinuousClock.now - start < .seconds(2.5))
        #expect(error?.kind == .connectTimeout)
        #expect(error?.code == 28)
    }

    @Test func echoedTokenIsRedactedInHeadersAndBody() async throws {
        let server = try await TestServer.start(mode: "http")
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(url: server.url("/reflect"), bearerToken: token))
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body.contains(token.description) && !body.contains(token.reveal()))
        #expect(response.header("X-Reflected") == "Bearer \(token.description)")
    }

    @Test func cancellationAbortsTheTransfer() async throws {
        let server = try await TestServer.start(mode: "silent")
        defer { server.stop() }
        let start = ContinuousClock.now
        let request = HTTPRequest(url: server.url("/"), timeout: .seconds(20))
        let task = Task { await sendExpectingError(request) }
        task.cancel()
        let error = await task.value
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(error?.code == 42)
        #expect(error?.message.hasPrefix("cancelled") == true)
    }

    @Test func bodyOverTheCapIsTruncatedNotAnError() async throws {
        let server = try await TestServer.start(mode: "http")
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(url: server.url("/big"), maxBodyBytes: 1000))
        #expect(response.status == 200)
        #expect(response.bodyTruncated)
        #expect(response.body.count == 1000)

        let whole = try await transport.send(
            HTTPRequest(url: server.url("/big"), maxBodyBytes: 100_000))
        #expect(!whole.bodyTruncated && whole.body.count == 100_000)
    }

    @Test func invalidURLs() async {
        #expect(await sendExpectingError(HTTPRequest(url: "ftp://127.0.0.1/"))?.kind == .invalidURL)
        #expect(await sendExpectingError(HTTPRequest(url: "http://[oops/"))?.kind == .invalidURL)
    }

    @Test func versionDescriptionNamesLibcurlAndTLS() {
        #expect(CurlTransport.versionDescription.hasPrefix("libcurl/"))
        #expect(CurlTransport.versionDescription.split(separator: " ").count == 2)
    }

    // MARK: TLS

    @Test func selfSignedCertificateFailsVerification() async throws {
        let server = try await TestServer.start(https: .rsa)
        defer { server.stop() }
        let error = await sendExpectingError(
            HTTPRequest(url: server.url("/", scheme: "https"), bearerToken: token))
        #expect(error?.kind == .tlsVerify)
        #expect(error?.code == 60)
        #expect(
            error?.message.contains("self-signed") == true
                || error?.message.contains("self signed") == true)
        #expect(error?.verifyResult == 18)  // X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    }

    @Test func caFileIsTrusted() async throws {
        let server = try await TestServer.start(https: .rsa)
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(
                url: server.url("/", scheme: "https"), tls: TLSOptions(caFile: server.certificate)))
        #expect(response.status == 200)
        #expect(response.tls?.version.hasPrefix("TLSv1.") == true)
        // The chain is read for the TLS probes' connect-only requests only (below).
        #expect(response.tls?.certificates.isEmpty == true)
    }

    @Test func connectOnlyReportsTheSessionAndCertificate() async throws {
        let server = try await TestServer.start(https: .rsa)
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(
                url: server.url("/", scheme: "https"), bearerToken: token, connectOnly: true,
                tls: TLSOptions(verify: false)))

        #expect(response.status == 0)
        #expect(response.sentHeaders.isEmpty)
        #expect(response.timings.tlsHandshake > 0)
        let tls = try #require(response.tls)
        #expect(tls.version.hasPrefix("TLSv1."))
        #expect(!tls.cipher.isEmpty)
        #expect(tls.certificates.count == 1)
        let leaf = try #require(tls.certificates.first)
        #expect(leaf.subject.contains("CN = localhost"))
        #expect(leaf.issuer == leaf.subject)
        #expect(leaf.notAfter.hasSuffix("GMT"))
        #expect(!leaf.notBefore.isEmpty)
        #expect(leaf.subjectAltNames.contains("DNS:localhost"))
        #expect(leaf.subjectAltNames.contains("127.0.0.1"))
        #expect(leaf.publicKeyAlgorithm == "rsaEncryption")
        #expect(leaf.rsaKeyBits == 2048)
        #expect(leaf.pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
    }

    /// A connection a request of the same TLS configuration opens later (the token-less requests', a write's)
    /// resumes the first one's session; a connect-only handshake (a TLS probe) is always a full one. Under TLS 1.2
    /// the session comes with the handshake, so a connect-only one would have one to leave.
    @Test(arguments: [nil, TLSVersion.tls12])
    func newConnectionsResumeTheTLSSessionConnectOnlyHandshakesDoNot(maxVersion: TLSVersion?) async throws {
        let server = try await TestServer.start(https: .rsa)
        defer { server.stop() }
        let tls = TLSOptions(caFile: server.certificate, maxVersion: maxVersion)
        let url = server.url("/", scheme: "https")
        _ = try await transport.send(HTTPRequest(url: url, bearerToken: token, connectOnly: true, tls: tls))
        let first = try await transport.send(HTTPRequest(url: url, bearerToken: token, tls: tls))
        // The write before the token-less request, whose connection closes: libcurl asks for no TLS 1.2 tickets, so
        // resuming needs the server's session cache, and Python's server drops a session from it when it closes a
        // connection without close_notify.
        let write = try await transport.send(
            HTTPRequest(method: "POST", url: url, bearerToken: token, body: Data("{}".utf8), tls: tls))
        let anonymous = try await transport.send(HTTPRequest(url: url, tls: tls))
        let echoes = try [first, write, anonymous].map { try Echo.decode($0.body) }
        #expect(Set(echoes.map(\.clientPort)).count == 3, "three connections")
        #expect(echoes.map(\.tlsSessionReused) == [false, true, true])
        #expect(write.tls?.version.hasPrefix("TLSv1.") == true)
        let counted = try await transport.send(
            HTTPRequest(url: server.url("/handshakes", scheme: "https"), bearerToken: token, tls: tls))
        let handshakes = try JSONDecoder().decode([String: Int].self, from: counted.body)
        #expect(handshakes == ["full": 2, "resumed": 2], "the connect-only one and the first request's are full")
    }

    @Test func pinnedVersionAndCipherAreNegotiated() async throws {
        let server = try await TestServer.start(https: .rsa)
        defer { server.stop() }
        let tls = TLSOptions(
            verify: false, minVersion: .tls12, maxVersion: .tls12,
            cipherList: "ECDHE-RSA-AES128-GCM-SHA256")
        let response = try await transport.send(
            HTTPRequest(url: server.url("/", scheme: "https"), connectOnly: true, tls: tls))
        #expect(response.tls?.version == "TLSv1.2")
        #expect(response.tls?.cipher == "ECDHE-RSA-AES128-GCM-SHA256")
    }

    @Test func ecCertificateHasNoRSAKeySize() async throws {
        let server = try await TestServer.start(https: .ec)
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(
                url: server.url("/", scheme: "https"), connectOnly: true,
                tls: TLSOptions(verify: false)))
        let leaf = try #require(response.tls?.certificates.first)
        #expect(leaf.publicKeyAlgorithm == "id-ecPublicKey")
        #expect(leaf.rsaKeyBits == nil)
    }

    @Test func tls13OnlyServerRefusesATLS12Client() async throws {
        let server = try await TestServer.start(https: .rsa, tls13Only: true)
        defer { server.stop() }
        let error = await sendExpectingError(
            HTTPRequest(
                url: server.url("/", scheme: "https"), connectOnly: true,
                tls: TLSOptions(verify: false, maxVersion: .tls12)))
        #expect(error?.kind == .tlsHandshake)
        #expect(error?.code == 35)
    }

    private func sendExpectingError(_ request: HTTPRequest) async -> TransportError? {
        do {
            let response = try await transport.send(request)
            Issue.record("expected a TransportError, got status \(response.status)")
            return nil
        } catch {
            return error
        }
    }
}

@Suite("TrustStore")
struct TrustStoreTests {
    static func block(_ body: String) -> String {
        "-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----"
    }

    @Test("--ca-file adds only the certificates the system bundle lacks (whitespace aside)")
    func addsOnlyNewCertificates() {
        let system = "# bundle\n" + Self.block("AAAA\nBBBB") + "\n" + Self.block("CCCC") + "\n"
        let added = Self.block("AAAA\r\nBBBB ") + "\ntext between\n" + Self.block("DDDD") + "\n" + Self.block("CCCC")
        #expect(TrustStore.newCertificates(added, notIn: system) == Self.block("DDDD") + "\n")
        #expect(TrustStore.newCertificates(system, notIn: system).isEmpty)
        #expect(TrustStore.newCertificates("not PEM at all", notIn: system).isEmpty)
    }

    @Test("a hashed directory is the system store; a bundle stands in for it only where there is none")
    func settings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = directory.appendingPathComponent("bundle.pem").path
        let caFile = directory.appendingPathComponent("ca.pem").path
        try Data((Self.block("AAAA") + "\n").utf8).write(to: URL(fileURLWithPath: bundle))
        try Data((Self.block("BBBB") + "\n").utf8).write(to: URL(fileURLWithPath: caFile))
        // Only OpenSSL's hash links make a directory one OpenSSL can look issuers up in.
        #expect(!TrustStore.isHashedDirectory(directory.path))
        #expect(!TrustStore.isHashedDirectory(directory.appendingPathComponent("missing").path))
        try Data().write(to: directory.appendingPathComponent("0123abcd.0"))
        #expect(TrustStore.isHashedDirectory(directory.path))
        #expect(["5ad8a5d6.0", "5ad8a5d6.12"].allSatisfy(TrustStore.isHashName))
        #expect(
            !["5ad8a5d6.r0", "5ad8a5d.0", "ca-certificates.crt", "5ad8a5d6.", "5ad8a5d6", "５ad8a5d6.0", "5ad8a5d6.１"]
                .contains(
                    where: TrustStore.isHashName))

        #expect(
            TrustStore.settings(adding: caFile, directory: "/etc/ssl/certs", bundle: bundle)
                == .directory("/etc/ssl/certs", caFile: caFile))
        #expect(TrustStore.settings(adding: nil, directory: nil, bundle: bundle) == .file(bundle))
        #expect(TrustStore.settings(adding: caFile, directory: nil, bundle: nil) == .file(caFile))
        #expect(TrustStore.settings(adding: nil, directory: nil, bundle: nil) == .libcurlDefaults)
        guard case .file(let combined) = TrustStore.settings(adding: caFile, directory: nil, bundle: bundle) else {
            Issue.record("no combined file")
            return
        }
        let text = try String(contentsOfFile: combined, encoding: .utf8)
        #expect(text.contains("AAAA") && text.contains("BBBB"))
    }
}

@Suite("SystemResolver")
struct SystemResolverTests {
    @Test func resolvesLocalhost() async throws {
        let addresses = try await SystemResolver().resolve(host: "localhost")
        #expect(addresses.contains("127.0.0.1"))
        #expect(Set(addresses).count == addresses.count)
    }

    @Test func resolvesAddressLiterals() async throws {
        #expect(try await SystemResolver().resolve(host: "127.0.0.1") == ["127.0.0.1"])
        #expect(try await SystemResolver().resolve(host: "[::1]") == ["::1"])
    }

    @Test func failsOnAnInvalidName() async {
        do {
            let addresses = try await SystemResolver(timeout: .seconds(5)).resolve(
                host: "nonexistent.invalid")
            Issue.record("resolved nonexistent.invalid to \(addresses)")
        } catch {
            #expect(error.kind == .resolve)
            #expect(!error.message.isEmpty)
        }
    }
}

// MARK: Fixtures

/// The JSON the test server returns for everything but /big and /reflect.
private struct Echo: Decodable {
    var method: String
    var path: String
    var authMatches: Bool
    var authorizationCount: Int
    var headerNames: [String]
    var bodyLength: Int
    var body: String
    /// The client's port: requests with the same one came on one connection.
    var clientPort: Int
    /// The connection's TLS handshake resumed an earlier session (false over http).
    var tlsSessionReused: Bool

    static func decode(_ data: Data) throws -> Echo {
        try JSONDecoder().decode(Echo.self, from: data)
    }
}

private enum Tools {
    static let available = path(of: "python3") != nil && path(of: "openssl") != nil

    static func path(of tool: String) -> String? {
        let search = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = search.split(separator: ":")
        return directories.map { "\($0)/\(tool)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}

private struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

private func makeTemporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("curl-transport-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// A self-signed certificate for localhost and 127.0.0.1, made with the openssl command line.
private enum KeyType {
    case rsa, ec

    var arguments: [String] {
        switch self {
        case .rsa: ["-newkey", "rsa:2048"]
        case .ec: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        }
    }
}

private func makeCertificate(_ type: KeyType, in directory: URL) throws -> (
    certificate: String, key: String
) {
    let certificate = directory.appendingPathComponent("cert.pem").path
    let key = directory.appendingPathComponent("key.pem").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Tools.path(of: "openssl") ?? "/usr/bin/openssl")
    process.arguments =
        ["req", "-x509"] + type.arguments + [
            "-nodes", "-subj", "/CN=localhost", "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-days", "30", "-keyout", key, "-out", certificate,
        ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw FixtureError(
            description: "openssl req failed with status \(process.terminationStatus)")
    }
    return (certificate, key)
}

/// A Python server on 127.0.0.1, port 0; it prints its port once it listens, which is the only
/// synchronisation needed.
private final class TestServer: Sendable {
    let process = Process()
    let port: Int
    let directory: URL
    /// The https server's self-signed certificate (PEM), usable as a CA file.
    let certificate: String

    /// Starting blocks (openssl, waiting for the port), so it runs off the cooperative pool:
    /// blocked pool threads would delay other tests' continuations and skew their timings.
    static func start(mode: String, expectedAuthorization: String = "") async throws -> TestServer {
        try await offPool {
            try TestServer(mode: mode, expectedAuthorization: expectedAuthorization)
        }
    }

    static func start(https type: KeyType, tls13Only: Bool = false) async throws -> TestServer {
        try await offPool { try TestServer(https: type, tls13Only: tls13Only) }
    }

    /// An https server with a fresh self-signed certificate; `tls13Only` refuses TLS 1.2.
    convenience init(https type: KeyType, tls13Only: Bool = false) throws {
        let directory = try makeTemporaryDirectory()
        let files: (certificate: String, key: String)
        do {
            files = try makeCertificate(type, in: directory)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        try self.init(
            mode: "https",
            arguments: [files.certificate, files.key] + (tls13Only ? ["tls13"] : []),
            directory: directory, certificate: files.certificate)
    }

    init(
        mode: String, arguments: [String] = [], expectedAuthorization: String = "",
        directory: URL? = nil, certificate: String = ""
    ) throws {
        self.directory = try directory ?? makeTemporaryDirectory()
        self.certificate = certificate
        let script = self.directory.appendingPathComponent("server.py")
        try serverScript.write(to: script, atomically: true, encoding: .utf8)
        let output = Pipe()
        process.executableURL = URL(
            fileURLWithPath: Tools.path(of: "python3") ?? "/usr/bin/python3")
        process.arguments = ["-u", script.path, mode] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["EXPECTED_AUTHORIZATION"] = expectedAuthorization
        process.environment = environment
        process.standardOutput = output
        try process.run()

        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // EOF: the server died before listening.
            line.append(chunk)
        }
        guard
            let port = Int(
                String(decoding: line, as: UTF8.self).trimmingCharacters(
                    in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: self.directory)
            throw FixtureError(description: "test server (\(mode)) did not report a port")
        }
        self.port = port
    }

    func url(_ path: String, scheme: String = "http") -> String {
        "\(scheme)://127.0.0.1:\(port)\(path)"
    }

    /// SIGKILL, not terminate(): the child inherits the test runner's signal mask, in which
    /// SIGTERM is blocked, so SIGTERM would leave it (and waitUntilExit) hanging.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

private func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue(label: "curl-transport-tests.fixture").async {
            continuation.resume(with: Result { try work() })
        }
    }
}

/// A port nothing listens on: bind to port 0, read the port back, close.
private func closedPort() throws -> Int {
    #if canImport(Glibc)
        let stream = Int32(SOCK_STREAM.rawValue)
    #else
        let stream = SOCK_STREAM
    #endif
    let descriptor = socket(AF_INET, stream, 0)
    guard descriptor >= 0 else { throw FixtureError(description: "socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            bind(descriptor, raw, length) == 0 && getsockname(descriptor, raw, &length) == 0
        }
    }
    guard ok else { throw FixtureError(description: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

private let serverScript = #"""
    import json, os, socket, ssl, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    EXPECTED = os.environ.get("EXPECTED_AUTHORIZATION", "")
    LOCK = threading.Lock()
    DROPPED = [0]
    HANDSHAKES = {"full": 0, "resumed": 0}


    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # as production servers: no delayed-ACK stall on kept-alive connections

        def log_message(self, *args):
            pass

        def reply(self, body, content_type="application/json", reflected=None):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Test", "yes")
            if reflected is not None:
                self.send_header("X-Reflected", reflected)
            self.end_headers()
            self.wfile.write(body)

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.startswith("/drop") and self.command == "POST":
                # Takes the write, then drops the connection without an answer.
                with LOCK:
                    DROPPED[0] += 1
                self.close_connection = True
                return
            if self.path.startswith("/handshakes"):
                return self.reply(json.dumps(HANDSHAKES).encode())
            if self.path.startswith("/count"):
                return self.reply(json.dumps({"posts": DROPPED[0]}).encode())
            if self.path.startswith("/big"):
                return self.reply(b"x" * 100000, "text/plain")
            if self.path.startswith("/reflect"):
                # A careless server that echoes the credential.
                auth = self.headers.get("Authorization", "")
                return self.reply(("you sent " + auth).encode(), "text/plain", auth)
            auth = self.headers.get_all("Authorization") or []
            # Whether the token arrived intact, never the value itself.
            self.reply(json.dumps({
                "method": self.command,
                "path": self.path,
                "authMatches": len(auth) == 1 and auth[0] == EXPECTED,
                "authorizationCount": len(auth),
                "headerNames": list(self.headers.keys()),
                "bodyLength": len(body),
                "body": body.decode("utf-8", "replace"),
                "clientPort": self.client_address[1],
                "tlsSessionReused": getattr(self.connection, "session_reused", False),
            }).encode())

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


    mode = sys.argv[1]
    if mode == "silent":
        # Accepts connections and never answers.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        print(listener.getsockname()[1], flush=True)
        held = []
        while True:
            held.append(listener.accept()[0])

    if mode == "full":
        # A backlog of 0 filled by our own connects: further SYNs are dropped, so a client's
        # connect can only time out.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            fillers.append(filler)
        print(port, flush=True)
        threading.Event().wait()


    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # Clients that abort on purpose (body cap, connect-only) are not news.

        def get_request(self):
            # Over https the listening socket is wrapped: accept() returns after the handshake.
            connection, address = super().get_request()
            if hasattr(connection, "session_reused"):
                HANDSHAKES["resumed" if connection.session_reused else "full"] += 1
            return connection, address


    server = Server(("127.0.0.1", 0), Handler)
    if mode == "https":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        if "tls13" in sys.argv[4:]:
            context.minimum_version = ssl.TLSVersion.TLSv1_3
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#
