import LeakscopeFindings
import LeakscopeFormat

/// `RuntimeSummary` as `leakscope diagnose` findings. Only verdicts that are not `ok` become findings
/// (plus an info finding for frequent but cheap GCs), so a healthy program's log yields nothing of
/// warning level. None of them has a `location`: a runtime log cannot name code.
extension RuntimeSummary {
    public var findings: [Finding] {
        var found: [Finding] = []
        if let heap, heap.verdict.level != .ok { found.append(heapFinding(heap)) }
        if let gcCPU, gcCPU.verdict.level != .ok {
            found.append(gcPressureFinding(gcCPU))
        } else if let gcFrequency, let perMinute = gcFrequency.perMinute,
                  perMinute >= RuntimeThresholds.gcFrequencyWarningPerMinute {
            found.append(frequencyFinding(gcFrequency))
        }
        if let pauses, pauses.verdict.level != .ok { found.append(pauseFinding(pauses)) }
        if let threads, threads.verdict.level != .ok { found.append(threadFinding(threads)) }
        if let scheduler, scheduler.verdict.level != .ok { found.append(backlogFinding(scheduler)) }
        if let goroutines, goroutines.verdict.level != .ok { found.append(goroutineFinding(goroutines)) }
        return Finding.ranked(found)
    }

    private static func severity(_ level: Level) -> Finding.Severity {
        switch level {
        case .critical: .critical
        case .warning: .warning
        case .ok: .info
        }
    }

    /// A score in the severity's band (critical 70–100, warning 40–69), moved up by `strength` (0…1).
    private static func score(_ level: Level, strength: Double) -> Int {
        let clamped = strength.isFinite ? min(1, max(0, strength)) : 0
        switch level {
        case .critical: return 70 + Int(30 * clamped)
        case .warning: return 40 + Int(29 * clamped)
        case .ok: return Int(39 * clamped)
        }
    }

    private func evidence(_ summary: String, _ metrics: [Finding.Metric], series: [Point]? = nil, unit: String? = nil,
                          perMinute: Double? = nil) -> Finding.Evidence {
        Finding.Evidence(summary: summary, metrics: metrics, series: series.map { $0.map(\.value) },
                         seriesUnit: unit, perMinute: perMinute, sources: [source])
    }

    private func heapFinding(_ heap: HeapTrend) -> Finding {
        let growthShare = heap.growthMB / max(Double(heap.firstLiveMB), 1)
        return Finding(
            kind: .heapGrowth, severity: Self.severity(heap.verdict.level),
            score: Self.score(heap.verdict.level, strength: 0.5 * heap.rSquared + 0.5 * min(growthShare / 4, 1)),
            title: "Live heap grows steadily: \(heap.firstLiveMB) → \(heap.lastLiveMB) MB over "
                + "\(Numbers.duration(seconds: heap.spanSeconds)) (\(Numbers.signed(heap.slopeMBPerMinute)) MB/min) across \(heap.cycles) GCs",
            location: nil,
            evidence: evidence(
                "The \(heap.verdict.reason) (the live heap is gctrace's third MB figure: what survived the GC).",
                [.init("heap_live_first_mb", Double(heap.firstLiveMB)), .init("heap_live_last_mb", Double(heap.lastLiveMB)),
                 .init("heap_live_max_mb", Double(heap.maxLiveMB)), .init("slope_mb_per_min", heap.slopeMBPerMinute),
                 .init("late_slope_mb_per_min", heap.lateSlopeMBPerMinute), .init("r_squared", heap.rSquared),
                 .init("gc_cycles", Double(heap.cycles)), .init("span_seconds", heap.spanSeconds)],
                series: series.heapLiveMB, unit: "live heap MB after GC", perMinute: heap.slopeMBPerMinute),
            hint: "Something keeps memory reachable. Take heap profiles a few minutes apart "
                + "(curl -o heapN.pb.gz 'http://HOST/debug/pprof/heap?gc=1') and run `leakscope diagnose heap1.pb.gz heap2.pb.gz heap3.pb.gz` "
                + "(or `leakscope diagnose URL`) to find the allocation site that grows: look for maps and caches without a bound "
                + "or TTL, slices that are only appended to, and goroutines that hold buffers while blocked.")
    }

