import Foundation

/// `--format markdown`: the report for a support ticket, rendered by GitHub (and most trackers) as is.
///
/// What the reader needs first comes first: the one-line result, a short header (the Tenant URL as host and path
/// only, the time, the tool version, the token's fingerprint), "What to fix" (one line per change, root causes
/// first), one section per failing, warning or erroring probe with its evidence (in a code block) and its fix,
/// for a write run the Cleanup block, and last the table of every probe, folded in a `<details>` block (GitHub
/// and GitLab render it; elsewhere it shows as a plain table). The Tenant URL's query string is shown as `?…`
/// everywhere (it may carry a secret). Every text from a server or the user is escaped, so a `|`, a backtick or
/// markup in a finding cannot break the layout. Only the times differ between two runs.
public enum MarkdownReporter {
    public static func render(
        _ report: RunReport, strict: Bool = false, dependencies: [ProbeID: [ProbeID]] = [:]
    ) -> String {
        let url = tenantURL(report.target.tenantURL)
        let results = report.results.map { hidingQuery(url.query, in: $0) }
        var text = "# scim-doctor report\n\n**\(result(report))**\n\n"
        var urlNote: [String] = []
        if let scheme = url.scheme { urlNote.append(inline(scheme)) }
        if url.query != nil { urlNote.append("query string shown as ?…") }
        if !report.target.tenantURL.isEmpty {
            text +=
                "- **Tenant URL:** \(code(url.hostAndPath))"
                + (urlNote.isEmpty ? "" : " (\(urlNote.joined(separator: "; ")))") + "\n"
        }
        if let entra = report.target.entra {
            text +=
                "- **Entra side:** \(inline(entra.application)) in \(inline(entra.tenant)) through \(code(entra.graph))"
                + (entra.overrides.isEmpty
                    ? "" : " (\(entra.overrides.map { inline($0) }.joined(separator: ", ")) in effect)")
                + "\n"
        }
        text += "- **Time:** \(inline(report.startedAt)), \(seconds(report.durationMs))\n"
        text += "- **Tool:** scim-doctor \(inline(report.tool.version)) (\(inline(report.tool.libcurl)))\n"
        let secret = report.target.tenantURL.isEmpty ? "Graph token" : "Secret Token"
        text += "- **\(secret):** \(inline(report.target.tokenFingerprint)) (its fingerprint: the token itself "
        text += "is never in this report)\n"
        var options: [String] = []
        if report.target.insecure { options.append("`--insecure`: certificates were not verified") }
        if report.target.localEndpoint {
            options.append("local endpoint: every address is loopback, fine for testing, but Entra cannot reach it")
        }
        if strict { options.append("`--strict`: warnings count as failures") }
        if !options.isEmpty { text += "- **Options:** \(options.joined(separator: "; "))\n" }

        let fixes = FixList(results, dependencies: dependencies)
        if !fixes.isEmpty {
            text += "\n## What to fix\n\n"
            for (number, item) in fixes.items.enumerated() {
                let probes = item.probes.map { code($0.rawValue) }.joined(separator: ", ")
                let follows =
                    item.followsFrom.isEmpty
                    ? "" : " (may follow from \(item.followsFrom.map { code($0.rawValue) }.joined(separator: ", ")))"
                text += "\(number + 1). \(label(item.status)) \(probes)\(follows): \(inline(item.change))\n"
            }
        }

        let detailed = results.filter { [.fail, .warn, .error].contains($0.status) }
        text += "\n## Failures and warnings\n\n"
        if detailed.isEmpty { text += "No probe failed, warned or could not run.\n" }
        for probe in detailed { text += section(probe) }

        if let cleanup = report.cleanup { text += self.cleanup(cleanup) }

        text += (text.hasSuffix("\n\n") ? "" : "\n") + "## All probes\n\n"
        text += "<details>\n<summary>\(results.count) probes: \(result(report))</summary>\n\n"
        text += "| Status | Probe | Finding |\n| --- | --- | --- |\n"
        for probe in results {
            text += "| \(label(probe.status)) | \(code(probe.id.rawValue, inTable: true)) | \(cell(probe.finding)) |\n"
        }
        text += "\n</details>\n"
        text += "\n---\n\n\(inline(EntraMessages.changesTakeTime))\n"
        return text
    }

