import LeakscopeFindings
import LeakscopeFormat
import LeakscopeGoSymbols
import LeakscopeGoroutineAnalysis

/// Turns per-site lifecycles into findings: leaks (created, never ended, waiting at the end), spawn
/// storms (many alive at once from one site) and churn (very many short-lived goroutines).
enum LifecycleFindings {
    static func findings(sites: [LifecycleReport.Site], windowSeconds: Double, source: String,
                         thresholds: LifecycleThresholds) -> [Finding] {
        var findings: [Finding] = []
        let window = max(windowSeconds, 1e-9)
        for site in sites where site.preExisting {
            if let held = preExisting(site, window: window, source: source, thresholds: thresholds) { findings.append(held) }
        }
        for site in sites where !site.preExisting {
            if let leak = leak(site, window: window, source: source, thresholds: thresholds) { findings.append(leak) }
            let rate = Double(site.created) / window
            if site.peakAlive >= thresholds.stormPeakAlive, rate >= thresholds.stormCreationRate {
                findings.append(storm(site, rate: rate, source: source))
            } else if rate >= thresholds.churnCreationRate, let median = site.medianLifetimeSeconds,
                      median <= thresholds.churnMaximumMedianLifetime {
                findings.append(churn(site, rate: rate, median: median, source: source))
            }
        }
        return Finding.ranked(findings)
    }

    /// The trace's wait reason in the goroutine-dump spelling `BlockingKind.classify` reads.
    static func blockingKind(reason: String, stack: [String]) -> BlockingKind {
        let functions = stack.map { line in line.firstRange(of: " (").map { String(line[..<$0.lowerBound]) } ?? line }
        let state: String
        switch reason {
        case "network": state = "IO wait"
        case "sync": state = "semacquire"
        case "sync.(*Cond).Wait": state = "sync.Cond.Wait"
        case "forever": state = functions.contains("runtime.block") ? "select (no cases)" : "chan send (nil chan)"
        default: state = reason
        }
        return BlockingKind.classify(state: state, functions: functions)
    }

    private static func location(_ site: LifecycleReport.Site) -> SourceSite {
        SourceSite(function: site.function, file: site.file, line: site.line)
    }

    private static func leak(_ site: LifecycleReport.Site, window: Double, source: String,
                             thresholds: LifecycleThresholds) -> Finding? {
        let waiting = site.atEnd.filter { $0.state == "waiting" }
        let blocked = waiting.reduce(0) { $0 + $1.count }
        guard blocked >= thresholds.leakMinimumBlocked, site.created > 0 else { return nil }
        let endedFraction = Double(site.ended) / Double(site.created)
        guard endedFraction <= thresholds.leakMaximumEndedFraction,
              let top = waiting.first, let oldest = waiting.map(\.oldestSeconds).max(),
              oldest >= thresholds.leakMinimumWaitShare * window else { return nil }
        let kind = blockingKind(reason: top.reason, stack: top.stack)
        let place = top.function.isEmpty ? "" : " in \(top.function)"
        let reason = top.reason.isEmpty ? kind.phrase : top.reason
        let rate = Double(site.created) / window * 60
        let ended = site.ended == 0 ? "none ended" : "\(Numbers.count(site.ended)) ended"
        let title = "Goroutines leak from \(site.function): \(Numbers.count(site.created)) created in "
            + "\(Numbers.duration(seconds: window)), \(ended), \(Numbers.count(blocked)) blocked on \(reason)\(place)"
        let network = kind == .ioWait
        var score = 40.0 + 30 * (1 - endedFraction) + min(30, Double(blocked) / 2)
        if network { score = min(score, 60) }
        let severity: Finding.Severity = !network && blocked >= thresholds.leakCriticalBlocked ? .critical
            : Finding.Severity.forScore(Finding.score(score)) == .info ? .warning : Finding.Severity.forScore(Finding.score(score))
        let remedy = Remedy.forKind(kind)?.text ?? "make sure every goroutine started at \(site.function) has a way to return"
        let summary = "\(Numbers.count(site.created)) goroutines running \(site.entry) were created at "
            + "\(location(site).short) during the trace and \(ended); \(Numbers.count(blocked)) are waiting at the end "
            + "(\(reason)\(place)), the oldest for \(Numbers.duration(seconds: oldest))."
        let evidence = Finding.Evidence(
            summary: summary,
            metrics: [.init("created", Double(site.created)), .init("ended", Double(site.ended)),
                      .init("blocked_at_end", Double(blocked)), .init("oldest_wait_seconds", oldest),
                      .init("ended_fraction", endedFraction), .init("window_seconds", window)],
            series: site.createdPerGeneration.map(Double.init), seriesUnit: "goroutines created per generation",
            perMinute: rate, stack: top.stack, sources: source.isEmpty ? [] : [source])
        return Finding(kind: .goroutineLeak, severity: severity, score: Finding.score(score), title: title,
                       location: location(site), evidence: evidence, hint: remedy)
    }

