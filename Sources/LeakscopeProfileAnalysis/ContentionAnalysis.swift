import Foundation
import LeakscopeFindings
import LeakscopeFormat

/// Lock contention and blocking from Go's mutex and block profiles.
///
/// Both profiles are cumulative since the process started (`contentions/count`, `delay/nanoseconds`).
/// With two or more snapshots the window is the last minus the first, divided by the wall time between
/// them; a single profile is divided by its own duration when it has one (`?seconds=N` delta
/// profiles), else by nothing: the numbers are totals since start and no rate is claimed.
///
/// Delay per second of wall time is the average number of goroutines waiting. A mutex profile's
/// stacks end at Unlock, so its first application frame is the code that *held* the lock; a block
/// profile's stacks end where a goroutine waited.
///
/// Findings (sites with an average ≥ `minimumWaiting` (0.05) goroutines waiting, or without a rate
/// ≥ 1 s of total delay):
/// - `.lockContention` for mutex-profile holders (waiting = the larger of the holder's own delay rate and
///   its share of the block profile's lock waits, because before Go 1.22 the mutex profile counted one
///   waiter per Unlock), or, when the mutex profile has none, for block-profile
///   waits on `sync.Mutex`/`RWMutex`. Score = `160 × w` for w < 0.25 waiting, else `40 + 20 × log₂(w / 0.25)`
///   (0.25 waiting = 40: warning; 1 = 80: critical, the lock serialises its users; 2 = 100). A healthy
///   service's locks have a few hundredths of a goroutine waiting.
/// - `.blockingWait` for other blocking: channel sends (producers stalled by slow consumers) and unknown
///   waits scored as locks × 0.8, at most warning. Channel receives, selects, WaitGroup and Cond waits are
///   how idle goroutines wait: no finding unless extreme (≥ `idleWaitingFloor` goroutines waiting on
///   average at one site, then info); they stay in `waiters`, and a leak shows in the goroutine analysis.
/// Without a rate every finding is info (score ≤ 39 by total delay): totals since start say nothing about now.
public enum ContentionAnalysis {
    public static let minimumWaiting = 0.05
    /// Idle-style waits (receive, select, WaitGroup, Cond) below this average are not reported.
    public static let idleWaitingFloor = 1000.0
    public static let findingLimit = 8

    public static func analyze(mutex: [TimedProfile], block: [TimedProfile]) -> ContentionReport {
        var notes: [String] = []
        let (elapsed, basis) = window(mutex.isEmpty ? block : mutex)
        let (blockElapsed, blockBasis) = window(block)
        if elapsed == nil && !(mutex.isEmpty && block.isEmpty) {
            notes.append("no elapsed time: delays are totals since the process started; capture twice to get a rate")
        }
        let holders = sites(mutex, isMutex: true, elapsed: elapsed, notes: &notes)
        let waiters = sites(block, isMutex: false, elapsed: mutex.isEmpty ? elapsed : blockElapsed, notes: &notes)
        if mutex.isEmpty && block.isEmpty { notes.append("no mutex or block profiles") }

        var findings: [Finding] = []
        let lockWaiters = waiters.filter { $0.kind.isLock }
        // Before Go 1.22 the mutex profile charged only one waiter's delay per Unlock, so it understates
        // contention; the block profile's lock waits count every waiter. Spread those over the holders
        // by their share and take the larger figure.
        let holderDelay = holders.reduce(0) { $0 + max(0, $1.delaySeconds) }
        let lockWaitRate = elapsed.map { e in lockWaiters.reduce(0) { $0 + max(0, $1.delaySeconds) } / e }
        let holderFindings = holders.compactMap { holder -> Finding? in
            var site = holder
            var fromBlockProfile = false
            if let rate = site.averageWaiting, let lockWaitRate, holderDelay > 0 {
                let share = lockWaitRate * max(0, holder.delaySeconds) / holderDelay
                if share > rate * 1.5 { site.averageWaiting = share; fromBlockProfile = true }
            }
            return finding(for: site, lockWaiters: lockWaiters, sources: mutex.map(\.name), fromBlockProfile: fromBlockProfile)
        }
        findings += holderFindings
        for site in waiters where !(site.kind.isLock && !holderFindings.isEmpty) {
            if let f = finding(for: site, lockWaiters: [], sources: block.map(\.name)) { findings.append(f) }
        }
        return ContentionReport(
            elapsedSeconds: elapsed ?? blockElapsed,
            rateBasis: mutex.isEmpty ? blockBasis : basis,
            holders: holders, waiters: waiters,
            findings: Array(Finding.ranked(findings).prefix(findingLimit)), notes: notes)
    }

    /// The wall time to divide by and how it was found.
    static func window(_ profiles: [TimedProfile]) -> (Double?, String) {
        if profiles.count >= 2, let first = profiles.first?.time, let last = profiles.last?.time, last > first {
            return (last - first, "delta of \(profiles.count) snapshots over \(Numbers.duration(seconds: last - first))")
        }
        if profiles.count == 1, let only = profiles.first, only.profile.durationNanos > 0 {
            let seconds = Double(only.profile.durationNanos) / 1e9
            return (seconds, "one \(Numbers.duration(seconds: seconds)) delta profile")
        }
        if profiles.isEmpty { return (nil, "no profiles") }
        return (nil, "none: totals since the process started")
    }

