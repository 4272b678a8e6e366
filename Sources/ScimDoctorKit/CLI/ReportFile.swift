import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Report and HAR files. They hold user names and e-mail addresses, so a new file is readable by its owner only;
/// a regular file is replaced atomically (a temporary file in the same folder, then rename), so a run that cannot
/// finish writing never leaves an old report truncated; a device or FIFO (`/dev/stdout`, a named pipe) is written
/// directly.
enum ReportFile {
    struct WriteError: Error {
        let message: String
    }

    static func write(_ data: Data, to path: String) throws(WriteError) {
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            try writeAll(data, descriptor: open(path, O_WRONLY | O_CLOEXEC), path: path)
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
            .path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        do {
            try writeAll(data, descriptor: descriptor, path: path)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(message: reason)
        }
    }

    /// Writes everything to `descriptor` (then closes it), syncing a regular file before it replaces the old one.
    private static func writeAll(_ data: Data, descriptor: Int32, path: String) throws(WriteError) {
        guard descriptor >= 0 else { throw WriteError(message: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var rest = [UInt8](data)[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw WriteError(message: String(cString: strerror(errno)))
            }
            rest = rest.dropFirst(written)
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, fsync(descriptor) != 0 {
            throw WriteError(message: String(cString: strerror(errno)))
        }
    }

    /// The file a path names once symlinks are followed (the folder's, when the file does not exist yet), to tell
    /// whether two options name the same file.
    static func identity(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        guard let resolved = realpath(folder.isEmpty ? "." : folder, nil) else { return url.standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + url.lastPathComponent
    }
}
