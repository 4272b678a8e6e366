/// Help texts, in one place so they can be reviewed and pinned by tests.
public enum Help {
    public static let version = "0.1.0"

    static func text(for topic: String) throws(UsageError) -> String {
        switch topic {
        case "check": return check
        case "list": return list
        default: throw UsageError("no help for '\(topic)'; commands: check, list")
        }
    }

    public static let main = """
        scim-doctor \(version): diagnose a SCIM 2.0 endpoint the way Microsoft Entra ID provisioning sees it.

        USAGE:
          scim-doctor check <tenant-url> [options]   run the diagnostics (read-only)
          scim-doctor list [--format human|json]     list every probe: id, section, what it checks
          scim-doctor --version                      tool, libcurl and TLS library versions

        See 'scim-doctor check --help' for the options.

        """

    public static let check = """
        USAGE: scim-doctor check <tenant-url> [options]

        Runs Entra's requests against the Tenant URL with the Secret Token and reports, per probe, what is
        wrong, the evidence and what to change. Read-only: nothing is created, changed or deleted.

        SECRET TOKEN (never printed; only its length and last 4 characters appear):
          SCIM_TOKEN=…                 read from this environment variable
          --token-file <path>          read from a file ('-' reads standard input); one trailing newline is ignored
          --token <value>              works, but other users of this machine can see command lines
          (none of these, on a terminal: a hidden prompt)

        OPTIONS:
          --expected-url <url>         the Tenant URL exactly as the application shows it; differences are reported
          --ca-file <path>             also trust these PEM certificates (Entra itself will not)
          -k, --insecure               do not verify certificates for the HTTP probes (the TLS probes still report)
          --connect-timeout <seconds>  per connection, default 10
          --timeout <seconds>          per request, default 30
          --only <ids>                 run only these probes (comma-separated ids, sections or prefixes like tls.*)
          --skip <ids>                 skip these probes
          --format human|json          report format, default human
          -o, --output <path>          write the report to a file (a one-line summary still goes to stderr)
          --color auto|always|never    auto honours NO_COLOR, TERM=dumb and whether stdout is a terminal
          -v, --verbose                show every HTTP exchange on stderr (token redacted)
          -h, --help                   this text

        EXIT CODES:
          0  no probe failed (warnings allowed)
          1  at least one probe failed
          2  usage or configuration error, found before any network call
          3  scim-doctor could not complete a probe (its own error, not a finding about the server)

        EXAMPLES:
          SCIM_TOKEN=… scim-doctor check https://app.example.com/scim/v2
          scim-doctor check https://app.example.com/scim/v2 --token-file token.txt --format json -o report.json
          scim-doctor check "$URL" --expected-url "https://app.example.com/scim/v2" --only url,tls

        """

    public static let list = """
        USAGE: scim-doctor list [--format human|json]

        Lists every probe in report order: id, section, title, what it checks and its dependencies.

        """
}
