import Foundation

/// A transport that answers from a route table: probe examples and unit tests run on it, with no network.
/// It records what was sent, so tests can assert, for instance, that the TLS probes never sent the token.
public final class ScriptedTransport: HTTPTransport, Sendable {
    public let routes: [Route]
    private let log = RequestLog()

    public init(_ routes: [Route]) { self.routes = routes }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        await log.append(request)
        guard let route = routes.first(where: { $0.matches(request) }) else {
            return HTTPResponse(
                status: 404, headers: [("Content-Type", "text/plain")], body: Data("no route in this example".utf8))
        }
        return try route.reply(request).get()
    }

    /// Every request sent so far, in order.
    public var requests: [HTTPRequest] { get async { await log.requests } }
}

private actor RequestLog {
    var requests: [HTTPRequest] = []
    func append(_ request: HTTPRequest) { requests.append(request) }
}

/// One line of a route table: which requests it answers, and how.
public struct Route: Sendable {
    public let matches: @Sendable (HTTPRequest) -> Bool
    public let reply: @Sendable (HTTPRequest) -> Result<HTTPResponse, TransportError>

    public init(
        matches: @escaping @Sendable (HTTPRequest) -> Bool,
        reply: @escaping @Sendable (HTTPRequest) -> Result<HTTPResponse, TransportError>
    ) {
        self.matches = matches
        self.reply = reply
    }

    /// Answers HTTP requests (not connect-only) with this method and absolute path.
    /// - Parameters:
    ///   - query: when given, every one of these fragments must occur in the (percent-decoded) query.
    ///   - authorized: when given, whether the request must carry the token.
    public static func on(
        _ method: String, _ path: String, query: [String] = [], authorized: Bool? = nil, _ reply: Reply
    ) -> Route {
        Route(
            matches: { request in
                guard !request.connectOnly, request.method == method,
                    let components = URLComponents(string: request.url), components.percentEncodedPath == path
                else { return false }
                if let authorized, authorized != (request.bearerToken != nil) { return false }
                let decoded =
                    (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: " ")
                    .removingPercentEncoding ?? ""
                return query.allSatisfy { decoded.contains($0) }
            },
            reply: { _ in reply.result })
    }

    /// `GET` on `path`, see `on`.
    public static func get(_ path: String, query: [String] = [], authorized: Bool? = nil, _ reply: Reply) -> Route {
        on("GET", path, query: query, authorized: authorized, reply)
    }

    /// Answers every HTTP request not matched by an earlier route (a server's catch-all).
    public static func anyRequest(_ reply: Reply) -> Route {
        Route(matches: { !$0.connectOnly }, reply: { _ in reply.result })
    }

    /// Answers connect-only requests (TCP/TLS handshakes) whose TLS options satisfy `when`.
    public static func connect(
        when: @escaping @Sendable (TLSOptions) -> Bool = { _ in true }, _ reply: Reply
    ) -> Route {
        Route(matches: { $0.connectOnly && when($0.tls) }, reply: { _ in reply.result })
    }
}

/// How a scripted route answers.
public enum Reply: Sendable {
    /// A SCIM JSON body, `application/scim+json` unless said otherwise.
    case json(Int, String, contentType: String = "application/scim+json", headers: [(String, String)] = [])
    case html(Int, String)
    case response(HTTPResponse)
    case failure(TransportError)
    /// A completed handshake (connect-only).
    case handshake(TLSSession?)

    var result: Result<HTTPResponse, TransportError> {
        switch self {
        case .json(let status, let body, let contentType, let headers):
            .success(
                HTTPResponse(
                    status: status, headers: [("Content-Type", contentType)] + headers.map { ($0.0, $0.1) },
                    body: Data(body.utf8)))
        case .html(let status, let body):
            .success(
                HTTPResponse(
                    status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(body.utf8)))
        case .response(let response): .success(response)
        case .failure(let error): .failure(error)
        case .handshake(let session): .success(HTTPResponse(status: 0, tls: session))
        }
    }
}

/// A resolver with a fixed answer.
public struct ScriptedResolver: NameResolver {
    let answer: Result<[String], TransportError>
    public init(_ answer: Result<[String], TransportError>) { self.answer = answer }
    public func resolve(host: String) async throws(TransportError) -> [String] { try answer.get() }
}
