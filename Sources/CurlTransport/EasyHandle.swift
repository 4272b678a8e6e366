import CCurl
import Foundation
import ScimDoctorKit

/// One easy handle and the C memory libcurl does not copy: configured by the caller, then touched only by the
/// multi handle's thread until its transfer is done.
final class EasyHandle {
    let curl: UnsafeMutableRawPointer
    let errorBuffer: UnsafeMutablePointer<CChar>
    var headerList: UnsafeMutablePointer<curl_slist>?
    var resolveList: UnsafeMutablePointer<curl_slist>?
    /// The first option libcurl refused, reported instead of performing a half-configured request.
    var setupFailure: (option: String, code: CURLcode)?

    init?() {
        guard let curl = curl_easy_init() else { return nil }
        self.curl = curl
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(curl)
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
    }

    // MARK: Options

    private func check(_ code: CURLcode, _ option: String) {
        if code != CURLE_OK && setupFailure == nil { setupFailure = (option, code) }
    }

    private func set(_ option: CURLoption, _ value: Int, _ name: String) {
        check(ccurl_setopt_long(curl, option, value), name)
    }

    private func set(_ option: CURLoption, _ value: String, _ name: String) {
        // libcurl copies string options, so the temporary C string may die after the call.
        check(ccurl_setopt_string(curl, option, value), name)
    }

    private func configure(_ request: HTTPRequest, redactor: Redactor, sink: Sink) {
        let userData = Unmanaged.passUnretained(sink).toOpaque()
        check(ccurl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
        set(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
        set(CURLOPT_URL, request.url, "URL")
        set(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR")
        set(CURLOPT_FOLLOWLOCATION, 0, "FOLLOWLOCATION")
        set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1, "HTTP_VERSION")
        set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout), "CONNECTTIMEOUT_MS")
        set(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout), "TIMEOUT_MS")
        if request.connectOnly {
            set(CURLOPT_CONNECT_ONLY, 1, "CONNECT_ONLY")
            // The TLS probes read the chain; for an HTTP request libcurl would print every certificate (names,
            // extensions, the key, the PEM) on each new connection for nobody.
            set(CURLOPT_CERTINFO, 1, "CERTINFO")
        }
        // The proxy is decided above this layer (ProxyPolicy); "" stops libcurl reading http_proxy & co itself.
        set(CURLOPT_PROXY, request.proxy ?? "", "PROXY")
        for entry in request.pinnedAddresses {
            guard let list = curl_slist_append(resolveList, entry) else {
                check(CURLE_OUT_OF_MEMORY, "RESOLVE")
                break
            }
            resolveList = list
        }
        if resolveList != nil { check(ccurl_setopt_slist(curl, CURLOPT_RESOLVE, resolveList), "RESOLVE") }

        check(
            ccurl_setopt_data_cb(curl, CURLOPT_WRITEFUNCTION) { data, size, count, userData in
                guard let userData else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(userData).takeUnretainedValue()
                return sink.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
            }, "WRITEFUNCTION")
        check(ccurl_setopt_pointer(curl, CURLOPT_WRITEDATA, userData), "WRITEDATA")
        check(
            ccurl_setopt_data_cb(curl, CURLOPT_HEADERFUNCTION) { data, size, count, userData in
                guard let userData else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(userData).takeUnretainedValue()
                let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
                sink.receiveHeaderLine(String(decoding: bytes, as: UTF8.self))
                return size * count
            }, "HEADERFUNCTION")
        check(ccurl_setopt_pointer(curl, CURLOPT_HEADERDATA, userData), "HEADERDATA")
        // The debug stream is the only place libcurl names the negotiated TLS version and cipher.
        set(CURLOPT_VERBOSE, 1, "VERBOSE")
        check(
            ccurl_setopt_debug_cb(curl) { _, type, data, size, userData in
                guard let userData, let data else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(userData).takeUnretainedValue()
                let bytes = UnsafeRawBufferPointer(start: data, count: size)
                if type == CURLINFO_TEXT {
                    sink.receiveDebugText(String(decoding: bytes, as: UTF8.self))
                } else if type == CURLINFO_HEADER_OUT {
                    sink.sentHeaderBlocks.append(String(decoding: bytes, as: UTF8.self))
                }
                return 0
            }, "DEBUGFUNCTION")
        check(ccurl_setopt_pointer(curl, CURLOPT_DEBUGDATA, userData), "DEBUGDATA")
        // The progress callback is the only hook that can stop a blocked transfer on cancellation.
        set(CURLOPT_NOPROGRESS, 0, "NOPROGRESS")
        check(
            ccurl_setopt_xferinfo_cb(curl) { userData, _, _, _, _ in
                guard let userData else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(userData).takeUnretainedValue()
                return sink.cancellation.isCancelled ? 1 : 0
            }, "XFERINFOFUNCTION")
        check(ccurl_setopt_pointer(curl, CURLOPT_XFERINFODATA, userData), "XFERINFODATA")

