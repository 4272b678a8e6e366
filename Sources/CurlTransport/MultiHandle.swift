import CCurl
import Foundation
import ScimDoctorKit
import Synchronization

/// The process's one libcurl multi handle: every HTTP request is a transfer on it, so connections and the parsed
/// CA store are shared by all of them. (On libcurl 7.88 the CA-store cache of `CURLOPT_CA_CACHE_TIMEOUT` lives in
/// the multi handle; a share handle alone would still parse the bundle for every easy handle.) A share handle adds
/// the TLS session cache: a new connection (a write's, the token-less requests', one opened while others are busy)
/// resumes the session of the first instead of a full handshake. One thread drives both; libcurl keeps apart what
/// cannot be shared (another TLS configuration gets its own connection and its own sessions).
final class MultiHandle: Sendable {
    static let shared = MultiHandle()

    /// A transfer handed to the loop: the easy handle, the sink its callbacks write to (held here: the callbacks
    /// reach it unretained, so it must outlive the transfer), and who is waiting.
    private final class Transfer: @unchecked Sendable {
        let handle: EasyHandle
        let sink: Sink
        let request: HTTPRequest
        let redactor: Redactor
        let done: @Sendable (Result<HTTPResponse, TransportError>) -> Void

        init(
            handle: EasyHandle, sink: Sink, request: HTTPRequest, redactor: Redactor,
            done: @escaping @Sendable (Result<HTTPResponse, TransportError>) -> Void
        ) {
            self.handle = handle
            self.sink = sink
            self.request = request
            self.redactor = redactor
            self.done = done
        }
    }

    /// `CURLM *`, touched only by the loop thread (and `curl_multi_wakeup`, which is thread-safe).
    nonisolated(unsafe) private let multi: UnsafeMutableRawPointer?
    /// `CURLSH *` holding the TLS sessions. Without lock callbacks libcurl requires it to be used by one thread at a
    /// time: it is attached and detached only on the loop thread, so an easy handle released elsewhere (its
    /// `curl_easy_cleanup`) never touches it.
    nonisolated(unsafe) private let share: UnsafeMutableRawPointer?
    private let pending = Mutex<[Transfer]>([])

    private init() {
        _ = CurlGlobal.initCode
        multi = curl_multi_init()
        share = Self.sessionShare()
        guard let multi else { return }
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, ScimDoctorKit.maxHostConnections)
        let thread = Thread { [self] in self.loop() }
        thread.name = "scim-doctor.curl-multi"
        thread.start()
    }

    /// A share handle for TLS sessions, or nil (then every connection has its own handshake, as before).
    private static func sessionShare() -> UnsafeMutableRawPointer? {
        guard let share = curl_share_init() else { return nil }
        let code = ccurl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
        guard code == CURLSHE_OK else {
            curl_share_cleanup(share)
            return nil
        }
        return share
    }

    /// Runs `request` on the shared multi handle; returns when it is done, failed, timed out or was cancelled.
    func perform(_ request: HTTPRequest, redactor: Redactor, cancellation: CancellationFlag) async -> Result<
        HTTPResponse, TransportError
    > {
        guard let multi else {
            return .failure(TransportError(kind: .other, message: "curl_multi_init failed"))
        }
        guard let handle = EasyHandle() else {
            return .failure(TransportError(kind: .other, message: "curl_easy_init failed"))
        }
        let sink: Sink
        switch handle.prepare(request, redactor: redactor, cancellation: cancellation) {
        case .failure(let error): return .failure(error)
        case .success(let prepared): sink = prepared
        }
        return await withCheckedContinuation { continuation in
            let transfer = Transfer(
                handle: handle, sink: sink, request: request, redactor: redactor,
                done: { continuation.resume(returning: $0) })
            pending.withLock { $0.append(transfer) }
            curl_multi_wakeup(multi)
        }
    }

    /// Wakes the loop, so that a cancelled transfer's progress callback runs at once.
    func wake() {
        if let multi { curl_multi_wakeup(multi) }
    }

    private func loop() {
        guard let multi else { return }
        var running: [UnsafeMutableRawPointer: Transfer] = [:]
        while true {
            for transfer in pending.withLock({ list in
                defer { list = [] }; return list
            }) {
                // A connect-only handshake (a TLS probe) must be a full one: it neither offers nor leaves a session.
                let shares = share != nil && !transfer.request.connectOnly
                if shares { _ = ccurl_setopt_pointer(transfer.handle.curl, CURLOPT_SHARE, share) }
                let added = curl_multi_add_handle(multi, transfer.handle.curl)
                guard added == CURLM_OK else {
                    if shares { _ = ccurl_setopt_pointer(transfer.handle.curl, CURLOPT_SHARE, nil) }
                    let text = curl_multi_strerror(added).map { String(cString: $0) } ?? "CURLMcode \(added.rawValue)"
                    transfer.done(.failure(TransportError(kind: .other, message: "curl_multi_add_handle: \(text)")))
                    continue
                }
                running[transfer.handle.curl] = transfer
            }
            var active: Int32 = 0
            _ = curl_multi_perform(multi, &active)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = running.removeValue(forKey: easy)
                else { continue }
                let code = message.pointee.data.result
                let result = transfer.handle.finish(
                    code, transfer.request, redactor: transfer.redactor, sink: transfer.sink)
                curl_multi_remove_handle(multi, easy)
                _ = ccurl_setopt_pointer(easy, CURLOPT_SHARE, nil)
                transfer.done(result)
            }
            // Returns at libcurl's next timer, on socket activity, on a wakeup, or after 100 ms at the latest (the
            // progress callbacks then see a cancellation).
            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 100, &ready)
        }
    }
}
