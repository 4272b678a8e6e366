import Foundation

/// `-v`: hands every exchange, as text, to `write` (stderr) as it completes, led by the probe that sent it, with
/// the token replaced by its fingerprint and every unprintable character shown.
struct LoggingTransport: HTTPTransport {
    let wrapped: any HTTPTransport
    let token: Secret
    let write: @Sendable (String) -> Void

    init(_ wrapped: any HTTPTransport, token: Secret, write: @escaping @Sendable (String) -> Void) {
        self.wrapped = wrapped
        self.token = token
        self.write = write
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let what =
            "[\(ProbeScope.name)] "
            + (request.connectOnly
                ? "CONNECT-ONLY \(request.url) (\(request.tls))" : "\(request.method) \(request.url)")
        do {
            let response = try await wrapped.send(request)
            var text = "> \(what)\n"
            for line in response.sentHeaders.split(whereSeparator: \.isNewline) { text += "> \(line)\n" }
            if let tls = response.tls, !tls.version.isEmpty { text += "* TLS \(tls.version) / \(tls.cipher)\n" }
            if !request.connectOnly {
                text += "< HTTP \(response.status)\n"
                for header in response.headers {
                    text += "< \(PrintableText.line(header.name)): \(PrintableText.line(header.value))\n"
                }
                if !response.body.isEmpty { text += "< \(bodyExcerpt(response, limit: 2000))\n" }
            }
            write(PrintableText.terminal(token.redact(text)) + "\n")
            return response
        } catch {
            write(
                PrintableText.terminal(
                    token.redact("> \(what)\n* failed: \(error.message) (libcurl error \(error.code))\n\n")))
            throw error
        }
    }
}
