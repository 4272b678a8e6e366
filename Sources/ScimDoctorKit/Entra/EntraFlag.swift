/// The Tenant URL query flags Entra reads as settings (every other query parameter is the application's).
enum EntraFlag {
    /// Opts into Entra's SCIM-compliant PATCH requests.
    static let compliant = "aadOptscim062020"
    /// Keeps (or restores) Entra's older, non-compliant PATCH requests.
    static let legacy = "AzureAdScimPatch2017"

    /// The documented spelling of the flag a query parameter names in any letter case; nil for any other.
    static func documented(_ name: some StringProtocol) -> String? {
        [compliant, legacy].first { $0.lowercased() == name.lowercased() }
    }
}
