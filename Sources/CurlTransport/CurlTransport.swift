import CCurl
import Foundation
import ScimDoctorKit
import Synchronization

/// `HTTPTransport` on libcurl. This target is the only code of the package that imports `CCurl`.
///
/// Every request is a transfer on the process's one multi handle (`MultiHandle`), which reuses connections and
/// the parsed trust store; a connect-only request (a TLS probe with its own settings) never shares a connection.
public struct CurlTransport: HTTPTransport {
    public init() {}

    /// e.g. "libcurl/7.88.1 OpenSSL/3.0.19": libcurl and its TLS backend, the rest is noise. Read from
    /// `curl_version_info`, not `curl_version`, whose full text initialises libldap (and so loads every SASL
    /// plugin on the machine) to name its version.
    public static var versionDescription: String {
        guard let info = ccurl_version_info(), let version = info.pointee.version else {
            return "libcurl (unknown version)"
        }
        let tls = info.pointee.ssl_version.map { " " + String(cString: $0) } ?? ""
        return "libcurl/" + String(cString: version) + tls
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let cancellation = CancellationFlag()
        guard CurlGlobal.initCode == CURLE_OK else {
            throw TransportError(
                kind: .other, code: Int(CurlGlobal.initCode.rawValue),
                message: "curl_global_init failed: \(Self.describe(CurlGlobal.initCode))")
        }
        let result: Result<HTTPResponse, TransportError> = await withTaskCancellationHandler {
            await MultiHandle.shared.perform(
                request, redactor: Redactor(request.bearerToken), cancellation: cancellation)
        } onCancel: {
            cancellation.cancel()
            MultiHandle.shared.wake()
        }
        return try result.get()
    }

    static func describe(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "CURLcode \(code.rawValue)" }
        return String(cString: text)
    }
}

/// `curl_global_init` is not thread-safe; a `static let` runs it exactly once, lazily, atomically. OpenSSL is told
/// first not to clean up at exit (see `CCurl/shim.h`): the process may exit while a transfer is being torn down.
enum CurlGlobal {
    static let initCode: CURLcode = {
        ccurl_openssl_without_atexit_cleanup()
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()
}

/// Set when the awaiting task is cancelled; the progress callback then aborts the transfer.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Keeps the token out of everything textual this transport returns (`Secret.redact` covers the form as sent,
/// with CR, LF and NUL removed, too).
struct Redactor {
    let secret: Secret?
    /// The token as it goes on the wire (CR, LF and NUL removed).
    let wireToken: String?

    init(_ secret: Secret?) {
        self.secret = secret
        self.wireToken = secret.map { sanitizeHeaderText($0.reveal()) }
    }

    func callAsFunction(_ text: String) -> String { secret?.redact(text) ?? text }

    /// A server that echoes the token (an error page, a debug header) must not carry it into evidence either.
    /// Bodies without the token are returned byte for byte.
    func callAsFunction(_ body: Data) -> Data { secret?.redact(body) ?? body }
}

/// Header lines must not be split or cut: CR/LF would inject headers, NUL would end the C string.
func sanitizeHeaderText(_ text: String) -> String {
    String(
        String.UnicodeScalarView(
            text.unicodeScalars.filter { !"\r\n\0".unicodeScalars.contains($0) }))
}

/// Everything the C callbacks write to; reached through an unretained pointer during the transfer.
final class Sink {
    let maxBodyBytes: Int
    let cancellation: CancellationFlag
    var body = Data()
    var bodyTruncated = false
    var headers: [(name: String, value: String)] = []
    var sentHeaderBlocks: [String] = []
    var tlsVersion = ""
    var tlsCipher = ""
    var connected = false

    init(maxBodyBytes: Int, cancellation: CancellationFlag) {
        self.maxBodyBytes = max(0, maxBodyBytes)
        self.cancellation = cancellation
    }

    /// Returns the bytes taken; fewer than offered makes libcurl abort (CURLE_WRITE_ERROR).
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let room = maxBodyBytes - body.count
        guard bytes.count > room else {
            body.append(contentsOf: bytes)
            return bytes.count
        }
        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(room)))
        bodyTruncated = true
        return room
    }

    /// A status line arrived and the blank line ending its header block has not (yet).
    var inHeaderBlock = false

    func receiveHeaderLine(_ raw: String) {
        let line = raw.trimming { $0 == "\r" || $0 == "\n" }
        if line.isEmpty { inHeaderBlock = false }
        if line.hasPrefix("HTTP/") {
            inHeaderBlock = true
            // A new status line (1xx, or a proxy's): only the final response's headers count.
            headers = []
        } else if line.first == " " || line.first == "\t" {
            // Obsolete line folding: continues the previous value.
            if let last = headers.indices.last {
                headers[last].value += " " + line.trimming(Self.isOptionalWhitespace)
            }
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimming(Self.isOptionalWhitespace)
            headers.append((name: name, value: value))
        }
    }

    /// RFC 9110's OWS: space and horizontal tab, nothing else (a server's other spaces stay in the value).
    private static func isOptionalWhitespace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

    func receiveDebugText(_ text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("Connected to ") {
                connected = true
            } else if line.hasPrefix("SSL connection using ") {
                // "SSL connection using TLSv1.2 / ECDHE-RSA-AES128-GCM-SHA256" (newer libcurl
                // appends " / group / signature": ignored).
                let parts = line.dropFirst("SSL connection using ".count)
                    .components(separatedBy: " / ")
                tlsVersion = parts.first?.trimmingWhitespace() ?? ""
                tlsCipher = parts.count > 1 ? parts[1].trimmingWhitespace() : ""
            }
        }
    }
}
