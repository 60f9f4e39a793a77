import LeakscopeBytes

/// Parses `gctrace=1` lines by their tokens, not positions, so the Go 1.6–1.18 form (no stacks or
/// globals), Go 1.19+ (stacks, globals), Go 1.27's `(checking for goroutine leaks)` and `(forced)` all
/// read the same way. The format is printed by `gcMarkTermination` in Go's `runtime/mgc.go`.
enum GCLineParser {
    /// Whether a GC line starts at the cursor: `gc ` then a digit.
    static func isMarker(_ cursor: LineCursor) -> Bool {
        cursor.looksAt("gc ") && (cursor.byte(at: 3)?.isDigit ?? false)
    }

    /// The cycle, or nil when the line is cut or garbled after the marker.
    static func parse(_ start: LineCursor, line: Int) -> GCCycle? {
        var cursor = start
        guard cursor.expect("gc "), let number = cursor.integer(),
              cursor.expect(" @"), let seconds = cursor.decimal(), cursor.expect("s "),
              let percent = cursor.integer(), cursor.expect("%")
        else { return nil }

        // Optional notes in parentheses before the colon, e.g. " (checking for goroutine leaks)".
        var checkedLeaks = false
        while cursor.expect(" (") {
            let noteStart = cursor.position
            guard cursor.skip(past: UInt8(ascii: ")")) else { return nil }
            let note = UnsafeRawBufferPointer(rebasing: cursor.bytes[noteStart..<cursor.position])
            if contains(note, "goroutine leak") { checkedLeaks = true }
        }
        guard cursor.expect(": ") else { return nil }

        guard let clock = phaseList(&cursor), clock.count >= 3, cursor.expect(" ms clock, "),
              let cpu = phaseList(&cursor), cpu.count >= 3, cursor.expect(" ms cpu, ")
        else { return nil }

        var cycle = GCCycle(
            number: number, seconds: seconds, cpuPercent: percent,
            clockSweepTermination: clock[0],
            clockMark: clock.sum(1..<(clock.count - 1)),
            clockMarkTermination: clock[clock.count - 1],
            cpuSweepTermination: 0, cpuAssist: 0, cpuBackground: 0, cpuIdle: 0, cpuMarkTermination: 0,
            heapStartMB: 0, heapEndMB: 0, heapLiveMB: 0, goalMB: nil, stacksMB: nil, globalsMB: nil,
            procs: 0, forced: false, checkedGoroutineLeaks: checkedLeaks, line: line)
        assignCPU(cpu, to: &cycle)

        var sawHeap = false, sawProcs = false
        // Comma-separated items: "4->5->2 MB", "5 MB goal", "0 MB stacks", "0 MB globals", "4 P".
        while !cursor.atEnd && !sawProcs {
            guard let first = cursor.integer() else { return nil }
            if cursor.expect("->") {
                guard let end = cursor.integer(), cursor.expect("->"), let live = cursor.integer(), cursor.expect(" MB")
                else { return nil }
                (cycle.heapStartMB, cycle.heapEndMB, cycle.heapLiveMB) = (first, end, live)
                sawHeap = true
            } else if cursor.expect(" MB goal") {
                cycle.goalMB = first
            } else if cursor.expect(" MB stacks") {
                cycle.stacksMB = first
            } else if cursor.expect(" MB globals") {
                cycle.globalsMB = first
            } else if cursor.expect(" P") {
                cycle.procs = first
                sawProcs = true
                if cursor.expect(" (forced)") { cycle.forced = true }
                break
            } else {
                // A newer runtime's extra item: skip it.
                guard cursor.skip(past: UInt8(ascii: ",")) else { return nil }
                cursor.position -= 1
            }
            guard cursor.expect(", ") else { return nil }
        }
        return sawHeap && sawProcs ? cycle : nil
    }

    /// Numbers joined by `+` or `/`: `0.018+1.2+0.003` or `0.07+0.3/1.1/2.0+0.012`. Stored inline (no
    /// heap allocation per line): at most 8 values, which covers every Go version's form.
    struct PhaseList {
        var storage = SIMD8<Double>()
        var count = 0
        /// Bit i set: the separator after value i was `/`.
        var slashes: UInt8 = 0

        subscript(index: Int) -> Double { storage[index] }
        func isSlash(after index: Int) -> Bool { index < 8 && slashes & (1 << UInt8(index)) != 0 }
        /// Sum of values in `range` (clamped to the stored values).
        func sum(_ range: Range<Int>) -> Double {
            var total = 0.0
            for index in max(range.lowerBound, 0)..<min(range.upperBound, count) { total += storage[index] }
            return total
        }
    }

    static func phaseList(_ cursor: inout LineCursor) -> PhaseList? {
        var list = PhaseList()
        while list.count < 8 {
            guard let value = cursor.decimal() else { return nil }
            list.storage[list.count] = value
            if cursor.expect("+") {
                list.count += 1
            } else if cursor.expect("/") {
                list.slashes |= 1 << UInt8(list.count)
                list.count += 1
            } else {
                list.count += 1
                return list
            }
        }
        return nil
    }

    /// `a+b/c/d+e`: sweep termination, assist / background / idle, mark termination. Extra `+` terms
    /// (Go 1.5) fold into the neighbouring STW phase.
    static func assignCPU(_ list: PhaseList, to cycle: inout GCCycle) {
        var slash: Int?
        for index in 0..<list.count where list.isSlash(after: index) { slash = index; break }
        if let slash, slash + 2 < list.count, list.isSlash(after: slash + 1) {
            cycle.cpuSweepTermination = list.sum(0..<slash)
            cycle.cpuAssist = list[slash]
            cycle.cpuBackground = list[slash + 1]
            cycle.cpuIdle = list[slash + 2]
            cycle.cpuMarkTermination = list.sum((slash + 3)..<list.count)
        } else {
            cycle.cpuSweepTermination = list[0]
            cycle.cpuBackground = list.sum(1..<(list.count - 1))
            cycle.cpuMarkTermination = list[list.count - 1]
        }
    }

    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        guard bytes.count >= needle.utf8CodeUnitCount else { return false }
        for start in 0...(bytes.count - needle.utf8CodeUnitCount) where LineCursor(bytes, from: start).looksAt(needle) {
            return true
        }
        return false
    }
}
