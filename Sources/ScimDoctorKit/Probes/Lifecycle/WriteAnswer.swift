import Foundation

/// How a server answered a write.
enum WriteAnswer {
    case accepted(HTTPResponse)
    case rejected(HTTPResponse)
    case noAnswer(TransportError)

    init(_ exchange: Exchange) {
        switch exchange.outcome {
        case .failure(let error): self = .noAnswer(error)
        case .success(let response):
            self = (200..<300).contains(response.status) ? .accepted(response) : .rejected(response)
        }
    }
}

enum LifecycleEvidence {
    /// Request line, a short excerpt of what was sent, the status and the start of the answer.
    static func write(_ exchange: Exchange, sent: JSONValue?, limit: Int = 240) -> [Evidence] {
        var evidence = Evidence.exchange(exchange)
        if let sent {
            let text = sent.text
            let excerpt = text.count > limit ? String(text.prefix(limit)) + "… (\(text.utf8.count) bytes)" : text
            evidence.insert(Evidence("sent", excerpt), at: min(1, evidence.count))
        }
        return evidence
    }

    /// "HTTP 400: \"detail\"" or "no answer: <libcurl message>".
    static func said(_ exchange: Exchange) -> String {
        switch exchange.outcome {
        case .failure(let error): return "no answer (\(error.message))"
        case .success(let response):
            guard let message = SCIMAnswer.serverMessage(response) else { return "HTTP \(response.status)" }
            return "HTTP \(response.status): \"\(message)\""
        }
    }
}

/// The fix for a server that did not answer a write at all.
func noAnswerFix(_ what: String) -> String {
    "On the server: make \(what) answer within the timeout (check the application's logs and any reverse proxy); "
        + "Entra retries failed writes in the next cycle, 40 minutes later."
}

// MARK: - Read-back comparison
