import Foundation
import Synchronization

/// The seam between probes and the network. Probes only ever see these value types;
/// the `CurlTransport` target implements the protocol with libcurl, tests with `ScriptedTransport`.
public protocol HTTPTransport: Sendable {
    /// Performs one exchange. Network and TLS failures come back as `TransportError`, never as a crash.
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}

/// How many connections a transport keeps to one host at the same time, at most: small servers drop SYNs past
/// their listen backlog. Requests beyond it wait for a free connection, within their own timeouts.
public let maxHostConnections = 6

/// TLS protocol ceiling/floor a request may pin, to test what Entra's client negotiates.
public enum TLSVersion: String, Sendable, Codable, CaseIterable {
    case tls12 = "TLSv1.2"
    case tls13 = "TLSv1.3"
}

/// TLS settings of one request.
public struct TLSOptions: Sendable, Equatable, CustomStringConvertible {
    /// Verify the chain and the host name (off only for the credential-free certificate harvest or `--insecure`).
    public var verify: Bool
    /// Trust these PEM certificates in addition to the system store (`--ca-file`).
    public var caFile: String?
    public var minVersion: TLSVersion?
    public var maxVersion: TLSVersion?
    /// OpenSSL cipher list for TLS 1.2 (e.g. Entra's eight suites).
    public var cipherList: String?

    public init(
        verify: Bool = true, caFile: String? = nil, minVersion: TLSVersion? = nil,
        maxVersion: TLSVersion? = nil, cipherList: String? = nil
    ) {
        self.verify = verify
        self.caFile = caFile
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.cipherList = cipherList
    }

    /// Spelled out: `-v` shows it, and the run's memo keys requests by it (interpolating the struct would go
    /// through reflection on every request).
    public var description: String {
        "verify=\(verify) ca=\(caFile ?? "-") min=\(minVersion?.rawValue ?? "-")"
            + " max=\(maxVersion?.rawValue ?? "-") ciphers=\(cipherList ?? "-")"
    }
}

/// One request. The bearer token travels separately from `headers` so that the transport alone
/// writes it on the wire and every recorded copy of the request can be redacted.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var bearerToken: Secret?
    public var body: Data?
    /// Only connect (TCP, and TLS for https); send no HTTP request at all, so no token leaves.
    public var connectOnly: Bool
    public var tls: TLSOptions
    public var connectTimeout: Duration
    public var timeout: Duration
    /// Bodies larger than this are truncated (and flagged) instead of filling memory.
    public var maxBodyBytes: Int
    /// `host:port:address[,address]`: connect only to these addresses for that host (libcurl `CURLOPT_RESOLVE`).
    public var pinnedAddresses: [String] = []
    /// The proxy to use; nil for none (the transport never reads proxy settings from the environment itself).
    public var proxy: String?

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
        bearerToken: Secret? = nil, body: Data? = nil, connectOnly: Bool = false,
        tls: TLSOptions = TLSOptions(), connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(30), maxBodyBytes: Int = 1 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.bearerToken = bearerToken
        self.body = body
        self.connectOnly = connectOnly
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url
            && lhs.headers.map { "\($0.name): \($0.value)" } == rhs.headers.map { "\($0.name): \($0.value)" }
            && lhs.bearerToken == rhs.bearerToken && lhs.body == rhs.body
            && lhs.connectOnly == rhs.connectOnly && lhs.tls == rhs.tls
            && lhs.connectTimeout == rhs.connectTimeout && lhs.timeout == rhs.timeout
            && lhs.maxBodyBytes == rhs.maxBodyBytes && lhs.pinnedAddresses == rhs.pinnedAddresses
            && lhs.proxy == rhs.proxy
    }
}

/// What libcurl reports about one certificate of the chain (CURLINFO_CERTINFO), leaf first.
public struct CertificateInfo: Sendable, Equatable, Codable {
    public var subject: String
    public var issuer: String
    /// e.g. "Dec 29 20:08:42 2026 GMT"
    public var notBefore: String
    public var notAfter: String
    /// e.g. "DNS:localhost, IP Address:127.0.0.1"
    public var subjectAltNames: String
    public var publicKeyAlgorithm: String
    /// RSA modulus bits when libcurl reports them ("RSA Public Key").
    public var rsaKeyBits: Int?
    /// The certificate in PEM form.
    public var pem: String

    public init(
        subject: String, issuer: String, notBefore: String, notAfter: String,
        subjectAltNames: String = "", publicKeyAlgorithm: String = "", rsaKeyBits: Int? = nil, pem: String = ""
    ) {
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.subjectAltNames = subjectAltNames
        self.publicKeyAlgorithm = publicKeyAlgorithm
        self.rsaKeyBits = rsaKeyBits
        self.pem = pem
    }
}

/// Phase timings from libcurl, in seconds since the start of the request.
public struct Timings: Sendable, Equatable, Codable {
    public var nameLookup: Double
    public var connect: Double
    public var tlsHandshake: Double
    public var firstByte: Double
    public var total: Double

