import LeakscopeFormat
import LeakscopeGateFormats
import LeakscopeStatistics

/// `gate bench`: old and new Go benchmark results compared per benchmark and unit the way benchstat
/// compares them (medians, order-statistic confidence intervals, two-sided Mann–Whitney U), plus a
/// verdict: a row regresses only when the change is significant (after the Holm correction across
/// all rows) AND worse than its threshold. Improvements and `~` pass; rows where the samples are too
/// few for the U test to ever reach α are inconclusive and say how many runs are needed.
public struct BenchComparison: Sendable {
    /// One benchmark and unit.
    public struct Row: Sendable {
        public enum Outcome: String, Sendable, Hashable, Codable {
            /// Significantly worse by more than the threshold.
            case regression
            /// Significantly worse, but within the threshold.
            case withinThreshold = "within-threshold"
            /// Significantly better.
            case improvement
            /// No significant difference (benchstat's `~`).
            case same
            /// Too few samples to decide.
            case inconclusive
            /// Only in one of the two inputs.
            case missing
            /// Matched an `ignore` rule.
            case ignored
        }
        public var key: BenchmarkFile.Key
        public var old: MedianInterval?
        public var new: MedianInterval?
        /// new median / old median − 1 (nil when either is missing or the old median is 0).
        public var change: Double?
        /// The U test's p-value and the Holm-adjusted one.
        public var p: Double?
        public var adjustedP: Double?
        public var better: BenchmarkFile.Better
        /// The threshold this row was judged against (ratio).
        public var maxRegression: Double
        public var outcome: Outcome
        /// Why, for inconclusive and missing rows (`need ≥ 4 runs per side, have 3`).
        public var note: String?

        /// The change in the worse direction (positive = worse), when known.
        public var worsening: Double? { change.map { better == .lower ? $0 : -$0 } }
    }

    public var oldSource: String
    public var newSource: String
    public var rows: [Row]
    /// Configuration lines shared by both inputs (`goos`, `cpu`, …), in first-seen order.
    public var configuration: [(key: String, value: String)]
    public var thresholds: GateThresholds

    /// The gate's verdict: fail on any regression; inconclusive when a row could not be decided.
    public var verdict: GateVerdict {
        if rows.contains(where: { $0.outcome == .regression }) { return .fail }
        if rows.contains(where: { $0.outcome == .inconclusive }) { return .inconclusive }
        return .pass
    }

    /// Compares `old` with `new` under `thresholds` and the rules of `config`.
    public init(old: BenchmarkFile, new: BenchmarkFile, thresholds: GateThresholds = GateThresholds(),
                config: BenchConfig = BenchConfig()) {
        var thresholds = thresholds
        if let alpha = config.alpha { thresholds.alpha = alpha }
        oldSource = old.source
        newSource = new.source
        self.thresholds = thresholds
        configuration = old.configurationOrder.compactMap { key in
            guard let value = old.configuration[key], new.configuration[key] == value, key != "pkg" else { return nil }
            return (key, value)
        }
        var keys = old.order
        for key in new.order where old.samples[key] == nil { keys.append(key) }

        let neededU = MannWhitney.samplesNeeded(alpha: thresholds.alpha)
        var rows: [Row] = []
        for key in keys {
            let oldValues = old.samples[key], newValues = new.samples[key]
            let better = new.declaredBetter[key.unit] != nil ? new.better(key.unit) : old.better(key.unit)
            let rules = config.rules.filter { $0.matches(name: key.name, unit: key.unit) }
            let limit = rules.last(where: { $0.maxRegression != nil })?.maxRegression
                ?? config.maxRegression ?? thresholds.maxRegression
            var row = Row(key: key, old: oldValues.flatMap { MedianInterval($0, confidence: thresholds.confidence) },
                          new: newValues.flatMap { MedianInterval($0, confidence: thresholds.confidence) },
                          better: better, maxRegression: limit, outcome: .same)
            if let o = row.old, let n = row.new, o.median != 0 { row.change = n.median / o.median - 1 }
            guard let oldValues, let newValues else {
                row.outcome = .missing
                row.note = oldValues == nil ? "only in \(new.source)" : "only in \(old.source)"
                rows.append(row)
                continue
            }
            // Identical values on both sides (allocs/op, often B/op) test nothing: p stays nil, the
            // row is `~`, and it does not count in the Holm family.
            row.p = MannWhitney.test(oldValues, newValues)?.p
            if MannWhitney.smallestP(oldValues.count, newValues.count) >= thresholds.alpha {
                row.outcome = .inconclusive
                row.note = "need ≥ \(neededU) runs per side to test at α=\(Numbers.decimal(thresholds.alpha, places: 2)), have \(oldValues.count) and \(newValues.count)"
            }
            if rules.contains(where: \.ignore) { row.outcome = .ignored }
            rows.append(row)
        }
        // Holm across the rows that were tested.
        let tested = rows.indices.filter { rows[$0].outcome == .same && rows[$0].p != nil }
        let adjusted = thresholds.holm ? Holm.adjust(tested.map { rows[$0].p! }) : tested.map { rows[$0].p! }
        for (i, index) in tested.enumerated() {
            rows[index].adjustedP = adjusted[i]
            guard adjusted[i] < thresholds.alpha, let worse = rows[index].worsening else { continue }
            if worse > rows[index].maxRegression {
                rows[index].outcome = .regression
            } else if worse > 0 {
                rows[index].outcome = .withinThreshold
            } else if worse < 0 {
                rows[index].outcome = .improvement
            }
        }
        self.rows = rows
    }
}
