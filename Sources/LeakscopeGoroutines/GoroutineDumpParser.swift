#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeBytes
import LeakscopeProfile

/// Reads any goroutine text or profile Go 1.17–1.27 writes, fed in chunks of any size.
///
/// The format is decided from the first bytes: gzip or binary data is a proto profile
/// (`goroutine?debug=0`); a first line `goroutine profile: total N` (or `goroutineleak …`) is a
/// count profile (`debug=1`); anything else is a traceback (`debug=2`, `runtime.Stack`, a panic,
/// a fatal error or SIGQUIT output, with any log text around it).
///
/// Text is processed line by line straight from the caller's chunk; only a line split across
/// two chunks is copied. Memory is the parsed model plus that one line, so the input can
/// be far larger than what is kept of it.
///
///     var parser = GoroutineDumpParser()
///     try parser.feed(chunk1); try parser.feed(chunk2)
///     let dump = try parser.finish()
public struct GoroutineDumpParser: Sendable {
    /// Longest line accepted (a header with huge labels); longer lines are skipped with a warning.
    public static let maxLineLength = 16 << 20
    /// Largest proto profile accepted (it is decoded whole).
    public static let maxProtoBytes = 256 << 20

    private enum Mode: Sendable { case undecided, traceback, countProfile, proto }

    private var mode = Mode.undecided
    private var builder = DumpBuilder()
    private var traceback = DumpScanner()
    private var counts = CountProfileScanner()
    /// The start of a line whose end has not arrived yet.
    private var carry: [UInt8] = []
    private var skippingLongLine = false
    private var protoBytes: [UInt8] = []
    private var lineNumber = 0
    private var offset = 0
    /// `InputLimits.maxGoroutines`, read once.
    private let maxGoroutines = InputLimits.current.maxGoroutines
    /// The first line with text, to quote when the input turns out to be no dump at all.
    private var firstLine: (number: Int, excerpt: String)? = nil

    /// A parser waiting for its first chunk.
    public init() {}

