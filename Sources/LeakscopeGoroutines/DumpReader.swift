#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeProfile
import LeakscopeBytes

extension GoroutineDump {
    /// Size of the chunks read from files and pipes.
    static let readChunkSize = 1 << 20

    /// Parses a whole dump held in memory.
    public static func parse(_ bytes: [UInt8]) throws(ProfileError) -> GoroutineDump {
        var parser = GoroutineDumpParser()
        try parser.feed(bytes)
        return try parser.finish()
    }

    /// Parses a dump held in memory.
    public static func parse(_ text: String) throws(ProfileError) -> GoroutineDump {
        try parse(Array(text.utf8))
    }

    /// Streams a dump from an open file descriptor (a file, a pipe, stdin) in 1 MiB pieces,
    /// never holding the whole input. `source` names it in errors.
    public static func read(fileDescriptor fd: Int32, source: String) throws(ProfileError) -> GoroutineDump {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readChunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var parser = GoroutineDumpParser()
        let limit = InputLimits.current.maxInputBytes
        var total = 0
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, readChunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw ProfileError(.malformed, "read failed: \(String(cString: strerror(errno)))", offset: total, source: source)
            }
            if n == 0 { break }
            total += n
            if total > limit {
                throw ProfileError(.tooLarge, "over the \(FileBytes.sizeText(limit)) input limit; \(InputLimits.raiseHint("input"))",
                                   offset: total, source: source)
            }
            do throws(ProfileError) {
                try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            } catch {
                throw error.from(source)
            }
        }
        do throws(ProfileError) {
            return try parser.finish()
        } catch {
            throw error.from(source)
        }
    }

    /// Streams a dump from a file; `-` reads standard input.
    public static func read(path: String) throws(ProfileError) -> GoroutineDump {
        if path == "-" { return try read(fileDescriptor: 0, source: "<stdin>") }
        let fd: Int32
        do throws(OneLineError) {
            fd = try FileBytes.openRegularFile(path).descriptor
        } catch {
            let reason = error.message.hasPrefix(path + ": ") ? String(error.message.dropFirst(path.count + 2)) : error.message
            throw ProfileError(.unrecognized, reason, source: path)
        }
        defer { close(fd) }
        return try read(fileDescriptor: fd, source: path)
    }
}
