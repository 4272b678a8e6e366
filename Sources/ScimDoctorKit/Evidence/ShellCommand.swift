import Foundation

/// Commands the report tells the reader to paste into a shell. Every word is quoted for a POSIX shell, so that
/// nothing a server chose (an id such as `x'$(touch .pwned)'`) can run: a word is wrapped in single quotes, and
/// a single quote inside it is written `'\''`. A word with a control character (which a terminal paste does not
/// reproduce faithfully) is never printed as a command.
public enum ShellCommand {
    /// The word quoted for a POSIX shell; nil when it holds a control character.
    public static func quote(_ word: String) -> String? {
        guard !word.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `curl -X DELETE -H "Authorization: Bearer $SCIM_TOKEN" '<url>'`: the token stays in the reader's variable.
    public static func delete(url: String) -> String? {
        quote(url).map { #"curl -X DELETE -H "Authorization: Bearer $SCIM_TOKEN" "# + $0 }
    }

    /// What stands where a command cannot be given: a shell comment, harmless if pasted.
    public static func none(_ why: String) -> String {
        "# no command: "
            + why.unicodeScalars.filter { $0.properties.generalCategory != .control }.map(String.init)
            .joined()
    }
}
