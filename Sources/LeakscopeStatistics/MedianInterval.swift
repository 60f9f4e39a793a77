/// The median of a sample and a distribution-free confidence interval for it from order statistics,
/// as benchstat reports `1.718µ ± 1%`.
///
/// For n sorted values x₁ ≤ … ≤ xₙ the interval [x₍ₖ₊₁₎, x₍ₙ₋ₖ₎] holds the true median with
/// probability 1 − 2·P(Binomial(n, ½) ≤ k). The interval is the narrowest such one whose coverage is
/// at least the confidence asked for. With too few values (n < 6 at 95 %) even [min, max] falls
/// short, and there is no interval: `needed` says how many values would give one.
public struct MedianInterval: Sendable, Hashable {
    /// The sample median (mean of the middle two when n is even).
    public var median: Double
    /// Interval bounds; nil when the sample is too small for the confidence asked.
    public var low: Double?
    public var high: Double?
    /// The coverage the interval actually has (≥ the confidence asked for), when there is one.
    public var coverage: Double?
    /// How many values the sample has.
    public var count: Int

    /// The larger distance from the median to a bound, as a share of the median (`± 1%`); nil
    /// without an interval or when the median is 0.
    public var relativeHalfWidth: Double? {
        guard let low, let high, median != 0 else { return nil }
        return max(median - low, high - median) / abs(median)
    }

    /// The median and interval of `values` (non-finite values dropped); nil when none are left.
    public init?(_ values: [Double], confidence: Double = 0.95) {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let n = sorted.count
        count = n
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        guard let k = Self.orderIndex(n: n, confidence: confidence) else { return }
        low = sorted[k]
        high = sorted[n - 1 - k]
        coverage = Self.coverage(n: n, k: k)
    }

    /// The smallest sample size with an interval at `confidence`.
    public static func needed(confidence: Double) -> Int {
        var n = 1
        while orderIndex(n: n, confidence: confidence) == nil && n < 10_000 { n += 1 }
        return n
    }

    /// The largest k (0-based) with coverage(n, k) ≥ confidence, or nil.
    static func orderIndex(n: Int, confidence: Double) -> Int? {
        var best: Int?
        var k = 0
        while 2 * k < n - 1 {
            if coverage(n: n, k: k) >= confidence { best = k } else { break }
            k += 1
        }
        return best
    }

    /// P(x₍ₖ₊₁₎ ≤ median ≤ x₍ₙ₋ₖ₎) = 1 − 2·P(B ≤ k) for B ~ Binomial(n, ½).
    static func coverage(n: Int, k: Int) -> Double {
        1 - 2 * binomialCDF(n: n, atMost: k)
    }

    /// P(B ≤ k), B ~ Binomial(n, ½), summed in log space so large n does not overflow.
    static func binomialCDF(n: Int, atMost k: Int) -> Double {
        guard k >= 0 else { return 0 }
        var sum = 0.0
        var term = pow2(-n)  // C(n, 0) / 2ⁿ
        for i in 0...min(k, n) {
            if i > 0 { term = term * Double(n - i + 1) / Double(i) }
            sum += term
        }
        return min(1, sum)
    }

    private static func pow2(_ e: Int) -> Double {
        var value = 1.0
        for _ in 0..<abs(e) { value *= 2 }
        return e < 0 ? 1 / value : value
    }
}
