/// The shape of a short series of measurements (heap bytes per snapshot, goroutines, …):
/// steady growth, a one-off step, noise, or nothing.
///
/// The test, for n ≥ 3 points:
/// - **Direction and monotonicity**: Mann–Kendall's S (sum of the signs of all later-minus-earlier
///   pairs) as Kendall's tau = S / (n(n−1)/2), from −1 (always falling) to 1 (always rising).
///   Rank-based, so one outlier cannot fake a trend.
/// - **Rate**: the Theil–Sen slope, the median of all pairwise slopes, against the snapshot times
///   when every time is known and they strictly increase, else against the snapshot index.
///   Robust to one outlier, unlike least squares.
/// - **Linearity**: R² of the least-squares line (same x axis).
/// - **Step**: the share of the total rise made by the largest single rise between neighbours.
///
/// Verdicts (first that applies):
/// - `flat`: the series moves by less than `flatTolerance` of its size.
/// - `step`: rising overall, but one interval holds ≥ 60 % of all rises (a cache warmed, a table loaded).
/// - `steadyGrowth`: tau ≥ 0.6, R² ≥ 0.8, net rise > 0 (monotone-ish and close to a line).
/// - `noisyGrowth`: n ≥ 5, tau ≥ 0.4, R² ≥ 0.5, net rise > 0 (a trend under noise, e.g. a rising sawtooth).
/// - `shrinking`: tau ≤ −0.6 and net fall.
/// - `fluctuating`: anything else (sawtooth, noise).
/// With 2 points only `grew`, `shrinking` or `flat` can be said.
public struct Trend: Sendable, Hashable, Codable {
    /// The verdict; the list above says when each applies. Raw values are the JSON spelling.
    public enum Shape: String, Sendable, Hashable, Codable, CaseIterable {
        /// Rising consistently and close to a line.
        case steadyGrowth = "steady-growth"
        /// Rising under noise (a climbing sawtooth).
        case noisyGrowth = "noisy-growth"
        /// Two points, the second higher: growth, but no evidence it continues.
        case grew
        /// Rising, but one interval holds most of the rise (a cache warmed, a table loaded).
        case step
        /// Falling consistently.
        case shrinking
        /// Moving by less than `flatTolerance` of its size.
        case flat
        /// None of the above: noise or a sawtooth.
        case fluctuating
        /// Fewer than two usable points.
        case unknown
    }

    /// The verdict.
    public var shape: Shape
    /// Points the verdict rests on (non-finite values are dropped).
    public var points: Int
    /// Last minus first.
    public var delta: Double
    /// Theil–Sen slope per second when times were usable, else nil.
    public var slopePerSecond: Double?
    /// Theil–Sen slope per snapshot (always computed for n ≥ 2).
    public var slopePerStep: Double
    /// Kendall's tau from Mann–Kendall's S, −1…1 (0 for n < 3).
    public var tau: Double
    /// R² of the least-squares line, 0…1 (0 for n < 3 or a constant series).
    public var rSquared: Double
    /// Largest rise between neighbours over the sum of all rises (0 when nothing rose).
    public var largestStepShare: Double
    /// Whether the x axis was the snapshot times (else the snapshot index).
    public var usedTimes: Bool

    /// Moves smaller than this fraction of the series' largest magnitude count as flat.
    public static let flatTolerance = 0.01

    /// How much the shape says "this keeps growing", 0…1: 1 for steady growth, 0.7 noisy growth,
    /// 0.5 two-point growth, 0.25 a step, 0.15 fluctuation, 0 otherwise.
    public var steadiness: Double {
        switch shape {
        case .steadyGrowth: 1
        case .noisyGrowth: 0.7
        case .grew: 0.5
        case .step: 0.25
        case .fluctuating: 0.15
        case .shrinking, .flat, .unknown: 0
        }
    }

    /// Whether the shape is growth of some kind that could continue.
    public var isGrowing: Bool { shape == .steadyGrowth || shape == .noisyGrowth || shape == .grew }

