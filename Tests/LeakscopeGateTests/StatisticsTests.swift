import Testing
import LeakscopeStatistics

/// The U test, median intervals and Holm correction against independent references: SciPy 1.17
/// (`scipy.stats.mannwhitneyu`), a brute-force enumeration of every rank assignment (exact p with
/// ties), and benchstat built from golang.org/x/perf @712aea8 (its printed `p=` and `± CI`), each
/// value noted where it is used.
@Suite struct StatisticsTests {
    @Test func exactWithoutTies() throws {
        // scipy mannwhitneyu([1,2,3,4],[5,6,7,8], method="exact") → 0.02857142857142857 = 2/C(8,4);
        // benchstat prints p=0.029 n=4.
        let r = try #require(MannWhitney.test([1, 2, 3, 4], [5, 6, 7, 8]))
        #expect(r.exact)
        #expect(r.u == 0)
        #expect(abs(r.p - 2.0 / 70) < 1e-12)
        // scipy: 1.082508822446903e-05 (n=10 each, fully separated) = 2/C(20,10).
        let first: [Double] = (1...10).map(Double.init), second: [Double] = (11...20).map(Double.init)
        let ten = try #require(MannWhitney.test(first, second))
        #expect(abs(ten.p - 1.082508822446903e-05) < 1e-15)
        // scipy exact: 0.13203463203463203; benchstat p=0.132 n=6.
        let overlap = try #require(MannWhitney.test([1.1, 2.3, 3.2, 4.8, 5.5, 6.1], [3.9, 4.4, 5.0, 6.6, 7.2, 8.0]))
        #expect(overlap.u == 8)
        #expect(abs(overlap.p - 0.13203463203463203) < 1e-12)
    }

    @Test func exactWithTiesMatchesEnumeration() throws {
        // Enumerating all C(14,7) = 3,432 splits of the mid-ranks: P = 0.05011655011655012
        // (benchstat p=0.050; SciPy's exact method ignores ties and says 0.0530).
        let r = try #require(MannWhitney.test([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5, 6]))
        #expect(r.exact)
        #expect(r.u == 8.5)
        #expect(abs(r.p - 0.05011655011655012) < 1e-12)
    }

    @Test func normalApproximationBeyondTheExactLimits() throws {
        // n=60 each, no ties: scipy asymptotic (tie + continuity correction) 0.02694585619564296; benchstat p=0.027.
        let base: [Double] = (0..<60).map { Double($0) + 100 }
        let shifted: [Double] = (0..<60).map { Double($0) + 107.5 }
        let large = try #require(MannWhitney.test(base, shifted))
        #expect(!large.exact)
        #expect(abs(large.p - 0.02694585619564296) < 1e-9)
        // n=30 with ties (over the ties limit of 25): scipy 0.015140398645618811; benchstat p=0.015.
        let low: [Double] = (0..<30).map { 100 + Double($0 % 5) }
        let high: [Double] = (0..<30).map { 101 + Double($0 % 5) }
        let ties = try #require(MannWhitney.test(low, high))
        #expect(!ties.exact)
        #expect(abs(ties.p - 0.015140398645618811) < 1e-9)
    }

    @Test func degenerateSamples() {
        #expect(MannWhitney.test([], [1, 2]) == nil)
        #expect(MannWhitney.test([3, 3, 3], [3, 3]) == nil)
        #expect(MannWhitney.test([1, 2, 3], [1, 2, 3])?.p == 1)
        // Smallest possible p: n=3 → 2/20 = 0.1 (cannot reach 0.05); n=4 → 2/70.
        #expect(MannWhitney.smallestP(3, 3) == 0.1)
        #expect(MannWhitney.samplesNeeded(alpha: 0.05) == 4)
        #expect(MannWhitney.samplesNeeded(alpha: 0.01) == 5)
    }

    @Test func medianIntervalLikeBenchstat() throws {
        // benchstat: median 4e-09 with CI 72% for the six values below (n=6 is the least that gives a 95% interval).
        let i = try #require(MedianInterval([1.1, 2.3, 3.2, 4.8, 5.5, 6.1]))
        #expect(i.median == 4.0)
        #expect(i.low == 1.1 && i.high == 6.1)
        #expect(Int((try #require(i.relativeHalfWidth) * 100)) == 72)
        #expect(abs(try #require(i.coverage) - (1 - 2.0 / 64)) < 1e-12)
        // n=5: coverage of [min,max] is 1 − 2/32 = 0.9375 < 0.95: no interval (benchstat prints ∞ / warns).
        let five = try #require(MedianInterval([1, 2, 3, 4, 5]))
        #expect(five.low == nil && five.relativeHalfWidth == nil)
        #expect(MedianInterval.needed(confidence: 0.95) == 6)
        // n=20: largest k with 1 − 2·P(B ≤ k) ≥ 0.95 is k = 5 (P(B≤5) = 0.0207), so [x₆, x₁₅].
        let twenty = try #require(MedianInterval((1...20).map(Double.init)))
        #expect(twenty.low == 6 && twenty.high == 15)
        #expect(twenty.median == 10.5)
    }

    @Test func holmAdjustment() {
        // m = 4: sorted 0.01, 0.02, 0.03, 0.5 → 0.04, 0.06, 0.06 (monotone), 0.5.
        let adjusted = Holm.adjust([0.03, 0.5, 0.01, 0.02])
        let expected = [0.06, 0.5, 0.04, 0.06]
        for (a, e) in zip(adjusted, expected) { #expect(abs(a - e) < 1e-12) }
        #expect(Holm.adjust([]).isEmpty)
        #expect(Holm.adjust([0.9, 0.8]) == [1, 1])
    }
}
