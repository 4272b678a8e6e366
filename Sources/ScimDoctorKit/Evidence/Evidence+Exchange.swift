import Foundation

extension Evidence {
    /// "GET https://host/scim/v2/Users?filter=…" (the token is never part of a request line).
    public static func request(_ request: HTTPRequest) -> Evidence {
        let auth = request.bearerToken == nil ? " (no credentials)" : " (Authorization: Bearer \(request.bearerToken!))"
        return Evidence("request", "\(request.method) \(request.url)\(auth)")
    }

    /// "HTTP 404", with the Content-Type when there is one.
    public static func status(_ response: HTTPResponse) -> Evidence {
        let type = response.contentType.map { ", Content-Type: \($0)" } ?? ""
        return Evidence("response", "HTTP \(response.status)\(type)")
    }

    public static func header(_ response: HTTPResponse, _ name: String) -> Evidence? {
        response.header(name).map { Evidence(name, $0) }
    }

    /// The start of the body, on one line, with control characters made visible and the length noted.
    public static func body(_ response: HTTPResponse, limit: Int = 240) -> Evidence {
        Evidence("body", bodyExcerpt(response, limit: limit))
    }

    /// Request line, status and body excerpt of an exchange; the transport failure when there was no response.
    public static func exchange(_ exchange: Exchange, body: Bool = true) -> [Evidence] {
        switch exchange.outcome {
        case .success(let response):
            var evidence = [Evidence.request(exchange.request), .status(response)]
            if (300..<400).contains(response.status), let location = response.header("Location") {
                evidence.append(Evidence("Location", location))
            }
            if body, !response.body.isEmpty { evidence.append(.body(response)) }
            // Legal JSON that parsers read differently, or not at all: said wherever the exchange is shown.
            if case .success(let document) = response.json {
                if !document.duplicateKeys.isEmpty {
                    evidence.append(Evidence("duplicate keys", Self.paths(document.duplicateKeys)))
                }
                if !document.numbersOutOfRange.isEmpty {
                    evidence.append(Evidence("numbers out of range", Self.paths(document.numbersOutOfRange)))
                }
            }
            return evidence
        case .failure(let error):
            return [Evidence.request(exchange.request), .transportError(error)]
        }
    }

    /// At most five paths, and how many more.
    private static func paths(_ paths: [String]) -> String {
        paths.prefix(5).joined(separator: ", ") + (paths.count > 5 ? " and \(paths.count - 5) more" : "")
    }

    public static func transportError(_ error: TransportError) -> Evidence {
        Evidence("error", "\(error.message) (libcurl error \(error.code))")
    }
}

/// A printable, bounded excerpt of a body: valid UTF-8 or a note that it is not.
func bodyExcerpt(_ response: HTTPResponse, limit: Int = 240) -> String {
    let size =
        response.bodyTruncated ? "more than \(response.body.count) bytes (truncated)" : "\(response.body.count) bytes"
    guard
        let text = String(
            validating: response.body.prefix(utf8Boundary(response.body, at: limit * 4)), as: UTF8.self)
    else {
        return "(\(size), not valid UTF-8)"
    }
    // One pass: every run of spaces, tabs and line breaks becomes one space; unprintable characters are escaped.
    var line = ""
    var afterSpace = false
    for scalar in text.unicodeScalars {
        if scalar == " " || scalar == "\n" || scalar == "\r" || scalar == "\t" {
            if !afterSpace { line.unicodeScalars.append(" ") }
            afterSpace = true
            continue
        }
        afterSpace = false
        if PrintableText.isUnprintable(scalar) {
            line += PrintableText.escaped(scalar)
        } else {
            line.unicodeScalars.append(scalar)
        }
    }
    let cut = line.count > limit
    return String(line.prefix(limit)) + (cut || response.bodyTruncated ? "… " : " ") + "(\(size))"
}

/// The request line without scheme and host, for findings (`GET /scim/v2/Users?startIndex=1&count=1`), the query
/// decoded as a server reads it, so a filter reads as `filter=userName eq "…"`. By hand: URLComponents showed in
/// profiles, for every exchange.
func shortRequest(_ exchange: Exchange) -> String {
    let url = exchange.request.url
    guard let authority = url.firstRange(of: "://") else { return "\(exchange.request.method) \(url)" }
    let rest = url[authority.upperBound...]
    let target = rest.firstIndex { $0 == "/" || $0 == "?" }.map { rest[$0...] } ?? ""
    guard let mark = target.firstIndex(of: "?") else { return "\(exchange.request.method) \(target)" }
    return
        "\(exchange.request.method) \(target[..<mark])?\(PercentEncoding.decodedQueryComponent(target[target.index(after: mark)...]))"
}
