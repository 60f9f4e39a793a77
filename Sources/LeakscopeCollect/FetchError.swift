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
        /// An HTML page where a profile was expected.
        case htmlResponse
        /// The TLS handshake failed, typically an untrusted certificate.
        case tlsFailed
        /// The connection closed early or another transport error.
        case transport
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
