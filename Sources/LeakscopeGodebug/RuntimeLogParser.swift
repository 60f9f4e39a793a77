#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeBytes

/// Streaming parser for GODEBUG runtime output mixed into any other log text.
///
/// Feed chunks of any size with `consume(_:)`, then call `finish()`. Lines end at `\n` (a trailing
/// `\r` is dropped). A runtime marker (`gc N @`, `SCHED Nms:`, `scav N`, `scvgN:`, `GC forced`,
/// scheddetail `P`/`M`/`G` lines) may follow any prefix, such as a log shipper's timestamp, as long as
/// it is not glued to a letter or digit on its left. Memory is bounded: a line longer than
/// `maxLineBytes` is examined by its head only, and samples are thinned as `RuntimeTrace` describes.
public struct RuntimeLogParser: Sendable {
    /// Runtime lines are short (a `SCHED` line with 256 Ps is ~2 KB); longer lines are examined by
    /// their first this-many bytes.
    public static let maxLineBytes = 64 * 1024

    private var trace = RuntimeTrace()
    private var carry: [UInt8] = []
    private var carryOverlong = false
    private var lineNumber = 0
    private var gcThinning = Thinning()
    private var schedThinning = Thinning()
    private var scavThinning = Thinning()
    private var legacyThinning = Thinning()
    /// The last `SCHED` line, held back so that following scheddetail lines can be folded into it.
    private var openSched: SchedSample?
    private var lastGC: (number: Int, seconds: Double)?

    public init() {}

    /// Parses every complete line in `chunk` and keeps the unfinished tail for the next call.
    public mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        var start = 0
        while start < chunk.count {
            let remaining = chunk.count - start
            guard let found = memchr(base + start, 0x0A, remaining) else {
                appendCarry(UnsafeRawBufferPointer(rebasing: chunk[start...]))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
            if carry.isEmpty && !carryOverlong {
                if piece.count > Self.maxLineBytes {
                    line(UnsafeRawBufferPointer(rebasing: piece[0..<Self.maxLineBytes]), overlong: true)
                } else {
                    line(piece, overlong: false)
                }
            } else {
                appendCarry(piece)
                let overlong = carryOverlong
                let held = carry
                carry.removeAll(keepingCapacity: true)
                carryOverlong = false
                held.withUnsafeBytes { line($0, overlong: overlong) }
            }
            start = end + 1
        }
    }

    /// Parses `bytes` as one more chunk.
    public mutating func consume(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { consume($0) }
    }

    /// Ends the input (a last line without `\n` counts) and returns what was found.
    public mutating func finish() -> RuntimeTrace {
        if !carry.isEmpty || carryOverlong {
            let overlong = carryOverlong
            let held = carry
            carry = []
            carryOverlong = false
            held.withUnsafeBytes { line($0, overlong: overlong) }
        }
        closeSched()
        return trace
    }

    private mutating func appendCarry(_ bytes: UnsafeRawBufferPointer) {
        let room = Self.maxLineBytes - carry.count
        if bytes.count > room {
            carry.append(contentsOf: bytes.prefix(max(room, 0)))
            carryOverlong = true
        } else {
            carry.append(contentsOf: bytes)
        }
    }

    // MARK: One line

    private enum Outcome { case none, malformed, parsed }

