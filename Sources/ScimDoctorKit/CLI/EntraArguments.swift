import Foundation

/// The options of `scim-doctor entra` that name the Entra side and how to sign in to Graph; the report options
/// are `check`'s.
public struct EntraArguments: Equatable, Sendable {
    /// `--tenant`: the Entra directory, id or domain (as in Azure CLI).
    public var tenant = ""
    public var application: EntraTarget.Application?
    public var cloud = GraphCloud.global
    /// `--graph-token-file`: a Graph access token (or `az account get-access-token`'s JSON) in a file.
    public var graphTokenFile: String?
    /// `--client-id`: the admin's own app registration (client credentials with a secret, else device code).
    public var clientID: String?
    /// `--client-secret-file`: the client secret in a file (never on the command line).
    public var clientSecretFile: String?
    /// `--test-connection`: Graph `validateCredentials` with the saved credentials.
    public var testConnection = false
    /// `--provision-on-demand USER`: the one real user to provision now (object id or UPN).
    public var provisionOnDemand: String?
    /// `--yes`: provision without asking (CI); only with `--provision-on-demand`.
    public var assumeYes = false

    public init() {}

    static let graphTokenVariable = "GRAPH_TOKEN"
    static let clientSecretVariable = "AZURE_CLIENT_SECRET"

    /// How to sign in, from the options and the environment; a usage error when none is given or they clash.
    func credential(console: any Console) throws(UsageError) -> GraphCredential {
        let environmentToken = console.environment[Self.graphTokenVariable].flatMap { $0.isEmpty ? nil : $0 }
        if graphTokenFile != nil || environmentToken != nil {
            guard clientID == nil else {
                throw UsageError("pass either a Graph token (GRAPH_TOKEN, --graph-token-file) or --client-id, not both")
            }
            let text =
                try graphTokenFile.map { path throws(UsageError) in
                    try TokenSource.text(ofFile: path, option: "--graph-token-file", console: console)
                } ?? environmentToken ?? ""
            return .accessToken(Secret(Self.accessToken(in: text), name: "graph token"))
        }
        guard let clientID else {
            throw UsageError(
                "no Graph credentials: set GRAPH_TOKEN (e.g. GRAPH_TOKEN=$(az account get-access-token "
                    + "--resource-type ms-graph --query accessToken -o tsv)), pass --graph-token-file, or --client-id "
                    + "with your app registration (see scim-doctor entra --help)")
        }
        guard GraphID.isGUID(clientID) else {
            throw UsageError("--client-id takes the application (client) id, a GUID")
        }
        if let path = clientSecretFile {
            let secret = try TokenSource.text(ofFile: path, option: "--client-secret-file", console: console)
            return .clientSecret(clientID: clientID, secret: Secret(secret, name: "client secret"))
        }
        if let secret = console.environment[Self.clientSecretVariable], !secret.isEmpty {
            return .clientSecret(clientID: clientID, secret: Secret(secret, name: "client secret"))
        }
        guard console.stdinIsTerminal else {
            throw UsageError(
                "--client-id without a client secret signs in with a device code, which needs a terminal: set "
                    + "AZURE_CLIENT_SECRET or pass --client-secret-file for unattended runs")
        }
        return .deviceCode(clientID: clientID)
    }

    /// The token itself, or `accessToken` of `az account get-access-token`'s JSON output.
    static func accessToken(in text: String) -> String {
        let trimmed = text.trimmingWhitespaceAndNewlines()
        guard trimmed.hasPrefix("{"), case .success(let document) = JSONParser.parse(Data(trimmed.utf8)),
            let token = document.value["accessToken"]?.string
        else { return trimmed }
        return token
    }
}

extension ArgumentParser {
    /// `entra --tenant T (--app-id A | --app-name N | --sp-id S) [options]`: check's report options, and the Entra
    /// side's own.
    static func parseEntra(_ arguments: [String]) throws(UsageError) -> Invocation {
        var reader = OptionReader(arguments)
        var check = CheckArguments(tenantURL: "")
        var entra = EntraArguments()
        while let argument = reader.next() {
            if argument.isPositional {
                throw UsageError(
                    "entra takes no positional argument ('\(argument.name.prefix(40))'); the application is named with "
                        + "--app-id, --app-name or --sp-id")
            }
            if argument.name == "-h" || argument.name == "--help" { return .help(Help.entra) }
            if try entraOption(argument, &reader, &entra) { continue }
            if argument.name == "--yes" || argument.name == "-y" {
                entra.assumeYes = true
                continue
            }
            guard try reportOption(argument, &reader, &check) else {
                throw CommandSpec.entra.unknownOption(argument.name)
            }
        }
        try validate(entra)
        check.entra = entra
        return .entra(check)
    }

