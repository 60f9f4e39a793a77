import LeakscopeFormat
import LeakscopeProfile

extension PprofReport {
    /// Combines source and base profiles as `go tool pprof` does before any report:
    /// sources are merged; bases are merged, tagged `pprof::base=true` with
    /// `diffBase`, the source is scaled to the base total with `normalize`, then the
    /// bases are negated and merged in.
    ///
    /// With `diffBase` the base samples are appended rather than merged (they carry
    /// a label, so they never merge with source samples); reports that only add
    /// values up cannot tell, and `applyOptions` completes the merge for the others.
    public static func combine(sources: consuming [Profile], bases: consuming [Profile], diffBase: Bool,
                               normalize: Bool) throws -> Profile {
        try combine(sources: sources, bases: bases, diffBase: diffBase, normalize: normalize, concatenateBase: diffBase)
    }

    // Profiles are taken over (consuming) so samples can be changed in place
    // instead of copied: with 10^5–10^6 samples the copies would dominate.
    static func combine(sources: consuming [Profile], bases: consuming [Profile], diffBase: Bool, normalize: Bool,
                        concatenateBase: Bool) throws -> Profile {
        var sources = sources, bases = bases
        guard !sources.isEmpty else { throw PprofReportError("failed to fetch any source profiles") }
        for i in sources.indices { addMainMapping(&sources[i]) }
        for i in bases.indices { addMainMapping(&bases[i]) }
        var profile = sources.count == 1 ? sources.removeLast() : try Profile.merge(sources)
        guard !bases.isEmpty else { return profile }
        var base = bases.count == 1 ? bases.removeLast() : try Profile.merge(bases)
        if diffBase {
            let tag = Label.string("pprof::base", "true")
            // Most samples have no labels: they all share one array instead of allocating one each.
            let tagOnly = [tag]
            for i in base.samples.indices {
                if base.samples[i].labels.isEmpty {
                    base.samples[i].labels = tagOnly
                    continue
                }
                if base.samples[i].labels.contains(where: { $0.key == "pprof::base" && Self.isStringLabel($0) }) {
                    base.samples[i].labels.removeAll { $0.key == "pprof::base" && Self.isStringLabel($0) }
                }
                base.samples[i].labels.append(tag)
            }
        }
        if normalize {
            try checkCompatible(profile, base)
            var baseTotals = [Int64](repeating: 0, count: profile.sampleTypes.count)
            var sourceTotals = baseTotals
            for s in base.samples { for (i, v) in s.values.enumerated() where i < baseTotals.count { baseTotals[i] &+= v } }
            for s in profile.samples { for (i, v) in s.values.enumerated() where i < sourceTotals.count { sourceTotals[i] &+= v } }
            let ratios = zip(baseTotals, sourceTotals).map { b, s in s == 0 ? 0.0 : Double(b) / Double(s) }
            scaleValues(&profile, ratios)
        }
        scaleValues(&base, Array(repeating: -1, count: base.sampleTypes.count))
        if concatenateBase {
            try profile.checkCompatible(with: base)
            return try concatenate(&profile, &base)
        }
        return try Profile.merge([profile, base])
    }

    /// Both profiles' samples side by side, with the header `Profile.merge` would
    /// give. All-zero samples are dropped, as merging drops them.
    static func concatenate(_ a: inout Profile, _ b: inout Profile) throws -> Profile {
        func headerOnly(_ p: Profile) -> Profile {
            var h = p
            h.samples = []; h.locations = []; h.functions = []
            return h
        }
        var result = try Profile.merge([headerOnly(a), headerOnly(b)])
        let mappingOffset = a.mappings.count, functionOffset = a.functions.count, locationOffset = a.locations.count
        result.mappings = a.mappings + b.mappings
        result.functions = a.functions + b.functions
        result.locations = a.locations
        result.locations.reserveCapacity(a.locations.count + b.locations.count)
        for var location in b.locations {
            if let m = location.mapping { location.mapping = m + mappingOffset }
            for i in location.lines.indices {
                if let f = location.lines[i].function { location.lines[i].function = f + functionOffset }
            }
            result.locations.append(location)
        }
        swap(&result.samples, &a.samples)
        result.samples.removeAll { $0.values.allSatisfy { $0 == 0 } }
        b.samples.removeAll { $0.values.allSatisfy { $0 == 0 } }
        for i in b.samples.indices {
            b.samples[i].locations.withUnsafeMutableBufferPointer { locs in
                for k in locs.indices { locs[k] += locationOffset }
            }
        }
        // Move the samples over (reverse, then pop) rather than copy them: copying
        // would retain and later release three arrays per sample.
        result.samples.reserveCapacity(result.samples.count + b.samples.count)
        b.samples.reverse()
        while let sample = b.samples.popLast() { result.samples.append(sample) }
        return result
    }

    /// pprof gives a fetched profile without mappings one empty mapping (ID 1) that
    /// every location points at, so it can try to symbolize.
    static func addMainMapping(_ p: inout Profile) {
        guard p.mappings.isEmpty else { return }
        p.mappings = [Mapping(id: 1)]
        for i in p.locations.indices { p.locations[i].mapping = 0 }
    }

    /// True when a report reads individual samples, addresses or IDs, so that an
    /// appended `-diff_base` profile must be merged first.
    static func needsMergedSamples(_ command: PprofCommand, _ options: PprofOptions) -> Bool {
        switch command {
        case .top, .text, .tree, .peek, .tags, .topproto, .comments, .dot: return options.granularity == .addresses
        default: return true
        }
    }

    static func isStringLabel(_ label: Label) -> Bool {
        if case .string = label.value { return true }
        return false
    }

    static func checkCompatible(_ a: Profile, _ b: Profile) throws {
        func describe(_ t: ValueType?) -> String { t.map { "{\($0.type) \($0.unit)}" } ?? "<nil>" }
        if a.periodType != b.periodType {
            throw PprofReportError("incompatible period types \(describe(a.periodType)) and \(describe(b.periodType))")
        }
        if a.sampleTypes != b.sampleTypes {
            let la = a.sampleTypes.map(describe).joined(separator: " "), lb = b.sampleTypes.map(describe).joined(separator: " ")
            throw PprofReportError("incompatible sample types [\(la)] and [\(lb)]")
        }
    }

    /// pprof's `ScaleN`: multiplies value i by ratios[i] (rounded half away from zero)
    /// and keeps a sample only if one of the scaled values is non-zero.
    static func scaleValues(_ profile: inout Profile, _ ratios: [Double]) {
        if ratios.allSatisfy({ $0 == 1 }) { return }
        var write = 0
        for read in profile.samples.indices {
            var keep = false
            profile.samples[read].values.withUnsafeMutableBufferPointer { values in
                for i in values.indices where i < ratios.count && ratios[i] != 1 {
                    // Through float64 like pprof, even for -1 (values past 2^53 round).
                    let scaled = MeasurementFormat.truncate((Double(values[i]) * ratios[i]).rounded())
                    values[i] = scaled
                    keep = keep || scaled != 0
                }
            }
            if keep {
                if write != read { profile.samples.swapAt(write, read) }
                write += 1
            }
        }
        profile.samples.removeLast(profile.samples.count - write)
    }
}