    private func gcPressureFinding(_ cpu: GCCPU) -> Finding {
        let worst = max(Double(cpu.cumulativePercent), cpu.recentPercent ?? 0)
        var metrics: [Finding.Metric] = [.init("gc_cpu_percent", Double(cpu.cumulativePercent))]
        if let recent = cpu.recentPercent { metrics.append(.init("gc_cpu_recent_percent", recent)) }
        if let perMinute = gcFrequency?.perMinute { metrics.append(.init("gc_per_minute", perMinute)) }
        if let goal = gcFrequency?.lastGoalMB { metrics.append(.init("heap_goal_mb", Double(goal))) }
        return Finding(
            kind: .gcPressure, severity: Self.severity(cpu.verdict.level),
            score: Self.score(cpu.verdict.level, strength: worst / 50),
            title: "GC takes \(Numbers.percentage(worst)) of CPU"
                + (gcFrequency?.perMinute.map { " (\(Numbers.decimal($0, places: 0)) GCs/min)" } ?? ""),
            location: nil,
            evidence: evidence(cpu.verdict.reason + ".", metrics, series: series.gcCPUPercent, unit: "cumulative GC CPU %"),
            hint: "Allocate less: profile allocations (`leakscope pprof -sample_index=alloc_space -top URL/debug/pprof/allocs`) "
                + "and reuse buffers (sync.Pool, preallocated slices, strings.Builder), avoid per-call fmt.Sprintf and regexp compiles; "
                + "if memory allows, raise GOGC or set GOMEMLIMIT so the heap goal is further away.")
    }

    private func frequencyFinding(_ frequency: GCFrequency) -> Finding {
        Finding(
            kind: .gcPressure, severity: Self.severity(frequency.verdict.level),
            score: Self.score(frequency.verdict.level, strength: (frequency.perMinute ?? 0) / 6000),
            title: "GC runs \(Numbers.quantity(frequency.perMinute ?? 0)) times a minute"
                + (frequency.verdict.level == .ok ? " but costs little CPU" : ""),
            location: nil,
            evidence: evidence(frequency.verdict.reason + ".",
                               [.init("gc_per_minute", frequency.perMinute ?? 0)] + (frequency.lastGoalMB.map { [.init("heap_goal_mb", Double($0))] } ?? [])),
            hint: "A small heap goal makes GC frequent; raising GOGC or setting GOMEMLIMIT trades memory for fewer cycles.")
    }

    private func pauseFinding(_ pauses: Pauses) -> Finding {
        Finding(
            kind: .gcPause, severity: Self.severity(pauses.verdict.level),
            score: Self.score(pauses.verdict.level, strength: pauses.maxMilliseconds / 1000),
            title: "GC stop-the-world pauses reach \(Numbers.decimal(pauses.maxMilliseconds, places: 1)) ms (p99 \(Numbers.decimal(pauses.p99Milliseconds, places: 1)) ms)",
            location: nil,
            evidence: evidence(pauses.verdict.reason + ".",
                               [.init("pause_max_ms", pauses.maxMilliseconds), .init("pause_p99_ms", pauses.p99Milliseconds),
                                .init("pause_mean_ms", pauses.meanMilliseconds), .init("slow_cycles", Double(pauses.slowCycles)),
                                .init("gc_cycles", Double(pauses.cycles))],
                               series: series.pauseMilliseconds, unit: "STW pause ms"),
            hint: "Go's pauses are normally well under a millisecond; long ones mean the process was not scheduled: "
                + "check CPU throttling (container CPU quota below GOMAXPROCS; set GOMAXPROCS to the quota on Go < 1.25), "
                + "an overloaded host, or huge numbers of goroutines and very large pointer-rich heaps.")
    }

