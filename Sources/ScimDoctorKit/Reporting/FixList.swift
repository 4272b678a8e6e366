import Foundation

/// The report's "What to fix": every failure, error and warning reduced to the one change it asks for; failures
/// first, and among them root causes first. A root cause is a problem none of whose dependencies (direct or not)
/// failed; the others are listed after the roots they may follow from, so the reader fixes the first line first.
public struct FixList: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        /// Every probe asking for this change (one change named by several probes is one line).
        public var probes: [ProbeID]
        /// The worst status among them.
        public var status: Status
        /// The remediation's first sentence: the change to make.
        public var change: String
        /// Root-cause probes this one may follow from; empty for a root cause.
        public var followsFrom: [ProbeID]
    }

    public var items: [Item]

    /// `dependencies`: each probe's prerequisites, from the catalogue (the reporter knows no probe types).
    public init(_ results: [ProbeResult], dependencies: [ProbeID: [ProbeID]]) {
        let problems = results.filter { [.fail, .error, .warn].contains($0.status) }
        // What a problem may follow from: a failure or error upstream (a warning upstream did not stop anything).
        let blockingIDs = Set(problems.filter { $0.status != .warn }.map(\.id))
        func upstream(_ id: ProbeID) -> [ProbeID] {
            var seen: [ProbeID] = []
            var queue = dependencies[id] ?? []
            while let next = queue.popLast() {
                guard !seen.contains(next) else { continue }
                seen.append(next)
                queue += dependencies[next] ?? []
            }
            return seen
        }
        func rank(_ status: Status) -> Int { status == .warn ? 1 : 0 }
        let follows = Dictionary(
            problems.map { ($0.id, upstream($0.id).filter(blockingIDs.contains)) }, uniquingKeysWith: { a, _ in a })
        // Failures (and errors) before warnings; within each, root causes before what may follow from them; then
        // report order.
        let ordered = problems.enumerated().sorted { a, b in
            if rank(a.element.status) != rank(b.element.status) {
                return rank(a.element.status) < rank(b.element.status)
            }
            let aRoot = follows[a.element.id]?.isEmpty ?? true
            let bRoot = follows[b.element.id]?.isEmpty ?? true
            if aRoot != bRoot { return aRoot }
            return a.offset < b.offset
        }.map(\.element)
        var items: [Item] = []
        for result in ordered {
            let change = Self.firstSentence(result.remediation ?? result.finding)
            if let same = items.firstIndex(where: { $0.change == change }) {
                items[same].probes.append(result.id)
                if rank(result.status) < rank(items[same].status) { items[same].status = result.status }
                continue
            }
            items.append(
                Item(probes: [result.id], status: result.status, change: change, followsFrom: follows[result.id] ?? []))
        }
        self.items = items
    }

    public var isEmpty: Bool { items.isEmpty }

    /// The text up to the first full stop that ends a sentence: outside quotes and brackets, followed by a space
    /// and a capital (or the end), and not an abbreviation such as "e.g.".
    static func firstSentence(_ text: String) -> String {
        let characters = Array(text)
        var depth = 0
        var quoted = false
        for (index, character) in characters.enumerated() {
            switch character {
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            case "\"": quoted.toggle()
            case ".", "!", "?":
                guard depth == 0, !quoted else { continue }
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                guard next == nil || next == " " else { continue }
                if let next, next == " ", index + 2 < characters.count,
                    !characters[index + 2].isUppercase, !characters[index + 2].isNumber
                {
                    continue
                }
                let word = String(characters[..<index]).split(separator: " ").last.map(String.init) ?? ""
                if ["e.g", "i.e", "etc", "vs", "cf"].contains(word.lowercased()) { continue }
                if !word.isEmpty, word.allSatisfy(\.isNumber) { continue }  // "1. Do this. 2. Then that."
                return String(characters[...index])
            default: continue
            }
        }
        return text
    }
}
