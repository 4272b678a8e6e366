import Foundation

/// `--har FILE`: the run's HTTP exchanges as an HTTP Archive 1.2 (the format of browsers' developer tools, Fiddler
/// and Charles), for the application's developers. The token appears nowhere in it: Authorization headers carry
/// the fingerprint only, and every other string (URLs, query values, headers, bodies, cookies, error messages) is
/// scrubbed of the token's raw, percent-encoded, hex and base64 forms. Bodies are cut at `maxBodyBytes`.
public enum HARWriter {
    /// Bodies longer than this are cut in the file (and marked): a support ticket needs the start of a body, and a
    /// hostile server's megabytes would only bury the rest.
    public static let maxBodyBytes = 64 * 1024

    public struct Run: Sendable {
        public var tenantURL: String
        public var token: Secret
        public var toolVersion: String
        public var libcurl: String
        public var startedAt: Date

        public init(tenantURL: String, token: Secret, toolVersion: String, libcurl: String, startedAt: Date) {
            self.tenantURL = tenantURL
            self.token = token
            self.toolVersion = toolVersion
            self.libcurl = libcurl
            self.startedAt = startedAt
        }
    }

    /// The HAR document, pretty-printed JSON with sorted keys (two runs differ only in times and values).
    public static func render(_ exchanges: [RecordedExchange], run: Run) -> String {
        let redactor = HARRedactor(run.token)
        // Oldest first, as HAR prefers (a stable sort: exchanges that started together keep their order).
        let exchanges = exchanges.enumerated().sorted {
            ($0.element.startedAt, $0.offset) < ($1.element.startedAt, $1.offset)
        }
        .map(\.element)
        let page = HAR.Page(
            startedDateTime: timestamp(exchanges.first.map { min($0.startedAt, run.startedAt) } ?? run.startedAt),
            id: "scim-doctor", title: redactor.text("scim-doctor check \(run.tenantURL)"),
            pageTimings: HAR.PageTimings(onContentLoad: -1, onLoad: -1))
        let log = HAR.Log(
            version: "1.2",
            creator: HAR.Creator(name: "scim-doctor", version: run.toolVersion, comment: run.libcurl),
            pages: [page], entries: exchanges.map { entry($0, redactor: redactor) },
            comment: redactor.text(
                "scim-doctor \(run.toolVersion) check of \(run.tenantURL) with token \(run.token.fingerprint). "
                    + "Authorization headers and every form of the token are redacted; bodies are cut at "
                    + "\(maxBodyBytes) bytes (marked _truncated). Connect-only TCP/TLS handshakes of the Network "
                    + "and TLS probes send no HTTP and are not included."))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(HAR(log: log)), let text = String(data: data, encoding: .utf8) else {
            // Not expected (every member is a string or number); an empty but valid HAR rather than nothing.
            return #"{"log":{"version":"1.2","creator":{"name":"scim-doctor","version":""},"entries":[]}}"# + "\n"
        }
        return text + "\n"
    }

    // MARK: Entries

    static func entry(_ exchange: RecordedExchange, redactor: HARRedactor) -> HAR.Entry {
        let request = exchange.request
        let timings: HAR.Timings
        let response: HAR.Response
        var serverIP: String?
        var connection: String?
        var sentHeaderBlock = ""
        let secure = request.url.lowercased().hasPrefix("https:")
        switch exchange.outcome {
        case .success(let answer):
            timings = phases(answer.timings, secure: secure, failure: nil)
            response = Self.response(answer, request: request, redactor: redactor)
            serverIP = answer.primaryIP.isEmpty ? nil : answer.primaryIP
            connection = answer.connection.isEmpty ? nil : answer.connection
            sentHeaderBlock = answer.sentHeaders
        case .failure(let error):
            timings = phases(error.timings, secure: secure, failure: error.kind)
            response = HAR.Response(
                status: 0, statusText: "", httpVersion: "", cookies: [], headers: [],
                content: HAR.Content(size: 0, mimeType: "x-unknown"), redirectURL: "", headersSize: -1, bodySize: -1,
                comment: "no HTTP response: \(error.kind.rawValue)",
                error: redactor.text("libcurl error \(error.code): \(error.message)"))
        }
        return HAR.Entry(
            pageref: "scim-doctor", startedDateTime: timestamp(exchange.startedAt), time: timings.total,
            request: Self.request(request, sentHeaders: sentHeaderBlock, redactor: redactor), response: response,
            cache: HAR.Cache(), timings: timings, serverIPAddress: serverIP, connection: connection,
            comment: "sent by \(exchange.sentBy)")
    }