    /// Goroutines alive when the trace started that waited in application code through all of it and
    /// none ended: a lower bound on their wait, kept apart from goroutines created during the trace
    /// (when and where these were created is not in the trace).
    private static func preExisting(_ site: LifecycleReport.Site, window: Double, source: String,
                                    thresholds: LifecycleThresholds) -> Finding? {
        guard site.ended == 0, ApplicationCode.isApplication(site.function) else { return nil }
        let held = site.atEnd.filter {
            $0.state == "waiting" && $0.oldestSeconds >= thresholds.preExistingWaitShare * window
                && ApplicationCode.isApplication($0.function)
        }
        let count = held.reduce(0) { $0 + $1.count }
        guard count >= thresholds.preExistingMinimumWaiting, let top = held.first else { return nil }
        let reason = top.reason.isEmpty ? "" : " on \(top.reason)"
        let title = "\(Numbers.count(count)) goroutines from before the trace waited\(reason) in \(top.function) for all "
            + "\(Numbers.duration(seconds: window)) of it"
        let summary = "\(Numbers.count(count)) goroutines that existed when the trace started (seen in \(site.function)) "
            + "waited in \(top.function) through the whole trace and none ended: each has waited at least "
            + "\(Numbers.duration(seconds: top.oldestSeconds)) (a lower bound; when they were created is before the trace). "
            + "Worker pools wait like this too: compare goroutine snapshots over minutes (leakscope diagnose URL) to tell."
        let evidence = Finding.Evidence(
            summary: summary,
            metrics: [.init("pre_existing_waiting", Double(count)), .init("wait_at_least_seconds", top.oldestSeconds),
                      .init("window_seconds", window)],
            stack: top.stack, sources: source.isEmpty ? [] : [source])
        let warning = count >= thresholds.preExistingWarningWaiting
        return Finding(kind: .goroutineLeak, severity: warning ? .warning : .info,
                       score: Finding.score(warning ? 45 : 25 + min(10, Double(count) / 5)), title: title,
                       location: SourceSite(function: top.function, file: top.file, line: top.line), evidence: evidence,
                       hint: "if their number grows between snapshots, give what they wait on a way to end "
                           + "(close the channel, cancel the context); if it stays constant they are a pool")
    }

    private static func storm(_ site: LifecycleReport.Site, rate: Double, source: String) -> Finding {
        let title = "Spawn storm at \(site.function): \(Numbers.count(site.peakAlive)) goroutines running \(site.entry) "
            + "alive at once, \(Numbers.count(rate))/s created"
        let evidence = Finding.Evidence(
            summary: "\(Numbers.count(site.created)) goroutines were created at \(location(site).short) faster than they "
                + "ended: up to \(Numbers.count(site.peakAlive)) were alive at the same time.",
            metrics: [.init("created", Double(site.created)), .init("peak_alive", Double(site.peakAlive)),
                      .init("created_per_second", rate)],
            series: site.createdPerGeneration.map(Double.init), seriesUnit: "goroutines created per generation",
            sources: source.isEmpty ? [] : [source])
        let score = Finding.score(40 + min(40, Double(site.peakAlive) / 250))
        return Finding(kind: .spawnStorm, severity: score >= 70 ? .critical : .warning, score: score, title: title,
                       location: location(site), evidence: evidence,
                       hint: "bound the concurrency: a fixed pool of workers reading a channel, or a semaphore "
                           + "(a buffered channel or golang.org/x/sync/semaphore) acquired before each go statement")
    }

    private static func churn(_ site: LifecycleReport.Site, rate: Double, median: Double, source: String) -> Finding {
        let title = "Goroutine churn at \(site.function): \(Numbers.count(rate))/s goroutines running \(site.entry), "
            + "median lifetime \(Numbers.duration(seconds: median))"
        let evidence = Finding.Evidence(
            summary: "\(Numbers.count(site.created)) short-lived goroutines were created at \(location(site).short); half "
                + "of them lived \(Numbers.duration(seconds: median)) or less, so creating and scheduling them costs "
                + "about as much as their work.",
            metrics: [.init("created", Double(site.created)), .init("created_per_second", rate),
                      .init("median_lifetime_seconds", median)],
            series: site.createdPerGeneration.map(Double.init), seriesUnit: "goroutines created per generation",
            sources: source.isEmpty ? [] : [source])
        return Finding(kind: .goroutineChurn, severity: .info, score: Finding.score(20 + min(30, rate / 10_000)),
                       title: title, location: location(site), evidence: evidence,
                       hint: "do the small work inline, or hand it to a few long-lived workers over a channel")
    }
}
