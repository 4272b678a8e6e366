import Foundation
import Synchronization

/// What a verifying handle trusts: the system store, plus `--ca-file` ("also trust these").
///
/// Where the system store is a hashed directory (Debian's `/etc/ssl/certs`, libcurl's default CApath), OpenSSL
/// opens only the issuer's file, found by the hash of its name, while it verifies: nothing is parsed up front,
/// and `--ca-file` is simply CAINFO beside it. Elsewhere the system bundle (libcurl's default CAINFO) stands for
/// the store, and `--ca-file` becomes one file per run, the bundle followed by the given certificates: libcurl
/// 7.88 caches a parsed CAINFO in the multi handle only without a CApath, so it is parsed once per run, not once
/// per connection.
enum TrustStore {
    enum Settings: Equatable {
        case directory(String, caFile: String?)
        case file(String)
        /// Neither a hashed directory nor a bundle: whatever libcurl was built with.
        case libcurlDefaults
    }

    static func settings(
        adding caFile: String?, directory: String? = systemDirectory, bundle: String? = systemBundle
    ) -> Settings {
        if let directory { return .directory(directory, caFile: caFile) }
        guard let bundle else { return caFile.map { .file($0) } ?? .libcurlDefaults }
        guard let caFile else { return .file(bundle) }
        return .file(
            combined.withLock { files in
                if let file = files[caFile] { return file }
                let file = write(bundle: bundle, adding: caFile) ?? caFile
                files[caFile] = file
                return file
            })
    }

    /// libcurl's default CApath, when it holds OpenSSL's hash links (`<8 hex digits>.<n>`).
    static let systemDirectory: String? = EasyHandle.defaults.caPath.flatMap { isHashedDirectory($0) ? $0 : nil }

    /// libcurl's built-in CA bundle, when the file is there.
    static let systemBundle: String? = EasyHandle.defaults.caInfo.flatMap {
        FileManager.default.isReadableFile(atPath: $0) ? $0 : nil
    }

    static func isHashedDirectory(_ path: String) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if isHashName(name) { return true }
        }
        return false
    }

    /// `5ad8a5d6.0`: what `openssl rehash` names a link to a certificate.
    static func isHashName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].count == 8 && parts[0].allSatisfy(\.isASCIIHexDigit) && !parts[1].isEmpty
            && parts[1].allSatisfy { ("0"..."9").contains($0) }
    }

    private static let combined = Mutex<[String: String]>([:])

    /// The system bundle and `caFile` in one temporary file, removed when the process exits; nil (CAINFO = the
    /// given file) when it cannot be made.
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
