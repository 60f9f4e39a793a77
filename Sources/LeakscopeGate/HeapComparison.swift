import LeakscopeFindings
import LeakscopeFormat
import LeakscopeProfile

/// `gate heap`: two heap profiles compared per allocating function (the leaf frame of each sample,
/// what `go tool pprof -top` calls flat), in one sample type (`inuse_space` by default). A function
/// fails the gate when its bytes grew by more than `heapMaxGrowthBytes` AND by more than
/// `heapMaxGrowthRatio` of its old size.
public struct HeapComparison: Sendable {
    /// One function's change.
    public struct Row: Sendable, Hashable {
        public var function: String
        public var file: String
        public var line: Int
        public var old: Double
        public var new: Double
        public var growth: Double { new - old }
        /// growth / old; nil when the function was absent from the old profile.
        public var ratio: Double? { old > 0 ? growth / old : nil }
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

    /// Why the profiles cannot be compared.
    public struct Mismatch: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Compares `old` with `new` in `sampleType` (nil: `inuse_space`, or the profile's default).
    public init(old: Profile, oldSource: String, new: Profile, newSource: String, sampleType: String? = nil,
                thresholds: GateThresholds = GateThresholds()) throws(Mismatch) {
        let wanted = sampleType ?? (old.sampleTypes.contains { $0.type == "inuse_space" } ? "inuse_space"
            : old.sampleTypes.indices.contains(old.defaultSampleIndex) ? old.sampleTypes[old.defaultSampleIndex].type : "")
        guard let oldIndex = old.sampleTypes.firstIndex(where: { $0.type == wanted }) else {
            throw Mismatch(description: "\(oldSource): no sample type \(wanted) (has \(old.sampleTypes.map(\.type).joined(separator: ", ")))")
        }
        guard let newIndex = new.sampleTypes.firstIndex(where: { $0.type == wanted }) else {
            throw Mismatch(description: "\(newSource): no sample type \(wanted) (has \(new.sampleTypes.map(\.type).joined(separator: ", ")))")
        }
        self.oldSource = oldSource
        self.newSource = newSource
        self.sampleType = wanted
        self.unit = old.sampleTypes[oldIndex].unit
        self.thresholds = thresholds
        let oldSites = Self.flat(old, index: oldIndex)
        let newSites = Self.flat(new, index: newIndex)
        oldTotal = oldSites.values.reduce(0) { $0 + $1.value }
        newTotal = newSites.values.reduce(0) { $0 + $1.value }
        var rows: [Row] = []
        for name in Set(oldSites.keys).union(newSites.keys) {
            let before = oldSites[name]?.value ?? 0, after = newSites[name]?.value ?? 0
            guard before != after else { continue }
            let site = newSites[name] ?? oldSites[name]!
            var row = Row(function: name, file: site.file, line: site.line, old: before, new: after, failed: false)
            let growthLimit = unit == "bytes" ? thresholds.heapMaxGrowthBytes : thresholds.heapMaxGrowthBytes / 1024
            row.failed = row.growth > growthLimit && (row.ratio.map { $0 > thresholds.heapMaxGrowthRatio } ?? true)
            rows.append(row)
        }
        self.rows = rows.sorted { $0.growth != $1.growth ? $0.growth > $1.growth : $0.function < $1.function }
    }

    /// The findings for the functions that failed.
    public var findings: [Finding] {
        rows.filter(\.failed).map { row in
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

    /// Value per leaf function (inlined frames: the innermost line's function), with its file and line.
    static func flat(_ profile: Profile, index: Int) -> [String: (value: Double, file: String, line: Int)] {
        var sites: [String: (value: Double, file: String, line: Int)] = [:]
        for sample in profile.samples where index < sample.values.count {
            guard let first = sample.locations.first, first < profile.locations.count,
                  let line = profile.locations[first].lines.first else { continue }
            let function = line.function.flatMap { $0 < profile.functions.count ? profile.functions[$0] : nil }
            let name = function?.name ?? "unknown"
            var site = sites[name] ?? (0, function?.filename ?? "", Int(line.line))
            site.value += Double(sample.values[index])
            sites[name] = site
        }
        return sites
    }
}
