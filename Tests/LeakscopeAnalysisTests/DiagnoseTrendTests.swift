import Testing
@testable import LeakscopeStatistics

/// The trend test on hand-made series: it is math, so the numbers are chosen to sit clearly on
/// one side of each rule.
@Suite struct DiagnoseTrendTests {
    let minutes: [Double?] = (0..<6).map { Double($0) * 60 + 1_700_000_000 }

    @Test func steadyGrowthWithTimesGivesARatePerSecond() throws {
        let trend = Trend.classify([10, 20, 31, 39, 50, 60], times: minutes)
        #expect(trend.shape == .steadyGrowth)
        #expect(trend.usedTimes)
        #expect(trend.tau == 1)
        #expect(trend.rSquared > 0.99)
        // Theil–Sen: the median pairwise slope is 10 per minute.
        let slope = try #require(trend.slopePerSecond)
        #expect(abs(slope * 60 - 10) < 0.5)
        #expect(trend.slopePerStep > 9 && trend.slopePerStep < 11)
        #expect(trend.delta == 50)
        #expect(trend.steadiness == 1)
    }

    @Test func oneOutlierDoesNotBreakSteadyGrowth() {
        // One dip: still monotone-ish, and Theil–Sen ignores it.
        let trend = Trend.classify([10, 20, 30, 25, 50, 60, 70])
        #expect(trend.shape == .steadyGrowth)
        #expect(trend.slopePerStep == 10)
    }

    @Test func stepIsNotGrowth() {
        for series: [Double] in [[5, 5, 105, 105, 106, 105], [0, 100, 100, 100], [0, 0, 0, 80, 81]] {
            let trend = Trend.classify(series)
            #expect(trend.shape == .step, "\(series)")
            #expect(trend.largestStepShare >= 0.6)
            #expect(!trend.isGrowing)
        }
        // Three points where one rise dominates are a step; two even rises are growth.
        #expect(Trend.classify([0, 1, 100]).shape == .step)
        #expect(Trend.classify([0, 45, 100]).shape == .steadyGrowth)
    }

    @Test func sawtoothAndNoiseAreFluctuating() {
        #expect(Trend.classify([10, 50, 10, 50, 10, 50]).shape == .fluctuating)
        #expect(Trend.classify([30, 10, 45, 5, 40, 20, 35]).shape == .fluctuating)
        #expect(Trend.classify([30, 10, 45, 5, 40, 20, 35]).steadiness < 0.5)
    }

    @Test func risingSawtoothIsNoisyGrowth() {
        // GC-like teeth on a rising floor: rising, but not a clean line.
        let trend = Trend.classify([10, 30, 15, 40, 25, 50, 35, 60])
        #expect(trend.shape == .noisyGrowth, "\(trend)")
        #expect(trend.isGrowing)
    }

    @Test func flatAndShrinking() {
        #expect(Trend.classify([100, 100, 100, 100]).shape == .flat)
        #expect(Trend.classify([1000, 1001, 1000, 1002]).shape == .flat)  // within 1 %
        #expect(Trend.classify([0, 0, 0]).shape == .flat)
        #expect(Trend.classify([60, 50, 40, 30]).shape == .shrinking)
    }

    @Test func twoPointsOnlySayGrew() {
        let up = Trend.classify([10, 20], times: [100, 160])
        #expect(up.shape == .grew)
        #expect(up.steadiness == 0.5)
        #expect(up.slopePerSecond.map { abs($0 - 10.0 / 60) < 1e-9 } == true)
        #expect(up.tau == 0 && up.rSquared == 0)
        #expect(Trend.classify([20, 10]).shape == .shrinking)
        #expect(Trend.classify([20, 20]).shape == .flat)
    }

    @Test func equalMissingOrBackwardsTimesFallBackToTheIndex() {
        let series: [Double] = [10, 20, 30, 40]
        for times: [Double?] in [[5, 5, 5, 5], [1, 2, nil, 4], [4, 3, 2, 1], [], [1, .nan, 3, 4], [1, 2]] {
            let trend = Trend.classify(series, times: times)
            #expect(trend.shape == .steadyGrowth, "\(times)")
            #expect(!trend.usedTimes && trend.slopePerSecond == nil, "\(times)")
            #expect(trend.slopePerStep == 10)
        }
    }

    @Test func degenerateInputs() {
        #expect(Trend.classify([]).shape == .unknown)
        #expect(Trend.classify([42]).shape == .unknown)
        // Non-finite values are dropped with their times.
        let trend = Trend.classify([.nan, 10, .infinity, 20, 30, 40], times: [0, 60, 120, 180, 240, 300])
        #expect(trend.points == 4)
        #expect(trend.shape == .steadyGrowth && trend.usedTimes)
        #expect(Trend.classify([-.greatestFiniteMagnitude, .greatestFiniteMagnitude, 0]).points == 3)
    }
}
