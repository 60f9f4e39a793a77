/// One alerting rule of `leakscope watch`: a condition on one metric of one target, and how long it
/// must hold before the alert fires and after it stops before the alert resolves.
///
/// The condition is the conjunction of the parts that are set (a rule sets at least one):
/// - `above`: the latest value is greater than this;
/// - `growthPerMinute`: the relative growth per minute over `window` (Theil–Sen slope of the window's
///   samples against their times, over the window's median) is at least this (0.15 = 15 %/min);
/// - `increasePerMinute`: the same slope in the metric's own units per minute is at least this;
/// - `overBaseline`: the latest value is at least this many times the target's warm-up baseline
///   (the median of its first `warmup` samples);
/// - `minIncrease`: the latest value exceeds the baseline by at least this much (so a service going
///   from 5 to 15 goroutines is not "3× its baseline" worth waking anyone for);
/// - `rising`: the window's samples rise steadily (`Trend` says steady or noisy growth).
///
/// Rates and trends are fitted over the window, so one noisy sample neither fires nor resolves a rule.
public struct Rule: Sendable, Hashable, Codable {
    /// The alert's name (`alertname` in Alertmanager).
    public var name: String
    /// `goroutines`, `heap_inuse_bytes`, or any metric read from the target's `/metrics`.
    public var metric: String
    public var above: Double?
    public var growthPerMinute: Double?
    public var increasePerMinute: Double?
    public var overBaseline: Double?
    public var minIncrease: Double?
    public var rising: Bool
    /// Samples the rates and trend are fitted over.
    public var window: Span
    /// Samples that make the baseline, counted from the target's first sample.
    public var warmup: Span
    /// How long the condition must hold (consecutive evaluations) before the alert fires.
    public var forSpan: Span
    /// How long a rule that fired stays quiet after it resolves (seconds).
    public var cooldownSeconds: Double
    /// Consecutive evaluations with the relaxed condition false before a firing alert resolves.
    public var resolveAfter: Int
    /// While firing, thresholds are relaxed by this fraction (0.2: `above` 2000 holds down to 1600,
    /// 15 %/min down to 12 %/min), so a value hovering at the threshold does not flap. A firing rate
    /// rule also holds while its window still rises, so it resolves when the growth stops.
    public var hysteresis: Double
    public var severity: Severity

    public enum Severity: String, Sendable, Hashable, Codable, CaseIterable {
        case critical, warning, info
    }

    /// A length counted in samples or in seconds.
    public enum Span: Sendable, Hashable, Codable {
        case samples(Int)
        case seconds(Double)

        /// Whether `count` samples spanning `elapsed` seconds reach this span.
        public func isReached(count: Int, elapsed: Double) -> Bool {
            switch self {
            case .samples(let n): count >= n
            case .seconds(let s): elapsed >= s
            }
        }
    }

    public init(name: String, metric: String, above: Double? = nil, growthPerMinute: Double? = nil,
                increasePerMinute: Double? = nil, overBaseline: Double? = nil, minIncrease: Double? = nil,
                rising: Bool = false, window: Span = .samples(5), warmup: Span = .samples(8),
                forSpan: Span = .samples(3), cooldownSeconds: Double = 600, resolveAfter: Int = 3,
                hysteresis: Double = 0.2, severity: Severity = .warning) {
        self.name = name
        self.metric = metric
        self.above = above
        self.growthPerMinute = growthPerMinute
        self.increasePerMinute = increasePerMinute
        self.overBaseline = overBaseline
        self.minIncrease = minIncrease
        self.rising = rising
        self.window = window
        self.warmup = warmup
        self.forSpan = forSpan
        self.cooldownSeconds = cooldownSeconds
        self.resolveAfter = resolveAfter
        self.hysteresis = hysteresis
        self.severity = severity
    }

    /// Whether the rule needs the target's warm-up baseline.
    public var usesBaseline: Bool { overBaseline != nil || minIncrease != nil }

    /// Whether any part of the condition is set.
    public var hasCondition: Bool {
        above != nil || growthPerMinute != nil || increasePerMinute != nil || usesBaseline || rising
    }
}

extension Rule {
    /// The rules a config without `rules:` gets. Windows, warm-ups and `for:` are counted in samples,
    /// so they scale with the poll interval (at the default 15 s: 1 min windows, 2 min warm-up).
    public static let defaults: [Rule] = [
        // The brief's example: "goroutines > 2000 for 3 samples and +15 %/min".
        Rule(name: "GoroutineLeak", metric: "goroutines", above: 2000, growthPerMinute: 0.15,
             window: .samples(5), forSpan: .samples(3), severity: .critical),
        // A small service leaking (20 → 400 goroutines) never reaches 2000: judge it against itself.
        Rule(name: "GoroutineGrowth", metric: "goroutines", overBaseline: 3, minIncrease: 100, rising: true,
             window: .samples(8), warmup: .samples(8), forSpan: .samples(3), severity: .warning),
        // Heap in use climbing steadily after warm-up, well above where it settled.
        Rule(name: "HeapGrowth", metric: "heap_inuse_bytes", overBaseline: 1.5, minIncrease: 16 * 1024 * 1024,
             rising: true, window: .samples(12), warmup: .samples(8), forSpan: .samples(4), severity: .warning),
    ]
}
