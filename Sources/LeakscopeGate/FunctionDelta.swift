import LeakscopeProfile

/// How much each function's own (flat) value changed between two profiles of one kind: CPU time per
/// function between the base's and the change's `go test -cpuprofile`, bytes per allocating
/// function between two heap profiles. Flat means the leaf frame of each sample (the innermost
/// inlined function), as `go tool pprof -top` and `-diff_base` count it, with one exception: a CPU
/// sample stopped in `runtime.asyncPreempt` counts for the function that was preempted (on a loaded
/// machine the scheduler preempts hot loops often enough to make asyncPreempt the top "function").
public struct FunctionDelta: Sendable {
    /// One function.
    public struct Row: Sendable, Hashable {
        public var function: String
        public var file: String
        public var line: Int
        public var old: Double
        public var new: Double
        public var growth: Double { new - old }
        /// growth / old; nil when the function was absent before.
        public var ratio: Double? { old > 0 ? growth / old : nil }
    }

    /// The sample type compared and its unit (`cpu`/`nanoseconds`, `inuse_space`/`bytes`).
    public var sampleType: String
    public var unit: String
    public var oldTotal: Double
    public var newTotal: Double
    /// Functions whose value changed, largest growth first.
    public var rows: [Row]

    /// Why two profiles cannot be compared.
    public struct Mismatch: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Compares `old` and `new` in `sampleType`; nil picks `preferred` if both have it, else the
    /// old profile's default sample type.
    public init(old: Profile, oldSource: String, new: Profile, newSource: String, sampleType: String?,
                preferred: String? = nil) throws(Mismatch) {
        let wanted = sampleType
            ?? preferred.flatMap { p in old.sampleTypes.contains { $0.type == p } ? p : nil }
            ?? (old.sampleTypes.indices.contains(old.defaultSampleIndex) ? old.sampleTypes[old.defaultSampleIndex].type : "")
        guard let oldIndex = old.sampleTypes.firstIndex(where: { $0.type == wanted }) else {
            throw Mismatch(description: "\(oldSource): no sample type \(wanted) (has \(old.sampleTypes.map(\.type).joined(separator: ", ")))")
        }
        guard let newIndex = new.sampleTypes.firstIndex(where: { $0.type == wanted }) else {
            throw Mismatch(description: "\(newSource): no sample type \(wanted) (has \(new.sampleTypes.map(\.type).joined(separator: ", ")))")
        }
        self.sampleType = wanted
        unit = old.sampleTypes[oldIndex].unit
        let before = Self.flat(old, index: oldIndex), after = Self.flat(new, index: newIndex)
        oldTotal = before.values.reduce(0) { $0 + $1.value }
        newTotal = after.values.reduce(0) { $0 + $1.value }
        var rows: [Row] = []
        for name in Set(before.keys).union(after.keys) {
            let o = before[name]?.value ?? 0, n = after[name]?.value ?? 0
            guard o != n, let site = after[name] ?? before[name] else { continue }
            rows.append(Row(function: name, file: site.file, line: site.line, old: o, new: n))
        }
        self.rows = rows.sorted { $0.growth != $1.growth ? $0.growth > $1.growth : $0.function < $1.function }
    }

    /// Value per leaf function, with the function's file and the first line seen.
    static func flat(_ profile: Profile, index: Int) -> [String: (value: Double, file: String, line: Int)] {
        var sites: [String: (value: Double, file: String, line: Int)] = [:]
        for sample in profile.samples where index < sample.values.count {
            guard let (line, function) = leaf(of: sample, in: profile) else { continue }
            let name = function?.name ?? "unknown"
            var site = sites[name] ?? (0, function?.filename ?? "", Int(line.line))
            site.value += Double(sample.values[index])
            sites[name] = site
        }
        return sites
    }

    /// The innermost line of a sample and its function, skipping a leading `runtime.asyncPreempt`.
    static func leaf(of sample: Sample, in profile: Profile) -> (Line, Function?)? {
        for index in sample.locations where index < profile.locations.count {
            for line in profile.locations[index].lines {
                let function = line.function.flatMap { $0 < profile.functions.count ? profile.functions[$0] : nil }
                if function?.name == "runtime.asyncPreempt" { continue }
                return (line, function)
            }
        }
        return nil
    }
}