    static func request(_ request: HTTPRequest, sentHeaders: String, redactor: HARRedactor) -> HAR.Request {
        let lines = sentHeaders.split(whereSeparator: \.isNewline).map(String.init)
        var httpVersion = "HTTP/1.1"  // CurlTransport pins HTTP/1.1
        var headers: [(name: String, value: String)] = []
        if let requestLine = lines.first, let version = requestLine.split(separator: " ").last,
            version.hasPrefix("HTTP/")
        {
            // "GET /scim/v2/Users HTTP/1.1", then the header lines as they went on the wire.
            httpVersion = String(version)
            headers = lines.dropFirst().compactMap(splitHeader)
        } else {
            // No record of the wire (the exchange failed, or a scripted transport): the headers scim-doctor set.
            headers = request.headers
            if request.bearerToken != nil { headers.append(("Authorization", "Bearer")) }
        }
        let url = String(redactor.text(request.url).prefix { $0 != "#" })
        var postData: HAR.PostData?
        if let body = request.body {
            let content = Self.body(body, readLimit: nil, redactor: redactor)
            let mimeType = headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
            postData = HAR.PostData(
                mimeType: redactor.text(mimeType), params: [],
                text: content.encoding == nil ? (content.text ?? "") : "(binary, base64) " + (content.text ?? ""),
                comment: content.comment)
        }
        return HAR.Request(
            method: redactor.text(request.method), url: url, httpVersion: httpVersion, cookies: [],
            headers: headers.map { header($0, bearer: request.bearerToken, redactor: redactor) },
            queryString: queryString(url, redactor: redactor), postData: postData, headersSize: -1,
            bodySize: request.body?.count ?? 0)
    }

    static func response(_ answer: HTTPResponse, request: HTTPRequest, redactor: HARRedactor) -> HAR.Response {
        let content = body(
            answer.body, readLimit: answer.bodyTruncated ? request.maxBodyBytes : nil, redactor: redactor)
        let location = (300..<400).contains(answer.status) ? answer.header("Location") ?? "" : ""
        return HAR.Response(
            status: answer.status, statusText: "", httpVersion: "HTTP/1.1",
            cookies: answer.headers.filter { $0.name.lowercased() == "set-cookie" }.compactMap {
                cookie($0.value, redactor: redactor)
            },
            headers: answer.headers.map { header($0, bearer: nil, redactor: redactor) },
            content: HAR.Content(
                size: answer.body.count, mimeType: redactor.text(answer.contentType ?? "x-unknown"),
                text: content.text, encoding: content.encoding, comment: content.comment,
                truncated: content.truncated ? true : nil),
            redirectURL: redactor.text(location), headersSize: -1, bodySize: answer.body.count)
    }

    /// libcurl's cumulative times (seconds since the start) as HAR's consecutive phases in milliseconds, -1 where a
    /// phase does not apply. As HAR says, `ssl` is also counted in `connect`. libcurl gives no separate send time
    /// (its pretransfer mark is not kept), so `send` is 0 and the upload is part of `wait`. For a failure, the time
    /// after the last phase reached goes to the phase that did not complete.
    static func phases(_ t: Timings, secure: Bool, failure: TransportError.Kind?) -> HAR.Timings {
        func ms(_ seconds: Double) -> Double { (max(0, seconds) * 1_000_000).rounded() / 1000 }
        let connected = t.connect > 0
        let secured = t.tlsHandshake > 0
        let connectedAt = max(t.nameLookup, t.connect, t.tlsHandshake)
        var timings = HAR.Timings(blocked: -1, dns: -1, connect: -1, send: 0, wait: 0, receive: 0, ssl: -1)
        if t.nameLookup > 0 || connected { timings.dns = ms(t.nameLookup) }
        if connected { timings.connect = ms(connectedAt - t.nameLookup) }
        if secured { timings.ssl = ms(t.tlsHandshake - t.connect) }
        if t.firstByte > 0 {
            timings.wait = ms(t.firstByte - connectedAt)
            timings.receive = ms(t.total - t.firstByte)
        } else if failure != nil, t.total > 0, !connected {
            // Name resolution, or the TCP connection, never completed.
            if failure == .resolve {
                timings.dns = ms(t.total)
            } else {
                timings.dns = ms(t.nameLookup)
                timings.connect = ms(t.total - t.nameLookup)
            }
        } else if failure != nil, t.total > 0, secure, !secured {
            // The TLS handshake never completed: it counts in ssl and, as HAR wants, in connect.
            timings.ssl = ms(t.total - t.connect)
            timings.connect = ms(t.total - t.nameLookup)
        } else {
            timings.wait = ms(t.total - connectedAt)
        }
        return timings
    }

