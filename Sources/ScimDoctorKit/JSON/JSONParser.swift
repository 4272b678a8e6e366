import Foundation

/// A body read as JSON: the value, with its object keys in the order sent, and what is odd but legal about it.
public struct JSONDocument: Sendable, Equatable {
    public let value: JSONValue
    /// Paths of object keys that occur twice in one object (`Resources[0].userName`): RFC 8259 §4 leaves the
    /// meaning open, and parsers disagree (the first or the last wins), so a server must not send them.
    public let duplicateKeys: [String]
    /// Paths of numbers no Swift integer or finite double holds (400 digits, `1e999999`): valid JSON, kept as text.
    public let numbersOutOfRange: [String]
}

/// A recursive-descent JSON parser (RFC 8259) that never trusts its input: bounded depth, no crash on any byte
/// sequence, and a precise reason when the input is not JSON. Numbers that fit no Swift type are kept as their
/// text rather than refused; duplicate keys are kept (the first wins on lookup) and reported.
enum JSONParser {
    /// Deeper nesting is refused (it is never needed, and bounds the recursion).
    static let defaultMaxDepth = 512

    enum Failure: Error, Equatable {
        case unexpectedEnd(unclosed: Int, inString: Bool)
        case unexpected(offset: Int)
        case tooDeep
        case trailing(offset: Int)
    }

    static func parse(_ data: Data, maxDepth: Int = defaultMaxDepth) -> Result<JSONDocument, Failure> {
        var parser = Parser(bytes: [UInt8](data), maxDepth: maxDepth)
        do {
            parser.skipSpace()
            let value = try parser.value(depth: 1)
            parser.skipSpace()
            guard parser.index == parser.bytes.count else { return .failure(.trailing(offset: parser.index)) }
            return .success(
                JSONDocument(
                    value: value, duplicateKeys: parser.duplicates, numbersOutOfRange: parser.outOfRange))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(.unexpected(offset: parser.index))
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var index = 0
        var open = 0
        var duplicates: [String] = []
        var outOfRange: [String] = []

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func end(inString: Bool = false) -> Failure { .unexpectedEnd(unclosed: open, inString: inString) }

        /// Where the parser is (`emails[0].value`), as steps: rendered only for a finding (a duplicate key, a number
        /// out of range), not built for every value of every body.
        private enum Step {
            case key(String)
            case index(Int)
        }
        private var steps: [Step] = []

        private func path(adding last: Step? = nil) -> String {
            var text = ""
            for step in steps + (last.map { [$0] } ?? []) {
                switch step {
                case .key(let key): text = text.isEmpty ? key : "\(text).\(key)"
                case .index(let index): text += "[\(index)]"
                }
            }
            return text
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth <= maxDepth else { throw Failure.tooDeep }
            guard index < bytes.count else { throw end() }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw Failure.unexpected(offset: index)
            }
        }

        mutating func literal(_ word: String, _ value: JSONValue) throws -> JSONValue {
            for byte in word.utf8 {
                guard index < bytes.count else { throw end() }
                guard bytes[index] == byte else { throw Failure.unexpected(offset: index) }
                index += 1
            }
            return value
        }

        mutating func object(depth: Int) throws -> JSONValue {
            index += 1
            open += 1
            var members: [JSONValue.Member] = []
            var keys: Set<String> = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                open -= 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < bytes.count else { throw end() }
                guard bytes[index] == UInt8(ascii: "\"") else { throw Failure.unexpected(offset: index) }
                let key = try string()
                if !keys.insert(key).inserted { duplicates.append(path(adding: .key(key))) }
                skipSpace()
                guard index < bytes.count else { throw end() }
                guard bytes[index] == UInt8(ascii: ":") else { throw Failure.unexpected(offset: index) }
                index += 1
                skipSpace()
                steps.append(.key(key))
                members.append(JSONValue.Member(key: key, value: try value(depth: depth + 1)))
                steps.removeLast()
                skipSpace()
                guard index < bytes.count else { throw end() }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw Failure.unexpected(offset: index) }
                index += 1
                open -= 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws -> JSONValue {
            index += 1
            open += 1
            var elements: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                open -= 1
                return .array(elements)
            }
            while true {
                skipSpace()
                steps.append(.index(elements.count))
                elements.append(try value(depth: depth + 1))
                steps.removeLast()
                skipSpace()
                guard index < bytes.count else { throw end() }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { throw Failure.unexpected(offset: index) }
                index += 1
                open -= 1
                return .array(elements)
            }
        }

        mutating func string() throws -> String {
            index += 1
            let start = index
            var scalars = String.UnicodeScalarView()
            var run = index  // start of the bytes copied as they are
            func flush(_ upTo: Int) {
                scalars.append(contentsOf: String(decoding: bytes[run..<upTo], as: UTF8.self).unicodeScalars)
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\""), run == start {
                    // No escape in it (most strings): the bytes are the string.
                    index += 1
                    return String(decoding: bytes[start..<index - 1], as: UTF8.self)
                }
                if byte == UInt8(ascii: "\"") {
                    flush(index)
                    index += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw Failure.unexpected(offset: index) }
                guard byte == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                flush(index)
                index += 1
                guard index < bytes.count else { throw end(inString: true) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let unit = try hex4()
                    if (0xD800..<0xDC00).contains(unit), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low),
                            let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                        {
                            scalars.append(scalar)
                        } else {
                            scalars.append("\u{FFFD}")
                            if let second = Unicode.Scalar(low) {
                                scalars.append(second)
                            } else {
                                scalars.append("\u{FFFD}")
                            }
                        }
                    } else {
                        // A lone surrogate cannot be a Swift character: shown as U+FFFD.
                        scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    }
                default: throw Failure.unexpected(offset: index - 1)
                }
                run = index
            }
            throw end(inString: true)
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard index < bytes.count else { throw end(inString: true) }
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw Failure.unexpected(offset: index)
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        mutating func number() throws -> JSONValue {
            let start = index
            func digits() -> Int {
                let from = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - from
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { throw end() }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                throw Failure.unexpected(offset: index)
            }
            var integral = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                integral = false
                index += 1
                guard digits() > 0 else { throw index < bytes.count ? Failure.unexpected(offset: index) : end() }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                integral = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                guard digits() > 0 else { throw index < bytes.count ? Failure.unexpected(offset: index) : end() }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if integral, let int = Int(text) { return .int(int) }
            if !integral, let double = Double(text), double.isFinite { return .double(double) }
            let path = path()
            outOfRange.append(path.isEmpty ? "(the whole body)" : path)
            return .number(text)
        }
    }
}
