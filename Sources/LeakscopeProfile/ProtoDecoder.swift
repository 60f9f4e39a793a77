import LeakscopeBytes
extension Profile {
    /// Decodes an uncompressed profile.proto message.
    ///
    /// Accepts packed and unpacked repeated fields, fields in any order and unknown
    /// fields of every wire type. IDs are resolved to array indices; a reference to
    /// a missing ID, a duplicate ID or a string index outside the string table is
    /// `.invalid`, with the byte offset of the offending field. The result is not
    /// `validate()`d (``Profile/parse(_:limits:)`` does that).
    public static func decodeProto(_ bytes: [UInt8], limits: DecodeLimits = .default) throws(ProfileError) -> Profile {
        let result: Result<Profile, ProfileError> = bytes.withUnsafeBytes { buffer in
            do throws(ProfileError) {
                var decoder = ProtoDecoder(bytes: buffer, limits: limits)
                return .success(try decoder.decode())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// Decodes profile.proto in two passes over the top-level message: the first
/// reads scalars and the string table and notes where each sub-message lies; the
/// second decodes mappings, functions, locations and samples in that order, so
/// every reference can be resolved to an index the moment it is read.
struct ProtoDecoder {
    let bytes: UnsafeRawBufferPointer
    let limits: DecodeLimits
    var strings: [String] = []
    // Shared arrays for repeated sample values and labels (see ProtoDecoder+Sample.swift).
    var scratchLocations = ScratchBuffer<Int>()
    var scratchValues = ScratchBuffer<Int64>()
    var valueCache = ShortBytesCache<Int64>()
    var labelCache = ShortBytesCache<Label>()

    init(bytes: UnsafeRawBufferPointer, limits: DecodeLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// A string-table reference with the offset of the field that held it.
    struct StringRef {
        var index: UInt64 = 0
        var offset: Int = 0
    }

    mutating func decode() throws(ProfileError) -> Profile {
        guard !bytes.isEmpty else { throw ProfileError(.truncated, "empty input") }
        defer {
            scratchLocations.free()
            scratchValues.free()
        }

        var sampleTypeRanges: [Range<Int>] = []
        var sampleRanges: [Range<Int>] = []
        var mappingRanges: [Range<Int>] = []
        var locationRanges: [Range<Int>] = []
        var functionRanges: [Range<Int>] = []
        var periodTypeRange: Range<Int>? = nil
        var dropFrames = StringRef(), keepFrames = StringRef()
        var defaultSampleType = StringRef(), docURL = StringRef()
        var comments: [StringRef] = []
        var profile = Profile()
        var stringTableOffset: Int? = nil

        var reader = WireReader(bytes: bytes, range: 0..<bytes.count)
        while !reader.isAtEnd {
            let offset = reader.position
            let (field, wire) = try reader.readTag()
            switch field {
            case 1...5:
                let range = try Self.message(&reader, wire, "Profile field \(field)", at: offset)
                switch field {
                case 1: sampleTypeRanges.append(range)
                case 2:
                    guard sampleRanges.count < limits.maxSamples else {
                        throw ProfileError(.tooLarge, "more than \(limits.maxSamples) samples", offset: offset)
                    }
                    sampleRanges.append(range)
                case 3: try Self.append(range, to: &mappingRanges, "mappings", limits.maxLocations, at: offset)
                case 4: try Self.append(range, to: &locationRanges, "locations", limits.maxLocations, at: offset)
                default: try Self.append(range, to: &functionRanges, "functions", limits.maxLocations, at: offset)
                }
            case 6:
                let range = try Self.message(&reader, wire, "Profile.string_table", at: offset)
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                if strings.isEmpty {
                    stringTableOffset = offset
                    guard text.isEmpty else {
                        throw ProfileError(.invalid, "string_table[0] must be \"\", got \(Self.quoted(text))", offset: offset)
                    }
                }
                guard strings.count < limits.maxStrings else {
                    throw ProfileError(.tooLarge, "more than \(limits.maxStrings) strings; \(InputLimits.raiseHint("strings"))", offset: offset)
                }
                strings.append(text)
            case 7: dropFrames = StringRef(index: try Self.varint(&reader, wire, "Profile.drop_frames", at: offset), offset: offset)
            case 8: keepFrames = StringRef(index: try Self.varint(&reader, wire, "Profile.keep_frames", at: offset), offset: offset)
            case 9:
                let value = Int64(bitPattern: try Self.varint(&reader, wire, "Profile.time_nanos", at: offset))
                if profile.timeNanos != 0 {
                    // pprof's rule: a second time_nanos means two profiles were concatenated.
                    throw ProfileError(.unsupported, "concatenated profiles detected", offset: offset)
                }
                profile.timeNanos = value
            case 10: profile.durationNanos = Int64(bitPattern: try Self.varint(&reader, wire, "Profile.duration_nanos", at: offset))
            case 11: periodTypeRange = try Self.message(&reader, wire, "Profile.period_type", at: offset)
            case 12: profile.period = Int64(bitPattern: try Self.varint(&reader, wire, "Profile.period", at: offset))
            case 13:
                if wire == .lengthDelimited {
                    let range = try reader.readLengthDelimited()
                    var packed = WireReader(bytes: bytes, range: range)
                    while !packed.isAtEnd {
                        let at = packed.position
                        comments.append(StringRef(index: try packed.readVarint(), offset: at))
                    }
                } else {
                    comments.append(StringRef(index: try Self.varint(&reader, wire, "Profile.comment", at: offset), offset: offset))
                }
            case 14: defaultSampleType = StringRef(index: try Self.varint(&reader, wire, "Profile.default_sample_type", at: offset), offset: offset)
            case 15: docURL = StringRef(index: try Self.varint(&reader, wire, "Profile.doc_url", at: offset), offset: offset)
            default:
                try reader.skip(wire)
            }
        }
        guard stringTableOffset != nil else {
            throw ProfileError(.invalid, "profile has no string table (string_table[0] must be \"\")", offset: 0)
        }

        profile.sampleTypes.reserveCapacity(sampleTypeRanges.count)
        for range in sampleTypeRanges {
            profile.sampleTypes.append(try decodeValueType(range, "sample_type"))
        }
        if let periodTypeRange {
            profile.periodType = try decodeValueType(periodTypeRange, "period_type")
        }
        profile.dropFrames = try string(dropFrames, "drop_frames")
        profile.keepFrames = try string(keepFrames, "keep_frames")
        profile.defaultSampleType = try string(defaultSampleType, "default_sample_type")
        profile.docURL = try string(docURL, "doc_url")
        profile.comments.reserveCapacity(comments.count)
        for comment in comments {
            profile.comments.append(try string(comment, "comment"))
        }

        var mappingIDs = IDTable(capacity: mappingRanges.count)
        profile.mappings.reserveCapacity(mappingRanges.count)
        for (index, range) in mappingRanges.enumerated() {
            let mapping = try decodeMapping(range)
            if let earlier = mappingIDs.insert(mapping.id, at: index) {
                throw ProfileError(.invalid, "mappings \(earlier) and \(index) have the same id \(mapping.id)", offset: range.lowerBound)
            }
            profile.mappings.append(mapping)
        }

        var functionIDs = IDTable(capacity: functionRanges.count)
        profile.functions.reserveCapacity(functionRanges.count)
        for (index, range) in functionRanges.enumerated() {
            let function = try decodeFunction(range)
            if let earlier = functionIDs.insert(function.id, at: index) {
                throw ProfileError(.invalid, "functions \(earlier) and \(index) have the same id \(function.id)", offset: range.lowerBound)
            }
            profile.functions.append(function)
        }

        var locationIDs = IDTable(capacity: locationRanges.count)
        profile.locations.reserveCapacity(locationRanges.count)
        for (index, range) in locationRanges.enumerated() {
            let location = try decodeLocation(range, mappings: mappingIDs, functions: functionIDs)
            if let earlier = locationIDs.insert(location.id, at: index) {
                throw ProfileError(.invalid, "locations \(earlier) and \(index) have the same id \(location.id)", offset: range.lowerBound)
            }
            profile.locations.append(location)
        }

        profile.samples.reserveCapacity(sampleRanges.count)
        valueCache = ShortBytesCache(expectedEntries: sampleRanges.count)
        labelCache = ShortBytesCache(expectedEntries: sampleRanges.count)
        for (index, range) in sampleRanges.enumerated() {
            profile.samples.append(try decodeSample(range, number: index, locations: locationIDs))
        }
        return profile
    }

    // MARK: - Field helpers

    private static func append(_ range: Range<Int>, to ranges: inout [Range<Int>], _ what: String, _ limit: Int, at offset: Int) throws(ProfileError) {
        guard ranges.count < limit else {
            throw ProfileError(.tooLarge, "more than \(limit) \(what)", offset: offset)
        }
        ranges.append(range)
    }

    /// Reads a varint field, insisting on the varint wire type as pprof does.
    @inline(__always)
    static func varint(_ reader: inout WireReader, _ wire: WireType, _ name: @autoclosure () -> String, at offset: Int) throws(ProfileError) -> UInt64 {
        guard wire == .varint else { throw mismatch(name(), wire, expected: "varint", at: offset) }
        return try reader.readVarint()
    }

    /// Reads an embedded message or string field and returns its payload range.
    @inline(__always)
    static func message(_ reader: inout WireReader, _ wire: WireType, _ name: @autoclosure () -> String, at offset: Int) throws(ProfileError) -> Range<Int> {
        guard wire == .lengthDelimited else { throw mismatch(name(), wire, expected: "length-delimited", at: offset) }
        return try reader.readLengthDelimited()
    }

    static func mismatch(_ name: String, _ wire: WireType, expected: String, at offset: Int) -> ProfileError {
        ProfileError(.malformed, "\(name) has wire type \(wire.name), expected \(expected)", offset: offset)
    }

    @inline(__always)
    func string(_ ref: StringRef, _ what: @autoclosure () -> String) throws(ProfileError) -> String {
        try string(ref.index, what(), at: ref.offset)
    }

    @inline(__always)
    func string(_ index: UInt64, _ what: @autoclosure () -> String, at offset: Int) throws(ProfileError) -> String {
        guard index < UInt64(strings.count) else {
            throw ProfileError(.invalid, "\(what()) has string index \(Int64(bitPattern: index)), but the string table has \(strings.count) entries", offset: offset)
        }
        return strings[Int(index)]
    }

    static func quoted(_ text: String) -> String {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"" + shown + "\""
    }
}
