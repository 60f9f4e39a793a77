#if canImport(Glibc)
import Glibc
private let posixRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let posixRead = Darwin.read
#endif
import LeakscopeBytes

/// Entry points for GODEBUG runtime logs (`gctrace=1`, `scavtrace=1`, `schedtrace=N`, `scheddetail=1`).
///
/// ```swift
/// let trace = try RuntimeLog.read(path: "gc.log")
/// let summary = RuntimeSummary(trace)
/// let findings = summary.findings
/// ```
public enum RuntimeLog {
    /// Parses a whole log held in memory.
    public static func parse(_ bytes: [UInt8], source: String = "<input>") throws(RuntimeLogError) -> RuntimeTrace {
        var parser = RuntimeLogParser()
        parser.consume(bytes)
        return try checked(parser.finish(), source: source)
    }

    /// Streams a log from a file in 1 MiB chunks (memory stays bounded whatever the size); `-` is standard input.
    public static func read(path: String) throws(RuntimeLogError) -> RuntimeTrace {
        if path == "-" { return try read(fileDescriptor: 0, source: "<stdin>") }
        let descriptor: Int32
        do throws(OneLineError) {
            descriptor = try FileBytes.openRegularFile(path).descriptor
        } catch {
            throw RuntimeLogError(source: path, reason: error.message.hasPrefix(path + ": ")
                ? String(error.message.dropFirst(path.count + 2)) : error.message)
        }
        defer { close(descriptor) }
        return try read(fileDescriptor: descriptor, source: path)
    }

    /// Streams a log from an open file descriptor (not closed here).
    public static func read(fileDescriptor descriptor: Int32, source: String) throws(RuntimeLogError) -> RuntimeTrace {
        let chunkSize = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var parser = RuntimeLogParser()
        // Streaming keeps memory bounded, but an endless input (/dev/zero on stdin) must still end.
        let limit = InputLimits.current.maxLogBytes
        var total = 0
        while true {
            let count = posixRead(descriptor, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw RuntimeLogError(source: source, reason: "read failed: \(errnoText())")
            }
            if count == 0 { break }
            total += count
            if total > limit {
                throw RuntimeLogError(source: source, reason: "over the \(FileBytes.sizeText(limit)) log input limit; \(InputLimits.raiseHint("log"))")
            }
            parser.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return try checked(parser.finish(), source: source)
    }

    /// Whether the first 64 KiB of `bytes` hold at least one GC, scheduler or scavenger line: the
    /// input detector of `leakscope diagnose` uses this to tell a GODEBUG log from other files.
    public static func looksLikeRuntimeLog(_ bytes: some Collection<UInt8>) -> Bool {
        let head = Array(bytes.prefix(sniffBytes))
        var parser = RuntimeLogParser()
        parser.consume(head)
        let trace = parser.finish()
        return trace.gcTotals.cycles > 0 || !trace.schedSamples.isEmpty || !trace.scavenges.isEmpty
            || !trace.legacyScavenges.isEmpty
    }

    /// How much of an input `looksLikeRuntimeLog` examines.
    public static let sniffBytes = 64 * 1024

    static func checked(_ trace: RuntimeTrace, source: String) throws(RuntimeLogError) -> RuntimeTrace {
        let useful = trace.gcTotals.cycles > 0 || !trace.schedSamples.isEmpty || !trace.scavenges.isEmpty
            || !trace.legacyScavenges.isEmpty
        guard useful else {
            var reason = "no GODEBUG gctrace/schedtrace lines found"
            if let malformed = trace.lines.firstMalformed {
                reason += " (\(trace.lines.malformed) cut or garbled; first at \(malformed))"
            } else if let first = trace.lines.firstLine {
                reason += " (\(first))"
            } else {
                reason += " (the input is empty)"
            }
            throw RuntimeLogError(source: source, reason: reason)
        }
        return trace
    }

    static func errnoText() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(cString: text).lowercased()
    }
}

/// Why a runtime log could not be used: which input and what was wrong, in one line.
public struct RuntimeLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name, `<stdin>` or `<input>`.
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    /// `FILE: reason` (the CLI prefixes `leakscope: `).
    public var description: String { "\(source): \(reason)" }
}
