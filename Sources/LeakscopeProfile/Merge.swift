extension Profile {
    /// Merges profiles the way pprof's `profile.Merge` does, so that `-raw` output
    /// of the result matches pprof's byte for byte.
    ///
    /// - The profiles must have the same period type and sample types (`.invalid` otherwise).
    /// - Headers: drop/keep frames, period type and sample types from the first profile;
    ///   pprof's time (first non-zero, then smaller ones), summed durations, largest
    ///   period, de-duplicated comments, first non-empty default sample type and doc URL.
    /// - Mappings, functions and locations are de-duplicated by content and renumbered
    ///   1, 2, … in order of first use; the first profile's first mapping always comes first.
    /// - Samples whose values are all zero are dropped; samples with the same stack and
    ///   labels are summed. If sums cancel out to zero the result is merged once more,
    ///   which drops them, as pprof does.
    ///
    /// Labels of merged samples come out in pprof's order: string labels, then numeric,
    /// each sorted by key.
    public static func merge(_ profiles: [Profile]) throws(ProfileError) -> Profile {
        guard let first = profiles.first else {
            throw ProfileError(.invalid, "no profiles to merge")
        }
        for other in profiles.dropFirst() {
            try first.checkCompatible(with: other)
        }
        var merger = ProfileMerger(header: combinedHeader(profiles))
        for source in profiles {
            merger.add(source)
        }
        let merged = merger.result
        if merged.samples.contains(where: \.isZero) {
            return try merge([merged])
        }
        return merged
    }

    /// The profile merged with itself: unused mappings, functions and locations
    /// dropped, duplicates folded, IDs renumbered (pprof's `Compact`).
    public func compacted() -> Profile {
        // A single profile is always compatible with itself.
        (try? Profile.merge([self])) ?? self
    }

    /// Throws `.invalid` unless `other` has the same period type and sample types
    /// (pprof's `compatible`). A missing period type equals an empty one.
    public func checkCompatible(with other: Profile) throws(ProfileError) {
        let period = periodType ?? ValueType(type: "", unit: "")
        let otherPeriod = other.periodType ?? ValueType(type: "", unit: "")
        if period != otherPeriod {
            throw ProfileError(.invalid, "incompatible period types \(period.type)/\(period.unit) and \(otherPeriod.type)/\(otherPeriod.unit)")
        }
        if sampleTypes != other.sampleTypes {
            func list(_ types: [ValueType]) -> String { "[" + types.map { "\($0.type)/\($0.unit)" }.joined(separator: " ") + "]" }
            throw ProfileError(.invalid, "incompatible sample types \(list(sampleTypes)) and \(list(other.sampleTypes))")
        }
    }

    private static func combinedHeader(_ profiles: [Profile]) -> Profile {
        var header = Profile()
        let first = profiles[0]
        header.sampleTypes = first.sampleTypes
        header.dropFrames = first.dropFrames
        header.keepFrames = first.keepFrames
        header.periodType = first.periodType
        var seenComments = Set<String>()
        for profile in profiles {
            // pprof's rule, kept as is: a zero time is replaced, otherwise the smaller wins.
            if header.timeNanos == 0 || profile.timeNanos < header.timeNanos {
                header.timeNanos = profile.timeNanos
            }
            header.durationNanos = header.durationNanos &+ profile.durationNanos
            if header.period == 0 || header.period < profile.period {
                header.period = profile.period
            }
            for comment in profile.comments where seenComments.insert(comment).inserted {
                header.comments.append(comment)
            }
            if header.defaultSampleType.isEmpty { header.defaultSampleType = profile.defaultSampleType }
            if header.docURL.isEmpty { header.docURL = profile.docURL }
        }
        return header
    }
}

extension Sample {
    /// True when every value is zero (or there are none).
    var isZero: Bool { values.allSatisfy { $0 == 0 } }
}

/// The state of one `Profile.merge`: content keys of everything merged so far and,
/// per source profile, what each of its elements became.
struct ProfileMerger {
    private(set) var result: Profile

    private struct LocationKey: Hashable {
        var address: UInt64
        var mappingID: UInt64
        var lines: String
        var isFolded: Bool
    }
    private struct MappingKey: Hashable {
        var size: UInt64
        var offset: UInt64
        var buildIDOrFile: String
    }
    private struct FunctionKey: Hashable {
        var startLine: Int64
        var name: String
        var systemName: String
        var filename: String
    }

