import LeakscopeFormat
import LeakscopeProfile

/// A sample annotation summed on a graph node (pprof's `graph.Tag`): a joined set of string
/// labels, or one value of the numeric `bytes` label.
struct GraphTag: Sendable {
    var name: String
    /// The numeric label's unit; "" for string labels.
    var unit: String
    var value: Int64
    var flat: Int64 = 0
    var flatDiv: Int64 = 0
    var cum: Int64 = 0
    var cumDiv: Int64 = 0

    var flatValue: Int64 { flatDiv == 0 ? flat : flat / flatDiv }
    var cumValue: Int64 { cumDiv == 0 ? cum : cum / cumDiv }

    /// pprof's `SortTags`: heaviest first (cum, then flat, unless `flat`), then by name.
    static func sorted(_ tags: [GraphTag], flat: Bool) -> [GraphTag] {
        tags.sorted { a, b in
            if !flat && a.cum != b.cum { return MeasurementFormat.abs64(a.cum) > MeasurementFormat.abs64(b.cum) }
            if a.flat != b.flat { return MeasurementFormat.abs64(a.flat) > MeasurementFormat.abs64(b.flat) }
            return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
    }
}

/// The tags of one node: string-label tags by joined label text, and numeric tags grouped by
/// the joined string labels of their samples ("" for none).
struct NodeTags: Sendable {
    var labels: [String: GraphTag] = [:]
    var numeric: [String: [String: GraphTag]] = [:]

    /// pprof's `countTags`: tags with a flat value, the nodelets a node will likely show.
    var flatCount: Int {
        labels.values.filter { $0.flat != 0 }.count
            + numeric.values.reduce(0) { $0 + $1.values.filter { $0.flat != 0 }.count }
    }

    /// pprof's `TrimLowFrequencyTags`.
    mutating func trim(below cutoff: Int64) {
        func keep(_ t: GraphTag) -> Bool {
            MeasurementFormat.abs64(t.flat) >= cutoff || MeasurementFormat.abs64(t.cum) >= cutoff
        }
        labels = labels.filter { keep($0.value) }
        numeric = numeric.mapValues { $0.filter { keep($0.value) } }
    }

    /// Tags of the `wanted` nodes, as pprof's `newGraph` sums them: every node on a stack gets the
    /// sample once as cum, the leaf as flat. Only the numeric label `bytes` counts, named in
    /// `tagUnit` (the report's requested unit); `pprof::base` is not a label here.
    static func accumulate(_ profile: Profile, table: NodeTable, values: ValueSelector, wanted: [Bool],
                           numLabelUnits: [String: String], tagUnit: String) -> [Int: NodeTags] {
        var acc = TagAccumulator(numLabelUnits: numLabelUnits, tagUnit: tagUnit)
        var stamp = [UInt32](repeating: 0, count: table.count)
        var generation: UInt32 = 0
        for sample in profile.samples {
            let v = values.value(sample.values), dv = values.divisor(sample.values)
            if v == 0 && dv == 0 { continue }
            guard acc.begin(sample) else { continue }
            generation &+= 1
            var leaf = -1
            var li = sample.locations.count - 1
            while li >= 0 {
                let location = sample.locations[li]
                let start = Int(table.locationStart[location]), end = Int(table.locationStart[location + 1])
                var i = end - 1
                while i >= start {
                    let n = Int(table.locationNodes[i])
                    leaf = n
                    i -= 1
                    if !wanted[n] || stamp[n] == generation { continue }
                    stamp[n] = generation
                    acc.add(node: n, v, dv, flat: false)
                }
                li -= 1
            }
            guard leaf >= 0, wanted[leaf] else { continue }
            acc.add(node: leaf, v, dv, flat: true)
        }
        return acc.result()
    }
}

/// Sums tags per node one sample at a time (pprof's `addSample` for tags): `begin` reads a
/// sample's labels, then `add` credits them to each node the sample passes through.
struct TagAccumulator {
    private struct Key: Hashable { var node: Int32; var labels: Int32; var number: Int32 }
    private var labelTexts: [String] = [""]
    private var labelIDs: [String: Int32] = ["": 0]
    private var numberNames: [String] = []
    private var numberValues: [Int64] = []
    private var numberIDs: [Int64: Int32] = [:]
    private var numberNameIDs: [String: Int32] = [:]
    private let bytesUnit: String
    private let tagUnit: String
    private var labelAcc: [Key: GraphTag] = [:]
    private var numericAcc: [Key: GraphTag] = [:]
    /// The current sample's joined labels (0 = none) and numeric tags.
    private var labelID: Int32 = 0
    private var numbers: [Int32] = []

    init(numLabelUnits: [String: String], tagUnit: String) {
        bytesUnit = numLabelUnits["bytes"] ?? ""
        self.tagUnit = tagUnit
    }

    /// Reads the sample's labels; false if it has none that make tags.
    mutating func begin(_ sample: Sample) -> Bool {
        var pairs: [[UInt8]] = []
        numbers.removeAll(keepingCapacity: true)
        for label in sample.labels {
            switch label.value {
            case .string(let text):
                if label.key == "pprof::base" { continue }
                pairs.append(Array((label.key + ":" + text).utf8))
            case .number(let n, _):
                guard label.key == "bytes" else { continue }
                if let id = numberIDs[n] {
                    numbers.append(id)
                } else {
                    // pprof keys numeric tags by their printed name: values that print alike merge.
                    let name = MeasurementFormat.scaledLabel(n, from: bytesUnit, to: tagUnit)
                    let id: Int32
                    if let known = numberNameIDs[name] { id = known } else {
                        id = Int32(numberNames.count)
                        numberNames.append(name)
                        numberValues.append(n)
                        numberNameIDs[name] = id
                    }
                    numberIDs[n] = id
                    numbers.append(id)
                }
            }
        }
        labelID = 0
        if !pairs.isEmpty {
            pairs.sort { $0.lexicographicallyPrecedes($1) }
            let text = pairs.map { String(decoding: $0, as: UTF8.self) }.joined(separator: #"\n"#)
            if let id = labelIDs[text] { labelID = id } else {
                labelID = Int32(labelTexts.count)
                labelTexts.append(text)
                labelIDs[text] = labelID
            }
        }
        return labelID != 0 || !numbers.isEmpty
    }

    /// Credits the current sample's tags to `node`, as flat or as cum.
    mutating func add(node: Int, _ v: Int64, _ dv: Int64, flat: Bool) {
        func add(_ tag: inout GraphTag) {
            if flat { tag.flat &+= v; tag.flatDiv &+= dv } else { tag.cum &+= v; tag.cumDiv &+= dv }
        }
        if labelID != 0 {
            add(&labelAcc[Key(node: Int32(node), labels: labelID, number: -1),
                          default: GraphTag(name: labelTexts[Int(labelID)], unit: "", value: 0)])
        }
        for id in numbers {
            add(&numericAcc[Key(node: Int32(node), labels: labelID, number: id),
                            default: GraphTag(name: numberNames[Int(id)], unit: bytesUnit, value: numberValues[Int(id)])])
        }
    }

    /// The tags per node (only nodes with any).
    func result() -> [Int: NodeTags] {
        var result: [Int: NodeTags] = [:]
        for (key, tag) in labelAcc { result[Int(key.node), default: NodeTags()].labels[tag.name] = tag }
        for (key, tag) in numericAcc {
            result[Int(key.node), default: NodeTags()].numeric[labelTexts[Int(key.labels)], default: [:]][tag.name] = tag
        }
        return result
    }
}
