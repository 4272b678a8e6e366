import Foundation
import Testing

/// Keeps the house as it is drawn (README "How it is built"): each subject's facts live in its own folder, and
/// these rules fail the build's tests the moment they are copied elsewhere. They read `Sources/` as text.
@Suite("Source layout")
struct SourceLayoutTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every Swift file under `Sources/`, by its path below it, with its text.
    static let files: [(path: String, text: String)] = {
        let root = sources.standardizedFileURL.path + "/"
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var files: [(String, String)] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", let text = try? String(contentsOf: url, encoding: .utf8) else {
                continue
            }
            files.append((String(url.standardizedFileURL.path.dropFirst(root.count)), text))
        }
        return files.sorted { $0.0 < $1.0 }
    }()

    static let entra = "ScimDoctorKit/Entra/"

    @Test("the sources are found")
    func found() {
        #expect(Self.files.count > 50)
    }

    @Test("portal locations (the ▸ separator) and Entra's error codes are spelled only in Entra/")
    func entraKnowledge() {
        for file in Self.files where !file.path.hasPrefix(Self.entra) {
            #expect(!file.text.contains("▸"), "\(file.path) spells a portal location: use EntraPortal")
            #expect(
                !file.text.contains("SystemForCrossDomainIdentityManagement"),
                "\(file.path) spells an Entra error code: use EntraErrorCode")
        }
    }

    @Test("no untyped JSON: JSONValue is the one JSON type")
    func oneJSON() {
        for file in Self.files {
            #expect(!file.text.contains("[String: any Sendable]"), "\(file.path) holds untyped JSON")
            #expect(!file.text.contains("JSONSerialization"), "\(file.path) parses JSON outside JSONParser")
        }
    }

    @Test("each SCIM URN is spelled once")
    func urnsOnce() throws {
        let urn = try Regex(#""urn:ietf:params:scim:[^"\\]*""#)
        var seen: [String: [String]] = [:]
        for file in Self.files {
            for match in file.text.matches(of: urn) {
                seen[String(file.text[match.range]), default: []].append(file.path)
            }
        }
        #expect(seen.count >= 8)
        for (literal, places) in seen.sorted(by: { $0.key < $1.key }) {
            #expect(places.count == 1, "\(literal) is spelled in \(places): use SchemaURN")
        }
    }

    @Test("no source file over 450 lines")
    func fileSize() {
        for file in Self.files {
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= 450, "\(file.path) has \(lines) lines")
        }
    }

    @Test("Model, Engine, Transport, Reporting, JSON, SCIM, Evidence, Entra and Graph refer to no CLI or probe type")
    func layers() throws {
        let declaration = try Regex(
            #"(?m)^(?:public |private |fileprivate |internal |final )*(?:struct|enum|class|actor|protocol) (\w+)"#)
        func names(in folder: String) -> Set<String> {
            var names: Set<String> = []
            for file in Self.files where file.path.hasPrefix("ScimDoctorKit/\(folder)/") {
                for match in file.text.matches(of: declaration) {
                    if let name = match.output[1].substring { names.insert(String(name)) }
                }
            }
            return names
        }
        let upper = names(in: "Probes").union(names(in: "CLI"))
        #expect(upper.contains("ListPage") && upper.contains("CheckCommand"))
        let lower = ["Model", "Engine", "Transport", "Reporting", "JSON", "SCIM", "Evidence", "Entra", "Graph"]
        for file in Self.files where lower.contains(where: { file.path.hasPrefix("ScimDoctorKit/\($0)/") }) {
            let code = file.text.split(separator: "\n").map {
                $0.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            }
            .joined(separator: "\n")
            for name in upper.sorted() where code.contains(try Regex("\\b\(name)\\b")) {
                Issue.record("\(file.path) refers to \(name), declared in Probes/ or CLI/")
            }
        }
    }
}
