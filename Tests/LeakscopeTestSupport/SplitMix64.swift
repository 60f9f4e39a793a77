/// SplitMix64 (Steele, Lea and Flood): a tiny deterministic generator for mutation and bad-input
/// tests, so that a fixed seed gives the same inputs on every run and every failure reproduces.
///
/// The constants are the published ones; changing them would change every seeded test's inputs.
///
///     var random = SplitMix64(seed: 42)
///     let byte = UInt8(truncatingIfNeeded: random.next())
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose first output is the mix of `seed + 0x9E3779B97F4A7C15`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
