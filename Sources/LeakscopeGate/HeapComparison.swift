import LeakscopeFindings
import LeakscopeFormat
import LeakscopeProfile

/// `gate heap`: two heap profiles compared per allocating function (the leaf frame of each sample,
/// what `go tool pprof -top` calls flat), in one sample type (`inuse_space` by default). A function
/// fails the gate when its bytes grew by more than `heapMaxGrowthBytes` AND by more than
/// `heapMaxGrowthRatio` of its old size.
public struct HeapComparison: Sendable {
    /// One function's change and whether it broke the limits.
    public struct Row: Sendable, Hashable {
        public var change: FunctionDelta.Row
        public var failed: Bool
    }

    public var oldSource: String
    public var newSource: String
    /// The sample type compared (`inuse_space`, `alloc_space`, `inuse_objects`, …) and its unit.
    public var sampleType: String
    public var unit: String
    public var oldTotal: Double
    public var newTotal: Double
    /// Every function whose value changed, largest growth first.
    public var rows: [Row]
    public var thresholds: GateThresholds

    public var verdict: GateVerdict { rows.contains(where: \.failed) ? .fail : .pass }

    /// Compares `old` with `new` in `sampleType` (nil: `inuse_space`, or the profile's default).
    public init(old: Profile, oldSource: String, new: Profile, newSource: String, sampleType: String? = nil,
                thresholds: GateThresholds = GateThresholds()) throws(FunctionDelta.Mismatch) {
        let delta = try FunctionDelta(old: old, oldSource: oldSource, new: new, newSource: newSource,
                                      sampleType: sampleType, preferred: "inuse_space")
        self.oldSource = oldSource
        self.newSource = newSource
        self.sampleType = delta.sampleType
        unit = delta.unit
        self.thresholds = thresholds
        oldTotal = delta.oldTotal
        newTotal = delta.newTotal
        // Object counts get a limit 1,024 times smaller than bytes (1 MB ↔ 1,024 objects).
        let growthLimit = delta.unit == "bytes" ? thresholds.heapMaxGrowthBytes : thresholds.heapMaxGrowthBytes / 1024
        rows = delta.rows.map { row in
            Row(change: row, failed: row.growth > growthLimit && (row.ratio.map { $0 > thresholds.heapMaxGrowthRatio } ?? true))
        }
    }

    /// The findings for the functions that failed.
    public var findings: [Finding] {
        rows.filter(\.failed).map(\.change).map { row in
            let size = unit == "bytes" ? Numbers.signedBytes(row.growth) : Numbers.signed(row.growth) + " " + unit
            let share = row.ratio.map { " (" + Numbers.percent($0) + ")" } ?? " (new)"
            return Finding(
                kind: .heapGrowth, severity: .critical, score: Finding.score(50 + 50 * min(1, (row.ratio ?? 1))),
                title: "\(sampleType) grew \(size)\(share) in \(row.function)",
                location: SourceSite(function: row.function, file: row.file, line: row.line),
                evidence: .init(summary: "\(row.function): \(Self.amount(row.old, unit)) → \(Self.amount(row.new, unit))",
                                metrics: [.init("\(sampleType)_old", row.old), .init("\(sampleType)_new", row.new)],
                                sources: [oldSource, newSource]),
                hint: "Compare the two profiles with `leakscope pprof -diff_base \(oldSource) \(newSource)`; memory that "
                    + "stays reachable usually sits in a map, slice or cache that only grows.")
        }
    }

    static func amount(_ value: Double, _ unit: String) -> String {
        unit == "bytes" ? Numbers.bytes(value) : Numbers.count(value) + " " + unit
    }
}
