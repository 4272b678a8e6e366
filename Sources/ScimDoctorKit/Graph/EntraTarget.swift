import Foundation

/// What `scim-doctor entra` looks at: a directory, one application in it, and where Graph is.
public struct EntraTarget: Sendable, Equatable {
    /// How the application is named on the command line.
    public enum Application: Sendable, Equatable {
        /// `--app-id`: the application (client) id.
        case appID(String)
        /// `--app-name`: the display name (not unique: several matches ask for the id).
        case name(String)
        /// `--sp-id`: the service principal's object id (what every synchronization path needs).
        case servicePrincipalID(String)

        /// For the report header: `app id 8e88…`, `"My SCIM App"`.
        public var shown: String {
            switch self {
            case .appID(let id): "app id \(id)"
            case .name(let name): "app \"\(name)\""
            case .servicePrincipalID(let id): "service principal \(id)"
            }
        }
    }

    /// `--tenant`: the Entra directory, id or domain (as in Azure CLI).
    public var tenant: String
    public var application: Application
    public var endpoints: GraphEndpoints
    /// `--test-connection`: ask Entra to run its own Test Connection (Graph `validateCredentials`), the one POST
    /// the Entra side may send; it changes nothing.
    public var testConnection = false
    /// `--provision-on-demand USER` (object id or UPN), confirmed: provision this one real Entra user now.
    public var provisionOnDemand: String?

    public init(
        tenant: String, application: Application, endpoints: GraphEndpoints, testConnection: Bool = false,
        provisionOnDemand: String? = nil
    ) {
        self.tenant = tenant
        self.application = application
        self.endpoints = endpoints
        self.testConnection = testConnection
        self.provisionOnDemand = provisionOnDemand
    }
}

/// The Graph permissions `scim-doctor entra` reads with (entra-graph.md §1.6), least privilege for each call.
public enum GraphPermission {
    public static let applications = "Application.Read.All"
    public static let synchronization = "Synchronization.Read.All"
    public static let auditLog = "AuditLog.Read.All"
    public static let directory = "Directory.Read.All"

    /// All of them, in the order the help lists them.
    public static let readOnly = [applications, synchronization, auditLog, directory]
    /// What `validateCredentials` needs, though it changes nothing (there is no read-only permission for it).
    public static let synchronizationWrite = "Synchronization.ReadWrite.All"
    /// What resolving a user principal name to an object id needs (`--provision-on-demand name@domain`).
    public static let users = "User.Read.All"

    /// What a granted permission also covers (a ReadWrite permission includes its Read).
    static func covers(_ granted: String, _ needed: String) -> Bool {
        let granted = granted.lowercased()
        let needed = needed.lowercased()
        if granted == needed { return true }
        return granted == needed.replacingOccurrences(of: ".read.", with: ".readwrite.")
            || (needed == applications.lowercased() && granted == directory.lowercased())
    }
}