    /// 0…100 from the average number of goroutines waiting.
    static func waitingScore(_ w: Double) -> Int {
        guard w.isFinite, w > 0 else { return 0 }
        let raw = w < 0.25 ? 160 * w : 40 + 20 * log2(w / 0.25)
        return Finding.score(raw)
    }

    static func finding(for site: ContentionSite, lockWaiters: [ContentionSite], sources: [String],
                        fromBlockProfile: Bool = false) -> Finding? {
        let rate = site.averageWaiting
        if let rate { guard rate >= minimumWaiting else { return nil } } else { guard site.delaySeconds >= 1 else { return nil } }
        // Without a rate, rank by total delay but stay below warning (≤ 39).
        var score = rate.map { waitingScore($0) } ?? Finding.score(min(39, 10 + 5 * log2(1 + max(0, site.delaySeconds))))
        var severity = Finding.Severity.forScore(score)
        let kind: Finding.Kind = site.kind.isLock ? .lockContention : .blockingWait
        switch site.kind {
        case .lockRelease, .mutex, .rwMutex: break
        case .chanSend, .other:
            score = Finding.score(Double(score) * 0.8)
            severity = max(Finding.Severity.forScore(score), Finding.Severity.warning)
        case .chanReceive, .select, .waitGroup, .cond:
            guard let rate, rate >= idleWaitingFloor else { return nil }
            score = min(score, 30)
            severity = .info
        }
        if rate == nil { severity = .info }

        let waitingText = rate.map { "on average \(Numbers.quantity($0)) goroutine\($0 >= 0.95 && $0 < 1.05 ? "" : "s") waiting" }
            ?? "\(Numbers.quantity(site.delaySeconds)) s of waiting since start"
        let perSecond = site.contentionsPerSecond.map { ", \(Numbers.quantity($0)) contentions/s" } ?? ""
        let title: String
        switch site.kind {
        case .lockRelease:
            title = "Lock contention at \(site.location.short): \(waitingText) for the lock it holds\(perSecond)"
        case .mutex, .rwMutex:
            title = "Lock contention at \(site.location.short): \(waitingText) to take \(site.kind.phrase)\(perSecond)"
        default:
            title = "Goroutines block on \(site.kind.phrase) at \(site.location.short): \(waitingText)"
        }
        let events = site.contentions.rounded()
        var summary = "\(Numbers.quantity(site.delaySeconds)) s of delay in \(Numbers.count(events)) contention event\(events == 1 ? "" : "s")"
        if let rate {
            summary += " (\(Numbers.quantity(rate)) s of waiting per second of wall time"
            summary += fromBlockProfile ? ", from the block profile's lock waits: this mutex profile counts one waiter per Unlock, as Go before 1.22 did)" : ")"
        }
        summary += site.kind == .lockRelease
            ? "; the mutex profile records the Unlock that ended the waits, so this code held the lock."
            : "; \(site.call.map { "blocked in \($0)" } ?? "blocked here")."
        let related = lockWaiters.prefix(3).map { "\($0.location.short) (\(Numbers.quantity($0.delaySeconds)) s)" }
        if !related.isEmpty { summary += " Goroutines waited for locks at " + related.joined(separator: ", ") + "." }
        switch site.kind {
        case .chanReceive, .select, .waitGroup, .cond:
            summary += " Idle goroutines wait like this; it matters only if they should be busy."
        default: break
        }
        var metrics = [Finding.Metric("delay_seconds", site.delaySeconds), Finding.Metric("contentions", site.contentions)]
        if let rate { metrics.append(Finding.Metric("waiting_goroutines_avg", rate)) }
        if let c = site.contentionsPerSecond { metrics.append(Finding.Metric("contentions_per_second", c)) }
        return Finding(kind: kind, severity: severity, score: score, title: title,
                       location: site.isApplication ? site.location : nil,
                       evidence: Finding.Evidence(summary: summary, metrics: metrics, stack: site.stack, sources: sources),
                       hint: hint(site))
    }

    static func hint(_ site: ContentionSite) -> String {
        switch site.kind {
        case .lockRelease, .mutex:
            "Shorten the critical section in \(site.location.function): do I/O, allocation and slow computation before taking "
                + "the lock or after releasing it; shard the lock by key (or use sync.Map for disjoint keys); use sync.RWMutex "
                + "if reads dominate; and release it on every path (defer mu.Unlock() right after Lock)."
        case .rwMutex:
            "Writers and readers queue on one RWMutex: keep write sections short, copy the data out under RLock instead of working "
                + "under it, or publish immutable snapshots with atomic.Pointer so readers take no lock."
        case .chanSend:
            "Producers wait for consumers: add consumers, buffer the channel to absorb bursts, or drop/shed work with a select "
                + "default case when the queue is full."
        case .chanReceive, .select:
            "Waiting for work is normal for idle workers. If these should be busy, the producer is the bottleneck; if their number "
                + "grows, see the goroutine findings."
        case .waitGroup:
            "A coordinator waits for its workers: normal. If it waits long, the workers are slow or stuck (see the goroutine findings)."
        case .cond:
            "Waiting on a sync.Cond: make sure every state change Signals/Broadcasts, or switch to a channel."
        case .other:
            "Goroutines block here: look at what the call waits for (I/O, a semaphore) and bound it with a timeout or context."
        }
    }
}
