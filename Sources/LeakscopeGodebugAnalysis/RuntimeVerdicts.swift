import LeakscopeGodebug
import LeakscopeStatistics
import LeakscopeFormat

/// The per-topic computations behind `RuntimeSummary`; limits are in `RuntimeThresholds`.
extension RuntimeSummary {
    typealias Limits = RuntimeThresholds

    static func heapTrend(_ cycles: [GCCycle]) -> HeapTrend {
        let first = cycles[0], last = cycles[cycles.count - 1]
        let span = last.seconds - first.seconds
        let lives = cycles.map { Double($0.heapLiveMB) }
        var trend = HeapTrend(shape: .insufficient, cycles: cycles.count, spanSeconds: span,
                              firstLiveMB: first.heapLiveMB, lastLiveMB: last.heapLiveMB,
                              maxLiveMB: cycles.map(\.heapLiveMB).max() ?? 0, slopeMBPerMinute: 0,
                              lateSlopeMBPerMinute: 0, rSquared: 0, growthMB: 0,
                              verdict: Verdict(.ok, "only \(cycles.count) GC cycle\(cycles.count == 1 ? "" : "s") over \(Numbers.duration(seconds: span)): too few to judge a trend"))
        guard cycles.count >= Limits.heapMinimumCycles, span > 0,
              let line = Statistics.fit(cycles.map { $0.seconds / 60 }, lives)
        else { return trend }
        let lateCycles = cycles.filter { $0.seconds >= first.seconds + span / 2 }
        let late = lateCycles.count >= 3
            ? Statistics.fit(lateCycles.map { $0.seconds / 60 }, lateCycles.map { Double($0.heapLiveMB) })?.slope ?? 0
            : line.slope
        let growth = line.slope * span / 60
        let base = max(Double(first.heapLiveMB), line.value(at: first.seconds / 60), 1)
        let fraction = growth / base
        trend.slopeMBPerMinute = line.slope
        trend.lateSlopeMBPerMinute = late
        trend.rSquared = line.rSquared
        trend.growthMB = growth
        let grewEnough = growth >= Limits.heapGrowthMinimumMB && fraction >= Limits.heapGrowthMinimumFraction
        let facts = "live heap after GC went from \(first.heapLiveMB) to \(last.heapLiveMB) MB over \(Numbers.duration(seconds: span)) "
            + "(\(Numbers.signed(line.slope)) MB/min, R² \(Numbers.decimal(line.rSquared, places: 2)))"
        if grewEnough && line.rSquared >= Limits.heapGrowthRSquared {
            if late >= Limits.heapLateSlopeFraction * line.slope {
                trend.shape = .steadyGrowth
                let critical = fraction >= Limits.heapCriticalFraction && line.rSquared >= Limits.heapCriticalRSquared
                trend.verdict = Verdict(critical ? .critical : .warning,
                                        facts + " and is still growing in the later half (\(Numbers.signed(late)) MB/min): memory is retained")
            } else {
                trend.shape = .levelledOff
                trend.verdict = Verdict(.ok, facts + ", but levelled off in the later half (\(Numbers.signed(late)) MB/min): warm-up, not a leak")
            }
        } else if growth <= -Limits.heapGrowthMinimumMB && line.rSquared >= Limits.heapGrowthRSquared {
            trend.shape = .shrinking
            trend.verdict = Verdict(.ok, facts + ": shrinking")
        } else {
            trend.shape = .flat
            trend.verdict = Verdict(.ok, facts + ": returns to the same level after each GC")
        }
        return trend
    }

    static func gcCPU(_ cycles: [GCCycle]) -> GCCPU {
        let last = cycles[cycles.count - 1]
        let window = cycles.filter { $0.seconds >= last.seconds - Limits.gcCPURecentWindowSeconds }
        var recent: Double?
        var windowSeconds = 0.0
        if window.count >= 2 {
            windowSeconds = last.seconds - window[0].seconds
            // Mean charged CPU of the kept cycles times the number of cycles the GC counter says ran:
            // the plain sum when nothing was thinned out, an unbiased estimate when samples were.
            let kept = window.dropFirst()
            let ran = Double(max(last.number - window[0].number, 0))
            let charged = kept.isEmpty ? 0 : kept.reduce(0) { $0 + $1.chargedCPUMilliseconds } / Double(kept.count) * ran
            let available = windowSeconds * 1000 * Double(max(last.procs, 1))
            if windowSeconds >= 1, available > 0 { recent = min(100, 100 * charged / available) }
        }
        let worst = max(Double(last.cpuPercent), recent ?? 0)
        var reason = "GC used \(Numbers.percentage(Double(last.cpuPercent))) of CPU since the program started"
        if let recent { reason += " and \(Numbers.percentage(recent)) over the last \(Numbers.duration(seconds: windowSeconds))" }
        let level: Level = worst >= Limits.gcCPUCriticalPercent ? .critical : worst >= Limits.gcCPUWarningPercent ? .warning : .ok
        if level != .ok { reason += ": the program spends much of its CPU collecting garbage" }
        return GCCPU(cumulativePercent: last.cpuPercent, recentPercent: recent, windowSeconds: windowSeconds,
                     verdict: Verdict(level, reason))
    }