    // MARK: Parts

    struct Body {
        var text: String?
        var encoding: String?
        var comment: String?
        var truncated = false
    }

    /// A body for the file: redacted first (so no token survives a cut), then cut at `maxBodyBytes` on a character
    /// boundary. Text that is not UTF-8 is stored as base64, as HAR prescribes. `readLimit`: the transport cut it.
    static func body(_ data: Data, readLimit: Int?, redactor: HARRedactor) -> Body {
        var result = Body()
        var cut = false
        if !data.isEmpty {
            // Redacting the whole of a 1 MiB body is wasted work: a window a little past the cut is enough.
            let window = data.prefix(maxBodyBytes + 4096)
            cut = window.count < data.count
            if let text = String(data: window.prefix(utf8Boundary(data, at: window.count)), encoding: .utf8) {
                let redacted = Data(redactor.text(text).utf8)
                let kept = utf8Boundary(redacted, at: min(redacted.count, maxBodyBytes))
                cut = cut || kept < redacted.count
                result.text = String(decoding: redacted.prefix(kept), as: UTF8.self)
            } else {
                let redacted = redactor.binary(window)
                let kept = min(redacted.count, maxBodyBytes)
                cut = cut || kept < redacted.count
                result.text = redacted.prefix(kept).base64EncodedString()
                result.encoding = "base64"
            }
        }
        var notes: [String] = []
        if let readLimit {
            notes.append("the server sent more than \(readLimit) bytes; scim-doctor read only the first \(readLimit)")
        }
        if cut { notes.append("only the first \(maxBodyBytes) bytes of the \(data.count) read are kept here") }
        if !notes.isEmpty {
            result.comment = notes.joined(separator: "; ")
            result.truncated = true
        }
        return result
    }

    static func header(_ header: (name: String, value: String), bearer: Secret?, redactor: HARRedactor)
        -> HAR.NameValue
    {
        let name = redactor.text(header.name)
        guard ["authorization", "proxy-authorization"].contains(name.lowercased()) else {
            return HAR.NameValue(name: name, value: redactor.text(header.value))
        }
        // Whatever the value, only the scheme and the token's fingerprint are kept.
        let scheme = header.value.split(separator: " ").first.map(String.init) ?? ""
        if let bearer, scheme.lowercased() == "bearer" {
            return HAR.NameValue(name: name, value: "Bearer \(bearer.description)")
        }
        return HAR.NameValue(name: name, value: scheme.isEmpty ? "[redacted]" : "\(redactor.text(scheme)) [redacted]")
    }

    /// The query of an (already redacted) URL, decoded as a browser shows it; decoding can reveal an encoded
    /// token, so every name and value is redacted again.
    static func queryString(_ url: String, redactor: HARRedactor) -> [HAR.NameValue] {
        guard let mark = url.firstIndex(of: "?") else { return [] }
        let query = url[url.index(after: mark)...]
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring?) -> String {
                guard let part else { return "" }
                let plus = part.replacingOccurrences(of: "+", with: " ")
                return redactor.text(plus.removingPercentEncoding ?? plus)
            }
            return HAR.NameValue(name: decode(parts.first), value: decode(parts.count > 1 ? parts[1] : nil))
        }
    }

    /// A Set-Cookie header as HAR's cookie object (name, value and the attributes HAR names).
    static func cookie(_ header: String, redactor: HARRedactor) -> HAR.Cookie? {
        let parts = header.split(separator: ";").map { $0.trimmingWhitespace() }
        guard let first = parts.first, let equals = first.firstIndex(of: "=") else { return nil }
        var cookie = HAR.Cookie(
            name: redactor.text(String(first[..<equals])),
            value: redactor.text(String(first[first.index(after: equals)...])))
        for attribute in parts.dropFirst() {
            let pair = attribute.split(separator: "=", maxSplits: 1).map(String.init)
            switch pair.first?.lowercased() {
            case "path": cookie.path = pair.count > 1 ? redactor.text(pair[1]) : nil
            case "domain": cookie.domain = pair.count > 1 ? redactor.text(pair[1]) : nil
            case "httponly": cookie.httpOnly = true
            case "secure": cookie.secure = true
            default: break
            }
        }
        return cookie
    }

    static func splitHeader(_ line: String) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (
            String(line[..<colon]).trimmingWhitespace(),
            String(line[line.index(after: colon)...]).trimmingWhitespace()
        )
    }

    /// ISO 8601 with milliseconds, UTC, as HAR's `startedDateTime`.
    static func timestamp(_ date: Date) -> String {
        UTCDate.iso8601(date, milliseconds: true)
    }
}

