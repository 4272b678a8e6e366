import Dispatch
import Foundation
import ScimDoctorKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `NameResolver` on the system's `getaddrinfo`: the addresses the OS (and so libcurl) would use,
/// every A and AAAA record, in the resolver's order without duplicates.
public struct SystemResolver: NameResolver {
    /// getaddrinfo cannot be interrupted; past this the lookup is reported as timed out and
    /// abandoned on its thread.
    public var timeout: Duration

    public init(timeout: Duration = .seconds(10)) {
        self.timeout = timeout
    }

    public func resolve(host: String) async throws(TransportError) -> [String] {
        // The first of lookup and timer to yield wins; a stream needs no lock for that.
        let (results, continuation) = AsyncStream.makeStream(
            of: Result<[String], TransportError>.self)
        // A fresh serial queue, so a hung lookup blocks neither the cooperative pool nor
        // the width-limited global queue.
        DispatchQueue(label: "scim-doctor.getaddrinfo").async {
            continuation.yield(Self.lookup(host))
            continuation.finish()
        }
        let timeout = timeout
        let timer = Task {
            try await Task.sleep(for: timeout)
            let seconds =
                Double(timeout.components.seconds)
                + Double(timeout.components.attoseconds) / 1e18
            continuation.yield(
                .failure(
                    TransportError(
                        kind: .resolve, code: 6,
                        message: "resolving \(host) timed out after \(seconds) s (getaddrinfo)")))
            continuation.finish()
        }
        defer { timer.cancel() }
        for await result in results {
            return try result.get()
        }
        throw TransportError(kind: .resolve, code: 6, message: "resolving \(host) was cancelled")
    }

    /// Blocking lookup. Code 6 is libcurl's CURLE_COULDNT_RESOLVE_HOST, so resolver and transport
    /// failures read alike.
    private static func lookup(_ host: String) -> Result<[String], TransportError> {
        // URL hosts carry IPv6 literals in brackets; getaddrinfo wants them bare.
        var name = host
        if name.hasPrefix("[") && name.hasSuffix("]") && name.count >= 2 {
            name = String(name.dropFirst().dropLast())
        }
        guard !name.isEmpty, !name.contains("\0") else {
            return .failure(
                TransportError(kind: .resolve, code: 6, message: "empty or invalid host name"))
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0 else {
            var message = String(cString: gai_strerror(status))
            if status == EAI_SYSTEM { message += ": " + String(cString: strerror(errno)) }
            return .failure(TransportError(kind: .resolve, code: 6, message: message))
        }
        defer { freeaddrinfo(list) }

        var addresses: [String] = []
        var node = list
        while let entry = node {
            if let address = entry.pointee.ai_addr, let text = Self.text(of: address),
                !addresses.contains(text)
            {
                addresses.append(text)
            }
            node = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            return .failure(
                TransportError(kind: .resolve, code: 6, message: "no addresses for \(name)"))
        }
        return .success(addresses)
    }

    private static func text(of address: UnsafeMutablePointer<sockaddr>) -> String? {
        let family = Int32(address.pointee.sa_family)
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let converted = buffer.withUnsafeMutableBufferPointer { out -> Bool in
            let size = socklen_t(out.count)
            switch family {
            case AF_INET:
                var ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    $0.pointee.sin_addr
                }
                return inet_ntop(AF_INET, &ipv4, out.baseAddress, size) != nil
            case AF_INET6:
                var ipv6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    $0.pointee.sin6_addr
                }
                return inet_ntop(AF_INET6, &ipv6, out.baseAddress, size) != nil
            default:
                return false
            }
        }
        guard converted else { return nil }
        return String(
            decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
