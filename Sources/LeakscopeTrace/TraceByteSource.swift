#if canImport(Glibc)
import Glibc
#endif

/// Sequential bytes from a file (read in 1 MiB chunks) or from memory, with the file offset of every
/// byte known for error messages. Memory is bounded by the chunk size, whatever the file's size.
final class TraceByteSource {
    private var buffer: [UInt8]
    /// Next byte to read in `buffer`.
    private var position = 0
    /// Bytes of `buffer` holding data.
    private var limit: Int
    /// File offset of `buffer[0]`.
    private var base = 0
    private var descriptor: Int32 = -1
    private let path: String?
    static let chunkSize = 1 << 20

    /// Reads `path`; throws when it cannot be opened.
    init(path: String) throws(TraceError) {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw TraceError(offset: 0, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        limit = 0
    }

    /// Reads bytes already in memory.
    init(bytes: [UInt8]) {
        path = nil
        buffer = bytes
        limit = bytes.count
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// File offset of the next byte.
    var offset: Int { base + position }

    /// Makes at least `count` bytes readable if the input has them; returns how many are readable.
    @discardableResult
    private func fill(_ count: Int) throws(TraceError) -> Int {
        if limit - position >= count || descriptor < 0 { return limit - position }
        // Move the unread tail to the front, then read until `count` bytes are there or the file ends.
        let unread = limit - position
        if position > 0 {
            buffer.withUnsafeMutableBytes { raw in
                if unread > 0 { memmove(raw.baseAddress!, raw.baseAddress! + position, unread) }
            }
            base += position
            position = 0
            limit = unread
        }
        if buffer.count < count { buffer.append(contentsOf: repeatElement(0, count: count - buffer.count)) }
        while limit < count {
            let room = buffer.count - limit
            let got = buffer.withUnsafeMutableBytes { raw in read(descriptor, raw.baseAddress! + limit, room) }
            if got < 0 {
                if errno == EINTR { continue }
                throw TraceError(offset: base + limit, "cannot read \(path ?? "input"): \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            limit += got
        }
        return limit - position
    }

    /// The next byte, or nil at the end of the input.
    func readByte() throws(TraceError) -> UInt8? {
        if position == limit, try fill(1) == 0 { return nil }
        let byte = buffer[position]
        position += 1
        return byte
    }

    /// Reads exactly `count` bytes into an array; throws with `what` when the input ends first.
    func readBytes(_ count: Int, what: @autoclosure () -> String) throws(TraceError) -> ArraySlice<UInt8> {
        if try fill(count) < count {
            throw TraceError(offset: base + limit, "input ends inside \(what()) (\(count) bytes wanted, \(limit - position) left)")
        }
        let slice = buffer[position..<position + count]
        position += count
        return slice
    }

    /// Appends exactly `count` bytes to `target`.
    func append(_ count: Int, to target: inout [UInt8], what: @autoclosure () -> String) throws(TraceError) {
        if try fill(count) < count {
            throw TraceError(offset: base + limit, "input ends inside \(what()) (\(count) bytes wanted, \(limit - position) left)")
        }
        target.append(contentsOf: buffer[position..<position + count])
        position += count
    }

    /// An unsigned LEB128 number of at most 10 bytes.
    func readUvarint(what: @autoclosure () -> String) throws(TraceError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard let byte = try readByte() else {
                throw TraceError(offset: offset, "input ends inside \(what())")
            }
            if shift == 63 && byte > 1 {
                throw TraceError(offset: start, "\(what()) does not fit in 64 bits")
            }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
}
