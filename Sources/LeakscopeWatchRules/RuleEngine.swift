import LeakscopeFormat
import LeakscopeStatistics

/// One reading of one metric of one target.
public struct Point: Sendable, Hashable, Codable {
    /// Seconds since 1970.
    public var time: Double
    public var value: Double
    public init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }
}

/// What a rule's condition found at one evaluation; `summary` is the alert's one-line explanation.
public struct Evaluation: Sendable, Hashable, Codable {
    public var holds: Bool
    public var value: Double
    /// Relative growth per minute over the window (0.15 = 15 %/min), when the window was full.
    public var growthPerMinute: Double?
    /// Growth in the metric's units per minute over the window, when the window was full.
    public var increasePerMinute: Double?
    public var baseline: Double?
    public var summary: String
}

/// Where a rule stands for one target. Persisted by the watcher, so a restart resumes it.
public struct RuleState: Sendable, Hashable, Codable {
    public enum Phase: String, Sendable, Hashable, Codable {
        case inactive, pending, firing
    }
    public var phase: Phase = .inactive
    /// Consecutive evaluations the condition held (pending) or the relaxed condition failed (firing).
    public var streak = 0
    /// When the current pending or firing phase began.
    public var since: Double?
    /// When the alert last resolved: the cooldown counts from here.
    public var lastResolved: Double?
    public init() {}
}

/// What changed at an evaluation.
public enum Transition: Sendable, Hashable {
    case none
    case fired
    case resolved
}

/// Evaluates rules over a target's recent samples. Pure: time comes from the samples.
public enum RuleEngine {
    /// The target's warm-up baseline for `rule`: the median of its first samples, once `rule.warmup`
    /// of them exist; nil before. `first` is the target's earliest samples, oldest first.
    public static func baseline(_ rule: Rule, first: [Point]) -> Double? {
        guard let start = first.first else { return nil }
        var taken: [Double] = []
        for point in first {
            taken.append(point.value)
            if rule.warmup.isReached(count: taken.count, elapsed: point.time - start.time) {
                return Statistics.percentile(taken, 0.5)
            }
        }
        return nil
    }

    /// The tail of `points` the rule fits rates over; nil when not enough history covers the window yet.
    static func window(_ rule: Rule, _ points: [Point]) -> [Point]? {
        guard let last = points.last else { return nil }
        switch rule.window {
        case .samples(let n):
            guard points.count >= max(n, 2) else { return nil }
            return Array(points.suffix(n))
        case .seconds(let s):
            guard let first = points.first, last.time - first.time >= s else { return nil }
            let tail = points.filter { $0.time >= last.time - s }
            return tail.count >= 3 ? tail : nil
        }
    }