    public init(
        nameLookup: Double = 0, connect: Double = 0, tlsHandshake: Double = 0, firstByte: Double = 0, total: Double = 0
    ) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.tlsHandshake = tlsHandshake
        self.firstByte = firstByte
        self.total = total
    }
}

/// The TLS session a connection negotiated.
public struct TLSSession: Sendable, Equatable {
    public var version: String
    public var cipher: String
    /// The chain the server sent, leaf first: read for connect-only requests (the TLS probes), empty for HTTP ones.
    public var certificates: [CertificateInfo]

    public init(version: String = "", cipher: String = "", certificates: [CertificateInfo] = []) {
        self.version = version
        self.cipher = cipher
        self.certificates = certificates
    }
}

/// One response (or, for `connectOnly`, one successful connection: status 0).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header lines of the final response, in order, names as sent.
    public var headers: [(name: String, value: String)] { didSet { parsed = ParsedBody() } }
    public var body: Data { didSet { parsed = ParsedBody() } }
    /// The body was longer than `maxBodyBytes` and was cut there.
    public var bodyTruncated: Bool { didSet { parsed = ParsedBody() } }
    /// The body read as JSON once, when first asked, and shared by every copy of this response.
    private var parsed = ParsedBody()
    public var primaryIP: String
    public var tls: TLSSession?
    public var timings: Timings
    /// Request header block as sent, with the token already replaced by its fingerprint.
    public var sentHeaders: String
    /// Set when this is the answer to a retry after a 429: the seconds waited, as its Retry-After asked.
    public var retriedAfterSeconds: Int?
    /// The connection the request went on, named by its local end (`127.0.0.1:54321`); "" when unknown.
    public var connection = ""
    /// Whether that connection was reused from an earlier request (no new TCP or TLS handshake).
    public var reusedConnection = false

    public init(
        status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(), bodyTruncated: Bool = false,
        primaryIP: String = "", tls: TLSSession? = nil, timings: Timings = Timings(), sentHeaders: String = ""
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.primaryIP = primaryIP
        self.tls = tls
        self.timings = timings
        self.sentHeaders = sentHeaders
    }

    /// First header value with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var contentType: String? { header("Content-Type") }

    /// The body as JSON, or why it is not (read once per response).
    public var json: Result<JSONDocument, JSONTrouble> { parsed.value { JSONTrouble.parse(self) } }
    /// The body when it is a JSON object.
    public var jsonObject: JSONValue? {
        guard case .success(let document) = json, document.value.isObject else { return nil }
        return document.value
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name): \($0.value)" } == rhs.headers.map { "\($0.name): \($0.value)" }
            && lhs.bodyTruncated == rhs.bodyTruncated && lhs.primaryIP == rhs.primaryIP && lhs.tls == rhs.tls
            && lhs.timings == rhs.timings && lhs.sentHeaders == rhs.sentHeaders
            && lhs.retriedAfterSeconds == rhs.retriedAfterSeconds
    }
}

/// A failure below HTTP: DNS, TCP, TLS, timeout. `kind` classifies libcurl's code for the probes.
public struct TransportError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case resolve  // CURLE_COULDNT_RESOLVE_HOST (6)
        case refused  // CURLE_COULDNT_CONNECT (7)
        case connectTimeout  // CURLE_OPERATION_TIMEDOUT (28) before the connection was up
        case timeout  // CURLE_OPERATION_TIMEDOUT (28) after it
        case tlsHandshake  // CURLE_SSL_CONNECT_ERROR (35) and friends
        case tlsVerify  // CURLE_PEER_FAILED_VERIFICATION (60)
        case tlsCipher  // CURLE_SSL_CIPHER (59): the local cipher list is unusable
        case invalidURL  // CURLE_URL_MALFORMAT (3), unsupported protocol (1)
        case other
    }

    public var kind: Kind
    /// libcurl's CURLcode, for the evidence.
    public var code: Int
    /// libcurl's error buffer text, e.g. "SSL certificate problem: self-signed certificate".
    public var message: String
    /// OpenSSL's X509 verify result (CURLINFO_SSL_VERIFYRESULT), 0 when not applicable.
    public var verifyResult: Int
    public var timings: Timings

    public init(kind: Kind, code: Int = 0, message: String, verifyResult: Int = 0, timings: Timings = Timings()) {
        self.kind = kind
        self.code = code
        self.message = message
        self.verifyResult = verifyResult
        self.timings = timings
    }
}

/// Looks up every address of a host name (A and AAAA).
public protocol NameResolver: Sendable {
    func resolve(host: String) async throws(TransportError) -> [String]
}

/// The memo of one response's JSON parse.
final class ParsedBody: Sendable {
    private let result = Mutex<Result<JSONDocument, JSONTrouble>?>(nil)

    func value(_ parse: () -> Result<JSONDocument, JSONTrouble>) -> Result<JSONDocument, JSONTrouble> {
        if let done = result.withLock({ $0 }) { return done }
        let made = parse()
        result.withLock { $0 = made }
        return made
    }
}