    /// The options that name the Entra side and how to sign in (`entra`, and `check` for a joined run): whether
    /// `argument` was one of them.
    static func entraOption(
        _ argument: OptionReader.Argument, _ reader: inout OptionReader, _ entra: inout EntraArguments
    ) throws(UsageError) -> Bool {
        func name(_ application: EntraTarget.Application) throws(UsageError) {
            guard entra.application == nil else {
                throw UsageError("name the application once: --app-id, --app-name or --sp-id")
            }
            entra.application = application
        }
        switch argument.name {
        case "--tenant": entra.tenant = try reader.value(argument)
        case "--app-id":
            let id = try reader.value(argument)
            guard GraphID.isGUID(id) else {
                throw UsageError("--app-id takes the Application ID, a GUID (Enterprise applications, Overview)")
            }
            try name(.appID(id.lowercased()))
        case "--app-name":
            let display = try reader.value(argument)
            guard !display.trimmingWhitespace().isEmpty, display.count <= 256 else {
                throw UsageError("--app-name takes the application's display name")
            }
            try name(.name(display))
        case "--sp-id":
            let id = try reader.value(argument)
            guard GraphID.isGUID(id) else {
                throw UsageError(
                    "--sp-id takes the service principal's Object ID, a GUID (Enterprise applications, Overview)")
            }
            try name(.servicePrincipalID(id.lowercased()))
        case "--cloud": entra.cloud = try reader.choice(argument, GraphCloud.self)
        case "--graph-token-file": entra.graphTokenFile = try reader.value(argument)
        case "--client-id": entra.clientID = try reader.value(argument)
        case "--client-secret-file": entra.clientSecretFile = try reader.value(argument)
        case "--client-secret", "--graph-token": throw secretOnCommandLine(argument.name)
        case "--test-connection": entra.testConnection = true
        case "--provision-on-demand":
            let user = try reader.value(argument)
            guard GraphID.isGUID(user) || GraphID.isUserPrincipalName(user) else {
                throw UsageError(
                    "--provision-on-demand takes the user's object id (a GUID) or user principal name "
                        + "(name@contoso.com)")
            }
            entra.provisionOnDemand = user
        default: return false
        }
        return true
    }

    /// What the Entra side needs before anything is sent: a directory and an application.
    static func validate(_ entra: EntraArguments) throws(UsageError) {
        guard !entra.tenant.isEmpty else {
            throw UsageError("missing --tenant: the Entra directory, its id or domain (contoso.onmicrosoft.com)")
        }
        guard GraphSignIn.checkTenant(entra.tenant) else {
            throw UsageError(
                "--tenant takes a directory id (GUID), a domain such as contoso.onmicrosoft.com, or organizations")
        }
        guard entra.application != nil else {
            throw UsageError(
                "name the application: --app-id, --app-name or --sp-id (Enterprise applications, Overview)")
        }
        if entra.clientSecretFile != nil, entra.clientID == nil {
            throw UsageError("--client-secret-file needs --client-id (the app registration the secret belongs to)")
        }
        if entra.assumeYes, entra.provisionOnDemand == nil {
            throw UsageError(
                "--yes confirms --provision-on-demand USER, the one thing entra asks about: add it or drop --yes")
        }
    }

    /// A secret on the command line is refused: visible to every user of the machine (ps) and kept in history.
    static func secretOnCommandLine(_ option: String) -> UsageError {
        UsageError(
            "\(option) is not accepted: a secret on the command line is visible to other users (ps) and kept in "
                + "shell history; use GRAPH_TOKEN or --graph-token-file, AZURE_CLIENT_SECRET or --client-secret-file")
    }
}

extension CheckCommand {
    /// `--provision-on-demand USER` provisions a real user: said, and asked on a terminal, before anything is sent
    /// (`--yes` answers for CI).
    func confirmProvisioning(_ entra: EntraArguments) throws(UsageError) {
        guard let user = entra.provisionOnDemand, let application = entra.application, !entra.assumeYes,
            !arguments.assumeYes
        else { return }
        guard console.stdinIsTerminal else {
            throw UsageError(
                "--provision-on-demand provisions a real user: confirm it on a terminal, or add --yes (CI)")
        }
        console.writeErr(
            PrintableText.terminal(
                "--provision-on-demand: Entra will provision the user \(user) into \(application.shown) now "
                    + "(Graph provisionOnDemand), as its next cycle would: a real create, update or disable of that "
                    + "user in the application, seen in the provisioning logs. Nothing else is provisioned.\n"))
        guard askYes("Provision \(user) now? [y/N] ") else {
            throw UsageError("not confirmed; nothing was provisioned")
        }
    }

    /// Where Graph is and a Graph token for it: before any probe, so a refused sign-in is one clear error.
    func signIn(_ entra: EntraArguments) async throws(UsageError) -> (EntraTarget, Secret) {
        let endpoints: GraphEndpoints
        do throws(GraphSetupError) {
            endpoints = try GraphEndpoints.resolve(cloud: entra.cloud, environment: console.environment)
        } catch {
            throw UsageError(error.message)
        }
        guard let application = entra.application else { throw UsageError("name the application: --app-id") }
        let credential = try entra.credential(console: console)
        let login = URLComponents(string: endpoints.loginOrigin)
        let signIn = GraphSignIn(
            // Not through -v's log or the HAR: the sign-in's bodies carry the client secret and the device code.
            transport: transport, endpoints: endpoints, tenant: entra.tenant, timeout: arguments.timeout,
            proxy: ProxyPolicy.choose(
                scheme: login?.scheme ?? "https", host: login?.host ?? "", environment: console.environment)?.url,
            say: { [console] in console.writeErr($0) })
        do throws(GraphSetupError) {
            let token = try await signIn.accessToken(credential)
            return (
                EntraTarget(
                    tenant: entra.tenant, application: application, endpoints: endpoints,
                    testConnection: entra.testConnection, provisionOnDemand: entra.provisionOnDemand), token
            )
        } catch {
            throw UsageError(error.message)
        }
    }
}
