/// Every default a gate decides with, in one place (README "leakscope gate" and docs/GATE.md
/// explain them). Command-line flags and config files override them.
public struct GateThresholds: Sendable, Hashable {
    // ── gate bench ──
    /// Significance level of the Mann–Whitney U test (benchstat's `-alpha` default).
    public var alpha = 0.05
    /// Confidence of the median intervals (benchstat's `-confidence` default).
    public var confidence = 0.95
    /// Largest tolerated change in the worse direction (5 %): a regression must be significant AND
    /// larger than this, so tiny real changes (code alignment, 0.5 %) never fail a build.
    public var maxRegression = 0.05
    /// Holm–Bonferroni correction across every benchmark and unit of one comparison (on by default:
    /// it holds the chance of any false alarm per run at α, where benchstat's per-row test gives
    /// about one false "change" in 20 unchanged rows).
    public var holm = true

    // ── gate heap ──
    /// A function's in-use (or allocated) bytes may grow by this much before it fails (1 MB).
    public var heapMaxGrowthBytes = 1_048_576.0
    /// …and only when it also grew by more than this share of its old size (20 %).
    public var heapMaxGrowthRatio = 0.20

    // ── gate leaks ──
    /// How long the injected TestMain waits for goroutines to finish before it takes the dump
    /// (goleak retries for a similar time), in milliseconds.
    public var leakSettleMilliseconds = 1000

    public init() {}
}