        configureTLS(request.tls)
        // libcurl silently resends a request whose reused connection died before the answer, POST included: a
        // write must never go twice, so writes take a fresh connection. Unauthenticated requests keep apart from
        // the token's connections (a server may tie authentication to the connection).
        if request.connectOnly || request.bearerToken == nil || !["GET", "HEAD"].contains(request.method) {
            set(CURLOPT_FRESH_CONNECT, 1, "FRESH_CONNECT")
        }
        if request.connectOnly || request.bearerToken == nil { set(CURLOPT_FORBID_REUSE, 1, "FORBID_REUSE") }
        if !request.connectOnly {
            configureHeaders(request, redactor: redactor)
            configureMethod(request)
        }
    }

    private func configureTLS(_ tls: TLSOptions) {
        if !tls.verify {
            set(CURLOPT_SSL_VERIFYPEER, 0, "SSL_VERIFYPEER")
            set(CURLOPT_SSL_VERIFYHOST, 0, "SSL_VERIFYHOST")
        }
        if tls.verify || tls.caFile != nil {
            switch TrustStore.settings(adding: tls.caFile) {
            case .directory(let directory, let caFile):
                set(CURLOPT_CAPATH, directory, "CAPATH")
                if let caFile {
                    set(CURLOPT_CAINFO, caFile, "CAINFO")
                } else {
                    check(ccurl_setopt_pointer(curl, CURLOPT_CAINFO, nil), "CAINFO")
                }
            case .file(let file):
                // Without a CApath libcurl caches the parsed file in the multi handle: parsed once per run.
                set(CURLOPT_CAINFO, file, "CAINFO")
                check(ccurl_setopt_pointer(curl, CURLOPT_CAPATH, nil), "CAPATH")
            case .libcurlDefaults:
                break
            }
        }
        if tls.minVersion != nil || tls.maxVersion != nil {
            let minimum: Int
            switch tls.minVersion {
            case .tls12: minimum = CURL_SSLVERSION_TLSv1_2
            case .tls13: minimum = CURL_SSLVERSION_TLSv1_3
            case nil: minimum = CURL_SSLVERSION_DEFAULT
            }
            let maximum: Int
            switch tls.maxVersion {
            case .tls12: maximum = CURL_SSLVERSION_MAX_TLSv1_2
            case .tls13: maximum = CURL_SSLVERSION_MAX_TLSv1_3
            case nil: maximum = CURL_SSLVERSION_MAX_DEFAULT
            }
            set(CURLOPT_SSLVERSION, minimum | maximum, "SSLVERSION")
        }
        if let cipherList = tls.cipherList {
            set(CURLOPT_SSL_CIPHER_LIST, cipherList, "SSL_CIPHER_LIST")
        }
    }

    private func configureHeaders(_ request: HTTPRequest, redactor: Redactor) {
        var lines: [String] = []
        for header in request.headers {
            let name = sanitizeHeaderText(header.name).trimmingWhitespace()
            // The token has one writer, this transport; two Authorization lines would be ambiguous.
            if name.isEmpty || (redactor.wireToken != nil && name.lowercased() == "authorization") {
                continue
            }
            let value = sanitizeHeaderText(header.value)
            // "Name:" would make libcurl drop the header; "Name;" sends it with an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            lines.append("Expect:")  // No 100-continue round trip.
        }
        if let token = redactor.wireToken { lines.append("Authorization: Bearer \(token)") }
        for line in lines {
            guard let list = curl_slist_append(headerList, line) else {
                check(CURLE_OUT_OF_MEMORY, "HTTPHEADER")
                return
            }
            headerList = list
        }
        check(ccurl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList), "HTTPHEADER")
    }

    private func configureMethod(_ request: HTTPRequest) {
        let method = sanitizeHeaderText(request.method).trimmingWhitespace()
        if request.body == nil && method == "GET" {
            set(CURLOPT_HTTPGET, 1, "HTTPGET")
            return
        }
        if request.body == nil && method == "HEAD" {
            set(CURLOPT_NOBODY, 1, "NOBODY")
            return
        }
        if request.body != nil || ["POST", "PUT", "PATCH"].contains(method) {
            let body = request.body ?? Data()
            set(CURLOPT_POSTFIELDSIZE, body.count, "POSTFIELDSIZE")
            if body.isEmpty {
                // An empty Data has no base address; POSTFIELDS is not copied, so it needs a
                // pointer that lives forever: a static string literal.
                let empty: StaticString = ""
                let pointer = UnsafeMutableRawPointer(mutating: empty.utf8Start)
                check(ccurl_setopt_pointer(curl, CURLOPT_POSTFIELDS, pointer), "POSTFIELDS")
            } else {
                // COPYPOSTFIELDS copies POSTFIELDSIZE bytes, so binary bodies and NULs survive.
                body.withUnsafeBytes { bytes in
                    let pointer = UnsafeMutableRawPointer(mutating: bytes.baseAddress)
                    check(
                        ccurl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, pointer),
                        "COPYPOSTFIELDS")
                }
            }
        }
        if method != "POST" { set(CURLOPT_CUSTOMREQUEST, method, "CUSTOMREQUEST") }
    }

    // MARK: Perform

    /// Configures the handle for `request`; the sink its callbacks write to must live until `finish`.
    func prepare(
        _ request: HTTPRequest, redactor: Redactor, cancellation: CancellationFlag
    ) -> Result<Sink, TransportError> {
        let sink = Sink(maxBodyBytes: request.maxBodyBytes, cancellation: cancellation)
        configure(request, redactor: redactor, sink: sink)
        if let failure = setupFailure {
            let text = "setting \(failure.option): \(CurlTransport.describe(failure.code))"
            return .failure(
                TransportError(
                    kind: Self.kind(of: failure.code, established: false),
                    code: Int(failure.code.rawValue), message: redactor(text)))
        }
        return .success(sink)
    }

    /// The response (or error) of a transfer that ended with `code`.
    func finish(
        _ code: CURLcode, _ request: HTTPRequest, redactor: Redactor, sink: Sink
    ) -> Result<HTTPResponse, TransportError> {
        let cancellation = sink.cancellation
        let timings = readTimings()
        let isHTTPS = request.url.lowercased().hasPrefix("https:")

        // A short write from the body cap aborts the transfer on purpose: that is a response.
        guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.bodyTruncated) else {
            let established =
                (sink.connected || timings.connect > 0)
                && (!isHTTPS || timings.tlsHandshake > 0 || !sink.tlsVersion.isEmpty)
            var message = String(cString: errorBuffer)
            if message.isEmpty { message = CurlTransport.describe(code) }
            if code == CURLE_ABORTED_BY_CALLBACK && cancellation.isCancelled {
                message = "cancelled: \(message)"
            }
            // libcurl 7.88 reports a header line over CURL_MAX_HTTP_HEADER as "Out of memory", mid header block.
            if code == CURLE_OUT_OF_MEMORY && sink.inHeaderBlock {
                message =
                    "the server sent a response header larger than libcurl accepts (\(CURL_MAX_HTTP_HEADER / 1024) KiB "
                    + "for one header line): \(message)"
            }
            return .failure(
                TransportError(
                    kind: Self.kind(of: code, established: established), code: Int(code.rawValue),
                    message: redactor(message), verifyResult: readLong(CURLINFO_SSL_VERIFYRESULT),
                    timings: timings))
        }

        let certificates = readCertificates().map { certificate in
            var redacted = certificate
            redacted.subject = redactor(certificate.subject)
            redacted.issuer = redactor(certificate.issuer)
            redacted.subjectAltNames = redactor(certificate.subjectAltNames)
            return redacted
        }
        let tls: TLSSession? =
            isHTTPS || !sink.tlsVersion.isEmpty
            ? TLSSession(
                version: sink.tlsVersion, cipher: sink.tlsCipher, certificates: certificates)
            : nil
        var response = HTTPResponse(
            status: request.connectOnly ? 0 : readLong(CURLINFO_RESPONSE_CODE),
            headers: sink.headers.map { (name: redactor($0.name), value: redactor($0.value)) },
            body: redactor(sink.body), bodyTruncated: sink.bodyTruncated,
            primaryIP: readString(CURLINFO_PRIMARY_IP), tls: tls, timings: timings,
            sentHeaders: Self.redactedHeaderBlock(sink.sentHeaderBlocks, redactor: redactor))
        let localIP = readString(CURLINFO_LOCAL_IP)
        let localPort = readLong(CURLINFO_LOCAL_PORT)
        if !localIP.isEmpty, localPort > 0 {
            response.connection = localIP.contains(":") ? "[\(localIP)]:\(localPort)" : "\(localIP):\(localPort)"
        }
        response.reusedConnection = readLong(CURLINFO_NUM_CONNECTS) == 0
        return .success(response)
    }

    /// The request header block(s), "\n"-separated, with the Authorization line rewritten to carry
    /// the fingerprint: rewriting the whole line also covers tokens too short for `redact`.
    private static func redactedHeaderBlock(_ blocks: [String], redactor: Redactor) -> String {
        let lines = blocks.joined().components(separatedBy: "\r\n").filter { !$0.isEmpty }
        return lines.map { line in
            guard let secret = redactor.secret, line.lowercased().hasPrefix("authorization:") else {
                return redactor(line)
            }
            return "Authorization: Bearer \(secret.description)"
        }.joined(separator: "\n")
    }

    static func kind(of code: CURLcode, established: Bool) -> TransportError.Kind {
        switch Int(code.rawValue) {
        case 6: .resolve
        case 7: .refused
        case 28: established ? .timeout : .connectTimeout
        case 35, 53, 54, 58, 66, 80, 83, 90, 91: .tlsHandshake
        case 51, 60: .tlsVerify
        case 59: .tlsCipher
        case 1, 3: .invalidURL
        default: .other
        }
    }

    /// libcurl's built-in CAINFO and CApath (nil where it has none).
    static let defaults: (caInfo: String?, caPath: String?) = {
        guard let curl = curl_easy_init() else { return (nil, nil) }
        defer { curl_easy_cleanup(curl) }
        func read(_ info: CURLINFO) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard ccurl_getinfo_string(curl, info, &value) == CURLE_OK, let value else { return nil }
            return String(cString: value)
        }
        return (read(CURLINFO_CAINFO), read(CURLINFO_CAPATH))
    }()

    // MARK: Info

    private func readLong(_ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_getinfo_long(curl, info, &value) == CURLE_OK ? value : 0
    }

    private func readString(_ info: CURLINFO) -> String {
        var value: UnsafeMutablePointer<CChar>?
        guard ccurl_getinfo_string(curl, info, &value) == CURLE_OK, let value else { return "" }
        return String(cString: value)  // Copied now: the memory belongs to the handle.
    }

    private func readSeconds(_ info: CURLINFO) -> Double {
        var microseconds: curl_off_t = 0
        guard ccurl_getinfo_off_t(curl, info, &microseconds) == CURLE_OK else { return 0 }
        return Double(microseconds) / 1_000_000
    }

    private func readTimings() -> Timings {
        Timings(
            nameLookup: readSeconds(CURLINFO_NAMELOOKUP_TIME_T),
            connect: readSeconds(CURLINFO_CONNECT_TIME_T),
            tlsHandshake: readSeconds(CURLINFO_APPCONNECT_TIME_T),
            firstByte: readSeconds(CURLINFO_STARTTRANSFER_TIME_T),
            total: readSeconds(CURLINFO_TOTAL_TIME_T))
    }

    /// CURLINFO_CERTINFO: one slist of "Field:value" strings per certificate, leaf first.
    /// With OpenSSL 3 an RSA key adds "RSA Public Key:2048" (plus rsa(n), rsa(e)); an EC key
    /// adds no size field at all, only "Public Key Algorithm:id-ecPublicKey".
    private func readCertificates() -> [CertificateInfo] {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard ccurl_getinfo_certinfo(curl, &info) == CURLE_OK, let info,
            let lists = info.pointee.certinfo
        else { return [] }
        return (0..<Int(info.pointee.num_of_certs)).map { index in
            var fields: [String: String] = [:]
            var node = lists[index]
            while let current = node {
                if let data = current.pointee.data {
                    let entry = String(cString: data)
                    if let colon = entry.firstIndex(of: ":") {
                        let name = String(entry[..<colon])
                        if fields[name] == nil {
                            fields[name] = String(entry[entry.index(after: colon)...])
                        }
                    }
                }
                node = current.pointee.next
            }
            return CertificateInfo(
                subject: fields["Subject"] ?? "", issuer: fields["Issuer"] ?? "",
                notBefore: fields["Start date"] ?? "", notAfter: fields["Expire date"] ?? "",
                subjectAltNames: fields["X509v3 Subject Alternative Name"] ?? "",
                publicKeyAlgorithm: fields["Public Key Algorithm"] ?? "",
                rsaKeyBits: fields["RSA Public Key"].flatMap {
                    Int($0.trimmingWhitespace())
                },
                pem: fields["Cert"] ?? "")
        }
    }
}

/// Duration → whole milliseconds for libcurl; at least 1, because 0 would mean "no timeout".
func milliseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    let total = seconds.multipliedReportingOverflow(by: 1000)
    guard !total.overflow else { return seconds > 0 ? Int.max : 1 }
    return max(1, Int(total.partialValue + attoseconds / 1_000_000_000_000_000))
}
