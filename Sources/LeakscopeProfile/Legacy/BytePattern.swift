/// The few regular expressions pprof applies to legacy profiles outside the hot paths
/// (memory maps, headers, Java symbol lines), written as values and run by a small
/// backtracking machine (`CompiledPattern`, `PatternSearch`).
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

    /// The literal every match starts with, if the pattern begins with one.
    var leadingLiteral: [UInt8]? {
        switch self {
        case .literal(let bytes): return bytes.isEmpty ? nil : bytes
        case .sequence(let parts): return parts.first?.leadingLiteral
        case .capture(_, let p): return p.leadingLiteral
        default: return nil
        }
    }

    var isAnchored: Bool {
        switch self {
        case .start: return true
        case .sequence(let parts): return parts.first?.isAnchored ?? false
        case .capture(_, let p): return p.isAnchored
        default: return false
        }
    }

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

/// A `BytePattern` compiled to a flat program for a backtracking machine with an explicit
/// stack (no closures, no recursion, no generic containers in the loop), so searches
/// stay cheap even in debug builds.
struct CompiledPattern: Sendable {
    /// One instruction: `op` and two operands.
    struct Instruction: Sendable {
        var op: Op
        var a: Int
        var b: Int
    }

    enum Op: UInt8, Sendable {
        /// A greedy run of `a...b` bytes of class `classes[index]` (index in `b`'s high bits; see emit).
        case run
        /// Bytes `literals[a..<b]`.
        case literal
        /// Try `a` first, then `b`.
        case split
        case jump
        /// Record the position in capture slot `a`.
        case save
        case start
        case end
        case match
    }

    let program: [Instruction]
    /// For `run` instructions: the class, minimum and maximum, by instruction index.
    let runs: [(ByteClass, Int, Int)]
    let literals: [UInt8]
    let captureCount: Int
    let anchored: Bool
    let firstByte: UInt8?

    init(_ pattern: BytePattern) {
        var program: [Instruction] = []
        var runs: [(ByteClass, Int, Int)] = []
        var literals: [UInt8] = []
        Self.emit(pattern, &program, &runs, &literals)
        program.append(Instruction(op: .match, a: 0, b: 0))
        self.program = program
        self.runs = runs
        self.literals = literals
        captureCount = pattern.captureCount
        anchored = pattern.isAnchored
        firstByte = pattern.leadingLiteral?.first
    }

    private static func emit(_ p: BytePattern, _ program: inout [Instruction], _ runs: inout [(ByteClass, Int, Int)],
                             _ literals: inout [UInt8]) {
        switch p {
        case .repeated(let c, let min, let max):
            program.append(Instruction(op: .run, a: runs.count, b: 0))
            runs.append((c, min, max))
        case .literal(let bytes):
            program.append(Instruction(op: .literal, a: literals.count, b: literals.count + bytes.count))
            literals.append(contentsOf: bytes)
        case .optional(let inner):
            let split = program.count
            program.append(Instruction(op: .jump, a: 0, b: 0))  // patched below
            emit(inner, &program, &runs, &literals)
            program[split] = Instruction(op: .split, a: split + 1, b: program.count)
        case .sequence(let parts):
            for part in parts { emit(part, &program, &runs, &literals) }
        case .capture(let n, let inner):
            program.append(Instruction(op: .save, a: 2 * n, b: 0))
            emit(inner, &program, &runs, &literals)
            program.append(Instruction(op: .save, a: 2 * n + 1, b: 0))
        case .start: program.append(Instruction(op: .start, a: 0, b: 0))
        case .end: program.append(Instruction(op: .end, a: 0, b: 0))
        }
    }
}

extension BytePattern {
    var compiled: CompiledPattern { CompiledPattern(self) }
}

/// Searches with a `CompiledPattern`.
enum PatternSearch {
    /// A choice to come back to: `kind` 0 = branch to (`pc`, `pos`); 1 = restore slot `pc`
    /// to `pos`; 2 = resume at `pc` with a run ending at `pos`, then shorter down to `lowest`.
    private struct Backtrack {
        var kind: Int
        var pc: Int
        var pos: Int
        var lowest: Int
    }

    /// Growable stack of choices in raw memory.
    private struct ChoiceStack {
        var base: UnsafeMutablePointer<Backtrack>
        var capacity: Int
        var depth = 0

        init() {
            capacity = 64
            base = UnsafeMutablePointer<Backtrack>.allocate(capacity: capacity)
        }

