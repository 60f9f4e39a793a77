import LeakscopeBytes

/// Parses `schedtrace=N` / `scheddetail=1` lines (printed by `schedtrace` in Go's `runtime/proc.go`)
/// as `key=value` tokens, so fields added or dropped between Go versions do not shift anything.
enum SchedLineParser {
    /// `SCHED ` then a digit.
    static func isMarker(_ cursor: LineCursor) -> Bool {
        cursor.looksAt("SCHED ") && (cursor.byte(at: 6)?.isDigit ?? false)
    }

    /// The sample, or nil when the line is cut or garbled.
    static func parse(_ start: LineCursor, line: Int) -> SchedSample? {
        var cursor = start
        guard cursor.expect("SCHED "), let milliseconds = cursor.integer(), cursor.expect("ms:") else { return nil }
        var gomaxprocs: Int?, idleProcs: Int?, threads: Int?, runQueue: Int?
        var spinning = 0, idleThreads = 0
        var needSpinning: Int?
        var detailed = false
        var queues: [Int] = []
        var queueTotal = 0
        var sawQueues = false
        var ticks: Int?
        while true {
            cursor.skipSpaces()
            guard let next = cursor.peek else { break }
            if next == UInt8(ascii: "[") {
                guard let list = intList(&cursor) else { return nil }
                (queueTotal, queues) = (list.total, list.kept)
                sawQueues = true
                continue
            }
            if cursor.expect("schedticks=") {
                guard let list = intList(&cursor, keeping: false) else { return nil }
                ticks = list.total
                continue
            }
            // key=value
            let keyStart = cursor.position
            guard cursor.skip(past: UInt8(ascii: "=")) else { return nil }
            let key = UnsafeRawBufferPointer(rebasing: cursor.bytes[keyStart..<(cursor.position - 1)])
            let number = cursor.integer()
            let numberEnd = cursor.position
            // Non-numeric values (gcwaiting=false, sysmonwait=true): skip the word. A number glued to
            // other text ("0app: …", another thread's write) is not a number.
            while let byte = cursor.peek, byte != 0x20 { cursor.position += 1 }
            let isNumber = number != nil && cursor.position == numberEnd
            switch keyName(key) {
            case .gomaxprocs: gomaxprocs = isNumber ? number : nil
            case .idleprocs: idleProcs = isNumber ? number : nil
            case .threads: threads = isNumber ? number : nil
            case .spinningthreads: spinning = number ?? 0
            case .needspinning: needSpinning = number
            case .idlethreads: idleThreads = number ?? 0
            case .runqueue: runQueue = isNumber ? number : nil
            case .gcwaiting: detailed = true
            case .other: break
            }
        }
        // The local run queues end the plain form: a line without them was cut.
        guard let gomaxprocs, let idleProcs, let threads, let runQueue, detailed || sawQueues else { return nil }
        return SchedSample(milliseconds: milliseconds, gomaxprocs: gomaxprocs, idleProcs: idleProcs, threads: threads,
                           spinningThreads: spinning, needSpinning: needSpinning, idleThreads: idleThreads,
                           globalRunQueue: runQueue, localRunQueueTotal: queueTotal, localRunQueues: queues,
                           schedTicksTotal: ticks, detailed: detailed, goroutines: detailed ? 0 : nil,
                           machines: detailed ? 0 : nil, line: line)
    }

    enum Key { case gomaxprocs, idleprocs, threads, spinningthreads, needspinning, idlethreads, runqueue, gcwaiting, other }

    static func keyName(_ key: UnsafeRawBufferPointer) -> Key {
        let cursor = LineCursor(key)
        func exactly(_ name: StaticString) -> Bool { key.count == name.utf8CodeUnitCount && cursor.looksAt(name) }
        if exactly("gomaxprocs") { return .gomaxprocs }
        if exactly("idleprocs") { return .idleprocs }
        if exactly("threads") { return .threads }
        if exactly("spinningthreads") { return .spinningthreads }
        if exactly("needspinning") { return .needspinning }
        if exactly("idlethreads") { return .idlethreads }
        if exactly("runqueue") { return .runqueue }
        if exactly("gcwaiting") { return .gcwaiting }
        return .other
    }

    /// `[ 1 2 3 ]` or `[1 2 3]`: the sum (saturating) and, when `keeping`, the first `SchedSample.maxKeptProcs` values.
    static func intList(_ cursor: inout LineCursor, keeping: Bool = true) -> (total: Int, kept: [Int])? {
        guard cursor.expect("[") else { return nil }
        var total = 0
        var kept: [Int] = []
        while true {
            cursor.skipSpaces()
            if cursor.expect("]") { return (total, kept) }
            guard let value = cursor.integer() else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(value)
            total = overflow ? Int.max : sum
            if keeping && kept.count < SchedSample.maxKeptProcs { kept.append(value) }
        }
    }

    // MARK: scheddetail lines

    enum Detail {
        /// `  P0: status=1 schedtick=… runqsize=3 …`: the P's local run queue length.
        case processor(runQueue: Int)
        /// `  M3: p=0 curg=…`.
        case machine
        /// `  G17: status=4(chan receive) …`: whether it is a goroutine that exists (not dead).
        case goroutine(alive: Bool)
    }

    /// `P`, `M` or `G`, digits, then `: status=` (P, G) or `: p=` (M).
    static func detail(_ start: LineCursor) -> Detail? {
        var cursor = start
        guard let kind = cursor.peek, kind == UInt8(ascii: "P") || kind == UInt8(ascii: "M") || kind == UInt8(ascii: "G")
        else { return nil }
        cursor.position += 1
        guard cursor.integer() != nil else { return nil }
        switch kind {
        case UInt8(ascii: "M"):
            return cursor.expect(": p=") ? .machine : nil
        case UInt8(ascii: "G"):
            guard cursor.expect(": status="), let status = cursor.integer() else { return nil }
            // Strip the _Gscan bit; 6 is _Gdead, 11 _Gdeadextra: cached, not running goroutines.
            let base = status & ~0x1000
            return .goroutine(alive: base != 6 && base != 11)
        default:
            guard cursor.expect(": status=") else { return nil }
            while !cursor.atEnd {
                if cursor.expect("runqsize=") {
                    guard let size = cursor.integer() else { return nil }
                    return .processor(runQueue: size)
                }
                cursor.position += 1
            }
            return nil
        }
    }
}
