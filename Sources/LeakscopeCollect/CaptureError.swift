/// Why a capture could not start or could not go on. `description` is one line naming the URL (or the
/// capture directory) and what a person can do about it, in the style of `FetchError`.
public struct CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The URL, a header, the CA file or a budget is unusable.
        case invalidTarget
        /// The snapshot count, interval or CPU seconds are out of range.
        case invalidPlan
        /// The pprof index could not be fetched: the target is unreachable or has no net/http/pprof there.
        case unreachable(FetchError.Kind)
        /// Something answered at the prefix, but not net/http/pprof's index page.
        case notPprof
        /// The capture directory cannot be written.
        case output
    }

    public var kind: Kind
    /// The target URL or the capture directory the message is about.
    public var url: String
    public var message: String

    public init(_ kind: Kind, url: String, _ message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }

    public var description: String { "\(url): \(message)" }

    /// Whether the capture stopped because it was cancelled (Ctrl-C) before it could start.
    public var isCancellation: Bool { kind == .unreachable(.cancelled) }
}