        @inline(__always) mutating func push(_ kind: Int, _ pc: Int, _ pos: Int, _ lowest: Int) {
            if depth == capacity {
                let bigger = UnsafeMutablePointer<Backtrack>.allocate(capacity: capacity * 2)
                bigger.moveInitialize(from: base, count: depth)
                base.deallocate()
                base = bigger
                capacity *= 2
            }
            (base + depth).initialize(to: Backtrack(kind: kind, pc: pc, pos: pos, lowest: lowest))
            depth += 1
        }
    }

    /// The submatches of the leftmost match of `pattern` in `span` (index 0 is the whole
    /// match), or nil. Groups that took no part in the match are nil. A search gives up
    /// (no match) after `budget` steps.
    static func find(_ pattern: CompiledPattern, in text: UnsafeBufferPointer<UInt8>, span: ByteSpan,
                     budget: Int = 100_000) -> [ByteSpan?]? {
        pattern.program.withUnsafeBufferPointer { program in
            pattern.literals.withUnsafeBufferPointer { literals in
                pattern.runs.withUnsafeBufferPointer { runs in
                    search(pattern, program, literals, runs, text, span, budget)
                }
            }
        }
    }

    private static func search(_ pattern: CompiledPattern, _ program: UnsafeBufferPointer<CompiledPattern.Instruction>,
                               _ literals: UnsafeBufferPointer<UInt8>, _ runs: UnsafeBufferPointer<(ByteClass, Int, Int)>,
                               _ text: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ budget: Int) -> [ByteSpan?]? {
        let slotCount = 2 * (pattern.captureCount + 1)
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: slotCount)
        var stack = ChoiceStack()
        defer {
            slots.deallocate()
            stack.base.deallocate()
        }
        var steps = budget
        let lastStart = pattern.anchored ? span.start : span.end
        var start = span.start
        while start <= lastStart {
            if let first = pattern.firstByte {
                while start < span.end && text[start] != first { start += 1 }
                if start >= span.end { return nil }
            }
            for i in 0..<slotCount { slots[i] = -1 }
            stack.depth = 0
            var pc = 0
            var pos = start
            var matched = false
            run: while true {
                steps -= 1
                if steps <= 0 { return nil }
                var ok = true
                let instruction = program[pc]
                switch instruction.op {
                case .run:
                    let (c, min, max) = runs[instruction.a]
                    var n = 0
                    while n < max && pos + n < span.end && c.contains(text[pos + n]) { n += 1 }
                    if n < min {
                        ok = false
                    } else {
                        if n > min { stack.push(2, pc + 1, pos + n - 1, pos + min) }
                        pos += n
                        pc += 1
                    }
                case .literal:
                    let length = instruction.b - instruction.a
                    if pos + length <= span.end {
                        var k = 0
                        while k < length && text[pos + k] == literals[instruction.a + k] { k += 1 }
                        ok = k == length
                    } else {
                        ok = false
                    }
                    if ok {
                        pos += length
                        pc += 1
                    }
                case .split:
                    stack.push(0, instruction.b, pos, 0)
                    pc = instruction.a
                case .jump:
                    pc = instruction.a
                case .save:
                    stack.push(1, instruction.a, slots[instruction.a], 0)
                    slots[instruction.a] = pos
                    pc += 1
                case .start:
                    ok = pos == span.start
                    pc += 1
                case .end:
                    ok = pos == span.end
                    pc += 1
                case .match:
                    slots[0] = start
                    slots[1] = pos
                    matched = true
                    break run
                }
                if ok { continue }
                // Back to the most recent choice.
                while true {
                    if stack.depth == 0 { break run }
                    stack.depth -= 1
                    let entry = stack.base[stack.depth]
                    if entry.kind == 1 {
                        slots[entry.pc] = entry.pos
                        continue
                    }
                    if entry.kind == 2 && entry.pos > entry.lowest {
                        stack.push(2, entry.pc, entry.pos - 1, entry.lowest)
                    }
                    pc = entry.pc
                    pos = entry.pos
                    break
                }
            }
            if matched {
                var result: [ByteSpan?] = []
                result.reserveCapacity(pattern.captureCount + 1)
                for g in 0...pattern.captureCount {
                    let (s, e) = (slots[2 * g], slots[2 * g + 1])
                    result.append(s >= 0 && e >= s ? ByteSpan(start: s, end: e) : nil)
                }
                return result
            }
            start += 1
        }
        return nil
    }
}

extension Array where Element == ByteSpan? {
    /// Submatch `i` as a span; empty when the group did not participate (Go gives "").
    subscript(group i: Int) -> ByteSpan {
        guard i < count, let span = self[i] else { return .empty }
        return span
    }
}
