import LeakscopeProfile

extension PprofReport {
    /// Combines source and base profiles as `go tool pprof` does before any report:
    /// sources are merged; bases are merged, tagged `pprof::base=true` with
    /// `diffBase`, the source is scaled to the base total with `normalize`, then the
    /// bases are negated and merged in.
    public static func combine(sources: [Profile], bases: [Profile], diffBase: Bool, normalize: Bool) throws -> Profile {
        guard !sources.isEmpty else { throw PprofReportError("failed to fetch any source profiles") }
        let sources = sources.map(withMainMapping), bases = bases.map(withMainMapping)
        var profile = sources.count == 1 ? sources[0] : try Profile.merge(sources)
        guard !bases.isEmpty else { return profile }
        var base = bases.count == 1 ? bases[0] : try Profile.merge(bases)
        if diffBase {
            for i in base.samples.indices {
                base.samples[i].labels.removeAll { $0.key == "pprof::base" && Self.isStringLabel($0) }
                base.samples[i].labels.append(Label.string("pprof::base", "true"))
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
        return try Profile.merge([profile, base])
    }

    /// pprof gives a fetched profile without mappings one empty mapping (ID 1) that
    /// every location points at, so it can try to symbolize.
    static func withMainMapping(_ profile: Profile) -> Profile {
        guard profile.mappings.isEmpty else { return profile }
        var p = profile
        p.mappings = [Mapping(id: 1)]
        for i in p.locations.indices { p.locations[i].mapping = 0 }
        return p
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
        var kept: [Sample] = []
        kept.reserveCapacity(profile.samples.count)
        for var sample in profile.samples {
            var keep = false
            for i in sample.values.indices where i < ratios.count && ratios[i] != 1 {
                let scaled = MeasurementFormat.truncate((Double(sample.values[i]) * ratios[i]).rounded())
                sample.values[i] = scaled
                keep = keep || scaled != 0
            }
            if keep { kept.append(sample) }
        }
        profile.samples = kept
    }
}
