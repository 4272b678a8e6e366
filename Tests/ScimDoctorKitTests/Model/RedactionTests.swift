import Foundation
import Testing

@testable import ScimDoctorKit

/// Every form of the closed list (README "Security"), built here independently of `Redactor.forms`, must be gone
/// from the output, in any letter case, for a token that carries characters every encoding treats specially.
@Suite("Redaction")
struct RedactionTests {
    /// With a line break: the transport sends it without, so that form must be redacted as well.
    static let raw = "Bearer ab+c/d=e\"f<g>h&i'j~k_l.m-n\r\nOPQRSTUVWXYZ0123456789"
    static let sent = "ab+c/d=e\"f<g>h&i'j~k_l.m-nOPQRSTUVWXYZ0123456789"
    let token = Secret(raw)

    static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }
    static func everyBytePercent(_ text: String) -> String { text.utf8.map { String(format: "%%%02X", $0) }.joined() }
    static func everyUnicodeEscape(_ text: String) -> String {
        text.utf16.map { String(format: "\\u%04X", $0) }.joined()
    }
    static func nonAlphanumericEscape(_ text: String) -> String {
        text.unicodeScalars.map {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) ? String($0) : String(format: "\\u%04x", $0.value)
        }
        .joined()
    }
    static func htmlDecimal(_ text: String) -> String { text.unicodeScalars.map { "&#\($0.value);" }.joined() }
    static func htmlHex(_ text: String) -> String {
        text.unicodeScalars.map { "&#X\(String($0.value, radix: 16));" }.joined()
    }

    static let forms: [(String, String)] = [
        ("as given", raw), ("as sent", sent), ("upper case", sent.uppercased()),
        ("component percent", sent.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
        ("every byte percent", everyBytePercent(sent)), ("hex", hex(sent).uppercased()),
        ("JSON with \\/", sent.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "/", with: "\\/")),
        ("JSON every \\u", everyUnicodeEscape(sent)), ("JSON non-alphanumeric \\u", nonAlphanumericEscape(sent)),
        ("HTML decimal", htmlDecimal(sent)), ("HTML hex", htmlHex(sent)),
        ("base64", Data(sent.utf8).base64EncodedString()),
        ("base64 offset 1", Data(("x" + sent).utf8).base64EncodedString()),
        (
            "base64url offset 2",
            Data(("xy" + sent).utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
        ),
        ("Basic token:", Data((sent + ":").utf8).base64EncodedString()),
        ("Basic user:token", Data(("user:" + sent).utf8).base64EncodedString()),
    ]

    @Test("every form of the closed list is replaced by the fingerprint", arguments: forms.map(\.0))
    func everyForm(name: String) throws {
        let form = try #require(Self.forms.first { $0.0 == name }?.1)
        let output = token.redact("before \(form) after")
        #expect(output.hasPrefix("before ") && output.hasSuffix(" after"))
        #expect(output.contains(token.description), "\(name) not replaced: \(output)")
        #expect(!output.contains("OPQRSTUVWXYZ0123456789") && !output.lowercased().contains("4f505152535455"))
    }

    @Test("text without the token is returned unchanged, bytes that are not UTF-8 stay as they were")
    func untouched() {
        let text = "nothing here: OPQRS 0123 &#65; %41 \\u0041"
        #expect(token.redact(text) == text)
        let bytes = Data([0xFF, 0xFE]) + Data(Self.sent.utf8) + Data([0x80])
        let redacted = token.redact(bytes)
        #expect(redacted.prefix(2) == Data([0xFF, 0xFE]) && redacted.last == 0x80)
        #expect(!String(decoding: redacted, as: UTF8.self).contains("OPQRSTUVWXYZ"))
    }

    @Test("several secrets at once, each replaced by its own fingerprint")
    func severalSecrets() {
        let password = Secret("hunter2-correct-horse", name: "URL password")
        let redactor = Redactor([token, password])
        let output = redactor.redact("a \(Self.sent) b hunter2-correct-horse c")
        #expect(output == "a \(token.description) b \(password.description) c")
    }

    @Test("a short token is still fully replaced, and the fingerprint is what remains")
    func shortToken() {
        let short = Secret("abcd")
        #expect(short.redact("x abcd y ABCD") == "x [token 4 characters] y [token 4 characters]")
    }

    @Test("the Tenant URL's password, user name and non-flag query values are redacted with the token")
    func tenantURLSecrets() throws {
        let url = "https://admin:p%40ssw0rd!@scim.example.com/v2?aadOptscim062020&key=s3cr3t-key&x=1"
        let tenant = try #require(TenantURL(url))
        let token = Secret("the-token-value-1234").alsoRedacting(tenant.secrets)
        let shown = token.redact("url \(url) decoded p@ssw0rd! token the-token-value-1234")
        #expect(shown.contains("?aadOptscim062020&key=…&x=1"))
        #expect(!shown.contains("admin") && !shown.contains("ssw0rd") && !shown.contains("s3cr3t"))
        #expect(!shown.contains("the-token-value-1234"))
        #expect(tenant.hasCredentials && !(TenantURL("https://scim.example.com/v2")?.hasCredentials ?? true))
    }
}

@Suite("Redaction's percent forms")
struct RedactionPercentFormTests {
    /// What Foundation's encoder writes for the same sets: the forms are written by hand, byte by byte.
    @Test("each percent form is what Foundation's addingPercentEncoding writes")
    func matchFoundation() {
        let ascii = String(String.UnicodeScalarView((0x20...0x7E).compactMap(Unicode.Scalar.init)))
        for text in [ascii, "tök€n 👩‍💻 a+b", "plain-token_0123"] {
            let unreserved = CharacterSet(
                charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
            let alphanumeric = CharacterSet(
                charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            let sets = [
                unreserved, unreserved.union(CharacterSet(charactersIn: "/")),
                unreserved.union(CharacterSet(charactersIn: "!*'()")), alphanumeric, .urlQueryAllowed,
            ]
            var expected = sets.map { text.addingPercentEncoding(withAllowedCharacters: $0) ?? "" }
            expected.append(
                (text.addingPercentEncoding(withAllowedCharacters: unreserved.union(CharacterSet(charactersIn: " ")))
                    ?? "").replacingOccurrences(of: " ", with: "+"))
            expected.append(text.addingPercentEncoding(withAllowedCharacters: CharacterSet()) ?? "")
            #expect(Redactor.percentForms(text) == expected)
        }
    }
}
