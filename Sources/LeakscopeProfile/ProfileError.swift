/// Why a profile could not be read, and where.
///
/// `description` is one line a person can act on, e.g.
/// `heap.pb.gz: byte 1834: sample 12 names location 99, which does not exist`.
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Input ended in the middle of something (a varint, a message, a gzip stream).
        case truncated
        /// Bytes that cannot be what they claim to be (bad wire type, length past the end, bad gzip).
        case malformed
        /// Decoded fine but breaks a profile invariant (dangling or duplicate ID, bad string index,
        /// value-count mismatch).
        case invalid
        /// Not any profile format we know (e.g. an HTML page).
        case unrecognized
        /// Over a size or count limit that keeps memory bounded.
        case tooLarge
        /// A real format we deliberately do not read.
        case unsupported
    }

    public var kind: Kind
    public var message: String
    /// Byte offset into the (decompressed) input, when known.
    public var offset: Int?
    /// 1-based line number for text formats, when known.
    public var line: Int?
    /// File name or URL, filled in by whoever knows it.
    public var source: String?

    public init(_ kind: Kind, _ message: String, offset: Int? = nil, line: Int? = nil, source: String? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.line = line
        self.source = source
    }

    /// The same error attributed to a file or URL.
    public func from(_ source: String) -> ProfileError {
        var copy = self
        copy.source = source
        return copy
    }

    public var description: String {
        var parts: [String] = []
        if let source { parts.append(source) }
        if let line { parts.append("line \(line)") }
        if let offset { parts.append("byte \(offset)") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
