extension Profile {
    /// Multiplies every sample value by `ratio` and keeps only samples left with a
    /// non-zero value (pprof's `Scale`). A ratio of 1 changes nothing.
    public mutating func scale(by ratio: Double) {
        guard ratio != 1 else { return }
        // Cannot throw: one ratio per sample type by construction.
        try? scale(by: Array(repeating: ratio, count: sampleTypes.count))
    }

    /// Multiplies each sample's `i`-th value by `ratios[i]`, rounding half away from
    /// zero, and drops samples whose scaled values are all zero (pprof's `ScaleN`:
    /// values with a ratio of exactly 1 are neither touched nor counted).
    public mutating func scale(by ratios: [Double]) throws(ProfileError) {
        guard ratios.count == sampleTypes.count else {
            throw ProfileError(.invalid, "mismatched scale ratios, got \(ratios.count), want \(sampleTypes.count)")
        }
        guard ratios.contains(where: { $0 != 1 }) else { return }
        var kept = 0
        for index in samples.indices {
            var sample = samples[index]
            var keep = false
            for i in sample.values.indices where i < ratios.count && ratios[i] != 1 {
                let scaled = Self.goInt64((Double(sample.values[i]) * ratios[i]).rounded())
                sample.values[i] = scaled
                keep = keep || scaled != 0
            }
            if keep {
                samples[kept] = sample
                kept += 1
            }
        }
        samples.removeSubrange(kept...)
    }

    /// Go's `int64(f)` on amd64: out-of-range and NaN give the minimum Int64
    /// (Swift's conversion would trap).
    static func goInt64(_ value: Double) -> Int64 {
        guard value.isFinite, value >= -9.223372036854775808e18, value < 9.223372036854775808e18 else {
            return Int64.min
        }
        return Int64(value)
    }

    /// Scales this profile so its totals per sample type equal `base`'s (pprof's
    /// `Normalize`, used by `-normalize`). A type whose total is zero here is scaled by 0.
    public mutating func normalize(to base: Profile) throws(ProfileError) {
        try checkCompatible(with: base)
        var baseTotals = [Int64](repeating: 0, count: sampleTypes.count)
        for sample in base.samples {
            for (i, value) in sample.values.enumerated() where i < baseTotals.count {
                baseTotals[i] = baseTotals[i] &+ value
            }
        }
        var totals = [Int64](repeating: 0, count: sampleTypes.count)
        for sample in samples {
            for (i, value) in sample.values.enumerated() where i < totals.count {
                totals[i] = totals[i] &+ value
            }
        }
        let ratios = zip(baseTotals, totals).map { base, own in own == 0 ? 0 : Double(base) / Double(own) }
        try scale(by: ratios)
    }

    /// Index of the first sample type whose type is `name` (e.g. `inuse_space`), or nil.
    public func sampleTypeIndex(named name: String) -> Int? {
        sampleTypes.firstIndex { $0.type == name }
    }

    /// Reduces every profile to the sample types all of them share, in the first
    /// profile's order (pprof's `CompatibilizeSampleTypes`, applied before merging
    /// several sources).
    public static func compatibilizeSampleTypes(_ profiles: inout [Profile]) throws(ProfileError) {
        guard let first = profiles.first else { return }
        let common = first.sampleTypes.map(\.type).filter { type in
            profiles.allSatisfy { profile in profile.sampleTypes.contains { $0.type == type } }
        }
        guard !common.isEmpty else {
            throw ProfileError(.invalid, "profiles have empty common sample type list")
        }
        for index in profiles.indices {
            profiles[index].restrictSampleTypes(to: common)
        }
    }

    private mutating func restrictSampleTypes(to types: [String]) {
        var newDefault = types[0]
        var positions: [Int] = []
        for type in types {
            if type == defaultSampleType { newDefault = defaultSampleType }
            // Present by construction of `types`.
            positions.append(sampleTypes.firstIndex { $0.type == type } ?? 0)
        }
        if positions == Array(0..<positions.count) && types.count == sampleTypes.count { return }
        defaultSampleType = newDefault
        sampleTypes = positions.map { sampleTypes[$0] }
        for index in samples.indices {
            let values = samples[index].values
            samples[index].values = positions.map { $0 < values.count ? values[$0] : 0 }
        }
    }
}
