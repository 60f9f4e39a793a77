import LeakscopeBytes
import LeakscopeProfile

extension GoroutineDump {
    /// A goroutine or goroutineleak proto profile (`debug=0`) in the dump model.
    ///
    /// Each sample becomes one `Goroutine` with `id` -1, `count` = the sample's value and an
    /// empty state (the format has neither IDs nor wait reasons). Frames keep the profile's
    /// order (innermost first; every line of a location but the last was inlined) and include
    /// the runtime frames the profile records, such as `runtime.gopark`.
    public init(profile: Profile) throws(ProfileError) {
        guard let type = profile.sampleTypes.first,
              type.type == "goroutine" || type.type == "goroutineleak" else {
            let what = profile.sampleTypes.map { "\($0.type)/\($0.unit)" }.joined(separator: ", ")
            throw ProfileError(.unsupported, "not a goroutine profile (sample types: \(what.isEmpty ? "none" : what))")
        }
        var builder = DumpBuilder()
        builder.dump.format = .protoProfile
        builder.dump.profileName = type.type
        // Intern each function's name and file once.
        var functionNames = ContiguousArray<NameID>()
        var functionFiles = ContiguousArray<NameID>()
        for f in profile.functions {
            functionNames.append(builder.dump.names.intern(f.name))
            functionFiles.append(builder.dump.names.intern(f.filename))
        }
        var frames = ContiguousArray<Frame>()
        var pairs = ContiguousArray<LabelPair>()
        var total: Int64 = 0
        for (n, sample) in profile.samples.enumerated() {
            frames.removeAll(keepingCapacity: true)
            for locationIndex in sample.locations where locationIndex >= 0 && locationIndex < profile.locations.count {
                let location = profile.locations[locationIndex]
                for (k, line) in location.lines.enumerated() {
                    var frame = Frame(function: .empty, file: .empty, line: clampToInt32(line.line))
                    if let f = line.function, f >= 0, f < functionNames.count {
                        frame.function = functionNames[f]
                        frame.file = functionFiles[f]
                    }
                    if k < location.lines.count - 1 { frame.flags.insert(.inlined) }
                    frames.append(frame)
                }
            }
            pairs.removeAll(keepingCapacity: true)
            for label in sample.labels.sorted(by: { $0.key < $1.key }) {
                // pprof labels are strings. An empty value leaves every field at 0, which decoders
                // (pprof's and ours) drop; a numeric label can only come from another writer.
                let value: String
                switch label.value {
                case .string(let s): value = s
                case .number(let n, let unit): value = "\(n)\(unit)"
                }
                pairs.append(LabelPair(key: builder.dump.names.intern(label.key), value: builder.dump.names.intern(value)))
            }
            let count = sample.values.first ?? 0
            total &+= count
            var g = Goroutine(id: -1, count: count, state: .empty, stack: builder.internStack(frames, elision: nil),
                              labelSet: builder.internLabelSet(pairs), line: 0)
            g.line = clampToInt32(Int64(n + 1))
            builder.dump.goroutines.append(g)
        }
        builder.dump.declaredTotal = total
        if profile.timeNanos != 0 { builder.dump.takenAtNanos = profile.timeNanos }
        self = builder.dump
    }
}
