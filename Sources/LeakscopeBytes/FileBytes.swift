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
    /// The largest file we read (`InputLimits.maxInputBytes`, 1 GiB unless raised): beyond any real
    /// profile, and keeps a mistaken argument (a disk image) from exhausting memory.
    public static var maxFileBytes: Int { InputLimits.current.maxInputBytes }

    /// Reads a regular file whole. FIFOs, sockets and devices are refused (a FIFO is opened
    /// non-blocking, so it cannot hang us in `open`); with `followSymlinks: false` a symbolic link
    /// as the last path component is refused too (`O_NOFOLLOW`), as capture directories require.
    public static func read(_ path: String, followSymlinks: Bool = true) throws(OneLineError) -> [UInt8] {
        let (descriptor, size) = try openRegularFile(path, followSymlinks: followSymlinks)
        defer { close(descriptor) }
        if size > maxFileBytes {
            throw OneLineError("\(quotedPath(path)): \(size) bytes is over the \(sizeText(maxFileBytes)) input limit; \(InputLimits.raiseHint("input"))")
        }
        return try readAll(descriptor, name: quotedPath(path), expected: size)
    }

    /// Opens `path` for reading if it is a regular file and returns the descriptor (blocking, close
    /// it yourself) and the file's size. The open is non-blocking, so a FIFO cannot hang it; FIFOs,
    /// sockets, devices and directories are refused with one line; `followSymlinks: false` refuses
    /// a symbolic link as the last component.
    public static func openRegularFile(_ path: String, followSymlinks: Bool = true) throws(OneLineError) -> (descriptor: Int32, size: Int) {
        let flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followSymlinks ? 0 : O_NOFOLLOW)
        let descriptor = open(path, flags)
        if descriptor < 0 {
            if errno == ELOOP && !followSymlinks {
                throw OneLineError("\(quotedPath(path)): is a symbolic link; not followed inside a capture")
            }
            throw OneLineError("\(quotedPath(path)): open: \(errnoText())")
        }
        var info = stat()
        if fstat(descriptor, &info) != 0 {
            let text = errnoText()
            close(descriptor)
            throw OneLineError("\(quotedPath(path)): stat: \(text)")
        }
        let kind: String?
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = nil
        case S_IFDIR: kind = "is a directory, not a profile"
        case S_IFIFO: kind = "is a named pipe, not a regular file (use - to read standard input)"
        case S_IFSOCK: kind = "is a socket, not a regular file"
        default: kind = "is a device, not a regular file"
        }
        if let kind {
            close(descriptor)
            throw OneLineError("\(quotedPath(path)): \(kind)")
        }
        // Reads block again from here on (a regular file never blocks long).
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return (descriptor, Int(info.st_size))
    }

    /// Standard input, to its end, under the same limit as files.
    public static func readStandardInput() throws(OneLineError) -> [UInt8] {
        try readAll(STDIN_FILENO, name: "<stdin>", expected: 0)
    }

    /// Reads `descriptor` to its end in 1 MiB chunks, stopping at `maxFileBytes`. Memory grows with
    /// the bytes actually read; `expected` (a regular file's size) is only a hint, itself capped.
    private static func readAll(_ descriptor: Int32, name path: String, expected: Int) throws(OneLineError) -> [UInt8] {
        let limit = maxFileBytes
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(expected, 0), limit) &+ 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw OneLineError("\(path): read: \(errnoText())")
            }
            if count == 0 { break }
            if bytes.count + count > limit {
                throw OneLineError("\(path): over the \(sizeText(limit)) input limit; \(InputLimits.raiseHint("input"))")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// A path as error messages show it: control characters escaped (Go's `%q` rules, no quotes).
    static func quotedPath(_ path: String) -> String { TerminalText.escapeControls(path) }

    /// `1 GB`-style size (1024-based, as `Numbers` prints sizes) for limit messages (powers of two only; others in bytes).
    public static func sizeText(_ bytes: Int) -> String {
        for (shift, unit) in [(40, "TB"), (30, "GB"), (20, "MB"), (10, "kB")] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
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

    /// Writes `bytes` to standard output. On a terminal, control characters from input (a
    /// function name with an escape sequence, a carriage return in a label) are escaped first
    /// (`TerminalText.sanitize`); leakscope's own colour codes stay. Pipes and files get the bytes
    /// unchanged (so `leakscope pprof` output stays byte-identical to `go tool pprof`'s).
    public static func writeToStandardOutput(_ bytes: [UInt8]) throws(OneLineError) {
        let shown = isatty(STDOUT_FILENO) == 1 ? TerminalText.sanitize(bytes, keepingColor: true) : bytes
        try writeAll(shown, to: STDOUT_FILENO, name: "stdout")
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
/// Control characters in it (from input: a file name, a quoted line) are escaped, so the line stays
/// one line and cannot drive the terminal.
public func printError(_ line: String) {
    var bytes = Array(TerminalText.escapeControls(line).utf8)
    bytes.append(UInt8(ascii: "\n"))
    try? FileBytes.writeAll(bytes, to: STDERR_FILENO, name: "stderr")
}

/// Writes text of several lines (usage text) to standard error: control characters other than
/// newlines and tabs are escaped.
public func printErrorLines(_ text: String) {
    let bytes = TerminalText.sanitize(Array((text + "\n").utf8), keepingColor: false)
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
