import LeakscopeProfile

/// Smaller caps than the defaults so that a fuzz run spends its time on parsing, not on
/// legitimately huge inputs (libFuzzer's -rss_limit_mb still applies).
enum FuzzLimits {
    static let decode = DecodeLimits(maxDecompressedBytes: 16 << 20, maxSamples: 100_000, maxLocations: 100_000,
                                     maxInflationRatio: 256, ratioCheckAfterBytes: 1 << 20)
}