    /// The condition at the latest point of `points` (oldest first). `relaxed` applies the hysteresis.
    public static func check(_ rule: Rule, points: [Point], baseline: Double?, relaxed: Bool = false) -> Evaluation {
        guard let latest = points.last else {
            return Evaluation(holds: false, value: .nan, baseline: baseline, summary: "no samples")
        }
        let value = latest.value
        let keep = relaxed ? 1 - min(max(rule.hysteresis, 0), 1) : 1
        var holds = rule.hasCondition
        var parts: [String] = []
        var evaluation = Evaluation(holds: false, value: value, baseline: baseline, summary: "")
        let name = rule.metric
        parts.append("\(name) \(format(value, metric: name))")

        if let above = rule.above {
            holds = holds && value > above * keep
            parts.append("above \(format(above, metric: name))")
        }
        let window = window(rule, points)
        if rule.growthPerMinute != nil || rule.increasePerMinute != nil || rule.rising {
            if let window {
                let trend = Trend.classify(window.map(\.value), times: window.map { Optional($0.time) })
                let perMinute = (trend.slopePerSecond ?? 0) * 60
                let median = Statistics.percentile(window.map(\.value), 0.5) ?? 0
                let relative = perMinute / max(abs(median), 1)
                evaluation.increasePerMinute = perMinute
                evaluation.growthPerMinute = relative
                let span = Numbers.duration(seconds: window.last!.time - window.first!.time)
                // While firing, growth that goes on (a rising trend) keeps a rate rule firing even when the
                // relative rate has decayed (a linear leak's %/min falls as the count grows): it resolves
                // when the growth stops, not when it becomes a smaller share.
                let stillRising = relaxed && trend.tau >= 0.3 && perMinute > 0
                if let growth = rule.growthPerMinute {
                    holds = holds && (relative >= growth * keep || stillRising)
                    parts.append("\(Numbers.signed(relative * 100))%/min over \(span)")
                } else if rule.increasePerMinute != nil {
                    parts.append("\(signed(perMinute, metric: name))/min over \(span)")
                }
                if let increase = rule.increasePerMinute { holds = holds && (perMinute >= increase * keep || stillRising) }
                if rule.rising {
                    let rising = relaxed ? (trend.tau >= 0.3 && trend.delta > 0) : (trend.shape == .steadyGrowth || trend.shape == .noisyGrowth)
                    holds = holds && rising
                    parts.append(rising ? "rising for \(window.count) samples" : "not rising (\(trend.shape.rawValue))")
                }
            } else {
                holds = false
                parts.append("window not full yet")
            }
        }
        if rule.usesBaseline {
            if let baseline {
                let increase = value - baseline
                if let ratio = rule.overBaseline {
                    holds = holds && value >= baseline * (1 + (ratio - 1) * keep)
                }
                if let minimum = rule.minIncrease { holds = holds && increase >= minimum * keep }
                let times = baseline > 0 ? " (\(Numbers.decimal(value / baseline, places: 1))×)" : ""
                parts.append("\(signed(increase, metric: name)) over its warm-up baseline of \(format(baseline, metric: name))\(times)")
            } else {
                holds = false
                parts.append("baseline still warming up")
            }
        }
        evaluation.holds = holds
        evaluation.summary = parts.joined(separator: ", ")
        return evaluation
    }

    /// Evaluates `rule` at the latest point and moves `state` on. Fires after the condition held for
    /// `rule.forSpan`, unless within the cooldown since the last resolve; resolves after `resolveAfter`
    /// evaluations in a row with the relaxed condition false.
    public static func step(_ rule: Rule, points: [Point], baseline: Double?, state: inout RuleState)
        -> (Evaluation, Transition)
    {
        let now = points.last?.time ?? 0
        switch state.phase {
        case .inactive, .pending:
            let evaluation = check(rule, points: points, baseline: baseline)
            guard evaluation.holds else {
                state.phase = .inactive
                state.streak = 0
                state.since = nil
                return (evaluation, .none)
            }
            if state.phase == .inactive {
                state.phase = .pending
                state.since = now
                state.streak = 0
            }
            state.streak += 1
            let cooling = state.lastResolved.map { now - $0 < rule.cooldownSeconds } ?? false
            if !cooling, rule.forSpan.isReached(count: state.streak, elapsed: now - (state.since ?? now)) {
                state.phase = .firing
                state.since = now
                state.streak = 0
                return (evaluation, .fired)
            }
            return (evaluation, .none)
        case .firing:
            let evaluation = check(rule, points: points, baseline: baseline, relaxed: true)
            state.streak = evaluation.holds ? 0 : state.streak + 1
            if state.streak >= max(rule.resolveAfter, 1) {
                state.phase = .inactive
                state.streak = 0
                state.since = nil
                state.lastResolved = now
                return (evaluation, .resolved)
            }
            return (evaluation, .none)
        }
    }

    /// A value in the metric's unit: bytes for `*_bytes`, a count otherwise.
    public static func format(_ value: Double, metric: String) -> String {
        if metric.hasSuffix("_bytes") { return Numbers.bytes(value) }
        return value.rounded() == value ? Numbers.count(value) : Numbers.quantity(value)
    }

    static func signed(_ value: Double, metric: String) -> String {
        metric.hasSuffix("_bytes") ? Numbers.signedBytes(value) : Numbers.signed(value)
    }
}
