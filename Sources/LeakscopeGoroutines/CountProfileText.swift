import LeakscopeBytes
import LeakscopeProfile

/// Reads `goroutine?debug=1` (and `goroutineleak?debug=1`) count profiles:
///
///     goroutine profile: total 48
///     7 @ 0x48c20a 0x419bce 0x4196f2 0x6b7d53 0x493141
///     # labels: {"tenant":"a \"b\": c", "worker":"w0"}
///     #	0x6b7d52	main.spawnedChild+0x32	/tmp/dg/main.go:86
///     <blank>
///
/// Each record becomes one `Goroutine` with `id` -1, `count` N and an empty state (the format
/// has neither). Frame lines go through a tabwriter, so fields may be separated by several tabs.
/// Frames without symbols (`#\t0x4a2b3c`) keep an empty function name.
struct CountProfileScanner {
    private var header = HeaderParser()
    private var inRecord = false
    private var current = Goroutine(id: -1, state: .empty, stack: StackID(rawValue: 0))
    private var frames: ContiguousArray<Frame> = []

    /// Parses `<name> profile: total N`; returns (name, N) or nil.
    static func parseTitle(_ s: ByteLine) -> (name: ByteLine, total: Int64)? {
        guard let space = s.index(of: UInt8(ascii: " ")), s.has(" profile: total ", at: space),
              let (n, end) = parseDecimal(s, space + 16), end == s.count else { return nil }
        return (s.sub(0, space), n)
    }

    mutating func consume(_ raw: ByteLine, number: Int, offset: Int, builder: inout DumpBuilder) {
        var hi = raw.count
        while hi > 0, raw[hi - 1] == 13 || raw[hi - 1] == 32 { hi -= 1 }
        let s = raw.sub(0, hi)
        if s.count == 0 {
            end(builder: &builder)
            return
        }
        if s[0] == UInt8(ascii: "#") {
            guard inRecord else {
                builder.dump.skippedLines += 1
                return
            }
            if s.has("# labels: {") {
                guard s[s.count - 1] == UInt8(ascii: "}"), let set = header.parseLabels(s.sub(11, s.count - 1), into: &builder) else {
                    builder.warn(.malformed, line: number, offset: offset, "unreadable labels \"\(s.excerpt)\"")
                    return
                }
                current.labelSet = set
                return
            }
            if !parseFrame(s, builder: &builder) {
                builder.warn(.malformed, line: number, offset: offset, "unreadable frame line \"\(s.excerpt)\"")
            }
            return
        }
        if isDigit(s[0]), let (count, end) = parseDecimal(s, 0), s.has(" @", at: end) {
            self.end(builder: &builder)
            current = Goroutine(id: -1, count: count, state: .empty, stack: StackID(rawValue: 0),
                                line: clampToInt32(Int64(number)))
            inRecord = true
            return
        }
        if CountProfileScanner.parseTitle(s) != nil {
            end(builder: &builder)
            return
        }
        builder.dump.skippedLines += 1
        builder.warn(.unexpectedLine, line: number, offset: offset, "not part of a count profile: \"\(s.excerpt)\"")
    }

    /// `#\t0xpc\tfunc+0xoff\tfile:line` with any run of tabs or spaces between fields.
    private mutating func parseFrame(_ s: ByteLine, builder: inout DumpBuilder) -> Bool {
        var fields: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)  // [lo, hi) of pc, func, file
        var found = 0
        var i = 1
        while i < s.count, found < 3 {
            while i < s.count, s[i] == 9 || s[i] == 32 { i += 1 }
            if i >= s.count { break }
            let lo = i
            // The file (third field) may contain spaces; it runs to the end of the line.
            if found == 2 { i = s.count } else { while i < s.count, s[i] != 9 { i += 1 } }
            switch found {
            case 0: fields.0 = lo; fields.1 = i
            case 1: fields.2 = lo; fields.3 = i
            default: fields.4 = lo; fields.5 = i
            }
            found += 1
        }
        guard found >= 1, s.has("0x", at: fields.0) else { return false }
        var function = NameID.empty, file = NameID.empty, line: Int64 = 0, offset: UInt64 = 0
        var flags = FrameFlags()
        if found >= 2 {
            var name = s.sub(fields.2, fields.3)
            if let plus = name.lastIndex(of: UInt8(ascii: "+")), name.has("+0x", at: plus), let (v, _) = parseHex(name, plus + 3) {
                offset = v
                flags.insert(.hasPCOffset)
                name = name.sub(0, plus)
            }
            function = builder.dump.names.intern(bytes: name)
        }
        if found >= 3 {
            let f = s.sub(fields.4, fields.5)
            if let colon = f.lastIndex(of: UInt8(ascii: ":")), let (n, end) = parseDecimal(f, colon + 1), end == f.count {
                line = n
                file = builder.dump.names.intern(bytes: f.sub(0, colon))
            } else {
                file = builder.dump.names.intern(bytes: f)
            }
        }
        frames.append(Frame(function: function, file: file, line: clampToInt32(line),
                            pcOffset: UInt32(truncatingIfNeeded: min(offset, UInt64(UInt32.max))), flags: flags))
        return true
    }

    mutating func end(builder: inout DumpBuilder) {
        guard inRecord else { return }
        current.stack = builder.internStack(frames, elision: nil)
        builder.dump.goroutines.append(current)
        frames.removeAll(keepingCapacity: true)
        inRecord = false
    }

    mutating func finish(lineNumber: Int, offset: Int, builder: inout DumpBuilder) {
        end(builder: &builder)
        let sum = builder.dump.totalGoroutines
        if let total = builder.dump.declaredTotal, total != sum {
            builder.warn(.truncated, line: lineNumber, offset: offset,
                         "the profile declares \(total) goroutines but its records add up to \(sum)")
        }
    }
}
