import Foundation

/// `scim-doctor cleanup`: finds the test resources earlier write runs left behind, and with `--yes` deletes exactly
/// those. A resource counts only when its userName (users) or displayName (groups), and its externalId when it has
/// one, are exactly what a write run gives (`TestIdentity`: `scim-doctor-<8 hex>-ada@example.com`, …; no prefix
/// match, no other letter case), and each one is read again by its id right before it is deleted.
public struct CleanupCommand: Sendable {
    public let arguments: CleanupArguments
    public let console: any Console
    public let transport: any HTTPTransport
    /// Resolves the host once, so that plain http is judged by its addresses and every request pinned to them.
    public let resolver: any NameResolver
    /// Resources looked at per type, at most: only a server whose list never ends gets there.
    public static let maxExamined = 1_000_000
    static let pageSize = 100

    public init(
        arguments: CleanupArguments, console: any Console, transport: any HTTPTransport, resolver: any NameResolver
    ) {
        self.resolver = resolver
        self.arguments = arguments
        self.console = console
        self.transport = transport
    }

    /// One tagged resource.
    public struct Found: Codable, Sendable, Equatable {
        public var kind: ResourceKind
        public var id: String
        /// userName (users) or displayName (groups).
        public var label: String
        /// `scim-doctor-<run id>`: the run that created it.
        public var tag: String
    }

    /// What `--format json` prints.
    struct Report: Codable {
        var schemaVersion = 1
        var tenantURL: String
        var dryRun: Bool
        /// How many users and groups were looked at.
        var examined: [String: Int]
        /// How, per type: "filter" (on the tag prefix) or "all" (paging through every one: the filter was refused).
        var searched: [String: String]
        var found: [Found]
        var deleted: [Found]
        var leftovers: [Leftover]
        /// Listing failures ("GET …/Groups answered HTTP 404").
        var errors: [String]
        var exitCode: Int32
    }

    public func run() async -> ExitCode {
        let token: Secret
        do throws(UsageError) {
            try CheckCommand.validate(caFile: arguments.caFile)
            guard TenantURL(arguments.tenantURL) != nil else {
                throw UsageError(
                    "cannot parse the <tenant-url> '\(arguments.tenantURL)': 'scim-doctor check' on it says why")
            }
            token = try TokenSource.read(file: arguments.tokenFile, console: console)
                .alsoRedacting(TenantURL(arguments.tenantURL)?.secrets ?? [])
        } catch {
            console.writeErr(PrintableText.terminal("error: \(error.message)\n"))
            return .usage
        }
        if arguments.insecure {
            console.writeErr("warning: --insecure: certificates are not verified\n")
        }
        var options = CheckOptions(
            tenantURL: arguments.tenantURL, caFile: arguments.caFile, insecure: arguments.insecure,
            connectTimeout: arguments.connectTimeout, timeout: arguments.timeout)
        options.allowHTTP = arguments.allowHTTP
        options.resolve = arguments.resolve
        options.environment = console.environment
        let context = ProbeContext(options: options, token: token, transport: transport, resolver: resolver)
        if let refusal = await context.connectionPlan().tokenRefusal {
            console.writeErr(PrintableText.terminal("error: not sent: \(refusal); use https, or --allow-http\n"))
            return .usage
        }

        var found: [Found] = []
        var examined: [String: Int] = [:]
        var searched: [String: String] = [:]
        var errors: [String] = []
        for kind in [ResourceKind.users, .groups] {
            let listing = await Self.list(kind, context)
            examined[kind.plural] = listing.examined
            searched[kind.plural] = listing.filtered ? "filter" : "all"
            found += listing.found
            if let error = listing.error { errors.append(error) }
        }

        var deleted: [Found] = []
        var leftovers: [Leftover] = []
        if arguments.assumeYes {
            // Groups first: they may list the test users as members.
            for resource in found.filter({ $0.kind == .groups }) + found.filter({ $0.kind == .users }) {
                if let leftover = await Self.delete(resource, context) {
                    leftovers.append(leftover)
                } else {
                    deleted.append(resource)
                }
            }
        }
        let exitCode: ExitCode = !leftovers.isEmpty ? .failures : (errors.isEmpty ? .success : .toolError)
        let report = Report(
            tenantURL: token.redact(arguments.tenantURL), dryRun: !arguments.assumeYes, examined: examined,
            searched: searched,
            found: found, deleted: deleted, leftovers: leftovers, errors: errors.map(token.redact),
            exitCode: exitCode.rawValue)
        switch arguments.format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let text = (try? encoder.encode(report)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
            console.writeOut(token.redact(text) + "\n")
        case .human, .junit, .markdown:  // (the parser takes only human and json for cleanup)
            console.writeOut(PrintableText.terminal(token.redact(Self.human(report))))
        }
        return exitCode
    }

