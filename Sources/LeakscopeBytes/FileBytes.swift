#if canImport(Glibc)
import Glibc
private let posixRead = Glibc.read
private let posixWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let posixRead = Darwin.read
private let posixWrite = Darwin.write
#endif

/// Whole-file reads and writes with POSIX calls: no `Data` detour, and errors as one line.
public enum FileBytes {
    /// The largest file we read: beyond any real profile, and keeps a mistaken argument (a disk
    /// image, /dev/zero) from exhausting memory.
    public static let maxFileBytes = 4 << 30

    public static func read(_ path: String) throws(OneLineError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        if descriptor < 0 { throw OneLineError("\(path): open: \(errnoText())") }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw OneLineError("\(path): stat: \(errnoText())") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw OneLineError("\(path): is a directory, not a profile") }
        let expected = Int(info.st_size)
        if expected > maxFileBytes { throw OneLineError("\(path): \(expected) bytes is over the 4 GiB input limit") }
        return try readAll(descriptor, name: path, expected: expected)
    }

    /// Standard input, to its end, under the same limit as files.
    public static func readStandardInput() throws(OneLineError) -> [UInt8] {
        try readAll(STDIN_FILENO, name: "<stdin>", expected: 0)
    }

    /// Reads `descriptor` to its end in 1 MiB chunks, stopping at `maxFileBytes`.
    private static func readAll(_ descriptor: Int32, name path: String, expected: Int) throws(OneLineError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(expected, 0))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw OneLineError("\(path): read: \(errnoText())")
            }
            if count == 0 { break }
            if bytes.count + count > maxFileBytes { throw OneLineError("\(path): over the 4 GiB input limit") }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(OneLineError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor < 0 { throw OneLineError("\(path): create: \(errnoText())") }
        do throws(OneLineError) {
            try writeAll(bytes, to: descriptor, name: path)
        } catch {
            close(descriptor)
            throw error
        }
        if close(descriptor) != 0 { throw OneLineError("\(path): close: \(errnoText())") }
    }

    public static func writeToStandardOutput(_ bytes: [UInt8]) throws(OneLineError) {
        try writeAll(bytes, to: STDOUT_FILENO, name: "stdout")
    }

    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32, name: String) throws(OneLineError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                posixWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                // A closed pipe (`leakscope pprof -traces x | head`) is not worth a message.
                if errno == EPIPE { throw OneLineError.quietFailure }
                throw OneLineError("\(name): write: \(errnoText())")
            }
            offset += written
        }
    }

    public static func errnoText() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(cString: text).lowercased()
    }
}

/// Writes one line to standard error.
public func printError(_ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(UInt8(ascii: "\n"))
    try? FileBytes.writeAll(bytes, to: STDERR_FILENO, name: "stderr")
}

/// A failure a person reads as one line (`leakscope: <message>`, the message naming the file, URL
/// or flag it concerns) with the exit status the command ends with.
public struct OneLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Exit status; 2 like `go tool pprof` for every failure.
    public var exitCode: Int32 = 2
    /// Whether the message is printed (false for a closed output pipe).
    public var printed = true

    public init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }

    public static var quietFailure: OneLineError {
        var error = OneLineError("output closed")
        error.printed = false
        error.exitCode = 1
        return error
    }

    public var description: String { message }
}
