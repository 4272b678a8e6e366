import Foundation

/// Why the verified handshake (`tlsVerified()`, the one the HTTP probes' requests repeat) failed, when one
/// precise probe owns that cause. OpenSSL stops at the first verify error, so one cause hides the others.
///
/// `tls.validity` and `tls.key-size` fail *blocking* only when their finding is what makes verification fail
/// (then every request would fail the same way, and `tls.trust`, which depends on them, is skipped with a
/// pointer instead of reporting the same cause twice). Otherwise (`--insecure`, or a client that accepts the
/// key) their failure lets `tls.trust` and the HTTP probes run.
enum TLSVerifyCause {
    case dates
    case weakKey

    /// OpenSSL's X509_V_ERR_CERT_NOT_YET_VALID (9) and X509_V_ERR_CERT_HAS_EXPIRED (10), or libcurl's text.
    static func isDates(_ error: TransportError) -> Bool {
        let message = error.message.lowercased()
        return error.verifyResult == 9 || error.verifyResult == 10 || message.contains("has expired")
            || message.contains("not yet valid")
    }

    /// OpenSSL's X509_V_ERR_EE_KEY_TOO_SMALL (66), or its text.
    static func isWeakLeafKey(_ error: TransportError) -> Bool {
        error.verifyResult == 66 || error.message.lowercased().contains("ee certificate key too weak")
    }

    /// Whether the verified handshake fails because of `cause`, so that requests cannot be made either.
    static func blocksRequests(_ cause: TLSVerifyCause, _ context: ProbeContext) async throws -> Bool {
        guard !context.options.insecure, case .failure(let error) = try await context.tlsVerified() else {
            return false
        }
        switch cause {
        case .dates: return isDates(error)
        case .weakKey: return isWeakLeafKey(error)
        }
    }
}

extension Verdict {
    /// A failure blocks dependants only when the verified handshake fails on `cause` (see `TLSVerifyCause`).
    func blockingOnlyIf(_ cause: TLSVerifyCause, _ context: ProbeContext) async throws -> Verdict {
        guard status == .fail else { return self }
        var verdict = self
        verdict.blocksDependants = try await TLSVerifyCause.blocksRequests(cause, context)
        return verdict
    }
}
