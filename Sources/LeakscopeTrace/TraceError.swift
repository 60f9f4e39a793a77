/// Why a Go execution trace could not be read: what was wrong and where.
///
/// `offset` is the byte offset in the trace file of the byte that could not be read, so a
/// truncated or corrupted file can be inspected with `xxd -s OFFSET`. `description` is one line.
public struct TraceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset in the input of the problem.
    public var offset: Int
    /// What is wrong, without the offset.
    public var message: String

    /// An error at `offset`.
    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    /// `execution trace: byte 1,234: <message>`.
    public var description: String { "execution trace: byte \(offset): \(message)" }
}