    /// Classifies `values` (oldest first). `times` are seconds (any epoch), one per value or empty;
    /// nil, non-finite, repeated or decreasing times make the test use the snapshot index instead.
    public static func classify(_ values: [Double], times: [Double?] = []) -> Trend {
        // Drop non-finite values together with their times.
        var ys: [Double] = []
        var ts: [Double?] = []
        ys.reserveCapacity(values.count)
        for (i, v) in values.enumerated() where v.isFinite {
            ys.append(v)
            ts.append(i < times.count ? times[i] : nil)
        }
        let n = ys.count
        guard n >= 2 else {
            return Trend(shape: .unknown, points: n, delta: 0, slopePerSecond: nil, slopePerStep: 0, tau: 0,
                         rSquared: 0, largestStepShare: 0, usedTimes: false)
        }
        var xs: [Double] = []
        var usedTimes = true
        for t in ts {
            guard let t, t.isFinite, xs.last.map({ t > $0 }) ?? true else { usedTimes = false; break }
            xs.append(t)
        }
        let steps = (0..<n).map(Double.init)
        if !usedTimes { xs = steps }

        let delta = ys[n - 1] - ys[0]
        var rises = 0.0
        var largestRise = 0.0
        for i in 1..<n {
            let d = ys[i] - ys[i - 1]
            if d > 0 { rises += d; largestRise = max(largestRise, d) }
        }
        let stepShare = rises > 0 ? largestRise / rises : 0
        let slopeStep = theilSen(steps, ys)
        let slopeTime = usedTimes ? theilSen(xs, ys) : nil
        let magnitude = ys.reduce(0) { max($0, abs($1)) }
        let range = (ys.max() ?? 0) - (ys.min() ?? 0)
        let isFlat = range <= flatTolerance * magnitude || range == 0

        var trend = Trend(shape: .fluctuating, points: n, delta: delta, slopePerSecond: slopeTime,
                          slopePerStep: slopeStep, tau: 0, rSquared: 0, largestStepShare: stepShare,
                          usedTimes: usedTimes)
        if isFlat {
            trend.shape = .flat
            return trend
        }
        if n == 2 {
            trend.shape = delta > 0 ? .grew : .shrinking
            return trend
        }
        trend.tau = kendallTau(ys)
        trend.rSquared = rSquared(xs, ys)
        if delta > 0 && stepShare >= 0.6 && n >= 3 && !(n == 3 && stepShare < 0.75 && trend.tau >= 0.99) {
            // With 3 points every rising series has a "largest" of two rises; only call it a step
            // when one rise clearly dominates (≥ 75 %).
            trend.shape = .step
        } else if delta > 0 && trend.tau >= 0.6 && trend.rSquared >= 0.8 {
            trend.shape = .steadyGrowth
        } else if delta > 0 && n >= 5 && trend.tau >= 0.4 && trend.rSquared >= 0.5 {
            trend.shape = .noisyGrowth
        } else if delta < 0 && trend.tau <= -0.6 {
            trend.shape = .shrinking
        }
        return trend
    }

    /// Median of the slopes between all pairs with distinct x.
    static func theilSen(_ xs: [Double], _ ys: [Double]) -> Double {
        var slopes: [Double] = []
        slopes.reserveCapacity(xs.count * (xs.count - 1) / 2)
        for i in 0..<xs.count {
            for j in (i + 1)..<xs.count where xs[j] != xs[i] {
                let s = (ys[j] - ys[i]) / (xs[j] - xs[i])
                if s.isFinite { slopes.append(s) }
            }
        }
        guard !slopes.isEmpty else { return 0 }
        slopes.sort()
        let m = slopes.count / 2
        return slopes.count % 2 == 1 ? slopes[m] : (slopes[m - 1] + slopes[m]) / 2
    }

    /// Kendall's tau-a from Mann–Kendall's S.
    static func kendallTau(_ ys: [Double]) -> Double {
        let n = ys.count
        guard n >= 2 else { return 0 }
        var s = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                if ys[j] > ys[i] { s += 1 } else if ys[j] < ys[i] { s -= 1 }
            }
        }
        return Double(s) / Double(n * (n - 1) / 2)
    }

    /// Coefficient of determination of the least-squares line through the points.
    static func rSquared(_ xs: [Double], _ ys: [Double]) -> Double {
        let n = Double(xs.count)
        guard n >= 3 else { return 0 }
        // Centre first: times in epoch seconds squared would lose precision.
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for (x, y) in zip(xs, ys) {
            let dx = x - mx, dy = y - my
            sxx += dx * dx; syy += dy * dy; sxy += dx * dy
        }
        guard sxx > 0, syy > 0 else { return 0 }
        let r2 = (sxy * sxy) / (sxx * syy)
        return r2.isFinite ? min(1, max(0, r2)) : 0
    }
}
