/// Help texts, in one place so they can be reviewed and pinned by tests.
public enum Help {
    public static let version = "0.1.0"

    static func text(for topic: String) throws(UsageError) -> String {
        switch topic {
        case "check": return check
        case "list": return list
        case "explain": return explain
        case "cleanup": return cleanup
        case "entra": return entra
        default: throw UsageError("no help for '\(topic)'; commands: check, cleanup, entra, explain, list")
        }
    }

    public static let main = """
        scim-doctor \(version): diagnose a SCIM 2.0 endpoint the way Microsoft Entra ID provisioning sees it.

        USAGE:
          scim-doctor check <tenant-url> [options]   run the diagnostics (read-only unless --allow-writes)
          scim-doctor cleanup <tenant-url> [--yes]   find (and with --yes delete) test resources of earlier write runs
          scim-doctor entra --tenant <t> --app-id <id>   read the Entra side through Microsoft Graph (read-only)
          scim-doctor list [--format human|json|markdown]   list every probe: id, section, what it checks
          scim-doctor explain <probe-id | code>      why Entra cares, every verdict with its fix, the sources;
                                                     or what an error code Entra shows means
          scim-doctor --version                      tool, libcurl and TLS library versions
          scim-doctor --generate-completion-script bash|zsh|fish, --generate-manual   for packagers

        See 'scim-doctor check --help', 'scim-doctor entra --help' and 'scim-doctor cleanup --help' for the options.

        """

    public static let check = """
        USAGE: scim-doctor check <tenant-url> [options]

        Runs Entra's requests against the Tenant URL with the Secret Token and reports, per probe, what is
        wrong, the evidence and what to change. Read-only unless --allow-writes: then the Users lifecycle and
        Groups lifecycle probes replay Entra's writes on test resources they create themselves.

        SECRET TOKEN (never printed; only its length and last 4 characters appear):
          SCIM_TOKEN=…                 read from this environment variable
          --token-file <path>          read from a file ('-' reads standard input); one trailing newline is ignored
          (never on the command line: --token is refused, since other users can see command lines; at most
          16384 bytes)
          (none of these, on a terminal: a hidden prompt)

        OPTIONS:
          --expected-url <url>         the Tenant URL exactly as the application shows it; differences are reported
          --ca-file <path>             also trust these PEM certificates (Entra itself will not)
          -k, --insecure               do not verify certificates for the HTTP probes (the TLS probes still report)
          --connect-timeout <seconds>  per connection, default 10
          --timeout <seconds>          per request, default 30 (time waiting for a free connection included)
          --resolve <host:port:addr>   connect to these addresses instead of DNS (as curl's; comma-separated)
          (connections: at most \(maxHostConnections) to the host at once, shared by the requests with the token;
          every write and every request without the token gets a fresh one, so no write is ever sent twice)
          --allow-http                 send the token over plain http:// to a host that is not loopback (CI
                                       against a service host); without it, plain http carries it to loopback only
          --only <ids>                 run only these probes (comma-separated ids, sections or prefixes like tls.*)
          --skip <ids>                 skip these probes
          --format human|json|junit|markdown
                                       report format, default human; junit for CI, markdown for a support ticket
          -o, --output <path>          write the report to a file, a short summary to stderr; repeatable, each
                                       file's format from its extension: .json, .xml (JUnit), .md, .txt/.log
                                       (human); --format only with a single -o
          --strict                     warnings count as failures (exit code 1)
          -q, --quiet                  human report: the header, only warnings and failures, the cleanup's
                                       confirmation and the summary line
          --all                        human report: every probe on its own line (passing sections and skipped
                                       probes are folded by default)
          --color auto|always|never    auto honours NO_COLOR, TERM=dumb and whether stdout is a terminal
          -v, --verbose                show every HTTP exchange on stderr (token redacted), and every probe (--all)
          --har <path>                 also write every HTTP exchange to a HAR 1.2 file, with timings, for a
                                       browser's developer tools, Fiddler or Charles (token redacted)
          -h, --help                   this text

        WRITE MODE:
          --allow-writes               also run the lifecycle probes: create test users and groups (usually 2 and 1)
                                       tagged scim-doctor-<run id> (e-mails in example.com), change and delete only
                                       those, and delete them all at the end (even on failure or Ctrl-C); on a
                                       terminal it asks first
          -y, --yes                    do not ask (CI; required when standard input is not a terminal)
          --patch-style auto|default|flag|both
                                       Entra's PATCH dialect to send: auto (default) follows the Tenant URL's
                                       aadOptscim062020 flag, default is Entra's usual one, flag the SCIM-compliant
                                       one, both tests both
          Ctrl-C (SIGINT) or SIGTERM during a write run abandons the probes, cleans up, lists anything left
          and exits 130 or 143; a second one stops at once, listing what is still there.

        JOINED WITH THE ENTRA SIDE (one report for both; see scim-doctor entra --help for signing in):
          --tenant <tenant> with --app-id <guid>, --app-name <name> or --sp-id <guid>   also read the
                                       application's Entra side through Microsoft Graph: the stored Tenant URL is
                                       compared with <tenant-url>, the matching attribute with the filter probes,
                                       and each provisioning-log error with the SCIM-side probe that explains it
          --cloud, --graph-token-file, --client-id, --client-secret-file, --test-connection,
          --provision-on-demand <user> (with --yes in CI)   as for entra
                                       (GRAPH_TOKEN, AZURE_CLIENT_SECRET in the environment)

        EXIT CODES:
          0  no probe failed (warnings allowed, unless --strict)
          1  at least one probe failed (or warned, with --strict), or a write run left test resources in the tenant
          2  usage or configuration error, found before any network call (or write mode not confirmed)
          3  scim-doctor could not complete a probe (its own error, not a finding about the server)
          130, 143  a write run was interrupted by SIGINT, SIGTERM (after its cleanup)

        EXAMPLES:
          SCIM_TOKEN=… scim-doctor check https://app.example.com/scim/v2
          scim-doctor check https://app.example.com/scim/v2 --token-file token.txt --format json -o report.json
          scim-doctor check "$URL" --expected-url "https://app.example.com/scim/v2" --only url,tls
          scim-doctor check "$URL" --token-file token.txt --allow-writes --yes --patch-style both

        """