    /// Frequent GCs matter only when they cost CPU: the verdict needs both the rate and
    /// `gcFrequencyCPUPercent` of GC CPU.
    static func frequency(_ cycles: [GCCycle], totals: GCTotals, cpuPercent: Double) -> GCFrequency {
        let first = cycles[0], last = cycles[cycles.count - 1]
        let span = last.seconds - first.seconds
        // GC numbers are consecutive, so their difference counts cycles even when samples were thinned.
        let counted = last.number - first.number
        let perMinute = span >= 1 && counted > 0 ? Double(counted) / span * 60 : nil
        let goal = last.goalMB
        var verdict = Verdict(.ok, perMinute.map { "\(Numbers.decimal($0, places: 0)) GCs per minute" } ?? "\(totals.cycles) GC cycles")
        if let perMinute, perMinute >= Limits.gcFrequencyWarningPerMinute {
            let rate = "GC runs \(Numbers.quantity(perMinute)) times a minute"
                + (goal.map { " with a heap goal of only \($0) MB" } ?? "")
            verdict = cpuPercent >= Limits.gcFrequencyCPUPercent
                ? Verdict(.warning, rate + ": allocation outpaces the heap goal")
                : Verdict(.ok, rate + ", but GC CPU stays under \(Numbers.percentage(Limits.gcFrequencyCPUPercent)): frequent but cheap")
        }
        let forced = totals.restarts == 0 ? totals.forced : cycles.filter(\.forced).count
        return GCFrequency(cycles: totals.restarts == 0 ? totals.cycles : cycles.count, forced: forced,
                           perMinute: perMinute, spanSeconds: span, lastGoalMB: goal, verdict: verdict)
    }

    static func pauses(_ cycles: [GCCycle], totals: GCTotals) -> Pauses {
        let values = cycles.map(\.pauseMilliseconds)
        let useTotals = totals.restarts == 0
        let maxPause = useTotals ? totals.pauseMaxMilliseconds : (values.max() ?? 0)
        let maxCycle = useTotals ? totals.pauseMaxCycle : cycles.max { $0.pauseMilliseconds < $1.pauseMilliseconds }?.number
        let mean = useTotals && totals.cycles > 0 ? totals.pauseSumMilliseconds / Double(totals.cycles)
            : Statistics.mean(values) ?? 0
        let p99 = Statistics.percentile(values, 0.99) ?? 0
        let slow = values.filter { $0 >= Limits.pauseWarningMilliseconds }.count
        let verySlow = values.filter { $0 >= Limits.pauseCriticalMilliseconds }.count
        func often(_ count: Int) -> Bool {
            count >= Limits.pauseMinimumSlowCycles && Double(count) >= Limits.pauseSlowShare * Double(values.count)
        }
        let facts = "stop-the-world pauses: max \(Numbers.decimal(maxPause, places: 2)) ms\(maxCycle.map { " (gc \($0))" } ?? ""), "
            + "p99 \(Numbers.decimal(p99, places: 2)) ms, mean \(Numbers.decimal(mean, places: 3)) ms"
        let level: Level
        if maxPause >= Limits.pauseSingleCriticalMilliseconds || often(verySlow) {
            level = .critical
        } else if maxPause >= Limits.pauseSingleWarningMilliseconds || often(slow) {
            level = .warning
        } else {
            level = .ok
        }
        let reason = level == .ok ? facts
            : facts + "; \(slow) of \(values.count) cycles paused ≥ \(Numbers.decimal(Limits.pauseWarningMilliseconds, places: 0)) ms"
        return Pauses(cycles: values.count, maxMilliseconds: maxPause, maxCycle: maxCycle, p99Milliseconds: p99,
                      meanMilliseconds: mean, slowCycles: slow, verdict: Verdict(level, reason))
    }

    static func threads(_ samples: [SchedSample]) -> Threads {
        let first = samples[0], last = samples[samples.count - 1]
        let counts = samples.map(\.threads)
        let maxThreads = counts.max() ?? 0
        let line = Statistics.fit(samples.map { Double($0.milliseconds) / 60_000 }, counts.map(Double.init))
        let slope = line?.slope ?? 0, rSquared = line?.rSquared ?? 0
        let perProc = Limits.threadsPerProcWarning.multipliedReportingOverflow(by: max(last.gomaxprocs, 1))
        let limit = perProc.overflow ? Int.max : max(Limits.threadsWarning, perProc.partialValue)
        let grewSteadily = slope > 0 && rSquared >= Limits.heapGrowthRSquared
            && last.threads - first.threads >= Limits.threadsGrowthMinimum
        let facts = "OS threads went from \(first.threads) to \(last.threads) (max \(maxThreads)) with GOMAXPROCS \(last.gomaxprocs)"
        let verdict: Verdict
        if maxThreads >= Limits.threadsCritical {
            verdict = Verdict(.critical, facts + ": near Go's 10,000-thread limit, which crashes the program")
        } else if grewSteadily {
            verdict = Verdict(.warning, facts + ", growing steadily (\(Numbers.signed(slope)) per minute)")
        } else if maxThreads >= limit {
            verdict = Verdict(.warning, facts + ": far more threads than Ps (limit \(limit)); goroutines are stuck in syscalls, cgo or LockOSThread")
        } else {
            verdict = Verdict(.ok, facts)
        }
        return Threads(samples: samples.count, first: first.threads, last: last.threads, max: maxThreads,
                       gomaxprocs: last.gomaxprocs, slopePerMinute: slope, rSquared: rSquared, verdict: verdict)
    }

