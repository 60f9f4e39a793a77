/// Caps that keep memory bounded when decoding untrusted profiles.
///
/// Every count is checked before anything proportional to it is allocated, and
/// nothing is reserved from a count the input merely claims: a packed field
/// reserves at most one element per remaining byte.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest gunzipped size accepted (a gzip bomb fails with `.tooLarge` here).
    public var maxDecompressedBytes: Int
    /// Largest number of samples accepted.
    public var maxSamples: Int
    /// Largest number of locations (and, separately, of functions and mappings) accepted.
    public var maxLocations: Int

    public init(maxDecompressedBytes: Int = 1 << 30, maxSamples: Int = 20_000_000, maxLocations: Int = 20_000_000) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxSamples = maxSamples
        self.maxLocations = maxLocations
    }

    /// 1 GiB decompressed, 20 million samples, 20 million locations.
    public static let `default` = DecodeLimits()
}
