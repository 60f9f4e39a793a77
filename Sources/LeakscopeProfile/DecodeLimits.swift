import LeakscopeBytes

/// Caps that keep memory bounded when decoding untrusted profiles (the profile part of
/// `InputLimits`, where the defaults and the `LEAKSCOPE_LIMITS` setting are documented).
///
/// Every count is checked before anything proportional to it is allocated, and
/// nothing is reserved from a count the input merely claims: a packed field
/// reserves at most one element per remaining byte.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest gunzipped size accepted (a gzip bomb fails with `.tooLarge` here).
    public var maxDecompressedBytes: Int
    /// Largest inflation ratio accepted once `ratioCheckAfterBytes` are inflated: real profiles
    /// inflate 5–20×, a bomb about 1000×, so a bomb fails early instead of at the size cap.
    public var maxInflationRatio: Int
    /// Output size below which the ratio is not checked.
    public var ratioCheckAfterBytes: Int
    /// Largest number of samples accepted.
    public var maxSamples: Int
    /// Largest number of locations (and, separately, of functions and mappings) accepted.
    public var maxLocations: Int
    /// Largest number of stack frames over all samples, inlined frames counted: what a report
    /// expands the samples into. A few kB of samples naming a location of thousands of inlined
    /// lines thousands of times would otherwise cost gigabytes later.
    public var maxFrames: Int = InputLimits.current.maxFrames
    /// Largest number of string-table entries (an empty string costs 2 bytes of input but 16 of memory).
    public var maxStrings: Int = InputLimits.current.maxStrings

    public init(maxDecompressedBytes: Int = InputLimits.current.maxDecompressedBytes,
                maxSamples: Int = InputLimits.current.maxSamples,
                maxLocations: Int = InputLimits.current.maxLocations,
                maxInflationRatio: Int = InputLimits.current.maxInflationRatio,
                ratioCheckAfterBytes: Int = InputLimits.current.ratioCheckAfterBytes) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxSamples = maxSamples
        self.maxLocations = maxLocations
        self.maxInflationRatio = maxInflationRatio
        self.ratioCheckAfterBytes = ratioCheckAfterBytes
    }

    /// `InputLimits.current`: 1 GiB decompressed, 20 million samples, 20 million locations,
    /// unless `LEAKSCOPE_LIMITS` raises them.
    public static let `default` = DecodeLimits()
}