/// Scrubs the token from a trace: text and bytes alike through `Secret.redact` (every form the token may take;
/// bytes that are not UTF-8 are searched byte-wise and kept as they were).
struct HARRedactor {
    let token: Secret

    init(_ token: Secret) { self.token = token }

    func text(_ text: String) -> String { token.redact(text) }
    func binary(_ data: Data) -> Data { token.redact(data) }
}

/// HAR 1.2's objects, as far as scim-doctor fills them (optional members left out when unknown).
struct HAR: Encodable {
    var log: Log

    struct Log: Encodable {
        var version: String
        var creator: Creator
        var pages: [Page]
        var entries: [Entry]
        var comment: String?
    }

    struct Creator: Encodable {
        var name: String
        var version: String
        var comment: String?
    }

    struct Page: Encodable {
        var startedDateTime: String
        var id: String
        var title: String
        var pageTimings: PageTimings
    }

    struct PageTimings: Encodable {
        var onContentLoad: Double
        var onLoad: Double
    }

    struct Entry: Encodable {
        var pageref: String?
        var startedDateTime: String
        var time: Double
        var request: Request
        var response: Response
        var cache: Cache
        var timings: Timings
        var serverIPAddress: String?
        /// HAR 1.2: the TCP connection the request used (its local address and port).
        var connection: String?
        /// Which probe sent the request ("sent by users.filter"; "sent by cleanup").
        var comment: String?
    }

    struct Request: Encodable {
        var method: String
        var url: String
        var httpVersion: String
        var cookies: [Cookie]
        var headers: [NameValue]
        var queryString: [NameValue]
        var postData: PostData?
        var headersSize: Int
        var bodySize: Int
    }

    struct Response: Encodable {
        var status: Int
        var statusText: String
        var httpVersion: String
        var cookies: [Cookie]
        var headers: [NameValue]
        var content: Content
        var redirectURL: String
        var headersSize: Int
        var bodySize: Int
        var comment: String?
        /// HAR has no error member; browsers record a failed request as status 0 with a custom `_error`.
        var error: String?

        enum CodingKeys: String, CodingKey {
            case status, statusText, httpVersion, cookies, headers, content, redirectURL, headersSize, bodySize
            case comment
            case error = "_error"
        }
    }

    struct Cookie: Encodable {
        var name: String
        var value: String
        var path: String?
        var domain: String?
        var httpOnly: Bool?
        var secure: Bool?
    }

    struct NameValue: Encodable {
        var name: String
        var value: String
    }

    struct PostData: Encodable {
        var mimeType: String
        var params: [NameValue]
        var text: String
        var comment: String?
    }

    struct Content: Encodable {
        var size: Int
        var mimeType: String
        var text: String?
        var encoding: String?
        var comment: String?
        /// scim-doctor's mark for a body cut in the file or by the transport.
        var truncated: Bool?

        enum CodingKeys: String, CodingKey {
            case size, mimeType, text, encoding, comment
            case truncated = "_truncated"
        }
    }

    /// Nothing is cached: every request goes to the server.
    struct Cache: Encodable {}

    struct Timings: Encodable {
        var blocked: Double
        var dns: Double
        var connect: Double
        var send: Double
        var wait: Double
        var receive: Double
        var ssl: Double

        /// The entry's `time`: the sum of the phases that apply (`ssl` is already inside `connect`).
        var total: Double {
            let sum = [blocked, dns, connect, send, wait, receive].filter { $0 >= 0 }.reduce(0, +)
            return (sum * 1000).rounded() / 1000
        }
    }
}
