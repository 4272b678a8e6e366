import Foundation

/// The pages a probe's source names: each "RFC 7644 §3.4.2.2" as its rfc-editor.org section, each Microsoft page
/// by its slug on learn.microsoft.com, Microsoft's SCIM reference code on GitHub. For `explain` and docs/probes.md.
enum SourceLinks {
    static func urls(in source: String) -> [String] {
        var urls: [String] = []
        func add(_ url: String) { if !urls.contains(url) { urls.append(url) } }
        // "RFC 7644 §3.4.2.2", "RFC 7644 §3.1 and §8.1", "RFC 7644 §3.4.2.2 (filtering), §3.4.2.5": each section.
        let rfc = /RFC (\d{3,5})((?:(?:\s*\([^)]*\))?\s*(?:,|and)?\s*§\d+(?:\.\d+)*)*)/
        for match in source.matches(of: rfc) {
            let number = match.output.1
            let sections = match.output.2.matches(of: /§(\d+(?:\.\d+)*)/).map(\.output.1)
            if sections.isEmpty { add("https://www.rfc-editor.org/rfc/rfc\(number)") }
            for section in sections { add("https://www.rfc-editor.org/rfc/rfc\(number)#section-\(section)") }
        }
        for match in source.matches(of: /\(([a-z0-9-]+)\)/) {
            if let url = EntraDocs.url(slug: String(match.output.1)) { add(url) }
        }
        if source.contains("AzureAD/SCIMReferenceCode") { add(EntraDocs.scimReferenceCode) }
        return urls
    }
}
