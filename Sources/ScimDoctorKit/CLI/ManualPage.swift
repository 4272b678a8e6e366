import Foundation

/// `scim-doctor --generate-manual`: the man page (roff), made from the help texts: one section per command.
enum ManualPage {
    static func render() -> String {
        var text = ".TH SCIM-DOCTOR 1 \"\" \"scim-doctor \(Help.version)\" \"User Commands\"\n"
        text +=
            ".SH NAME\nscim-doctor \\- diagnose a SCIM 2.0 endpoint the way Microsoft Entra ID provisioning sees it\n"
        text += ".SH SYNOPSIS\n.nf\n"
        for command in CommandSpec.all {
            let positional = command.positional.map { " \\fI<\($0)>\\fR" } ?? ""
            text += "\\fBscim-doctor \(command.name)\\fR\(positional) [options]\n"
        }
        text += ".fi\n"
        text += ".SH DESCRIPTION\n" + preformatted(Help.main)
        for command in CommandSpec.all {
            text += ".SH \(command.name.uppercased())\n" + preformatted(command.help)
        }
        text += """
            .SH ENVIRONMENT
            .TP
            .B SCIM_TOKEN
            The Secret Token (or --token-file; never on the command line).
            .TP
            .B NO_COLOR
            No colours in the human report.
            .TP
            .B COLUMNS
            The width the human report wraps to on a terminal.
            .TP
            .B https_proxy, all_proxy, no_proxy
            The proxy for an https Tenant URL (a CONNECT tunnel: the token stays inside TLS).
            .SH SEE ALSO
            The README and docs/probes.md of scim-doctor.

            """
        return text
    }

    /// A help text as a no-fill block, with roff's escapes: a backslash doubled, a leading `.` or `'` guarded.
    static func preformatted(_ help: String) -> String {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let escaped = line.replacingOccurrences(of: "\\", with: "\\e")
            return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
        }
        return ".nf\n" + lines.joined(separator: "\n") + "\n.fi\n"
    }
}