    struct Listing {
        /// Whether the resources came from a filter on the tag prefix (else from paging through all of them).
        var filtered: Bool
        var filterRefused = false
        var found: [Found] = []
        var examined = 0
        var error: String?
    }

    /// Finds the tagged resources of `kind`: first by filtering on the tag prefix (`userName sw "scim-doctor-"`),
    /// so the cost grows with what is to be deleted; when the server refuses that filter (HTTP 400), by paging
    /// through every resource. Either way each hit must be exactly a test resource (`runTag`), so a filter that is
    /// ignored or too generous changes nothing but the number of pages read.
    static func list(_ kind: ResourceKind, _ context: ProbeContext) async -> Listing {
        let filter = "filter=\(kind.matchingAttribute)+sw+%22\(WriteSession.tagPrefix)%22"
        var listing = await list(kind, context, filter: filter)
        if listing.filterRefused {
            listing = await list(kind, context, filter: nil)
        }
        return listing
    }

    /// Pages through `GET /Users` or `/Groups` (startIndex, count=100, with `filter` when given) to the end, keeping
    /// the tagged resources. Stops when a page brings nothing new (a server that ignores startIndex), and at
    /// `maxExamined` resources (a server whose list never ends).
    private static func list(_ kind: ResourceKind, _ context: ProbeContext, filter: String?) async -> Listing {
        var listing = Listing(filtered: filter != nil)
        var seen: Set<String> = []
        var startIndex = 1
        while true {
            let query = [kind.extraQuery, filter, "startIndex=\(startIndex)&count=\(pageSize)"].compactMap { $0 }
                .joined(separator: "&")
            guard let exchange = try? await context.read(kind.path, query: query) else {
                listing.error = "the Tenant URL could not be parsed"
                return listing
            }
            if filter != nil, startIndex == 1, exchange.response?.status == 400 {
                listing.filterRefused = true
                return listing
            }
            // The same reader, and so the same words, as the Users and Groups probes.
            let page: ListPage
            switch readList(exchange, kind: kind, query: .page) {
            case .failure(let problem):
                listing.error = problem.finding
                return listing
            case .success(let value): page = value
            }
            var new = 0
            for resource in page.resources {
                guard let id = resource["id"]?.string, !id.isEmpty, seen.insert(id).inserted else { continue }
                new += 1
                // A resource the prefix does not name: the filter was ignored, so this is the whole list.
                let name = resource[kind.matchingAttribute]?.string?.lowercased() ?? ""
                if !name.hasPrefix(WriteSession.tagPrefix) { listing.filtered = false }
                guard let tag = runTag(of: resource, kind: kind) else { continue }
                let label = resource[kind.matchingAttribute]?.string ?? resource["displayName"]?.string ?? id
                listing.found.append(Found(kind: kind, id: id, label: label, tag: tag))
            }
            listing.examined = seen.count
            // A server that ignores startIndex answers the same page again: nothing new, so stop.
            guard new > 0 else { return listing }
            startIndex += page.resources.count
            if startIndex > page.totalResults { return listing }
            if seen.count >= maxExamined {
                listing.error =
                    "stopped after \(maxExamined) \(kind.plural) (the server's list does not end): there may be more "
                    + "tagged ones"
                return listing
            }
        }
    }

    /// The run tag when the resource is exactly one a write run creates (name and externalId).
    static func runTag(of resource: JSONValue, kind: ResourceKind) -> String? {
        guard let name = resource[kind.matchingAttribute]?.string else { return nil }
        return TestIdentity.tag(kind: kind, name: name, externalId: resource["externalId"]?.string)
    }

