import Foundation
import Synchronization

/// What a verifying handle trusts, arranged so that libcurl 7.88 can cache the parsed store in the multi handle:
/// it caches only a CAINFO file without a CApath. The system CApath holds the same certificates as the system
/// bundle (libcurl's default CAINFO), so the bundle alone stands for the system store, and `--ca-file` ("also
/// trust these") becomes one file per run: the system bundle followed by the given certificates.
enum TrustStore {
    /// The CAINFO file for a handle (nil: keep libcurl's defaults, CApath included).
    static func file(adding caFile: String?) -> String? {
        guard let bundle = systemBundle else { return caFile }
        guard let caFile else { return bundle }
        return combined.withLock { files in
            if let file = files[caFile] { return file }
            let file = write(bundle: bundle, adding: caFile) ?? caFile
            files[caFile] = file
            return file
        }
    }

    /// libcurl's built-in CA bundle, when the file is there.
    static let systemBundle: String? = {
        let path = EasyHandle.defaultCAInfo
        return path.flatMap { FileManager.default.isReadableFile(atPath: $0) ? $0 : nil }
    }()

    private static let combined = Mutex<[String: String]>([:])

    /// The system bundle and `caFile` in one temporary file, removed when the process exits; nil (CAINFO = the
    /// given file, CApath kept) when it cannot be made.
    private static func write(bundle: String, adding caFile: String) -> String? {
        guard let system = FileManager.default.contents(atPath: bundle),
            let added = FileManager.default.contents(atPath: caFile)
        else { return nil }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "scim-doctor-trust-\(getpid())-\(UUID().uuidString.prefix(8)).pem")
        // Only the certificates the bundle lacks: OpenSSL parses every one again (a --ca-file that is itself
        // the system bundle plus a CA would otherwise double the store, and its parse time).
        let new = newCertificates(
            String(decoding: added, as: UTF8.self), notIn: String(decoding: system, as: UTF8.self))
        guard FileManager.default.createFile(atPath: url.path, contents: system + Data(("\n" + new).utf8)) else {
            return nil
        }
        removeAtExit.withLock { $0.append(url.path) }
        if !registered.exchange(true, ordering: .relaxed) {
            atexit {
                for path in TrustStore.removeAtExit.withLock({ $0 }) { unlink(path) }
            }
        }
        return url.path
    }

    /// The PEM certificate blocks of `added` that `bundle` does not hold (compared without whitespace).
    static func newCertificates(_ added: String, notIn bundle: String) -> String {
        // OpenSSL's own "TRUSTED CERTIFICATE" blocks carry trust settings: such a file is added as it is.
        if added.contains("-----BEGIN TRUSTED CERTIFICATE-----") { return added }
        func blocks(_ text: String) -> [String] {
            text.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst().compactMap { rest in
                guard let end = rest.range(of: "-----END CERTIFICATE-----") else { return nil }
                return "-----BEGIN CERTIFICATE-----" + rest[..<end.upperBound]
            }
        }
        func key(_ block: String) -> String { block.filter { !$0.isWhitespace } }
        let known = Set(blocks(bundle).map(key))
        return blocks(added).filter { !known.contains(key($0)) }.map { $0 + "\n" }.joined()
    }

    private static let removeAtExit = Mutex<[String]>([])
    private static let registered = Atomic<Bool>(false)
}