    static func goroutines(_ samples: [SchedSample]) -> Goroutines? {
        let detailed = samples.filter { $0.goroutines != nil }
        guard let first = detailed.first, let last = detailed.last,
              let firstCount = first.goroutines, let lastCount = last.goroutines else { return nil }
        let minutes = detailed.map { Double($0.milliseconds) / 60_000 }
        let counts = detailed.map { Double($0.goroutines ?? 0) }
        let span = Double(last.milliseconds - first.milliseconds) / 1000
        var result = Goroutines(samples: detailed.count, first: firstCount, last: lastCount,
                                max: detailed.compactMap(\.goroutines).max() ?? 0, spanSeconds: span,
                                slopePerMinute: 0, lateSlopePerMinute: 0, rSquared: 0,
                                verdict: Verdict(.ok, "\(firstCount) → \(lastCount) goroutines"))
        guard detailed.count >= Limits.goroutinesMinimumSamples, let line = Statistics.fit(minutes, counts) else {
            result.verdict = Verdict(.ok, "only \(detailed.count) scheddetail sample\(detailed.count == 1 ? "" : "s"): too few to judge")
            return result
        }
        let late = detailed.filter { Double($0.milliseconds - first.milliseconds) / 1000 >= span / 2 }
        let lateSlope = late.count >= 3
            ? Statistics.fit(late.map { Double($0.milliseconds) / 60_000 }, late.map { Double($0.goroutines ?? 0) })?.slope ?? 0
            : line.slope
        result.slopePerMinute = line.slope
        result.lateSlopePerMinute = lateSlope
        result.rSquared = line.rSquared
        let growth = line.slope * span / 60
        let facts = "goroutines went from \(firstCount) to \(lastCount) over \(Numbers.duration(seconds: span)) "
            + "(\(Numbers.signed(line.slope))/min, R² \(Numbers.decimal(line.rSquared, places: 2)))"
        let steady = growth >= Double(Limits.goroutinesGrowthMinimum)
            && growth >= Limits.goroutinesGrowthMinimumFraction * Double(Swift.max(firstCount, 1))
            && line.rSquared >= Limits.heapGrowthRSquared && lateSlope >= Limits.heapLateSlopeFraction * line.slope
        if steady {
            let critical = Double(lastCount) >= Limits.goroutinesCriticalFactor * Double(Swift.max(firstCount, 10))
                && line.rSquared >= Limits.heapCriticalRSquared
            result.verdict = Verdict(critical ? .critical : .warning, facts + " and keep growing: goroutines are started and never end")
        } else {
            result.verdict = Verdict(.ok, facts)
        }
        return result
    }

    static func scheduler(_ samples: [SchedSample]) -> Scheduler {
        let procs = max(samples[samples.count - 1].gomaxprocs, 1)
        let backlogs = samples.map { Double($0.runQueueTotal) }
        let backlogged = samples.filter { $0.idleProcs == 0 && $0.runQueueTotal >= $0.gomaxprocs }.count
        let share = Double(backlogged) / Double(samples.count)
        let median = Statistics.percentile(backlogs, 0.5) ?? 0
        let goroutines = samples.compactMap(\.goroutines)
        var verdict: Verdict
        let facts = "\(Numbers.decimal(median, places: 0)) runnable goroutines waiting (median; max \(samples.map(\.runQueueTotal).max() ?? 0)) for \(procs) P, "
            + "no idle P in \(Numbers.percentage(share * 100)) of \(samples.count) samples"
        if samples.count < Limits.schedMinimumSamples {
            verdict = Verdict(.ok, "only \(samples.count) schedtrace sample\(samples.count == 1 ? "" : "s"): too few to judge")
        } else if share >= Limits.backlogShare && median >= Limits.backlogCriticalPerProc * Double(procs) {
            verdict = Verdict(.critical, facts + ": the CPU is saturated")
        } else if share >= Limits.backlogShare {
            verdict = Verdict(.warning, facts + ": goroutines wait for CPU")
        } else {
            verdict = Verdict(.ok, facts)
        }
        return Scheduler(samples: samples.count, gomaxprocs: procs, meanBacklog: Statistics.mean(backlogs) ?? 0,
                         medianBacklog: median, maxBacklog: samples.map(\.runQueueTotal).max() ?? 0,
                         backloggedShare: share,
                         meanIdleProcs: Statistics.mean(samples.map { Double($0.idleProcs) }) ?? 0,
                         goroutinesFirst: goroutines.first, goroutinesLast: goroutines.last, verdict: verdict)
    }
}

// MARK: Number words