    /// Reads the resource again by its id, checks it is still exactly a test resource of that run, deletes it and
    /// checks that it is gone; the leftover when any of that fails (nothing is deleted unproven).
    static func delete(_ resource: Found, _ context: ProbeContext) async -> Leftover? {
        func leftover(_ reason: String, command: String? = nil) -> Leftover {
            Leftover(
                kind: resource.kind, id: resource.id, label: resource.label, reason: context.token.redact(reason),
                command: command ?? context.removalCommand(resource.kind, resource.id))
        }
        let notTouched = ShellCommand.none(
            "scim-doctor deletes only what it proves it created; check it in the application")
        guard let path = try? context.resourcePath(resource.kind, resource.id) else {
            return leftover(
                "not touched: \(ResourceIDRule.problem(resource.id) ?? "the id"), so it cannot be used in a URL path",
                command: notTouched)
        }
        do {
            let proof = try await context.read(path)
            let body = proof.response.flatMap { $0.status == 200 ? $0.jsonObject : nil }
            guard let body, body["id"]?.string == resource.id,
                runTag(of: body, kind: resource.kind) == resource.tag
            else {
                let said = proof.response.map { "HTTP \($0.status)" } ?? "no answer"
                return leftover(
                    "not touched: read again by its id (\(said)), it is not the test resource the listing showed",
                    command: notTouched)
            }
            let deletion = await context.sendUncached(try context.request("DELETE", path))
            let check = try await context.read(path)
            if check.response?.status == 404 { return nil }
            switch deletion {
            case .failure(let error): return leftover("no answer to DELETE: \(error.message)")
            case .success(let response) where (200..<300).contains(response.status):
                return leftover(
                    "DELETE answered HTTP \(response.status) but GET still answers "
                        + (check.response.map { "HTTP \($0.status)" } ?? "nothing") + " (a soft delete)",
                    command: context.removalCommand(resource.kind, resource.id, softDeleted: true))
            case .success(let response): return leftover("DELETE answered HTTP \(response.status)")
            }
        } catch {
            return leftover("the DELETE request could not be made")
        }
    }

    static func human(_ report: Report) -> String {
        var text = ""
        func looked(_ kind: ResourceKind) -> String {
            let how = report.searched[kind.plural] == "filter" ? " named \(WriteSession.tagPrefix)…" : ""
            return "\(report.examined[kind.plural] ?? 0) \(kind.plural)\(how)"
        }
        let examined = "\(looked(.users)) and \(looked(.groups))"
        for error in report.errors { text += "? \(PrintableText.line(error))\n" }
        if report.found.isEmpty {
            text += "No test resources of scim-doctor write runs in \(report.tenantURL) (\(examined) looked at).\n"
            return text
        }
        let count = report.found.count
        let noun = "test resource\(count == 1 ? "" : "s")"
        if report.dryRun {
            text += "\(count) \(noun) of earlier write runs in \(report.tenantURL) (\(examined) looked at):\n"
            for resource in report.found { text += "  \(describe(resource))\n" }
            text += "Dry run: nothing was deleted. Run again with --yes to delete \(count == 1 ? "it" : "these") "
            text += "(and nothing else).\n"
            return text
        }
        if !report.deleted.isEmpty {
            text +=
                "Deleted \(report.deleted.count) of \(count) \(noun) in \(report.tenantURL) (gone: GET answers 404):\n"
            for resource in report.deleted { text += "  ✓ \(describe(resource))\n" }
        }
        for leftover in report.leftovers {
            text +=
                "  ✗ still there: \(leftover.kind.singular) \(PrintableText.quoted(leftover.label)) "
                + "(id \(PrintableText.line(leftover.id))): \(PrintableText.line(leftover.reason))\n"
            text += "      remove    \(PrintableText.line(leftover.command))\n"
        }
        if !report.leftovers.isEmpty {
            text += "\(report.leftovers.count) \(report.leftovers.count == 1 ? "remains" : "remain") (exit code 1).\n"
        }
        return text
    }

    /// `user "scim-doctor-0e0e0e0e-ada@example.com" (id 2819c223), run scim-doctor-0e0e0e0e`
    static func describe(_ resource: Found) -> String {
        "\(resource.kind.singular) \(PrintableText.quoted(resource.label)) (id \(PrintableText.line(resource.id))), "
            + "run \(resource.tag)"
    }
}