    private var samples = SampleIndex()
    // Label sets by content, and by the address of a source array already seen
    // (decoded profiles share one array among samples with equal labels).
    private var labelSets: [[Label]: Int] = [[]: 0]
    private var labelSetByStorage: [UnsafeRawPointer: (id: Int, labels: [Label])] = [:]
    private var locations: [LocationKey: Int] = [:]
    private var mappings: [MappingKey: Int] = [:]
    private var functions: [FunctionKey: Int] = [:]

    // Per source: merged index of each source element (-1: not seen yet), and for
    // mappings the address shift between the source mapping and the merged one.
    private var locationMap: [Int] = []
    private var functionMap: [Int] = []
    private var mappingMap: [(index: Int, shift: Int64)?] = []
    private var labelOrder: [Int] = []

    init(header: Profile) {
        result = header
    }

    mutating func add(_ source: Profile) {
        locationMap = Array(repeating: -1, count: source.locations.count)
        functionMap = Array(repeating: -1, count: source.functions.count)
        mappingMap = Array(repeating: nil, count: source.mappings.count)
        if mappings.isEmpty && !source.mappings.isEmpty {
            _ = mapMapping(0, in: source)
        }
        samples.reserve(result.samples.count + source.samples.count)
        for sample in source.samples where !sample.isZero {
            mapSample(sample, in: source)
        }
    }

    private mutating func mapSample(_ sample: Sample, in source: Profile) {
        var stack: [Int] = []
        stack.reserveCapacity(sample.locations.count)
        for index in sample.locations {
            if let mapped = mapLocation(index, in: source) { stack.append(mapped) }
        }
        let (labelSet, labels) = canonicalLabels(sample.labels)
        let hash = SampleIndex.hash(stack, labelSet)
        let found = samples.find(hash) { index in
            samples.labelSet(of: index) == labelSet && result.samples[index].locations == stack
        }
        if let existing = found.index {
            let count = min(result.samples[existing].values.count, sample.values.count)
            for i in 0..<count {
                result.samples[existing].values[i] = result.samples[existing].values[i] &+ sample.values[i]
            }
            return
        }
        samples.insert(at: found.slot, index: result.samples.count, hash: hash, labelSet: labelSet)
        result.samples.append(Sample(locations: stack, values: sample.values, labels: labels))
    }

    /// The label set's ID and its labels in pprof's order.
    private mutating func canonicalLabels(_ labels: [Label]) -> (Int, [Label]) {
        if labels.isEmpty { return (0, labels) }
        let storage = labels.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if let storage, let known = labelSetByStorage[storage] { return known }
        var ordered = labels
        if labels.count > 1 {
            ProtoEncoder.pprofLabelOrder(labels, into: &labelOrder)
            ordered = labelOrder.map { labels[$0] }
        }
        let id: Int
        if let existing = labelSets[ordered] {
            id = existing
        } else {
            id = labelSets.count
            labelSets[ordered] = id
        }
        // Source arrays outlive the merge, so their addresses stay unique meanwhile.
        if let storage { labelSetByStorage[storage] = (id, ordered) }
        return (id, ordered)
    }

    private mutating func mapLocation(_ index: Int, in source: Profile) -> Int? {
        guard source.locations.indices.contains(index) else { return nil }
        let cached = locationMap[index]
        if cached >= 0 { return cached }

        let original = source.locations[index]
        let mapped = original.mapping.flatMap { mapMapping($0, in: source) }
        var location = Location(id: UInt64(result.locations.count + 1), mapping: mapped?.index,
                                address: UInt64(bitPattern: Int64(bitPattern: original.address) &+ (mapped?.shift ?? 0)),
                                isFolded: original.isFolded)
        location.lines = original.lines.map { line in
            Line(function: line.function.flatMap { mapFunction($0, in: source) }, line: line.line, column: line.column)
        }
        let key = locationKey(location)
        if let existing = locations[key] {
            locationMap[index] = existing
            return existing
        }
        let newIndex = result.locations.count
        locations[key] = newIndex
        locationMap[index] = newIndex
        result.locations.append(location)
        return newIndex
    }

