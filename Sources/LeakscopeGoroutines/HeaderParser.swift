import LeakscopeBytes
import LeakscopeProfile

/// What a goroutine header line says.
struct ParsedHeader {
    var id: Int64
    var state: NameID
    var waitMinutes: Int32 = 0
    var flags: GoroutineFlags = []
    var bubble: Int64 = 0
    var labelSet: LabelSetID = .none
}

/// Reads goroutine header lines (see `runtime.goroutineheader`):
///
///     goroutine 7 gp=0xc000007c00 m=nil [chan receive (leaked), 3 minutes, locked to thread] {k: v, "a b": "c"}:
///
/// `gp=… m=… mp=…` appear with GOTRACEBACK≥system or in a crash; the bracket holds the status
/// then ` (leaked)`, ` (scan)`, ` (durable)` marks, then `, N minutes`, `, locked to thread`,
/// `, synctest bubble N`; `{labels}` are Go 1.27's `tracebacklabels`, keys sorted, each key or
/// value Go-quoted when it holds anything outside `[A-Za-z0-9./_]`.
struct HeaderParser {
    private var scratch: [UInt8] = []
    private var pairs: ContiguousArray<LabelPair> = []

    /// Whether a (leading-whitespace-trimmed) line starts like a header: `goroutine <digit>`.
    @inline(__always)
    static func looksLikeHeader(_ s: ByteLine) -> Bool {
        s.count > 12 && s[0] == UInt8(ascii: "g") && s.has("goroutine ") && isDigit(s[10])
    }

    /// Parses a header; nil when the line is not one (e.g. a log line starting "goroutine 5 …").
    mutating func parse(_ s: ByteLine, into builder: inout DumpBuilder) -> ParsedHeader? {
        guard HeaderParser.looksLikeHeader(s), s[s.count - 1] == UInt8(ascii: ":"),
              let (id, afterID) = parseDecimal(s, 10) else { return nil }
        var i = afterID
        var flags: GoroutineFlags = []
        // Machine info tokens (gp=0x… m=3 mp=0x… or m=nil) up to " [".
        while i + 1 < s.count, s[i] == UInt8(ascii: " "), s[i + 1] != UInt8(ascii: "[") {
            flags.insert(.hasMachineInfo)
            i += 1
            while i < s.count, s[i] != UInt8(ascii: " ") { i += 1 }
        }
        guard s.has(" [", at: i), let close = s.index(of: UInt8(ascii: "]"), from: i + 2) else { return nil }
        let bracket = s.sub(i + 2, close)
        var header = ParsedHeader(id: id, state: .empty)

        // Status and marks, up to the first ", ".
        var statusEnd = bracket.count
        var k = 0
        while k + 1 < bracket.count {
            if bracket[k] == UInt8(ascii: ","), bracket[k + 1] == UInt8(ascii: " ") { statusEnd = k; break }
            k += 1
        }
        var status = bracket.sub(0, statusEnd)
        if status.ends(with: " (durable)") {
            flags.insert(.durable)
            // The runtime appends the mark only to reasons without a "(durable)" variant; the
            // variants themselves ("chan receive (durable)", …) are the state as printed.
            let base = status.sub(0, status.count - 10)
            if !(base.has("chan receive") && base.count == 12 || base.has("chan send") && base.count == 9
                || base.has("select") && base.count == 6 || base.has("sync.WaitGroup.Wait") && base.count == 19) {
                status = base
            }
        }
        if status.ends(with: " (scan)") { flags.insert(.scan); status = status.sub(0, status.count - 7) }
        if status.ends(with: " (leaked)") { flags.insert(.leaked); status = status.sub(0, status.count - 9) }
        if status.ends(with: "(durable)") { flags.insert(.durable) }
        header.state = builder.dump.names.intern(bytes: status)

        // Extras: ", N minutes", ", locked to thread", ", synctest bubble N".
        var j = statusEnd
        while j + 2 <= bracket.count {
            let itemStart = j + 2
            var itemEnd = itemStart
            while itemEnd < bracket.count, !(bracket[itemEnd] == UInt8(ascii: ",") && itemEnd + 1 < bracket.count && bracket[itemEnd + 1] == UInt8(ascii: " ")) {
                itemEnd += 1
            }
            let item = bracket.sub(itemStart, itemEnd)
            if item.has("locked to thread") {
                flags.insert(.lockedToThread)
            } else if item.has("synctest bubble "), let (n, _) = parseDecimal(item, 16) {
                header.bubble = n
            } else if let (n, end) = parseDecimal(item, 0), item.has(" minute", at: end) {
                header.waitMinutes = clampToInt32(n)
            }
            j = itemEnd
        }

        // After "]": ":" or " {labels}:".
        let rest = close + 1
        if rest == s.count - 1 {
            header.flags = flags
            return header
        }
        guard s.has(" {", at: rest), s.count >= rest + 4, s[s.count - 2] == UInt8(ascii: "}") else { return nil }
        guard let set = parseLabels(s.sub(rest + 2, s.count - 2), into: &builder) else { return nil }
        header.labelSet = set
        header.flags = flags
        return header
    }

    /// Parses `k: v, k2: v2` (traceback) or `"k":"v", "k2":"v2"` (debug=1 `# labels:`), without
    /// the braces. Nil if malformed.
    mutating func parseLabels(_ s: ByteLine, into builder: inout DumpBuilder) -> LabelSetID? {
        pairs.removeAll(keepingCapacity: true)
        var i = 0
        while i < s.count {
            guard let (afterKey, keyRange) = readLabelToken(s, i, scratch: &scratch), afterKey < s.count,
                  s[afterKey] == UInt8(ascii: ":") else { return nil }
            let key = intern(s, keyRange, &builder)
            var v = afterKey + 1
            if v < s.count, s[v] == UInt8(ascii: " ") { v += 1 }
            guard let (afterValue, valueRange) = readLabelToken(s, v, scratch: &scratch) else { return nil }
            let value = intern(s, valueRange, &builder)
            pairs.append(LabelPair(key: key, value: value))
            i = afterValue
            if i == s.count { break }
            guard s[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            if i < s.count, s[i] == UInt8(ascii: " ") { i += 1 }
        }
        return builder.internLabelSet(pairs)
    }

    /// Interns a token: its bytes in `s`, or (nil range) the unescaped bytes in `scratch`.
    @inline(__always)
    private func intern(_ s: ByteLine, _ range: Range<Int>?, _ builder: inout DumpBuilder) -> NameID {
        if let range { return builder.dump.names.intern(bytes: s.sub(range.lowerBound, range.upperBound)) }
        return scratch.withUnsafeBytes { builder.dump.names.intern(bytes: $0) }
    }
}
