#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every cap on what leakscope reads, in one place: memory is bounded by this budget, never by what
/// an input claims. Each limit is far above any real profile, dump or log; an input past one fails
/// with one line naming the limit and how to raise it.
///
/// | Name (`LEAKSCOPE_LIMITS` key) | Default | What it bounds |
/// |---|---|---|
/// | `input` | 1 GiB | bytes read from one file, stdin or HTTP body |
/// | `log` | 8 GiB | bytes streamed from one GODEBUG log (memory stays small; this ends endless input) |
/// | `decompressed` | 1 GiB | bytes a gzip stream may inflate to |
/// | `ratio` | 256 | inflation ratio allowed once 64 MiB are inflated (a gzip bomb fails early) |
/// | `samples` | 20,000,000 | samples in one profile |
/// | `locations` | 20,000,000 | locations (and, separately, functions and mappings) in one profile |
/// | `strings` | 20,000,000 | string table entries in one profile |
/// | `frames` | 50,000,000 | stack frames summed over all samples, inlined frames counted (what reports expand to) |
/// | `entries` | 100,000 | files listed in one capture manifest |
/// | `goroutines` | 10,000,000 | goroutine records in one text dump (each costs memory even when its stack is shared) |
///
/// Raise them with the environment, for example `LEAKSCOPE_LIMITS=input=4GiB,samples=100000000`
/// (sizes take `KiB`, `MiB`, `GiB` suffixes).
public struct InputLimits: Sendable, Equatable {
    public var maxInputBytes = 1 << 30
    public var maxLogBytes = 8 << 30
    public var maxDecompressedBytes = 1 << 30
    public var maxInflationRatio = 256
    /// Output size below which the inflation ratio is not checked.
    public var ratioCheckAfterBytes = 64 << 20
    public var maxSamples = 20_000_000
    public var maxLocations = 20_000_000
    public var maxStrings = 20_000_000
    public var maxFrames = 50_000_000
    public var maxManifestEntries = 100_000
    public var maxGoroutines = 10_000_000

    public init() {}

    /// The built-in defaults (the table above).
    public static let defaults = InputLimits()

    /// The defaults with `LEAKSCOPE_LIMITS` applied; an invalid setting is reported once on stderr
    /// and ignored. Read once per process.
    public static let current: InputLimits = {
        guard let raw = getenv("LEAKSCOPE_LIMITS") else { return defaults }
        do throws(OneLineError) {
            return try parse(String(cString: raw))
        } catch {
            printError("leakscope: LEAKSCOPE_LIMITS: \(error.message); using the default limits")
            return defaults
        }
    }()

    /// Parses `key=value,key=value` over the defaults.
    public static func parse(_ text: String) throws(OneLineError) -> InputLimits {
        var limits = InputLimits()
        for item in text.split(separator: ",") where !item.allSatisfy(\.isWhitespace) {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingASCIISpaces() }
            guard parts.count == 2, let value = parseSize(parts[1]), value > 0 else {
                throw OneLineError("invalid setting \"\(item)\" (want key=value, e.g. input=4GiB)")
            }
            switch parts[0].lowercased() {
            case "input": limits.maxInputBytes = value
            case "log": limits.maxLogBytes = value
            case "decompressed": limits.maxDecompressedBytes = value
            case "ratio": limits.maxInflationRatio = value
            case "samples": limits.maxSamples = value
            case "locations": limits.maxLocations = value
            case "strings": limits.maxStrings = value
            case "frames": limits.maxFrames = value
            case "entries": limits.maxManifestEntries = value
            case "goroutines": limits.maxGoroutines = value
            default:
                throw OneLineError("unknown limit \"\(parts[0])\" (known: input, log, decompressed, ratio, samples, locations, strings, frames, entries, goroutines)")
            }
        }
        return limits
    }

    /// `123`, `64KiB`, `512MiB`, `4GiB` (also `KB`/`MB`/`GB`, 1024-based like every size leakscope prints).
    static func parseSize(_ text: String) -> Int? {
        let lowered = text.lowercased()
        let digits = lowered.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 18, let number = Int(digits) else { return nil }
        let shift: Int
        switch lowered.dropFirst(digits.count) {
        case "", "b": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        case "t", "tb", "tib": shift = 40
        default: return nil
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : value
    }

    /// The sentence every limit error ends with.
    public static func raiseHint(_ key: String) -> String {
        "raise it with LEAKSCOPE_LIMITS=\(key)=N"
    }
}

extension String {
    fileprivate func trimmingASCIISpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
