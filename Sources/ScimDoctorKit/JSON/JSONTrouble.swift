import Foundation

// MARK: - Bodies that do not parse

/// Why a body that does not parse as JSON is unusable, as precisely as one pass over it can tell: invalid UTF-8 (and
/// where), JSON cut short, or JSON nested deeper than parsers accept. Nil for a body that parses, an empty body, a body
/// the transport cut at its size cap (reported as too large), and any other syntax error.
struct JSONTrouble: Sendable {
    enum Kind: Sendable, Equatable {
        /// The first byte that is not UTF-8, its offset and the text before it.
        case invalidUTF8(byte: UInt8, offset: Int, before: String)
        /// The JSON stops with `unclosed` arrays/objects open, or inside a string.
        case truncated(bytes: Int, unclosed: Int, inString: Bool)
        /// Balanced JSON whose nesting exceeds what parsers accept.
        case tooDeep(levels: Int)
    }

    /// .NET's JSON readers (System.Text.Json, Newtonsoft.Json 13) stop at 64 levels unless configured otherwise.
    static let dotNetMaxDepth = 64

    let kind: Kind

    init?(_ response: HTTPResponse) {
        guard case .invalid = JSONBody(response), !response.bodyTruncated, !response.body.isEmpty else { return nil }
        let bytes = response.body
        if let bad = JSONTrouble.firstInvalidUTF8(bytes) {
            kind = bad
            return
        }
        var stack: [UInt8] = []
        var maxDepth = 0
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
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(byte)
                maxDepth = max(maxDepth, stack.count)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                // A closing bracket that does not match is a plain syntax error, not one of these.
                guard stack.last == (byte == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")) else {
                    return nil
                }
                stack.removeLast()
            default:
                break
            }
        }
        if inString || !stack.isEmpty {
            kind = .truncated(bytes: bytes.count, unclosed: stack.count, inString: inString)
        } else if maxDepth > JSONTrouble.dotNetMaxDepth {
            kind = .tooDeep(levels: maxDepth)
        } else {
            return nil
        }
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
