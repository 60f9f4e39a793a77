import Testing
import LeakscopeWatchRules

/// The rules engine over synthetic series: when the shipped rules fire, resolve and stay quiet.
struct WatchRulesTests {
    /// Runs `rule` over `values` sampled every `interval` seconds; returns the transitions by sample index.
    func run(_ rule: Rule, _ values: [Double], interval: Double = 15) -> [(Int, Transition, Evaluation)] {
        var state = RuleState()
        var points: [Point] = []
        var out: [(Int, Transition, Evaluation)] = []
        for (i, v) in values.enumerated() {
            points.append(Point(time: 1_000_000 + Double(i) * interval, value: v))
            let baseline = RuleEngine.baseline(rule, first: Array(points.prefix(64)))
            let (evaluation, transition) = RuleEngine.step(rule, points: Array(points.suffix(64)), baseline: baseline, state: &state)
            if transition != .none { out.append((i, transition, evaluation)) }
        }
        return out
    }

    var goroutineLeak: Rule { Rule.defaults.first { $0.name == "GoroutineLeak" }! }
    var goroutineGrowth: Rule { Rule.defaults.first { $0.name == "GoroutineGrowth" }! }
    var heapGrowth: Rule { Rule.defaults.first { $0.name == "HeapGrowth" }! }

    @Test func seedRuleFiresOnGrowthAboveTwoThousandAfterThreeSamples() {
        // Flat at 1,500 for 10 samples, then +300 per 15 s sample (≈ +30 %/min around 2,000).
        let values = (0..<10).map { _ in 1500.0 } + (1...20).map { 1500.0 + Double($0) * 300 }
        let transitions = run(goroutineLeak, values)
        #expect(transitions.count == 1)
        let (index, transition, evaluation) = transitions[0]
        #expect(transition == .fired)
        // 2,100 at index 11 is the first sample above 2,000 (its window grows 40 %/min); 13 is the third.
        #expect(index == 13)
        #expect(evaluation.growthPerMinute! > 0.15)
        #expect(evaluation.summary.contains("goroutines 2,700"))
        #expect(evaluation.summary.contains("above 2,000"))
    }

    @Test func seedRuleStaysQuietForAHighButFlatCount() {
        // 5,000 goroutines with ±3 % noise: a big service, not a leak.
        let values = (0..<60).map { 5000.0 + Double(($0 * 37) % 13 - 6) * 25 }
        #expect(run(goroutineLeak, values).isEmpty)
    }

    @Test func oneNoisySampleNeitherFiresNorResolves() {
        // Flat at 2,500 with one spike to 9,000: least squares over 5 samples would read +100 %/min.
        var values = Array(repeating: 2500.0, count: 30)
        values[15] = 9000
        #expect(run(goroutineLeak, values).isEmpty)
        // A steady leak with one dip to 100 while firing: still one firing, no resolve.
        var leak = (0..<40).map { 2000.0 + Double($0) * 250 }
        leak[25] = 100
        let transitions = run(goroutineLeak, leak)
        #expect(transitions.map(\.1) == [.fired])
    }

    @Test func resolvesWhenTheLeakStopsAndDoesNotFlap() {
        // Growth for 20 samples, then flat at the leaked level: the rate falls to 0 → resolves once.
        let values = (0..<20).map { 2000.0 + Double($0) * 300 } + Array(repeating: 7700.0, count: 40)
        let transitions = run(goroutineLeak, values)
        #expect(transitions.map(\.1) == [.fired, .resolved])
        #expect(transitions[1].0 > 20)
    }

    @Test func hoveringAtTheThresholdDoesNotFlap() {
        // Growing just above the rate threshold with alternating slow and fast intervals.
        let values = (0..<80).map { i in 3000.0 * pow(1.045, Double(i)) * (i % 2 == 0 ? 1 : 0.99) }
        let transitions = run(goroutineLeak, values)
        #expect(transitions.filter { $0.1 == .fired }.count == 1)
    }

    @Test func smallServiceLeakingFromTwentyAlertsAgainstItsBaseline() {
        // 20 goroutines for the warm-up, then +15 per sample up to 400: never near 2,000.
        let values = Array(repeating: 20.0, count: 12) + (1...26).map { 20.0 + Double($0) * 15 }
        #expect(run(goroutineLeak, values).isEmpty)
        let transitions = run(goroutineGrowth, values)
        #expect(transitions.count == 1)
        #expect(transitions[0].1 == .fired)
        #expect(transitions[0].2.summary.contains("warm-up baseline of 20"))
        // +100 over the baseline is first passed at sample 18 (125); the third sample of it, 20, fires.
        #expect(transitions[0].0 == 20)
    }

    @Test func smallServiceWithABurstThatComesBackIsQuiet() {
        // 20 → 300 for a few samples (a burst of requests) → back to 20, repeatedly.
        let values = (0..<80).map { i -> Double in (i % 20 >= 10 && i % 20 < 13) ? 300 : 20 }
        #expect(run(goroutineGrowth, values).isEmpty)
    }

    @Test func heapGrowthAfterWarmUpFiresAndSawtoothDoesNot() {
        let mb = 1024.0 * 1024
        // Warm-up around 40 MB, then +2 MB per sample with GC noise.
        let leak = (0..<40).map { i -> Double in
            let noise = Double((i * 7) % 5) * 0.4 * mb
            return 40 * mb + noise + (i >= 10 ? Double(i - 10) * 2 * mb : 0)
        }
        let fired = run(heapGrowth, leak)
        #expect(fired.map(\.1) == [.fired])
        #expect(fired[0].2.summary.contains("heap_inuse_bytes"))
        #expect(fired[0].2.summary.contains(" MB"))
        // A sawtooth between 40 and 90 MB (allocation bursts collected by GC): no alert.
        let sawtooth = (0..<80).map { i in 40 * mb + Double(i % 8) * 7 * mb }
        #expect(run(heapGrowth, sawtooth).isEmpty)
    }

    @Test func cooldownKeepsARefiringRuleQuiet() {
        // Leak, stop (resolve), leak again within 10 minutes: the second leak is held by the cooldown.
        let leak = (0..<12).map { 2000.0 + Double($0) * 300 }
        let flat = Array(repeating: 5300.0, count: 8)
        let again = (1...12).map { 5300.0 + Double($0) * 600 }
        var rule = goroutineLeak
        #expect(run(rule, leak + flat + again).map(\.1) == [.fired, .resolved])
        rule.cooldownSeconds = 30
        #expect(run(rule, leak + flat + again).map(\.1) == [.fired, .resolved, .fired])
    }

    @Test func forAsADurationAndWindowInSeconds() {
        var rule = Rule(name: "T", metric: "goroutines", above: 100, window: .seconds(2), forSpan: .seconds(1.0))
        rule.resolveAfter = 1
        let values: [Double] = [50, 150, 150, 150, 150, 150, 150, 50, 50]
        let transitions = run(rule, values, interval: 0.25)
        // Above from index 1 (t=0.25); held 1 s at index 5 (t=1.25).
        #expect(transitions.map(\.0) == [5, 7])
        #expect(transitions.map(\.1) == [.fired, .resolved])
    }
}

private func pow(_ x: Double, _ y: Double) -> Double {
    var r = 1.0
    for _ in 0..<Int(y) { r *= x }
    return r
}
