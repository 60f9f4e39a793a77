#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Mann–Whitney U test (Wilcoxon rank-sum), two-sided: do two samples differ in location?
///
/// Defined as benchstat defines it (x/perf `benchmath`, go-moremath `MannWhitneyUTest` with
/// `LocationDiffers`): tied values get their mean rank; U₁ is the rank sum of the first sample minus
/// n₁(n₁+1)/2. The p-value is exact for small samples (both ≤ 50 without ties, both ≤ 25 with ties),
/// from the permutation distribution of the rank sum given the tie pattern, and otherwise from the
/// normal approximation with the tie correction and a continuity correction of ½.
public enum MannWhitney {
    /// Largest sample size (each side) for which the exact distribution is used when there are no ties.
    public static let exactLimit = 50
    /// The same limit when some values tie.
    public static let tiesExactLimit = 25

    /// The outcome of one test.
    public struct Result: Sendable, Hashable {
        /// U for the first sample (may end in .5 when values tie).
        public var u: Double
        /// Two-sided p-value in 0…1.
        public var p: Double
        /// Whether the exact distribution gave `p` (else the normal approximation).
        public var exact: Bool
    }

    /// Tests `a` against `b`. Nil when either is empty or every value in both is the same (the test
    /// says nothing then; benchstat reports `~`). Non-finite values are dropped.
    public static func test(_ a: [Double], _ b: [Double]) -> Result? {
        let x = a.filter(\.isFinite), y = b.filter(\.isFinite)
        let n1 = x.count, n2 = y.count
        guard n1 > 0, n2 > 0 else { return nil }
        // Merge with labels, sorted by value.
        let merged = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        // Doubled mid-ranks are whole numbers, which the exact distribution needs as array indexes.
        var doubledRanks = [Int](repeating: 0, count: merged.count)
        var tieSizes: [Int] = []
        var rankSum1 = 0.0
        var i = 0
        while i < merged.count {
            var j = i
            while j < merged.count && merged[j].0 == merged[i].0 { j += 1 }
            // Items i..<j share ranks i+1 … j; their mean doubled is i+1+j.
            for k in i..<j {
                doubledRanks[k] = i + 1 + j
                if merged[k].1 { rankSum1 += Double(i + 1 + j) / 2 }
            }
            tieSizes.append(j - i)
            i = j
        }
        guard tieSizes.count > 1 else { return nil }
        let u1 = rankSum1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let hasTies = tieSizes.contains { $0 > 1 }
        let limit = hasTies ? tiesExactLimit : exactLimit
        if n1 <= limit && n2 <= limit {
            if u1 == u2 { return Result(u: u1, p: 1, exact: true) }
            let cdf = exactCDF(doubledRanks: doubledRanks, n1: n1, atMostU: min(u1, u2))
            return Result(u: u1, p: min(1, 2 * cdf), exact: true)
        }
        let n = Double(n1 + n2)
        let t = tieSizes.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) }
        let sigma = (Double(n1 * n2) * ((n + 1) - t / (n * (n - 1))) / 12).squareRoot()
        guard sigma > 0 else { return nil }
        var numerator = u1 - Double(n1 * n2) / 2
        if numerator != 0 { numerator -= numerator > 0 ? 0.5 : -0.5 }
        let z = numerator / sigma
        let lower = normalCDF(z)
        return Result(u: u1, p: min(1, 2 * min(lower, 1 - lower)), exact: false)
    }

    /// The smallest two-sided p-value samples of sizes `n1` and `n2` can give (no ties): 2 / C(n1+n2, n1).
    /// The test can never be significant at α when this is ≥ α.
    public static func smallestP(_ n1: Int, _ n2: Int) -> Double {
        guard n1 > 0, n2 > 0 else { return 1 }
        return min(1, 2 / binomial(n1 + n2, n1))
    }

    /// The fewest runs per side (equal sizes) at which the test can reach `alpha`.
    public static func samplesNeeded(alpha: Double) -> Int {
        var n = 1
        while smallestP(n, n) >= alpha && n < 1000 { n += 1 }
        return n
    }

    /// P(U ≤ u) under the null hypothesis, given the (doubled) ranks the merged values hold: the share
    /// of the C(N, n1) ways to pick the first sample's ranks whose U is ≤ `u`. Dynamic programming
    /// over (items chosen, doubled rank sum), in Doubles (C(100, 50) ≈ 1e29 fits).
    static func exactCDF(doubledRanks: [Int], n1: Int, atMostU u: Double) -> Double {
        let total = doubledRanks.reduce(0, +)
        // ways[k][s]: subsets of k items with doubled rank sum s.
        var ways = [[Double]](repeating: [Double](repeating: 0, count: total + 1), count: n1 + 1)
        ways[0][0] = 1
        var reached = 0
        for rank in doubledRanks {
            reached += rank
            for k in stride(from: n1, through: 1, by: -1) {
                let previous = ways[k - 1]
                var row = ways[k]
                for s in stride(from: min(reached, total), through: rank, by: -1) where previous[s - rank] != 0 {
                    row[s] += previous[s - rank]
                }
                ways[k] = row
            }
        }
        // U ≤ u ⇔ R₁ ≤ u + n1(n1+1)/2 ⇔ doubled R₁ ≤ 2u + n1(n1+1).
        // 2u is whole (u is a multiple of ½); rounding only guards against representation error.
        let limit = Int((2 * u + Double(n1 * (n1 + 1))).rounded())
        var below = 0.0, all = 0.0
        for s in 0...total {
            all += ways[n1][s]
            if s <= limit { below += ways[n1][s] }
        }
        return all > 0 ? below / all : 1
    }

    /// Φ(z), the standard normal CDF.
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// C(n, k) as a Double.
    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        let k = min(k, n - k)
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result
    }
}
