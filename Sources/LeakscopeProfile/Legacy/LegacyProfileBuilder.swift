/// Collects a legacy profile (samples over addresses, optional symbols, a memory map)
/// and numbers locations, functions and mappings the way pprof's legacy parsers do, so
/// `pprofString` matches pprof's dump of the same input.
struct LegacyProfileBuilder {
    var profile = Profile()
    /// Locations in creation order; `mapping` and `lines` refer to this builder's arrays.
    var locations: [Location] = []
    var locationByAddress: [UInt64: Int] = [:]
    var samples: [Sample] = []
    var functions: [Function] = []
    private var functionByKey: [FunctionKey: Int] = [:]
    var mappings: [Mapping] = []

    private struct FunctionKey: Hashable {
        var name: String
        var file: String
    }

    init(sampleTypes: [ValueType], periodType: ValueType?, period: Int64) {
        profile.sampleTypes = sampleTypes
        profile.periodType = periodType
        profile.period = period
    }

    /// The location for `address`, created on first use.
    @inline(__always)
    mutating func location(at address: UInt64) -> Int {
        if let index = locationByAddress[address] { return index }
        let index = locations.count
        locations.append(Location(id: 0, address: address))
        locationByAddress[address] = index
        return index
    }

    mutating func function(name: String, file: String) -> Int {
        let key = FunctionKey(name: name, file: file)
        if let index = functionByKey[key] { return index }
        let index = functions.count
        functions.append(Function(id: 0, name: name, systemName: name, filename: file))
        functionByKey[key] = index
        return index
    }

    /// Adds the memory map read after the samples, then renumbers like pprof's
    /// `ParseMemoryMapFromScanner`: merge split mappings, put the main binary first,
    /// number locations by first use in samples, functions by first use in locations,
    /// and attach each location to the mapping holding its address (or a catch-all one).
    mutating func finish(memoryMap: [Mapping]) -> Profile {
        mappings.append(contentsOf: memoryMap)
        massageMappings()
        renumberLocations()
        renumberFunctions()
        assignMappings()
        return build()
    }

    /// Numbering without a memory map step (pprof's Java path).
    mutating func finishWithoutMassage() -> Profile {
        renumberLocations()
        renumberFunctions()
        assignMappings()
        return build()
    }

    private mutating func build() -> Profile {
        var p = profile
        p.samples = samples
        p.locations = locations
        p.functions = functions
        p.mappings = mappings
        return p
    }

    // MARK: - Mappings

    private mutating func massageMappings() {
        if mappings.count > 1 {
            var merged: [Mapping] = [mappings[0]]
            var newIndex = Array(repeating: 0, count: mappings.count)
            for i in 1..<mappings.count {
                let m = mappings[i]
                let last = merged.count - 1
                if Self.adjacent(merged[last], m) {
                    merged[last].limit = m.limit
                    if !m.file.isEmpty { merged[last].file = m.file }
                    if !m.buildID.isEmpty { merged[last].buildID = m.buildID }
                    newIndex[i] = last
                } else {
                    newIndex[i] = merged.count
                    merged.append(m)
                }
            }
            remapLocationMappings { newIndex[$0] }
            mappings = merged
        }
        // The first mapping that looks like the main binary moves to the front.
        for i in mappings.indices where Self.looksLikeMainBinary(mappings[i].file) {
            if i != 0 {
                mappings.swapAt(0, i)
                remapLocationMappings { $0 == 0 ? i : ($0 == i ? 0 : $0) }
            }
            break
        }
        for i in mappings.indices { mappings[i].id = UInt64(i + 1) }
    }

    private mutating func remapLocationMappings(_ f: (Int) -> Int?) {
        for i in locations.indices {
            if let m = locations[i].mapping { locations[i].mapping = f(m) }
        }
    }

    private static func adjacent(_ a: Mapping, _ b: Mapping) -> Bool {
        if !a.file.isEmpty && !b.file.isEmpty && a.file != b.file { return false }
        if !a.buildID.isEmpty && !b.buildID.isEmpty && a.buildID != b.buildID { return false }
        if a.limit != b.start { return false }
        if a.offset != 0 && b.offset != 0 && a.offset &+ (a.limit &- a.start) != b.offset { return false }
        return true
    }