    /// The result with the Tenant URL's query string (`query`, as given) replaced by `…` in every text.
    static func hidingQuery(_ query: String?, in result: ProbeResult) -> ProbeResult {
        guard let query, !query.isEmpty else { return result }
        let forms = Set([query, PercentEncoding.encoded(query, keeping: PercentEncoding.isQuery)])
        func hide(_ text: String) -> String {
            forms.reduce(text) { $0.replacingOccurrences(of: "?" + $1, with: "?…") }
        }
        var copy = result
        copy.finding = hide(result.finding)
        copy.evidence = result.evidence.map { Evidence(hide($0.label), hide($0.value)) }
        copy.remediation = result.remediation.map(hide)
        return copy
    }

    /// One failing, warning or erroring probe: finding, evidence, fix.
    static func section(_ probe: ProbeResult) -> String {
        var text = "### \(label(probe.status)): \(code(probe.id.rawValue))\n\n"
        text += "*\(inline(probe.section.title)) — \(inline(probe.title))*\n\n"
        text += "**Finding:** \(inline(probe.finding))\n\n"
        if probe.status == .error {
            text += "scim-doctor could not complete this probe: its own error, not a finding about the server.\n\n"
        }
        if !probe.evidence.isEmpty {
            let lines = probe.evidence.map { evidence in
                HumanReporter.pad(evidence.label, 9) + " "
                    + evidence.value.replacingOccurrences(of: "\r\n", with: "\n")
                    .replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: 10))
            }
            text += "**Evidence:**\n\n" + codeBlock(lines.joined(separator: "\n"), language: "text") + "\n"
        }
        if let remediation = probe.remediation { text += "**Fix:** \(inline(remediation))\n\n" }
        return text
    }

    static func cleanup(_ cleanup: RunReport.Cleanup) -> String {
        var text = "\n## Cleanup (run \(code(cleanup.tag)))\n\n"
        if cleanup.deleted.isEmpty, cleanup.leftovers.isEmpty {
            text += "Nothing was created, so nothing had to be deleted.\n"
        }
        if !cleanup.deleted.isEmpty {
            let count = cleanup.deleted.count
            text += "Deleted \(count) test resource\(count == 1 ? "" : "s"):\n\n"
            for resource in cleanup.deleted {
                text += "- \(inline(resource.kind.singular)) \(code(resource.label)) (id \(code(resource.id)))\n"
            }
        }
        if !cleanup.leftovers.isEmpty {
            text += "\n**Left in the tenant** (each makes the exit code 1):\n\n"
            text += "| Kind | Name | Id | Why it remains |\n| --- | --- | --- | --- |\n"
            for leftover in cleanup.leftovers {
                text +=
                    "| \(cell(leftover.kind.singular)) | \(cell(leftover.label)) | \(cell(leftover.id)) "
                    + "| \(cell(leftover.reason)) |\n"
            }
            let commands =
                cleanup.leftovers.map(\.command)
                + ["scim-doctor cleanup <tenant-url> --yes   # finds every resource tagged scim-doctor-<run id>"]
            text += "\nTo remove them:\n\n" + codeBlock(commands.joined(separator: "\n"), language: "sh")
        }
        return text
    }

    static func result(_ report: RunReport) -> String {
        let summary = report.summary
        var parts: [String] = []
        if summary.fail > 0 { parts.append("\(summary.fail) failed") }
        if summary.error > 0 { parts.append("\(summary.error) could not run") }
        if summary.warn > 0 { parts.append("\(summary.warn) warning\(summary.warn == 1 ? "" : "s")") }
        parts.append("\(summary.pass) passed")
        if summary.skip > 0 { parts.append("\(summary.skip) skipped") }
        return parts.joined(separator: ", ") + "; exit code \(report.exitCode)"
    }

    static func label(_ status: Status) -> String {
        switch status {
        case .pass: "✓ pass"
        case .warn: "! warning"
        case .fail: "✗ fail"
        case .skip: "– skipped"
        case .error: "? error"
        }
    }

    static func seconds(_ milliseconds: Int) -> String {
        "\(NumberText.oneDecimal(Double(max(0, milliseconds)) / 1000)) s"
    }

    /// The Tenant URL as host (with port) and path: no scheme, no user information, no query or fragment (a
    /// query may carry a secret, and is not the ticket's business). The scheme and the query are returned apart.
    static func tenantURL(_ raw: String) -> (hostAndPath: String, scheme: String?, query: String?) {
        var rest = Substring(raw.trimmingWhitespaceAndNewlines())
        var scheme: String?
        if let separator = rest.range(of: "://") {
            scheme = String(rest[..<separator.lowerBound]).lowercased()
            rest = rest[separator.upperBound...]
        }
        var query: String?
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            if let mark = rest[end...].firstIndex(of: "?") {
                query = String(rest[rest.index(after: mark)...].prefix { $0 != "#" })
            }
            rest = rest[..<end]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return (String(rest), scheme, query)
    }

    /// Text for a paragraph or list item: on one line, every character Markdown (or GitHub's math and tables)
    /// could read as markup escaped with a backslash, HTML's `<` and `&` included; controls made visible.
    static func inline(_ text: String, inTable: Bool = false) -> String {
        // A URL (a server's Location, a request line) must not become a link a reader clicks: GitHub links any
        // `scheme://…` or `www.…` in text, but nothing inside a code span.
        let words = visible(text).replacingOccurrences(of: "\n", with: " ").split(
            separator: " ", omittingEmptySubsequences: false)
        if words.contains(where: isLinkLike) {
            return words.map { isLinkLike($0) ? code(String($0), inTable: inTable) : escaped(String($0)) }
                .joined(separator: " ")
        }
        return escaped(visible(text))
    }

    private static func isLinkLike(_ word: Substring) -> Bool {
        word.contains("://") || word.lowercased().hasPrefix("www.") || word.contains("@") && word.contains(".")
    }

    private static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += " "
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "$", "#", "!", "{", "}":
                out += "\\"
                out.unicodeScalars.append(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A table cell: as `inline` (which escapes `|` too), and never empty.
    static func cell(_ text: String) -> String {
        let escaped = inline(text, inTable: true).trimmingWhitespace()
        return escaped.isEmpty ? " " : escaped
    }

    /// A code span that survives any content: fenced with one backtick more than the longest run inside, and
    /// padded with spaces when the content starts or ends with a backtick. In a table, `|` is escaped: GitHub
    /// splits cells on it even inside code spans (and shows `\|` there as `|`); elsewhere it stays as it is.
    static func code(_ text: String, inTable: Bool = false) -> String {
        var content = visible(text).replacingOccurrences(of: "\n", with: " ")
        if inTable { content = content.replacingOccurrences(of: "|", with: "\\|") }
        let fence = String(repeating: "`", count: longestRun(of: "`", in: content) + 1)
        let padded = content.hasPrefix("`") || content.hasSuffix("`") || content.isEmpty ? " \(content) " : content
        return fence + padded + fence
    }

    /// A fenced code block whose fence is longer than any backtick run in the content.
    static func codeBlock(_ text: String, language: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: text) + 1))
        return fence + language + "\n" + visible(text) + "\n" + fence + "\n"
    }

    static func longestRun(of character: Character, in text: String) -> Int {
        var longest = 0
        var current = 0
        for each in text {
            current = each == character ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    /// Control characters (other than newline and tab) as Unicode's control pictures (␀…␟, ␡), carriage returns
    /// as line ends, and every other character `PrintableText` calls unprintable (C1 controls, bidi overrides,
    /// zero-width characters, unusual spaces) as `<U+200B>`, so nothing invisible or terminal-controlling reaches
    /// the ticket unseen.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            switch scalar {
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r": out += "\n"
            case "\u{0}"..."\u{1F}": out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}")
            case "\u{7F}": out += "\u{2421}"
            case _ where PrintableText.isUnprintable(scalar):
                out += "<U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(4))>"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    /// Zero-padded on the left to `width` characters.
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
