extension Profile {
    /// Checks the invariants pprof's `CheckValid` checks, on this index-based model:
    /// every sample has one value per sample type, IDs are non-zero and unique per
    /// kind, and every index (sample → location, location → mapping, line → function)
    /// points at an existing element. Lines without a function are rejected as pprof does.
    public func validate() throws(ProfileError) {
        if sampleTypes.isEmpty && !samples.isEmpty {
            throw ProfileError(.invalid, "missing sample type information (\(samples.count) samples, no sample types)")
        }
        let typeCount = sampleTypes.count
        let locationCount = locations.count
        for (number, sample) in samples.enumerated() {
            if sample.values.count != typeCount {
                throw ProfileError(.invalid, "sample \(number) has \(sample.values.count) values, but the profile has \(typeCount) sample types")
            }
            for index in sample.locations where index < 0 || index >= locationCount {
                throw ProfileError(.invalid, "sample \(number) refers to location index \(index), but there are \(locationCount) locations")
            }
        }
        try Self.checkIDs(mappings.lazy.map(\.id), "mapping")
        try Self.checkIDs(functions.lazy.map(\.id), "function")
        try Self.checkIDs(locations.lazy.map(\.id), "location")
        for location in locations {
            if let mapping = location.mapping, !mappings.indices.contains(mapping) {
                throw ProfileError(.invalid, "location \(location.id) refers to mapping index \(mapping), but there are \(mappings.count) mappings")
            }
            for (number, line) in location.lines.enumerated() {
                guard let function = line.function else {
                    throw ProfileError(.invalid, "location \(location.id) line \(number) has no function")
                }
                if !functions.indices.contains(function) {
                    throw ProfileError(.invalid, "location \(location.id) line \(number) refers to function index \(function), but there are \(functions.count) functions")
                }
            }
        }
    }

    private static func checkIDs<C: Collection>(_ ids: C, _ kind: String) throws(ProfileError) where C.Element == UInt64 {
        var table = IDTable(capacity: ids.count)
        for (index, id) in ids.enumerated() {
            if id == 0 {
                throw ProfileError(.invalid, "\(kind) \(index) has the reserved id 0")
            }
            if let earlier = table.insert(id, at: index) {
                throw ProfileError(.invalid, "\(kind)s \(earlier) and \(index) have the same id \(id)")
            }
        }
    }
}
