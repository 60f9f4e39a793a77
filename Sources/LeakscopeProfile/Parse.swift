import LeakscopeBytes

extension Profile {
    /// Reads a profile the way `go tool pprof` does (`profile.ParseData`).
    ///
    /// gzip is undone first (bounded by `limits.maxDecompressedBytes`). The data is
    /// then decoded as profile.proto; if that fails (except for empty input and
    /// concatenated profiles) the legacy text and binary formats are tried. The
    /// result is `validate()`d. Errors name what went wrong and the byte offset into
    /// the decompressed data.
    public static func parse(_ bytes: [UInt8], limits: DecodeLimits = .default) throws(ProfileError) -> Profile {
        var data = bytes
        if Gzip.isGzipped(bytes) {
            data = try Gzip.decompress(bytes, maxOutput: limits.maxDecompressedBytes, maxRatio: limits.maxInflationRatio,
                                       ratioAfter: limits.ratioCheckAfterBytes)
        }
        let profile: Profile
        do {
            profile = try decodeProto(data, limits: limits)
        } catch let protoError {
            if data.isEmpty || protoError.message == "concatenated profiles detected" {
                throw protoError
            }
            if looksLikeHTML(data) {
                throw ProfileError(.unrecognized, "got an HTML page, not a profile")
            }
            do {
                profile = try LegacyProfileParser.parse(data)
            } catch let legacyError where legacyError.kind == .unrecognized {
                // Text that no legacy parser knows is better described as unrecognized;
                // binary data as the proto error, which says where decoding broke.
                if looksLikeText(data) { throw legacyError }
                throw protoError
            }
        }
        try profile.validate()
        try profile.checkFrames(limit: limits.maxFrames)
        return profile
    }

    /// Fails when the samples' stacks, inlined frames counted, hold more than `limit` frames.
    func checkFrames(limit: Int) throws(ProfileError) {
        var total = 0
        for sample in samples {
            for index in sample.locations {
                total &+= max(1, locations[index].lines.count)
            }
            if total > limit {
                throw ProfileError(.tooLarge, "the samples' stacks hold more than \(limit) frames; \(InputLimits.raiseHint("frames"))")
            }
        }
    }

    /// Optional whitespace, then `<` and a tag-ish character: the start of HTML or XML.
    public static func looksLikeHTML(_ data: [UInt8]) -> Bool {
        var index = 0
        while index < data.count, [0x20, 0x09, 0x0a, 0x0d, 0x0c].contains(data[index]) { index += 1 }
        guard index + 1 < data.count, data[index] == UInt8(ascii: "<") else { return false }
        let next = data[index + 1]
        return next == UInt8(ascii: "!") || next == UInt8(ascii: "?")
            || (next | 0x20 >= UInt8(ascii: "a") && next | 0x20 <= UInt8(ascii: "z"))
    }

    /// The first 512 bytes are printable ASCII or whitespace.
    static func looksLikeText(_ data: [UInt8]) -> Bool {
        for byte in data.prefix(512) where !(byte >= 0x20 && byte < 0x7f) && byte != 0x0a && byte != 0x09 && byte != 0x0d {
            return false
        }
        return true
    }
}