    public static let cleanup = """
        USAGE: scim-doctor cleanup <tenant-url> [--yes] [options]

        Finds the test resources earlier write runs (check --allow-writes) left behind: every user and group
        whose userName, displayName or externalId starts with scim-doctor- and an 8-hex-digit run id (found
        with filter=userName sw "scim-doctor-", or by paging through every one when the server cannot filter). Without
        --yes it only lists them; with --yes it deletes exactly those, checks each is gone (GET answers 404) and
        lists any that remain. Nothing else is ever changed. Do not run it while a write run is in progress.

        OPTIONS:
          -y, --yes                    delete what was found (default: dry run, list only)
          --token-file <path>, SCIM_TOKEN=…   the Secret Token, as for check (never --token)
          --ca-file <path>             also trust these PEM certificates
          -k, --insecure               do not verify certificates
          --connect-timeout <seconds>  per connection, default 10
          --timeout <seconds>          per request, default 30
          --resolve <host:port:addr>, --allow-http   as for check
          --format human|json          output format, default human
          -h, --help                   this text

        EXIT CODES:
          0  nothing tagged remains (or, without --yes, the list was made)
          1  tagged resources remain after --yes (each listed with the command that removes it)
          2  usage or configuration error, found before any network call
          3  the users or groups could not be listed

        """