    private func threadFinding(_ threads: Threads) -> Finding {
        Finding(
            kind: .threadGrowth, severity: Self.severity(threads.verdict.level),
            score: Self.score(threads.verdict.level, strength: Double(threads.max) / Double(RuntimeThresholds.threadsCritical)),
            title: "OS threads reach \(threads.max) for GOMAXPROCS \(threads.gomaxprocs)",
            location: nil,
            evidence: evidence(threads.verdict.reason + ".",
                               [.init("threads_first", Double(threads.first)), .init("threads_last", Double(threads.last)),
                                .init("threads_max", Double(threads.max)), .init("gomaxprocs", Double(threads.gomaxprocs)),
                                .init("threads_per_minute", threads.slopePerMinute)],
                               series: series.threads, unit: "OS threads", perMinute: threads.slopePerMinute),
            hint: "Each goroutine blocked in a system call or cgo call, or locked with runtime.LockOSThread, holds a thread. "
                + "Take a goroutine dump (`leakscope goroutines`) and a threadcreate profile; look for blocking file or network "
                + "syscalls, cgo DNS lookups, and LockOSThread without UnlockOSThread.")
    }

    private func goroutineFinding(_ goroutines: Goroutines) -> Finding {
        Finding(
            kind: .goroutineLeak, severity: Self.severity(goroutines.verdict.level),
            score: Self.score(goroutines.verdict.level,
                              strength: 0.5 * goroutines.rSquared + 0.5 * min(Double(goroutines.last) / Double(max(goroutines.first, 1)) / 20, 1)),
            title: "Goroutines grow steadily: \(goroutines.first) → \(goroutines.last) over "
                + "\(Numbers.duration(seconds: goroutines.spanSeconds)) (\(Numbers.signed(goroutines.slopePerMinute))/min)",
            location: nil,
            evidence: evidence("The " + goroutines.verdict.reason + " (counted from scheddetail G lines, dead ones excluded).",
                               [.init("goroutines_first", Double(goroutines.first)), .init("goroutines_last", Double(goroutines.last)),
                                .init("goroutines_per_minute", goroutines.slopePerMinute), .init("r_squared", goroutines.rSquared),
                                .init("samples", Double(goroutines.samples))],
                               series: series.goroutines, unit: "goroutines", perMinute: goroutines.slopePerMinute),
            hint: "A runtime log shows the count, not the code: take goroutine dumps a minute apart "
                + "(curl -o gN.txt 'http://HOST/debug/pprof/goroutine?debug=2') and run `leakscope goroutines g1.txt g2.txt` "
                + "or `leakscope diagnose URL` to find where they block; usual causes are channel sends nobody receives, "
                + "select without ctx.Done(), and response bodies never closed.")
    }

    private func backlogFinding(_ scheduler: Scheduler) -> Finding {
        Finding(
            kind: .schedulerBacklog, severity: Self.severity(scheduler.verdict.level),
            score: Self.score(scheduler.verdict.level,
                              strength: scheduler.medianBacklog / (RuntimeThresholds.backlogCriticalPerProc * 4 * Double(scheduler.gomaxprocs))),
            title: "Run queues hold \(Numbers.decimal(scheduler.medianBacklog, places: 0)) runnable goroutines for \(scheduler.gomaxprocs) P "
                + "(no idle P in \(Numbers.percentage(scheduler.backloggedShare * 100)) of samples)",
            location: nil,
            evidence: evidence(scheduler.verdict.reason + ".",
                               [.init("run_queue_median", scheduler.medianBacklog), .init("run_queue_max", Double(scheduler.maxBacklog)),
                                .init("backlogged_share", scheduler.backloggedShare), .init("idle_procs_mean", scheduler.meanIdleProcs),
                                .init("gomaxprocs", Double(scheduler.gomaxprocs))],
                               series: series.runQueue, unit: "runnable goroutines waiting"),
            hint: "The program wants more CPU than it has: capture a CPU profile (`leakscope diagnose URL --cpu-seconds 30`) to find "
                + "the hot code, check that GOMAXPROCS matches the CPU quota, and bound concurrency with a worker pool instead of a "
                + "goroutine per item.")
    }
}
