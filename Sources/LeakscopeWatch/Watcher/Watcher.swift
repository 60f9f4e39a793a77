import Foundation
import LeakscopeWatchRules

/// The watch daemon's state and schedule: which target is due, what each poll found, where each
/// rule stands, which alerts fire. Network work (polls, captures, notifications) runs outside the
/// actor; only bookkeeping runs on it.
public actor Watcher {
    public let config: WatchConfig
    let store: WatchStore
    let poller: Poller
    let notifier: Notifier
    let captures: CaptureRunner
    var states: [String: TargetState] = [:]
    /// Target URLs in configured order.
    var order: [String] = []
    var ruleStates: [String: RuleState] = [:]
    var firing: [String: AlertRecord] = [:]
    var pendingPolls: [WatchStore.PollRecord] = []
    var dirtyStates: Set<String> = []
    var counters = Counters()
    /// Metrics named by rules that are not among the built-in ones (read from `/metrics`).
    let extraMetrics: Set<String>
    let log: @Sendable (String) -> Void
    /// The port the HTTP server bound (for `listen: …:0`), used by the default `external_url`.
    var boundPort: Int?

    struct Counters: Sendable {
        var polls = 0
        var pollFailures = 0
        var capturesStarted = 0
        var capturesFailed = 0
        var alertsFired = 0
        var alertsResolved = 0
        var notificationsFailed = 0
    }

    public init(config: WatchConfig, store: WatchStore, log: @escaping @Sendable (String) -> Void) throws(ConfigError) {
        self.config = config
        self.store = store
        self.log = log
        let timeout = min(config.poll.timeout, config.interval)
        poller = Poller(timeout: .milliseconds(Int64(max(timeout, 0.01) * 1000)), maxBytes: config.poll.maxBytes)
        notifier = Notifier(alertmanager: config.alertmanager, webhook: config.webhook, timeout: .seconds(10))
        captures = CaptureRunner(config: config.capture, store: store)
        let builtIn: Set<String> = ["goroutines", "heap_inuse_bytes", "heap_alloc_bytes", "gc_cpu_fraction", "threads"]
        extraMetrics = Set(config.rules.map(\.metric)).subtracting(builtIn)
        var targets: [WatchTarget] = []
        for target in config.targets { targets.append(try WatchTarget(target, poll: config.poll, capture: config.capture)) }
        let now = Date().timeIntervalSince1970
        for (i, target) in targets.enumerated() where states[target.url] == nil {
            // Spread first polls over one interval so a thousand targets are not polled in one burst.
            let offset = targets.count > 1 ? config.interval * Double(i) / Double(targets.count) : 0
            states[target.url] = TargetState(target: target, nextDue: now + offset)
            order.append(target.url)
        }
    }

    /// Replaces the file_sd part of the target list: targets not in `static ∪ discovered` stop being polled.
    func setDiscovered(_ discovered: [WatchTarget]) {
        let configured = Set(config.targets.map(\.url))
        let now = Date().timeIntervalSince1970
        let wanted = Dictionary(discovered.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        for url in order where !configured.contains(url) && wanted[url] == nil {
            states[url] = nil
        }
        order.removeAll { states[$0] == nil }
        for (i, target) in discovered.enumerated() where !configured.contains(target.url) {
            if states[target.url] == nil {
                let offset = config.interval * Double(i) / Double(max(discovered.count, 1))
                states[target.url] = TargetState(target: target, nextDue: now + offset)
                order.append(target.url)
            } else {
                states[target.url]?.target = target
            }
        }
    }

    /// Loads what the store knows (recent series, warm-up points, rule states, firing alerts) so a
    /// restart resumes where the last run stopped.
    func resume() throws {
        ruleStates = try store.ruleStates()
        for alert in try store.firingAlerts() {
            firing[Self.key(alert.target, alert.rule, alert.metric)] = alert
        }
        let metrics = Set(config.rules.map(\.metric))
        for url in order {
            for metric in metrics {
                let recent = try store.series(target: url, metric: metric, limit: TargetState.recentLimit)
                let first = try store.firstPoints(target: url, metric: metric, limit: TargetState.firstLimit)
                if !recent.isEmpty { states[url]?.recent[metric] = recent }
                if !first.isEmpty { states[url]?.first[metric] = first }
            }
        }
    }

    /// Marks due targets in flight and returns them.
    func takeDue(now: Double) -> [WatchTarget] {
        var due: [WatchTarget] = []
        for url in order {
            guard var state = states[url], !state.inFlight, state.nextDue <= now else { continue }
            state.inFlight = true
            states[url] = state
            due.append(state.target)
        }
        return due
    }

    static func key(_ target: String, _ rule: String, _ metric: String) -> String { target + "\u{0}" + rule + "\u{0}" + metric }

    /// Takes what was buffered for the store.
    func takePending() -> ([WatchStore.PollRecord], [(target: String, rule: String, state: RuleState)]) {
        let polls = pendingPolls
        pendingPolls = []
        let states = dirtyStates.compactMap { key -> (target: String, rule: String, state: RuleState)? in
            guard let state = ruleStates[key] else { return nil }
            let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]), state)
        }
        dirtyStates = []
        return (polls, states)
    }
}
