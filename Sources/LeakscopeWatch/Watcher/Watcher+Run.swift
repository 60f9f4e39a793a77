import Foundation
import LeakscopeWatchRules

extension Watcher {
    /// Polls until cancelled: each tick hands due targets to at most `poll.concurrency` concurrent
    /// polls, flushes to the store at least once per interval, re-sends firing alerts and prunes old
    /// data. A slow or dead target holds one slot until its deadline, never the schedule.
    public func run() async throws {
        try resume()
        let limiter = Limiter(config.poll.concurrency)
        let tick = min(max(config.interval / 10, 0.02), 1)
        let flushEvery = min(config.interval, 1)
        var lastFlush = Date().timeIntervalSince1970
        var lastResend = lastFlush
        var lastPrune = 0.0
        refreshShard()
        var lastShard = lastFlush
        refreshSilences()
        var lastSilences = lastFlush
        // Three heartbeats per lease (each sends the fleet's target list), at most two a second.
        let shardEvery = max(config.shard.lease(interval: config.interval) / 3, 0.5)
        let poller = poller
        let metrics = extraMetrics
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = Date().timeIntervalSince1970
                for target in takeDue(now: now) {
                    let tryMetrics = states[target.url]?.metricsServed != false
                    group.addTask {
                        await limiter.acquire()
                        let start = ContinuousClock.now
                        let time = Date().timeIntervalSince1970
                        let outcome = await poller.poll(target, tryMetrics: tryMetrics, extraMetrics: metrics)
                        await limiter.release()
                        let latency = Poller.seconds(ContinuousClock.now - start)
                        await self.record(target.url, outcome: outcome, time: time, latency: latency)
                    }
                }
                if now - lastFlush >= flushEvery {
                    flush()
                    lastFlush = now
                }
                if now - lastShard >= shardEvery {
                    // After the flush: what this watcher booked for a target is stored before it hands it over.
                    flush()
                    refreshShard()
                    lastShard = now
                }
                if now - lastSilences >= 5 {
                    refreshSilences()
                    lastSilences = now
                }
                if now - lastResend >= resendSeconds {
                    resendFiring()
                    lastResend = now
                }
                if now - lastPrune >= 3600 {
                    pruneAndDownsample(now: now)
                    lastPrune = now
                }
                try? await Task.sleep(for: .milliseconds(Int64(tick * 1000)))
            }
            group.cancelAll()
        }
        flush()
        leaveShard()
    }

    /// Retention, then downsampling. With a shared store every watcher does it; the statements are
    /// idempotent, so that costs only the repeated scan.
    func pruneAndDownsample(now: Double) {
        do {
            try store.prune(before: now - config.retentionSeconds)
            if config.downsample.afterSeconds > 0 {
                try store.downsample(before: now - config.downsample.afterSeconds, step: config.downsample.stepSeconds)
            }
        } catch {
            log("cannot prune or downsample the store: \(WatchStore.reason(error))")
        }
    }

    /// Writes buffered polls and rule states in one transaction.
    func flush() {
        let (polls, states) = takePending()
        do {
            try store.write(polls, states: states)
        } catch {
            log("cannot write to the store: \(WatchStore.reason(error))")
        }
    }
}

/// A counting semaphore for tasks: at most `limit` holders at once, waiters served in order.
actor Limiter {
    private let limit: Int
    private var held = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ limit: Int) { self.limit = max(limit, 1) }

    func acquire() async {
        if held < limit {
            held += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            held -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