    public static let entra = """
        USAGE: scim-doctor entra --tenant <tenant> (--app-id <id> | --app-name <name> | --sp-id <id>) [options]

        Reads the Entra side of provisioning through Microsoft Graph — the provisioning job (configured,
        Provisioning Status On, quarantine, last cycle, stored Tenant URL), the mappings, the scope and
        assignments, the provisioning logs of the last 7 days and the cycle — and reports each diagnosis with
        its portal fix. Read-only: it sends no write to Graph (only --test-connection's validateCredentials,
        which changes nothing), and never starts, pauses, restarts, creates or deletes a job. No token is kept
        after the run.

        THE APPLICATION:
          --tenant <tenant>            the Entra directory: its id or a domain (contoso.onmicrosoft.com)
          --app-id <guid>              the Application ID (Enterprise applications, your app, Overview)
          --app-name <name>            its display name (several apps with one name: you are asked for --sp-id)
          --sp-id <guid>               the service principal's Object ID
          --expected-url <url>         the Tenant URL as the application documents it (compared with Entra's)
          --cloud global|usgov|usgov-dod|china   the Microsoft cloud, default global
          --test-connection            also ask Entra to run its own Test Connection with the saved credentials
                                       (Graph validateCredentials: Entra itself calls the SCIM endpoint). It changes
                                       nothing, yet needs Synchronization.ReadWrite.All: Microsoft offers no
                                       read-only permission for it.
          --provision-on-demand <user>  provision this one real Entra user (object id, or user principal name,
                                       which needs User.Read.All to resolve) into the application now, instead of
                                       at the next cycle, and report each step Entra returns (Graph
                                       provisionOnDemand; needs Synchronization.ReadWrite.All; at most 5 per 10 s).
                                       The one exception to "touches only what it created": the admin names the
                                       user. It shows what will happen and asks on a terminal.
          -y, --yes                    provision without asking (CI), only with --provision-on-demand

        SIGNING IN (no secret on the command line; every secret is redacted from every output):
          GRAPH_TOKEN=…, --graph-token-file <path>   a Graph access token, e.g.
                GRAPH_TOKEN=$(az account get-access-token --resource-type ms-graph --query accessToken -o tsv)
                (the file may hold az's JSON output as it is)
          --client-id <guid> with AZURE_CLIENT_SECRET=… or --client-secret-file <path>   client credentials
                of your own app registration (CI)
          --client-id <guid> alone     the device code flow on this terminal, with your own app registration
        scim-doctor ships no Microsoft client id. Register one: Entra, App registrations, New registration
        (single tenant); API permissions, Add a permission, Microsoft Graph: Application.Read.All,
        Synchronization.Read.All, AuditLog.Read.All, Directory.Read.All (Delegated for the device code flow,
        Application for client credentials); Grant admin consent. For the device code flow also set
        Authentication, Allow public client flows, Yes. Reading the provisioning logs needs an Entra ID P1 or
        P2 licence. The permission that reads the provisioning secrets (the stored Tenant URL and Scope) is
        undocumented (unconfirmed). A read Graph denies (403) is a skip naming what is missing.

        OPTIONS: --format, -o/--output, --strict, -q/--quiet, --all, --color, -v/--verbose, --har, --only,
        --skip, --ca-file, --connect-timeout, --timeout: as for check.
          -h, --help                   this text

        ENVIRONMENT (tests and sovereign proxies): SCIM_DOCTOR_GRAPH_URL and SCIM_DOCTOR_LOGIN_URL, each a
        full origin (https://…, or http:// to loopback only), replace the Graph and token hosts; paths and
        scopes stay Microsoft's. The report header warns when one is in effect.

        EXIT CODES: as for check (0 healthy, 1 a failure, 2 usage or configuration error or a refused sign-in,
        3 tool error); a run that could read nothing from Graph fails.

        EXAMPLES:
          GRAPH_TOKEN=… scim-doctor entra --tenant contoso.onmicrosoft.com --app-id 219561ee-1480-4c67-9aa6-63d861fae3ef
          scim-doctor entra --tenant contoso.onmicrosoft.com --app-name "Contoso SCIM" --client-id <guid> \\
              --client-secret-file secret.txt --expected-url https://app.example.com/scim/v2 --format json -o entra.json

        """

    public static let list = """
        USAGE: scim-doctor list [--format human|json|markdown]

        Lists every probe in report order: id, section, title, what it checks and its dependencies.
        --format markdown adds why Entra cares, every verdict with its remediation and the sources: it is
        docs/probes.md (regenerate with: swift run scim-doctor list --format markdown > docs/probes.md).

        """
}
