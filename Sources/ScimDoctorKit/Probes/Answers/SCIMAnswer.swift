import Foundation

/// Readers of one SCIM answer that never trust its shape.
enum SCIMAnswer {
    /// The `schemas` of a JSON object body; nil when the body is not a JSON object.
    static func schemas(_ response: HTTPResponse) -> [String]? {
        response.jsonObject?.schemas
    }

    /// A JSON body whose schemas carry a SCIM URN (a ListResponse, an Error, a ServiceProviderConfig…).
    static func looksLikeSCIM(_ response: HTTPResponse) -> Bool {
        SCIMAnswer.schemas(response)?.contains { $0.hasPrefix(SchemaURN.prefix) } ?? false
    }

    static func error(_ response: HTTPResponse) -> SCIMErrorFields? { SCIMErrorFields(response) }

    /// What an error body says in its own words: a SCIM `detail`, or the `message` / `error_description` / `error` /
    /// `title` of a framework's JSON error, or the first line of a short plain-text body; at most 160 characters.
    static func serverMessage(_ response: HTTPResponse) -> String? {
        var text: String?
        if let object = response.jsonObject {
            text = ["detail", "message", "error_description", "error", "title"].lazy
                .compactMap { object[$0]?.string }.first { !$0.isEmpty }
        } else if HTMLAnswer(response) == nil, response.body.count <= 4096, !response.bodyTruncated,
            let body = String(validating: response.body, as: UTF8.self)
        {
            text = body.split(whereSeparator: \.isNewline).first.map(String.init)
        }
        guard let line = text?.trimmingWhitespace(), !line.isEmpty else { return nil }
        let visible = oneLine(line)
        return visible.count > 160 ? visible.prefix(160) + "…" : visible
    }

    static func errorEvidence(_ response: HTTPResponse) -> [Evidence] {
        guard let error = SCIMAnswer.error(response), !error.summary.isEmpty else { return [] }
        return [Evidence("SCIM error", error.summary)]
    }

    /// The decoded `filter` parameter of a request, e.g. `userName eq "…"`.
    static func filterExpression(_ request: HTTPRequest) -> String? {
        guard let mark = request.url.firstIndex(of: "?") else { return nil }
        let query = request.url[request.url.index(after: mark)...].prefix { $0 != "#" }
        for pair in query.split(separator: "&") where pair.lowercased().hasPrefix("filter=") {
            return PercentEncoding.decodedQueryComponent(pair.dropFirst("filter=".count))
        }
        return nil
    }

    /// The .NET `HttpStatusCode` name Entra prints in "Response Status Code: …".
    static func httpStatusName(_ status: Int) -> String {
        let names = [
            400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
            406: "NotAcceptable", 408: "RequestTimeout", 409: "Conflict", 415: "UnsupportedMediaType",
            422: "UnprocessableEntity", 429: "TooManyRequests", 500: "InternalServerError", 501: "NotImplemented",
            502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout",
        ]
        return names[status] ?? "\(status)"
    }

    /// "HTTP 500 (InternalServerError)", or "HTTP 299" when the code has no .NET name.
    static func statusText(_ status: Int) -> String {
        let name = httpStatusName(status)
        return name == "\(status)" ? "HTTP \(status)" : "HTTP \(status) (\(name))"
    }
}