    /// Parses the next piece of input.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) throws(ProfileError) {
        guard chunk.count > 0 else { return }
        if case .undecided = mode, offset == 0, carry.isEmpty, GoroutineDumpParser.looksBinary(chunk) {
            mode = .proto
        }
        if case .proto = mode {
            guard protoBytes.count + chunk.count <= GoroutineDumpParser.maxProtoBytes else {
                throw ProfileError(.tooLarge, "a proto goroutine profile over \(GoroutineDumpParser.maxProtoBytes >> 20) MiB",
                                   offset: protoBytes.count)
            }
            protoBytes.append(contentsOf: chunk)
            return
        }
        guard let base = chunk.baseAddress else { return }
        var start = 0
        let n = chunk.count
        if !carry.isEmpty || skippingLongLine {
            guard let nl = findNewline(base, 0, n) else {
                appendCarry(UnsafeRawBufferPointer(start: base, count: n))
                return
            }
            appendCarry(UnsafeRawBufferPointer(start: base, count: nl))
            if skippingLongLine {
                skippingLongLine = false
                lineNumber += 1
                offset += carry.count + 1
                carry.removeAll(keepingCapacity: false)
            } else {
                let line = carry
                carry.removeAll(keepingCapacity: true)
                line.withUnsafeBytes { consume($0) }
                offset += line.count + 1
                try checkGoroutineCount()
            }
            start = nl + 1
        }
        while start < n {
            guard let nl = findNewline(base, start, n) else {
                appendCarry(UnsafeRawBufferPointer(start: base + start, count: n - start))
                return
            }
            consume(UnsafeRawBufferPointer(start: base + start, count: nl - start))
            offset += nl - start + 1
            start = nl + 1
            try checkGoroutineCount()
        }
    }

    /// Fails once the dump holds more goroutine records than `InputLimits.maxGoroutines`; called after
    /// every line, so the model never grows past the cap by more than one goroutine.
    private func checkGoroutineCount() throws(ProfileError) {
        guard builder.dump.goroutines.count > maxGoroutines else { return }
        throw ProfileError(.tooLarge, "more than \(maxGoroutines) goroutines in one dump; \(InputLimits.raiseHint("goroutines"))",
                           offset: offset, line: lineNumber)
    }

    /// Parses the next piece of input.
    public mutating func feed(_ bytes: [UInt8]) throws(ProfileError) {
        var failure: ProfileError? = nil
        bytes.withUnsafeBytes { raw in
            do throws(ProfileError) { try feed(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Ends the input and returns what was read. Throws when the input held nothing
    /// recognisable as goroutines.
    public mutating func finish() throws(ProfileError) -> GoroutineDump {
        switch mode {
        case .proto:
            let profile = try Profile.parse(protoBytes)
            var dump = try GoroutineDump(profile: profile)
            dump.byteCount = protoBytes.count
            return dump
        case .undecided, .traceback, .countProfile:
            break
        }
        if !carry.isEmpty || skippingLongLine {
            // A final line without its newline: the input was cut (pprof's 64 MiB cap cuts
            // mid-line). Its text may be a prefix of something else, so it is not used.
            let excerpt = carry.withUnsafeBytes { $0.excerpt }
            lineNumber += 1
            if firstLine == nil && !excerpt.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                firstLine = (lineNumber, excerpt)
            }
            builder.warn(.truncated, line: lineNumber, offset: offset,
                         "input ends mid-line (\"\(excerpt)\"); that line was not used")
            switch mode {
            case .traceback: traceback.markLastTruncated(builder: &builder)
            default: break
            }
            offset += carry.count
            carry = []
        }
        switch mode {
        case .traceback, .undecided:
            traceback.finish(lineNumber: lineNumber, offset: offset, builder: &builder)
        case .countProfile:
            counts.finish(lineNumber: lineNumber, offset: offset, builder: &builder)
        case .proto:
            break
        }
        builder.dump.byteCount = offset
        builder.dump.lineCount = lineNumber
        if offset == 64 << 20 {
            builder.warn(.truncated, line: lineNumber, offset: offset,
                         "input is exactly 64 MiB, where net/http/pprof cuts goroutine dumps: goroutines after the cut are missing")
        }
        guard !builder.dump.goroutines.isEmpty else {
            if offset == 0 { throw ProfileError(.truncated, "empty input: no goroutines") }
            let quoted = firstLine.map { " (line \($0.number): \"\($0.excerpt)\")" } ?? " (only blank lines)"
            throw ProfileError(.unrecognized,
                               "no goroutine found in \(lineNumber) lines; not a goroutine dump or profile" + quoted,
                               offset: firstLine == nil ? 0 : nil, line: firstLine?.number ?? 1)
        }
        return builder.dump
    }

    // MARK: Private

    private mutating func consume(_ line: ByteLine) {
        lineNumber += 1
        switch mode {
        case .traceback:
            traceback.consume(line, number: lineNumber, offset: offset, builder: &builder)
        case .countProfile:
            counts.consume(line, number: lineNumber, offset: offset, builder: &builder)
        case .undecided:
            var trimmed = line
            while trimmed.count > 0, trimmed[trimmed.count - 1] == 13 { trimmed = trimmed.sub(0, trimmed.count - 1) }
            if trimmed.count == 0 { return }
            if firstLine == nil { firstLine = (lineNumber, line.excerpt) }
            if let (name, total) = CountProfileScanner.parseTitle(trimmed) {
                mode = .countProfile
                builder.dump.format = .countProfile
                builder.dump.profileName = name.asString
                builder.dump.declaredTotal = total
                return
            }
            mode = .traceback
            traceback.consume(line, number: lineNumber, offset: offset, builder: &builder)
        case .proto:
            break
        }
    }

    private mutating func appendCarry(_ bytes: UnsafeRawBufferPointer) {
        if skippingLongLine {
            offset += bytes.count
            return
        }
        if carry.count + bytes.count > GoroutineDumpParser.maxLineLength {
            builder.warn(.lineTooLong, line: lineNumber + 1, offset: offset,
                         "a line longer than \(GoroutineDumpParser.maxLineLength >> 20) MiB was skipped")
            offset += carry.count + bytes.count
            carry = []
            skippingLongLine = true
            return
        }
        carry.append(contentsOf: bytes)
    }

    @inline(__always)
    private func findNewline(_ base: UnsafeRawPointer, _ from: Int, _ end: Int) -> Int? {
        guard let p = memchr(base + from, 10, end - from) else { return nil }
        return UnsafeRawPointer(p) - base
    }

    /// gzip, or control bytes no text dump holds within its first 256 bytes.
    private static func looksBinary(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if chunk.count >= 2, chunk[0] == 0x1f, chunk[1] == 0x8b { return true }
        for i in 0..<min(chunk.count, 256) {
            let b = chunk[i]
            if b < 9 || (b > 13 && b < 32 && b != 27) { return true }
        }
        return false
    }
}