    /// pprof's location key, including its quirk: each line writes its column into
    /// the slot the next line's function ID then takes.
    private func locationKey(_ location: Location) -> LocationKey {
        var key = LocationKey(address: location.address, mappingID: 0, lines: "", isFolded: location.isFolded)
        if let mapping = location.mapping {
            key.address = key.address &- result.mappings[mapping].start
            key.mappingID = result.mappings[mapping].id
        }
        var parts = [String](repeating: "", count: location.lines.count * 3)
        for (i, line) in location.lines.enumerated() {
            if let function = line.function {
                parts[i * 2] = String(result.functions[function].id, radix: 16)
            }
            parts[i * 2 + 1] = String(line.line, radix: 16)
            parts[i * 2 + 2] = String(line.column, radix: 16)
        }
        key.lines = parts.joined(separator: "|")
        return key
    }

    private mutating func mapMapping(_ index: Int, in source: Profile) -> (index: Int, shift: Int64)? {
        guard source.mappings.indices.contains(index) else { return nil }
        if let cached = mappingMap[index] { return cached }
        let original = source.mappings[index]
        // Sizes are rounded up to whole 4 KiB pages, with pprof's wrapping arithmetic.
        var size = original.limit &- original.start
        size = size &+ 0xFFF
        size = size - size % 0x1000
        let key = MappingKey(size: size, offset: original.offset,
                             buildIDOrFile: original.buildID.isEmpty ? original.file : original.buildID)
        if let existing = mappings[key] {
            let shift = Int64(bitPattern: result.mappings[existing].start) &- Int64(bitPattern: original.start)
            mappingMap[index] = (existing, shift)
            return (existing, shift)
        }
        var mapping = original
        mapping.id = UInt64(result.mappings.count + 1)
        let newIndex = result.mappings.count
        result.mappings.append(mapping)
        mappings[key] = newIndex
        mappingMap[index] = (newIndex, 0)
        return (newIndex, 0)
    }

    private mutating func mapFunction(_ index: Int, in source: Profile) -> Int? {
        guard source.functions.indices.contains(index) else { return nil }
        let cached = functionMap[index]
        if cached >= 0 { return cached }
        var function = source.functions[index]
        let key = FunctionKey(startLine: function.startLine, name: function.name,
                              systemName: function.systemName, filename: function.filename)
        if let existing = functions[key] {
            functionMap[index] = existing
            return existing
        }
        function.id = UInt64(result.functions.count + 1)
        let newIndex = result.functions.count
        result.functions.append(function)
        functions[key] = newIndex
        functionMap[index] = newIndex
        return newIndex
    }
}

extension Profile {
    /// In place form of ``compacted()``.
    public mutating func compact() {
        self = compacted()
    }
}

/// Merged samples by (stack, label set): an open-addressing table of indices into
/// the merged sample array. Hashes are seeded per process, so crafted inputs cannot
/// aim for collisions; keys are compared only when their hashes agree.
struct SampleIndex {
    private static let seed = UInt64.random(in: 1...UInt64.max)
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var hashes: [UInt64] = []
    private var labelSets: [Int] = []

    static func hash(_ stack: [Int], _ labelSet: Int) -> UInt64 {
        var h = seed ^ (UInt64(bitPattern: Int64(labelSet)) &* 0x9E37_79B9_7F4A_7C15)
        for location in stack {
            h = (h ^ UInt64(bitPattern: Int64(location))) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 33)
    }

    func labelSet(of index: Int) -> Int { labelSets[index] }

    /// The index of the sample that `matches`, or the free slot where it belongs.
    @inline(__always)
    func find(_ hash: UInt64, matches: (Int) -> Bool) -> (index: Int?, slot: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return (nil, slot) }
            if hashes[index] == hash && matches(index) { return (index, slot) }
            slot = (slot + 1) & mask
        }
    }

    /// Records sample `index` in the free `slot` returned by `find`.
    mutating func insert(at slot: Int, index: Int, hash: UInt64, labelSet: Int) {
        slots[slot] = Int32(truncatingIfNeeded: index)
        hashes.append(hash)
        labelSets.append(labelSet)
        if hashes.count * 2 > slots.count { grow(to: slots.count * 2) }
    }

    /// Makes room for `count` samples without rehashing on the way.
    mutating func reserve(_ count: Int) {
        var size = slots.count
        while size < count * 2 { size *= 2 }
        if size > slots.count { grow(to: size) }
        hashes.reserveCapacity(count)
        labelSets.reserveCapacity(count)
    }

    private mutating func grow(to size: Int) {
        slots = Array(repeating: -1, count: size)
        let mask = size - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: index)
        }
    }
}
