import Foundation

/// Why a body is not JSON a client can use, as precisely as one pass over it can tell: empty, cut at the size cap,
/// in a Content-Encoding nobody asked for, not UTF-8 (and where), cut short, nested deeper than Entra's .NET readers
/// accept, or a syntax error at an offset. `JSONTrouble.parse` is the one reading of a body as JSON.
public struct JSONTrouble: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case empty
        /// The transport cut the body at its size cap.
        case cutAtCap(bytes: Int)
        /// A `Content-Encoding` (gzip, br, …) that scim-doctor did not ask for, so the bytes are not text.
        case encoded(String)
        /// The first byte that is not UTF-8, its offset and the text before it.
        case invalidUTF8(byte: UInt8, offset: Int, before: String)
        /// The JSON stops with `unclosed` arrays/objects open, or inside a string.
        case truncated(bytes: Int, unclosed: Int, inString: Bool)
        /// Balanced JSON whose nesting exceeds what parsers accept.
        case tooDeep(levels: Int)
        /// Not JSON from this byte on.
        case syntax(offset: Int, near: String)
    }

    /// .NET's JSON readers (System.Text.Json, Newtonsoft.Json 13) stop at 64 levels unless configured otherwise.
    static let dotNetMaxDepth = 64

    public let kind: Kind

    /// The body of `response` as JSON, or why it is not.
    static func parse(_ response: HTTPResponse) -> Result<JSONDocument, JSONTrouble> {
        let bytes = response.body
        if response.bodyTruncated { return .failure(JSONTrouble(kind: .cutAtCap(bytes: bytes.count))) }
        if bytes.isEmpty { return .failure(JSONTrouble(kind: .empty)) }
        if let encoding = response.header("Content-Encoding")?.trimmingWhitespace().lowercased(),
            !encoding.isEmpty, encoding != "identity"
        {
            return .failure(JSONTrouble(kind: .encoded(encoding)))
        }
        if let bad = firstInvalidUTF8(bytes) { return .failure(JSONTrouble(kind: bad)) }
        switch JSONParser.parse(bytes, maxDepth: dotNetMaxDepth) {
        case .success(let document): return .success(document)
        case .failure(.unexpectedEnd(let unclosed, let inString)):
            return .failure(JSONTrouble(kind: .truncated(bytes: bytes.count, unclosed: unclosed, inString: inString)))
        case .failure(.tooDeep):
            return .failure(JSONTrouble(kind: .tooDeep(levels: maximumNesting(bytes))))
        case .failure(.unexpected(let offset)), .failure(.trailing(let offset)):
            let near = String(decoding: bytes.dropFirst(offset).prefix(20), as: UTF8.self)
            return .failure(JSONTrouble(kind: .syntax(offset: offset, near: near)))
        }
    }

    /// The troubles the list readers name precisely (the rest they word themselves); nil for a body that parses.
    init?(_ response: HTTPResponse) {
        guard case .failure(let trouble) = response.json else { return nil }
        switch trouble.kind {
        case .invalidUTF8, .truncated, .tooDeep, .encoded: self = trouble
        case .empty, .cutAtCap, .syntax: return nil
        }
    }

    init(kind: Kind) { self.kind = kind }

    /// How deep the brackets nest, outside strings.
    private static func maximumNesting(_ bytes: Data) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// Completes "HTTP 200 but …" (or "… is not a SCIM ListResponse: …").
    var clause: String {
        switch kind {
        case .invalidUTF8(let byte, let offset, let before):
            let hex = String(byte, radix: 16, uppercase: true)
            let latin1 = byte >= 0x80 ? " (Latin-1 or Windows-1252 text labelled as UTF-8?)" : ""
            return "the body is not valid UTF-8: byte 0x\(hex) at offset \(offset), after \"…\(before)\"\(latin1)"
        case .truncated(let bytes, let unclosed, let inString):
            let open =
                inString
                ? "inside a string" + (unclosed > 0 ? " with \(unclosed) bracket(s) unclosed" : "")
                : "with \(unclosed) bracket(s) unclosed"
            return "the JSON is cut short: it stops after \(bytes) bytes \(open)"
        case .tooDeep(let levels):
            return "the JSON nests \(levels) levels deep: parsers refuse that (.NET's JSON readers stop at "
                + "\(JSONTrouble.dotNetMaxDepth) levels by default)"
        case .encoded(let encoding):
            return
                "the body is sent with Content-Encoding: \(encoding), which scim-doctor did not ask for (it sends no "
                + "Accept-Encoding), so its bytes are not JSON text"
        case .empty: return "the body is empty"
        case .cutAtCap(let bytes): return "the body is too large: more than \(bytes) bytes, so scim-doctor cut it there"
        case .syntax(let offset, _):
            return "the body is not valid JSON: it breaks at offset \(offset)"
        }
    }

    var fix: String {
        switch kind {
        case .invalidUTF8:
            "On the server: encode every response in UTF-8 (RFC 8259 §8.1), as its Content-Type charset says; text "
                + "from a Latin-1 or Windows-1252 source must be converted."
        case .truncated:
            "On the server or the proxy in front of it: send the whole body; a Content-Length smaller than the body, "
                + "a buffer limit or a crash mid-response cuts it."
        case .tooDeep:
            "On the server: answer with a plain SCIM ListResponse; no member needs more than a few levels of nesting."
        case .encoded:
            "On the server or the proxy in front of it: compress only when the client sends Accept-Encoding (RFC 9110 "
                + "§12.5.3); Entra's requests may not ask for it."
        case .empty, .cutAtCap, .syntax:
            "On the server: answer with a SCIM JSON document (application/scim+json), complete and well-formed."
        }
    }

    /// The first byte sequence that is not UTF-8, with up to 40 characters of text before it.
    private static func firstInvalidUTF8(_ bytes: Data) -> Kind? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .error:
                let start = max(0, offset - 160)
                let text = String(
                    decoding: bytes[(bytes.startIndex + start)..<(bytes.startIndex + offset)], as: UTF8.self)
                let before = String(text.suffix(40)).unicodeScalars.map { $0.value < 0x20 ? " " : String($0) }
                    .joined()
                return .invalidUTF8(byte: bytes[bytes.startIndex + offset], offset: offset, before: before)
            case .emptyInput:
                return nil
            }
        }
    }
}
