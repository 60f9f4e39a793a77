/// Why a fetch failed. `description` is one line naming the URL and what a person can do about it.
public struct FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not an http(s) URL we can request.
        case invalidURL
        /// Nothing listens at host:port.
        case connectionRefused
        /// Name resolution or connection set-up failed for another reason (or timed out).
        case connectFailed
        /// The whole exchange did not finish within the timeout. `receivedBytes` is how much of the body
        /// arrived; nil when not even the response head did.
        case timedOut(receivedBytes: Int?)
        /// A status other than 200.
        case httpStatus(Int)
        /// The body exceeded the size cap (or announced that it would).
        case tooLarge(limit: Int)
        /// More redirects than allowed.
        case tooManyRedirects
        /// Redirects that lead back to a URL already visited.
        case redirectLoop
        /// A redirect to another scheme, host or port, refused by `RedirectPolicy.sameOrigin`.
        case redirectRefused
        /// An HTML page where a profile was expected.
        case htmlResponse
        /// The TLS handshake failed, typically an untrusted certificate.
        case tlsFailed
        /// The connection closed early or another transport error.
        case transport
        /// The body arrived but does not decode as what the endpoint serves (`capture` checks).
        case invalidBody
        /// The fetch was cancelled (Ctrl-C).
        case cancelled
    }

    public var kind: Kind
    public var url: String
    public var message: String

    public init(_ kind: Kind, url: String, _ message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }

    public var description: String { "\(url): \(message)" }
}

extension FetchError {
    /// Whether trying again later may succeed: the connection could not be made or was reset, or the
    /// server answered 5xx. A 404, an HTML page, a size or redirect limit, a TLS failure or a timeout
    /// (which already waited the whole budget) will not change by asking again.
    public var isTransient: Bool {
        switch kind {
        case .connectionRefused, .connectFailed, .transport: return true
        case .httpStatus(let code): return code >= 500
        default: return false
        }
    }
}
