import LeakscopeFindings
import LeakscopeGoSymbols
import LeakscopeTrace

/// Reads a trace and reports goroutine lifecycles per creation site, with leak, storm and churn findings.
///
/// ```swift
/// let report = try LifecycleAnalysis.analyze(TraceReader(path: "service.trace"))
/// ```
public enum LifecycleAnalysis {
    /// Reads all of `reader` and builds the report. `source` names the input in findings' evidence.
    ///
    /// With `concurrently` (the default when there is no `observer`), the reader decodes on this
    /// thread while the lifecycle builder runs on a second one (`TraceReader.readConcurrently(into:)`);
    /// the report is the same either way. `observer` is called on the builder's thread; it may use
    /// `reader.names` safely only when not `concurrently` (the reader adds names as it goes).
    public static func analyze(_ reader: TraceReader, source: String = "", thresholds: LifecycleThresholds = .init(),
                               concurrently: Bool? = nil,
                               observer: ((TraceEvent) -> Void)? = nil) throws(TraceError) -> LifecycleReport {
        let builder = LifecycleBuilder()
        builder.transitionObserver = observer
        if concurrently ?? (observer == nil) {
            try reader.readConcurrently(into: builder)
        } else {
            try reader.read(into: builder)
        }
        return report(builder, names: reader.names, events: reader.statistics.events, version: reader.version,
                      source: source, thresholds: thresholds)
    }

    static func report(_ builder: LifecycleBuilder, names: TraceNames, events: Int, version: TraceVersion,
                       source: String, thresholds: LifecycleThresholds) -> LifecycleReport {
        let end = builder.lastTime
        let start = builder.firstTime ?? end
        let window = Double(end - start) / 1e9
        // Where each site's live goroutines are at the end.
        var endStates = [[EndKey: (count: Int, oldest: Int64, stack: Int32)]](repeating: [:], count: builder.tallies.count)
        var frameOfStack: [Int32: TraceFrame?] = [:]
        builder.live.forEach { _, goroutine in
            let frame: TraceFrame?
            if let known = frameOfStack[goroutine.stack] {
                frame = known
            } else {
                let frames = names.stack(goroutine.stack)
                frame = frames.first { ApplicationCode.isApplication(names.string($0.function)) } ?? frames.first
                frameOfStack[goroutine.stack] = frame
            }
            let key = EndKey(state: goroutine.state, reason: goroutine.state == .waiting ? goroutine.reason : 0,
                             function: frame?.function ?? 0, file: frame?.file ?? 0, line: frame?.line ?? 0)
            var entry = endStates[Int(goroutine.site)][key] ?? (0, -1, goroutine.stack)
            entry.count += 1
            // The oldest goroutine's stack stands for the row; equal ages take the lower stack ID, so
            // the choice does not depend on the table's iteration order.
            let age = end - goroutine.since
            if age > entry.oldest || (age == entry.oldest && goroutine.stack < entry.stack) {
                entry.oldest = age
                entry.stack = goroutine.stack
            }
            endStates[Int(goroutine.site)][key] = entry
        }
        var sites: [LifecycleReport.Site] = []
        for (index, tally) in builder.tallies.enumerated() {
            let atEnd = endStates[index].map { key, value in
                LifecycleReport.EndState(
                    state: stateName(key.state), reason: names.string(key.reason), function: names.string(key.function),
                    file: names.string(key.file), line: Int(key.line), count: value.count,
                    oldestSeconds: Double(value.oldest) / 1e9,
                    stack: names.stack(value.stack).map { "\(names.string($0.function)) (\(names.string($0.file)):\($0.line))" })
            }.sorted { a, b in
                // Total: rows of one site differ in state, reason or frame, never only in iteration order.
                if a.count != b.count { return a.count > b.count }
                return (a.function, a.file, a.line, a.state, a.reason) < (b.function, b.file, b.line, b.state, b.reason)
            }
            let blocked = tally.blocked.map { entry in
                LifecycleReport.BlockTime(reason: entry.reason == 0 ? "unspecified" : names.string(entry.reason),
                                          count: entry.count, seconds: Double(entry.nanoseconds) / 1e9)
            }.sorted { ($0.seconds, $1.reason) > ($1.seconds, $0.reason) }
            let waits = tally.waits.map { entry in
                LifecycleReport.WaitPlace(function: names.string(entry.function), count: entry.count,
                                          seconds: Double(entry.nanoseconds) / 1e9)
            }.sorted { ($0.seconds, $1.function) > ($1.seconds, $0.function) }
            let wokenBy = tally.wakers.map { entry in
                guard entry.site >= 0 else {
                    return LifecycleReport.Waker(function: "runtime", entry: "", preExisting: false, count: entry.count)
                }
                let key = builder.tallies[Int(entry.site)].key
                return LifecycleReport.Waker(function: names.string(key.function), entry: names.string(key.entry),
                                             preExisting: key.preExisting, count: entry.count)
            }.sorted { a, b in
                if a.count != b.count { return a.count > b.count }
                return (a.function, a.entry, a.preExisting ? 1 : 0) < (b.function, b.entry, b.preExisting ? 1 : 0)
            }
            sites.append(LifecycleReport.Site(
                function: names.string(tally.key.function), file: names.string(tally.key.file), line: Int(tally.key.line),
                entry: names.string(tally.key.entry), preExisting: tally.key.preExisting, created: tally.created,
                ended: tally.ended, alive: tally.alive, peakAlive: tally.peakAlive,
                medianLifetimeSeconds: medianLifetime(tally.lifetimes),
                createdPerGeneration: Array(tally.createdPerGeneration.prefix(builder.generationCount)),
                blocked: blocked, waits: waits, wokenBy: wokenBy, atEnd: atEnd))
        }
        sites.sort { a, b in
            if a.preExisting != b.preExisting { return !a.preExisting }
            if a.alive != b.alive { return a.alive > b.alive }
            if a.created != b.created { return a.created > b.created }
            return (a.function, a.entry, a.file, a.line) < (b.function, b.entry, b.file, b.line)
        }
        let totals = LifecycleReport.Totals(created: builder.createdTotal, ended: builder.endedTotal,
                                            alive: builder.live.count, preExisting: builder.preExisting)
        let findings = LifecycleFindings.findings(sites: sites, windowSeconds: window, source: source, thresholds: thresholds)
        return LifecycleReport(findings: findings, goroutines: totals, sites: sites, windowSeconds: window,
                               generations: builder.generationCount, events: events, traceVersion: version.description)
    }

    struct EndKey: Hashable {
        var state: GoroutineState
        var reason: Int32
        var function: Int32
        var file: Int32
        var line: Int32
    }

    static func stateName(_ state: GoroutineState) -> String {
        switch state {
        case .waiting: return "waiting"
        case .runnable: return "runnable"
        case .running: return "running"
        case .syscall: return "syscall"
        case .notExist, .undetermined: return "unknown"
        }
    }

    /// The median of a power-of-two histogram of nanoseconds, as the bucket's geometric middle, in seconds.
    static func medianLifetime(_ buckets: [Int]) -> Double? {
        let total = buckets.reduce(0, +)
        guard total > 0 else { return nil }
        var seen = 0
        for (index, count) in buckets.enumerated() {
            seen += count
            if seen * 2 >= total { return Double(UInt64(1) << UInt64(index)) * 1.414 / 1e9 }
        }
        return nil
    }
}
