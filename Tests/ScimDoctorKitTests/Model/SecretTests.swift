import Testing

@testable import ScimDoctorKit

@Suite("Secret")
struct SecretTests {
    let token = Secret("abcd/efgh+ijkl/mnop1234SECRETXYZ")

    @Test(
        "redacts the token as servers echo it: raw, JSON-escaped, after a pasted Bearer",
        arguments: [
            "raw abcd/efgh+ijkl/mnop1234SECRETXYZ", #"php {"t":"abcd\/efgh+ijkl\/mnop1234SECRETXYZ"}"#,
            #"dotnet abcd/efgh\u002Bijkl/mnop1234SECRETXYZ"#, #"both abcd\/efgh\u002Bijkl\/mnop1234SECRETXYZ"#,
        ])
    func redactsEchoedForms(text: String) {
        let redacted = token.redact(text)
        #expect(!redacted.contains("mnop1234SECRETXYZ"))
        #expect(redacted.contains("[token …TXYZ (32 characters)]"))
    }

    @Test(
        "redacts encoded forms, and every form in any letter case",
        arguments: [
            "query token=abcd%2Fefgh%2Bijkl%2Fmnop1234SECRETXYZ", "lower abcd%2fefgh%2bijkl%2fmnop1234secretxyz",
            "upper ABCD/EFGH+IJKL/MNOP1234SECRETXYZ",
            "hex 616263642f656667682b696a6b6c2f6d6e6f703132333453454352455458595a",
        ])
    func redactsEncodedForms(text: String) {
        #expect(token.redact(text).contains("[token …TXYZ (32 characters)]"))
    }

    @Test("prints only the fingerprint, however it is printed")
    func neverPrinted() {
        #expect("\(token)" == "[token …TXYZ (32 characters)]")
        #expect(String(reflecting: token) == "[token …TXYZ (32 characters)]")
        #expect(Secret("short").fingerprint == "5 characters")
        #expect(Secret("T").fingerprint == "1 character")
    }
}
