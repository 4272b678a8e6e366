import Foundation

/// The Groups endpoint under the examples' default Tenant URL.
private let groups = "/scim/v2/Groups"
private let byName = #"filter=displayName eq "Tour Guides""#
private let lean = ScimSamples.group()
private let withMembers = ScimSamples.group(members: ["2819c223", "902c246b"])

/// The three lookups of a server that honours `excludedAttributes=members` (or not, for the given ones).
private func routes(page: String = lean, filter: String = lean, byID: Reply? = nil) -> [Route] {
    [
        .get(groups, query: ["startIndex=1"], .json(200, ScimSamples.list([page], total: 2))),
        .get(groups, query: [byName], .json(200, ScimSamples.list([filter]))),
        .get(groups + "/e9e30dba", query: ["excludedAttributes=members"], byID ?? .json(200, lean)),
    ]
}

/// "an array of 2 members" rather than "an array", so an empty array is visibly empty.
private func describeMembers(_ members: JSONValue) -> String {
    guard let array = members.array else { return JSONValue.describe(members) }
    return "an array of \(array.count) member(s)"
}

/// `groups.excluded-members`: group lookups honour `excludedAttributes=members`.
struct GroupsExcludedMembersProbe: Probe {
    let description = ProbeDescription(
        id: "groups.excluded-members", section: .groups, title: "Group lookups honour excludedAttributes=members",
        checks: "The group list, the displayName filter and GET /Groups/{id}, all with excludedAttributes=members, "
            + "return groups without members: Entra always asks so, and fails lookups that return them anyway.",
        rationale:
            "Entra asks for groups without members (excludedAttributes=members) and fails a lookup that "
            + "returns them anyway (MultipleEntriesInResponse); with large groups such answers may also be "
            + "slow enough to time out (inferred).",
        sources: [
            "Microsoft: Tutorial — develop and plan provisioning for a SCIM endpoint "
                + "(use-scim-to-provision-users-and-groups), 'Group Operations' and requirements table "
                + "(\"excludedAttributes=members when querying the group resource\")",
            "Microsoft: Analyze provisioning logs (howto-analyze-provisioning-logs), error codes table "
                + "(MultipleEntriesInResponse)",
            "RFC 7644 §3.4.2.5 (attributes, excludedAttributes)",
        ],
        dependencies: ["groups.list"], timeoutInRequests: 3,
        examples: [
            ProbeExample(
                "members excluded everywhere", ExampleSetup(routes: routes()), expect: .pass, finding: "no members"),
            ProbeExample(
                "list returns members", ExampleSetup(routes: routes(page: withMembers)), expect: .fail,
                finding: "excludedAttributes=members ignored"),
            ProbeExample(
                "only an empty members array comes back (a group without members)",
                ExampleSetup(routes: routes(filter: ScimSamples.group(members: []))), expect: .warn,
                finding: "members is returned although excluded (as an empty array, so whether"),
            ProbeExample(
                "GET by id returns members", ExampleSetup(routes: routes(byID: .json(200, withMembers))), expect: .fail,
                finding: "MultipleEntriesInResponse"),
            ProbeExample(
                "GET by id not found",
                ExampleSetup(routes: routes(byID: .json(404, ScimSamples.error(404, detail: "Group not found")))),
                expect: .fail, finding: "answered HTTP 404"),
            ProbeExample(
                "GET by id returns HTML", ExampleSetup(routes: routes(byID: .html(200, ScimSamples.loginPage))),
                expect: .fail, finding: "not a group object"),
            ProbeExample(
                "no groups",
                ExampleSetup(routes: [.get(groups, query: ["startIndex=1"], .json(200, ScimSamples.emptyList))]),
                expect: .skip, finding: "no groups"),
        ])

    func run(_ context: ProbeContext) async throws -> Verdict {
        let pageExchange = try await context.groupPage()
        guard case .success(let page) = readList(pageExchange, kind: .groups, query: .page)
        else { return .skip("the group list could not be read (see groups.list)") }
        guard let sample = page.sample else { return .skip("no groups in the tenant to check") }

        // Each lookup that returned a members key, with where it came from.
        var offenders: [(exchange: Exchange, members: JSONValue)] = []
        if let members = page.resources.lazy.compactMap({ $0["members"] }).first {
            offenders.append((pageExchange, members))
        }
        // The filter's other faults are groups.filter's to report; here only a readable answer counts.
        if isPlainFilterValue(sample.name) {
            let filterExchange = try await context.filter(
                "Groups", "displayName", equals: sample.name, extraQuery: "excludedAttributes=members")
            if case .success(let filtered) = readList(filterExchange, kind: .groups, query: .filter),
                let members = filtered.resources.lazy.compactMap({ $0["members"] }).first
            {
                offenders.append((filterExchange, members))
            }
        }
        let encodedID = PercentEncoding.encoded(sample.id, keeping: PercentEncoding.isQueryValue)
        let byID = try await context.get("Groups/\(encodedID)", query: "excludedAttributes=members")
        let subject = shortRequest(byID)
        guard let response = byID.response else {
            return .fail(
                "\(subject) got no response", evidence: Evidence.exchange(byID),
                fix: "On the server: answer GET /Groups/{id} within Entra's timeout (check its logs and any proxy).")
        }
        guard response.status == 200 else {
            return .fail(
                "\(subject) answered HTTP \(response.status): Entra reads groups by id this way",
                evidence: Evidence.exchange(byID),
                fix: "On the server: answer GET {Tenant URL}/Groups/{id}?excludedAttributes=members with 200 and the "
                    + "group (RFC 7644 §3.4.1) for every id the group list returns.")
        }
        guard let group = response.jsonObject else {
            return .fail(
                "\(subject) is not a group object (\(bodyExcerpt(response, limit: 60)))",
                evidence: Evidence.exchange(byID),
                fix: "On the server: answer GET {Tenant URL}/Groups/{id} with the group as a SCIM JSON object.")
        }
        if let members = group["members"] { offenders.append((byID, members)) }

        let returnedBy = offenders.map { shortRequest($0.exchange) }.joined(separator: "; ")
        let honour =
            "On the server: honour excludedAttributes=members on every /Groups read (RFC 7644 §3.4.2.5): leave "
            + "the members attribute out entirely, not even an empty array."
        if !offenders.isEmpty, offenders.allSatisfy({ $0.members.array?.isEmpty == true }) {
            // Only empty arrays came back: the attribute is returned although excluded, but nothing here shows
            // whether a group with members would carry them all (what makes Entra's lookups fail or slow).
            return .warn(
                "excludedAttributes=members not honoured: members is returned although excluded (as an empty array, "
                    + "so whether a group's members would come back in full is not shown; returned by \(returnedBy))",
                evidence: offenders.flatMap {
                    [Evidence.request($0.exchange.request), Evidence("members", "[] (empty)")]
                },
                fix: honour)
        }
        guard offenders.isEmpty else {
            return .fail(
                "excludedAttributes=members ignored: Entra logs \(EntraErrorCode.multipleEntriesInResponse)"
                    + " / large groups make every lookup slow (members returned by \(returnedBy))",
                evidence: offenders.flatMap { offender in
                    [
                        Evidence.request(offender.exchange.request),
                        Evidence("members", describeMembers(offender.members)),
                    ]
                },
                fix: honour)
        }
        return .pass(
            "no members in the group list, the displayName filter or GET /Groups/\(sample.id)",
            evidence: [Evidence.request(pageExchange.request), Evidence.request(byID.request), .status(response)])
    }
}
