import Foundation
import Synchronization

@testable import ScimDoctorKit

/// A tiny in-memory SCIM tenant for the write-mode and cleanup tests: POST creates (ids u1, u2, … / g1, …),
/// GET reads one resource or pages a list (startIndex, count), DELETE removes, unless the id is `sticky`
/// (answers 204 and stays) or the kind is `refusing` (answers 500).
final class FakeTenant: Sendable {
    static let base = "/scim/v2"
    static let url = "https://tenant.example" + base

    private struct State {
        var resources: [String: [[String: String]]] = ["Users": [], "Groups": []]
        var next = 1
    }

    private let state: Mutex<State>
    let sticky: Set<String>
    let missing: Set<String>
    /// GET by id answers this resource instead (a listing that does not say what the id holds).
    let impostors: [String: [String: String]]
    /// DELETE of these ids answers 500 and keeps them.
    let refusing: Set<String>
    /// What a list's `filter` does: nothing (every resource comes back), `sw` on a name, or a 400.
    enum Filtering { case ignored, startsWith, refused }
    let filtering: Filtering

    /// - Parameters:
    ///   - users, groups: attribute maps; each needs an "id".
    ///   - missing: resource types whose list answers 404.
    init(
        users: [[String: String]] = [], groups: [[String: String]] = [], sticky: Set<String> = [],
        missing: Set<String> = [], impostors: [String: [String: String]] = [:], refusing: Set<String> = [],
        filtering: Filtering = .ignored
    ) {
        self.refusing = refusing
        self.filtering = filtering
        state = Mutex(State(resources: ["Users": users, "Groups": groups]))
        self.sticky = sticky
        self.missing = missing
        self.impostors = impostors
    }

    /// The ids of every resource of `kind` still there.
    func ids(_ kind: String) -> [String] { state.withLock { $0.resources[kind]?.compactMap { $0["id"] } ?? [] } }

    var route: Route {
        Route(matches: { !$0.connectOnly }, reply: { [self] request in .success(answer(request)) })
    }

    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        guard let components = URLComponents(string: request.url), components.path.hasPrefix(Self.base) else {
            return Self.json(404, ["detail": "no such path"])
        }
        let parts = components.path.dropFirst(Self.base.count).split(separator: "/").map(String.init)
        guard let kind = parts.first, kind == "Users" || kind == "Groups" else {
            return Self.json(404, ["detail": "no such path"])
        }
        // The raw path, as a server sees it: a dot segment or a slash in the id would change the resource.
        let rawParts = components.percentEncodedPath.dropFirst(Self.base.count).split(
            separator: "/", omittingEmptySubsequences: false
        ).dropFirst()
        let id = rawParts.count > 1 ? rawParts.dropFirst().joined(separator: "/").removingPercentEncoding : nil
        return state.withLock { state -> HTTPResponse in
            switch (request.method, id) {
            case ("POST", nil):
                let sent = (try? JSONSerialization.jsonObject(with: request.body ?? Data())) as? [String: Any] ?? [:]
                var resource = sent.compactMapValues { $0 as? String }
                resource["id"] = "\(kind == "Users" ? "u" : "g")\(state.next)"
                state.next += 1
                state.resources[kind, default: []].append(resource)
                return Self.json(201, resource)
            case ("GET", nil):
                if missing.contains(kind) { return Self.json(404, ["detail": "not supported"]) }
                let items = components.queryItems ?? []
                let start = Int(items.first { $0.name == "startIndex" }?.value ?? "") ?? 1
                let count = Int(items.first { $0.name == "count" }?.value ?? "") ?? 100
                var all = state.resources[kind] ?? []
                if let filter = items.first(where: { $0.name == "filter" })?.value {
                    switch filtering {
                    case .ignored: break
                    case .refused: return Self.json(400, ["scimType": "invalidFilter", "detail": "no filters"])
                    case .startsWith:
                        // URLComponents leaves a form-encoded space as "+".
                        let text = filter.replacingOccurrences(of: "+", with: " ")
                        guard let match = text.wholeMatch(of: /(\w+) sw "([^"]*)"/) else {
                            return Self.json(400, ["scimType": "invalidFilter", "detail": "only sw"])
                        }
                        all = all.filter { ($0[String(match.1)] ?? "").lowercased().hasPrefix(match.2.lowercased()) }
                    }
                }
                let page = Array(all.dropFirst(max(0, start - 1)).prefix(count))
                return Self.json(
                    200,
                    [
                        "schemas": [SchemaURN.listResponse], "totalResults": all.count, "startIndex": start,
                        "itemsPerPage": page.count, "Resources": page,
                    ])
            case ("GET", let id?):
                if let impostor = impostors[id] { return Self.json(200, impostor) }
                guard let resource = state.resources[kind]?.first(where: { $0["id"] == id }) else {
                    return Self.json(404, ["detail": "not found"])
                }
                return Self.json(200, resource)
            case ("DELETE", let id?):
                guard state.resources[kind]?.contains(where: { $0["id"] == id }) == true else {
                    return Self.json(404, ["detail": "not found"])
                }
                if refusing.contains(id) { return Self.json(500, ["detail": "cannot delete"]) }
                if !sticky.contains(id) { state.resources[kind]?.removeAll { $0["id"] == id } }
                return HTTPResponse(status: 204)
            default:
                return Self.json(405, ["detail": "not allowed"])
            }
        }
    }

    static func json(_ status: Int, _ object: Any) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/scim+json")],
            body: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }
}

/// A transport that runs `before` on every request, then hands it on (to send a signal mid-cleanup, say).
struct HookedTransport: HTTPTransport {
    let inner: any HTTPTransport
    let before: @Sendable (HTTPRequest) async -> Void

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        await before(request)
        return try await inner.send(request)
    }
}
