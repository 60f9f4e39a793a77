/// A small backtracking matcher for the few regular expressions pprof applies to
/// legacy profiles outside the hot paths (memory maps, headers, Java symbol lines).
///
/// Backtracking with greedy quantifiers explored in priority order yields the same
/// submatches as Go's leftmost-first RE2 for these patterns. Every search has a step
/// budget, so hostile lines cost bounded time; an exhausted budget counts as no match.
indirect enum BytePattern: Sendable {
    /// `class{min,max}`, greedy.
    case repeated(ByteClass, min: Int, max: Int)
    case literal([UInt8])
    /// `(?:p)?`, greedy.
    case optional(BytePattern)
    case sequence([BytePattern])
    /// Capturing group number `n` (1-based like Go's submatch indices).
    case capture(Int, BytePattern)
    /// `^` / `\A` at the start of the searched span.
    case start
    /// `$` / `\z` at the end of the searched span.
    case end

    static func one(_ c: ByteClass) -> BytePattern { .repeated(c, min: 1, max: 1) }
    static func star(_ c: ByteClass) -> BytePattern { .repeated(c, min: 0, max: .max) }
    static func plus(_ c: ByteClass) -> BytePattern { .repeated(c, min: 1, max: .max) }
    static func maybe(_ c: ByteClass) -> BytePattern { .repeated(c, min: 0, max: 1) }
    static func lit(_ s: String) -> BytePattern { .literal(Array(s.utf8)) }

    var captureCount: Int {
        switch self {
        case .repeated, .literal, .start, .end: return 0
        case .optional(let p): return p.captureCount
        case .sequence(let ps): return ps.map(\.captureCount).max() ?? 0
        case .capture(let n, let p): return max(n, p.captureCount)
        }
    }
}

/// A set of bytes.
struct ByteClass: Sendable {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ members: String = "", ranges: [ClosedRange<UInt8>] = []) {
        for c in members.utf8 { insert(c) }
        for r in ranges { for c in r { insert(c) } }
    }

    private mutating func insert(_ c: UInt8) {
        let bit = UInt64(1) << UInt64(c & 63)
        switch c >> 6 {
        case 0: bits.0 |= bit
        case 1: bits.1 |= bit
        case 2: bits.2 |= bit
        default: bits.3 |= bit
        }
    }

    @inline(__always) func contains(_ c: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(c & 63)
        switch c >> 6 {
        case 0: return bits.0 & bit != 0
        case 1: return bits.1 & bit != 0
        case 2: return bits.2 & bit != 0
        default: return bits.3 & bit != 0
        }
    }

    var inverted: ByteClass {
        var c = self
        c.bits = (~bits.0, ~bits.1, ~bits.2, ~bits.3)
        return c
    }

    func union(_ other: ByteClass) -> ByteClass {
        var c = self
        c.bits = (bits.0 | other.bits.0, bits.1 | other.bits.1, bits.2 | other.bits.2, bits.3 | other.bits.3)
        return c
    }

    /// Go RE2 `\s`: `[\t\n\f\r ]`.
    static let space = ByteClass("\t\n\u{0C}\r ")
    static let nonSpace = space.inverted
    static let digit = ByteClass(ranges: [48...57])
    static let xdigit = ByteClass(ranges: [48...57, 65...70, 97...102])
    static let lowerHex = ByteClass(ranges: [48...57, 97...102])
    /// `\w`: `[0-9A-Za-z_]`.
    static let word = ByteClass("_", ranges: [48...57, 65...90, 97...122])
    /// `.` (lines never contain `\n`).
    static let any = ByteClass("\n").inverted
}

/// Runs one search of a `BytePattern` over a span of a buffer.
final class PatternSearch {
    private let text: UnsafeBufferPointer<UInt8>
    private let spanStart: Int
    private let spanEnd: Int
    private var captures: [ByteSpan?]
    private var budget: Int

    private init(text: UnsafeBufferPointer<UInt8>, span: ByteSpan, captureCount: Int, budget: Int) {
        self.text = text
        self.spanStart = span.start
        self.spanEnd = span.end
        self.captures = Array(repeating: nil, count: captureCount + 1)
        self.budget = budget
    }

    /// The submatches of the leftmost match of `pattern` in `span` (index 0 is the whole
    /// match), or nil. Groups that took no part in the match are nil.
    static func find(_ pattern: BytePattern, in text: UnsafeBufferPointer<UInt8>, span: ByteSpan,
                     budget: Int = 200_000) -> [ByteSpan?]? {
        let search = PatternSearch(text: text, span: span, captureCount: pattern.captureCount, budget: budget)
        var start = span.start
        while start <= span.end {
            if search.match(pattern, start, { end in
                search.captures[0] = ByteSpan(start: start, end: end)
                return true
            }) {
                return search.captures
            }
            if search.budget <= 0 { return nil }
            start += 1
        }
        return nil
    }

    private func match(_ p: BytePattern, _ pos: Int, _ then: (Int) -> Bool) -> Bool {
        budget -= 1
        if budget <= 0 { return false }
        switch p {
        case .repeated(let cls, let min, let max):
            var n = 0
            while n < max && pos + n < spanEnd && cls.contains(text[pos + n]) { n += 1 }
            if n < min { return false }
            var length = n
            while length >= min {
                if then(pos + length) { return true }
                budget -= 1
                if budget <= 0 { return false }
                length -= 1
            }
            return false
        case .literal(let bytes):
            guard pos + bytes.count <= spanEnd else { return false }
            for (i, b) in bytes.enumerated() where text[pos + i] != b { return false }
            return then(pos + bytes.count)
        case .optional(let inner):
            if match(inner, pos, then) { return true }
            if budget <= 0 { return false }
            return then(pos)
        case .sequence(let parts):
            return matchSequence(parts, 0, pos, then)
        case .capture(let n, let inner):
            let saved = captures[n]
            if match(inner, pos, { end in
                let before = self.captures[n]
                self.captures[n] = ByteSpan(start: pos, end: end)
                if then(end) { return true }
                self.captures[n] = before
                return false
            }) { return true }
            captures[n] = saved
            return false
        case .start:
            return pos == spanStart ? then(pos) : false
        case .end:
            return pos == spanEnd ? then(pos) : false
        }
    }

    private func matchSequence(_ parts: [BytePattern], _ index: Int, _ pos: Int, _ then: (Int) -> Bool) -> Bool {
        if index == parts.count { return then(pos) }
        return match(parts[index], pos) { next in
            self.matchSequence(parts, index + 1, next, then)
        }
    }
}

extension Array where Element == ByteSpan? {
    /// Submatch `i` as a span; empty when the group did not participate (Go gives "").
    subscript(group i: Int) -> ByteSpan {
        guard i < count, let span = self[i] else { return .empty }
        return span
    }
}