    /// Not empty, not a shared library (`.so` at the end or `.so.`/`.so_` + digit), not `[vdso]`-like.
    private static func looksLikeMainBinary(_ file: String) -> Bool {
        var bytes = Array(file.utf8)
        let deleted = Array("(deleted)".utf8)
        if bytes.count >= deleted.count {
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                if i + deleted.count <= bytes.count && Array(bytes[i..<(i + deleted.count)]) == deleted {
                    i += deleted.count
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            bytes = out
        }
        while let f = bytes.first, f == 32 || (f >= 9 && f <= 13) { bytes.removeFirst() }
        while let l = bytes.last, l == 32 || (l >= 9 && l <= 13) { bytes.removeLast() }
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "[") { return false }
        let n = bytes.count
        if n >= 3 && bytes[n - 3] == UInt8(ascii: ".") && bytes[n - 2] == UInt8(ascii: "s") && bytes[n - 1] == UInt8(ascii: "o") {
            return false
        }
        if n >= 5 {
            for i in 0...(n - 5) where bytes[i] == UInt8(ascii: ".") && bytes[i + 1] == UInt8(ascii: "s")
                && bytes[i + 2] == UInt8(ascii: "o")
                && (bytes[i + 3] == UInt8(ascii: ".") || bytes[i + 3] == UInt8(ascii: "_"))
                && bytes[i + 4] >= 48 && bytes[i + 4] <= 57 {
                return false
            }
        }
        return true
    }

    // MARK: - Renumbering

    /// Keeps only locations some sample uses, ordered and numbered by first use.
    private mutating func renumberLocations() {
        var newIndex = Array(repeating: -1, count: locations.count)
        var ordered: [Location] = []
        ordered.reserveCapacity(locations.count)
        for s in samples.indices {
            for (k, old) in samples[s].locations.enumerated() {
                var n = newIndex[old]
                if n < 0 {
                    n = ordered.count
                    newIndex[old] = n
                    var location = locations[old]
                    location.id = UInt64(n + 1)
                    ordered.append(location)
                }
                samples[s].locations[k] = n
            }
        }
        locations = ordered
        locationByAddress = [:]
    }

    /// Keeps only functions some location uses, ordered and numbered by first use.
    private mutating func renumberFunctions() {
        var newIndex = Array(repeating: -1, count: functions.count)
        var ordered: [Function] = []
        for l in locations.indices {
            for k in locations[l].lines.indices {
                guard let old = locations[l].lines[k].function else { continue }
                var n = newIndex[old]
                if n < 0 {
                    n = ordered.count
                    newIndex[old] = n
                    var function = functions[old]
                    function.id = UInt64(n + 1)
                    ordered.append(function)
                }
                locations[l].lines[k].function = n
            }
        }
        functions = ordered
        functionByKey = [:]
    }

    /// pprof's `remapMappingIDs`.
    private mutating func assignMappings() {
        if mappings.count > 1, mappings[0].file.hasPrefix("/anon_hugepage"), mappings[0].limit == mappings[1].start {
            mappings.removeFirst()
            remapLocationMappings { $0 == 0 ? nil : $0 - 1 }
        }
        if !mappings.isEmpty, mappings[0].start &- mappings[0].offset == 0x400000 {
            mappings[0].start = 0x400000
            mappings[0].offset = 0
        }
        var fake: Int? = nil
        nextLocation: for l in locations.indices {
            let a = locations[l].address
            if locations[l].mapping != nil || a == 0 { continue }
            for m in mappings.indices where mappings[m].start <= a && a < mappings[m].limit {
                locations[l].mapping = m
                continue nextLocation
            }
            for m in mappings.indices {
                let mm = mappings[m]
                if mm.offset != 0 && mm.start &- mm.offset <= a && a < mm.start {
                    mappings[m].start = mm.start &- mm.offset
                    mappings[m].offset = 0
                    locations[l].mapping = m
                    continue nextLocation
                }
            }
            if fake == nil {
                var m = Mapping(id: 1)
                m.limit = UInt64.max
                fake = mappings.count
                mappings.append(m)
            }
            locations[l].mapping = fake
        }
        for i in mappings.indices { mappings[i].id = UInt64(i + 1) }
    }
}

extension Profile {
    /// pprof's `cleanupDuplicateLocations`: a leaf recorded twice (once from the signal
    /// context, once, minus one, from unwinding) keeps only the first.
    mutating func dropDuplicatedLeaves() {
        for s in samples.indices {
            let locs = samples[s].locations
            if locs.count > 1, locations[locs[0]].address == locations[locs[1]].address &+ 1 {
                samples[s].locations.remove(at: 1)
            }
        }
    }
}
