import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("JSON")
struct JSONParserTests {
    static func parse(_ text: String) -> Result<JSONDocument, JSONParser.Failure> { JSONParser.parse(Data(text.utf8)) }
    static func response(_ body: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: Data(body.utf8))
    }

    @Test("keys keep the order sent; lookups are case-insensitive with the exact spelling first")
    func order() throws {
        let value = try Self.parse(#"{"b":1,"A":"x","a":"y","list":[true,null,2.5]}"#).get().value
        #expect(value.members?.map(\.key) == ["b", "A", "a", "list"])
        #expect(value["a"] == .string("y") && value["B"] == .int(1))
        #expect(value["list"]?.array == [.bool(true), .null, .double(2.5)])
    }

    @Test("escapes, surrogate pairs and lone surrogates")
    func strings() throws {
        let value = try Self.parse(#"["a\"b\\c\/d\n\u00e9\ud83d\ude00", "\ud800x"]"#).get().value
        #expect(value.array?[0] == .string("a\"b\\c/d\né😀"))
        #expect(value.array?[1] == .string("\u{FFFD}x"))
    }

    @Test("numbers no Swift type holds are kept as text and reported, not refused")
    func outOfRange() throws {
        let digits = String(repeating: "9", count: 400)
        let document = try Self.parse(#"{"totalResults":\#(digits),"x":1e999999,"y":-0.5}"#).get()
        #expect(document.value["totalResults"] == .number(digits))
        #expect(document.value["x"] == .number("1e999999"))
        #expect(document.numbersOutOfRange == ["totalResults", "x"])
        #expect(JSONValue.describe(document.value["totalResults"]).contains("out of range"))
    }

    @Test("duplicate keys are kept (the first wins on lookup) and reported with their path")
    func duplicates() throws {
        let document = try Self.parse(#"{"Resources":[{"id":"1","userName":"a","userName":"b"}]}"#).get()
        #expect(document.duplicateKeys == ["Resources[0].userName"])
        #expect(document.value["Resources"]?.array?[0]["userName"] == .string("a"))
    }

    @Test(
        "what is not JSON is named precisely",
        arguments: [
            (#"{"a":[1,2"#, JSONParser.Failure.unexpectedEnd(unclosed: 2, inString: false)),
            (#"{"a":"unterminated"#, .unexpectedEnd(unclosed: 1, inString: true)),
            (#"{"a":01}"#, .unexpected(offset: 6)),
            (#"{"a":1} x"#, .trailing(offset: 8)), ("[tru]", .unexpected(offset: 4)),
            (#"{'a':1}"#, .unexpected(offset: 1)),
            ("\"a\u{1}b\"", .unexpected(offset: 2)),
        ])
    func failures(text: String, expected: JSONParser.Failure) {
        #expect(Self.parse(text) == .failure(expected))
    }

    @Test("nesting is bounded: no stack overflow on 100,000 brackets")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.parse(deep) == .failure(.tooDeep))
        guard case .failure(let trouble) = Self.response(deep).json else {
            Issue.record("a 100,000-deep body parsed")
            return
        }
        #expect(trouble.kind == .tooDeep(levels: 100_000))
    }

    @Test("a response's troubles: encoded, not UTF-8, cut at the cap, empty, and each said in words")
    func troubles() throws {
        let gzip = Self.response("\u{1F}\u{8B}", headers: [("Content-Encoding", "gzip")])
        #expect(
            try #require(JSONTrouble(gzip)).clause.contains("Content-Encoding: gzip, which scim-doctor did not ask"))
        let latin1 = HTTPResponse(status: 200, body: Data([0x7B, 0x22, 0xE9, 0x22, 0x7D]))
        #expect(try #require(JSONTrouble(latin1)).clause.contains("byte 0xE9 at offset 2"))
        var cut = Self.response(#"{"a":1}"#)
        cut.bodyTruncated = true
        guard case .failure(let trouble) = cut.json else { throw ProbeError("a cut body parsed") }
        #expect(trouble.kind == .cutAtCap(bytes: 7))
        #expect(JSONTrouble(Self.response("")) == nil)
    }

    @Test("a response is parsed once, and again only when its body changes")
    func parsedOnce() {
        var response = Self.response(#"{"id":"1"}"#)
        #expect(response.jsonObject?["id"] == .string("1"))
        let copy = response
        response.body = Data(#"{"id":"2"}"#.utf8)
        #expect(response.jsonObject?["id"] == .string("2"))
        #expect(copy.jsonObject?["id"] == .string("1"))
    }

    @Test("the text of a value parses back to the same value")
    func roundTrip() throws {
        let value = object([
            "s": .string("q\"\\\n\u{1}é"), "n": .int(-3), "d": .double(0.25), "big": .number("1e400"),
            "a": .array([.bool(false), .null]),
        ])
        #expect(try JSONParser.parse(value.data).get().value == value)
    }
}