    private mutating func line(_ raw: UnsafeRawBufferPointer, overlong: Bool) {
        lineNumber &+= 1
        trace.lines.total &+= 1
        if overlong { trace.lines.overlong &+= 1 }
        var bytes = raw
        if let last = bytes.last, last == 0x0D { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        if trace.lines.firstLine == nil, bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
            trace.lines.firstLine = "line \(lineNumber): \(printableHead(bytes))"
        }
        var outcome = Outcome.none
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            // Markers start with one of g G S s P M, at a word boundary.
            if (byte == 0x67 || byte == 0x47 || byte == 0x53 || byte == 0x73 || byte == 0x50 || byte == 0x4D)
                && (index == 0 || !bytes[index - 1].isWordByte) {
                switch marker(LineCursor(bytes, from: index)) {
                case .parsed: outcome = .parsed
                case .malformed: outcome = .malformed
                case .none: break
                }
                if outcome == .parsed { break }
            }
            index += 1
        }
        switch outcome {
        case .parsed:
            trace.lines.runtime &+= 1
        case .malformed:
            trace.lines.malformed &+= 1
            if trace.lines.firstMalformed == nil {
                trace.lines.firstMalformed = "line \(lineNumber): \(printableHead(bytes))"
            }
        case .none:
            trace.lines.ignored &+= 1
        }
    }

    /// Tries every kind of runtime line at the cursor.
    private mutating func marker(_ cursor: LineCursor) -> Outcome {
        switch cursor.peek {
        case UInt8(ascii: "g"):
            guard GCLineParser.isMarker(cursor) else { return .none }
            guard let cycle = GCLineParser.parse(cursor, line: lineNumber) else { return .malformed }
            record(cycle)
            return .parsed
        case UInt8(ascii: "S"):
            guard SchedLineParser.isMarker(cursor) else { return .none }
            guard let sample = SchedLineParser.parse(cursor, line: lineNumber) else { return .malformed }
            closeSched()
            openSched = sample
            trace.lines.schedSamples &+= 1
            return .parsed
        case UInt8(ascii: "s"):
            if ScavLineParser.isMarker(cursor) {
                guard let sample = ScavLineParser.parse(cursor, line: lineNumber) else { return .malformed }
                trace.lines.scavenger &+= 1
                let dropped = Self.keep(sample, in: &trace.scavenges, thinning: &scavThinning)
                trace.lines.droppedSamples &+= dropped
                return .parsed
            }
            if ScavLineParser.isLegacyMarker(cursor) {
                let legacy = ScavLineParser.parseLegacy(cursor, line: lineNumber)
                if legacy != nil { trace.lines.scavenger &+= 1 }
                switch legacy {
                case .sample(let sample)?:
                    let dropped = Self.keep(sample, in: &trace.legacyScavenges, thinning: &legacyThinning)
                    trace.lines.droppedSamples &+= dropped
                case .released?: break
                case nil: return .malformed
                }
                return .parsed
            }
            if cursor.looksAt("scan: total ") || cursor.looksAt("scan: class ") {
                trace.lines.scanStatistics &+= 1
                return .parsed
            }
            return .none
        case UInt8(ascii: "G") where cursor.looksAt("GC forced"):
            var rest = cursor
            _ = rest.expect("GC forced")
            rest.skipSpaces()
            guard rest.atEnd else { return .none }
            trace.lines.periodicGCForced &+= 1
            return .parsed
        case UInt8(ascii: "P"), UInt8(ascii: "M"), UInt8(ascii: "G"):
            guard cursor.byte(at: 1)?.isDigit == true, let detail = SchedLineParser.detail(cursor) else { return .none }
            trace.lines.schedDetail &+= 1
            if openSched?.detailed == true {
                switch detail {
                case .processor(let runQueue):
                    let (sum, overflow) = openSched!.localRunQueueTotal.addingReportingOverflow(runQueue)
                    openSched!.localRunQueueTotal = overflow ? Int.max : sum
                    if openSched!.localRunQueues.count < SchedSample.maxKeptProcs { openSched!.localRunQueues.append(runQueue) }
                case .machine:
                    openSched!.machines = (openSched!.machines ?? 0) &+ 1
                case .goroutine(let alive):
                    if alive { openSched!.goroutines = (openSched!.goroutines ?? 0) &+ 1 }
                }
            }
            return .parsed
        default:
            return .none
        }
    }

    private mutating func record(_ cycle: GCCycle) {
        var totals = trace.gcTotals
        totals.cycles &+= 1
        if cycle.forced { totals.forced &+= 1 }
        let pause = cycle.pauseMilliseconds
        totals.pauseSumMilliseconds += pause
        if pause > totals.pauseMaxMilliseconds || totals.pauseMaxCycle == nil {
            totals.pauseMaxMilliseconds = pause
            totals.pauseMaxCycle = cycle.number
        }
        if let last = lastGC, cycle.number <= last.number || cycle.seconds < last.seconds {
            totals.restarts &+= 1
        }
        lastGC = (cycle.number, cycle.seconds)
        trace.gcTotals = totals
        let dropped = Self.keep(cycle, in: &trace.gcCycles, thinning: &gcThinning)
        trace.lines.droppedSamples &+= dropped
    }

    private mutating func closeSched() {
        guard let sample = openSched else { return }
        openSched = nil
        let dropped = Self.keep(sample, in: &trace.schedSamples, thinning: &schedThinning)
        trace.lines.droppedSamples &+= dropped
    }

    /// Keeps every `stride`-th sample; when the list is full, drops every second kept one and doubles
    /// the stride, so the kept samples stay evenly spread over the whole input.
    private static func keep<Sample>(_ sample: Sample, in list: inout [Sample], thinning: inout Thinning) -> Int {
        defer { thinning.seen &+= 1 }
        if thinning.seen % thinning.stride != 0 { return 1 }
        var dropped = 0
        if list.count >= RuntimeTrace.maxKeptSamples {
            let before = list.count
            list = list.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            dropped = before - list.count
            thinning.stride &*= 2
            if thinning.seen % thinning.stride != 0 { return dropped + 1 }
        }
        list.append(sample)
        return dropped
    }
}

/// Sample-thinning state of one list.
struct Thinning: Sendable {
    var stride = 1
    var seen = 0
}
