import LeakscopeGoSymbols
import LeakscopeGoroutines
import LeakscopeProfile
import LeakscopeFindings

/// A profile's stacks as frames, with which functions are application code worked out once per
/// function rather than once per sample. Shared by the heap, CPU and contention analyses.
///
/// Every index from the profile is bounds-checked: a dangling location or function index is
/// skipped, never trusted.
struct StackFrames {
    /// One source position: `function` indexes `Profile.functions` (-1 when the line names none).
    struct Frame: Hashable {
        var function: Int
        var line: Int64
    }

    let profile: Profile
    /// Per function index: whether it is application code (`ApplicationCode.isApplication`).
    let isApplication: [Bool]

    init(_ profile: Profile) {
        self.profile = profile
        isApplication = profile.functions.map { ApplicationCode.isApplication($0.name) }
    }

    /// The sample's frames, innermost first (inlined lines expanded), at most `limit` of them.
    func frames(of sample: Sample, limit: Int = .max) -> [Frame] {
        var result: [Frame] = []
        for locationIndex in sample.locations where profile.locations.indices.contains(locationIndex) {
            for line in profile.locations[locationIndex].lines {
                guard result.count < limit else { return result }
                let f = line.function.flatMap { profile.functions.indices.contains($0) ? $0 : nil } ?? -1
                result.append(Frame(function: f, line: line.line))
            }
        }
        return result
    }

    func name(_ frame: Frame) -> String { frame.function >= 0 ? profile.functions[frame.function].name : "" }
    func file(_ frame: Frame) -> String { frame.function >= 0 ? profile.functions[frame.function].filename : "" }
    func isApplication(_ frame: Frame) -> Bool { frame.function >= 0 && isApplication[frame.function] }

    func site(_ frame: Frame) -> SourceSite {
        SourceSite(function: frame.function >= 0 ? name(frame) : "(unknown)", file: file(frame),
                   line: Int(clamping: frame.line))
    }

    /// Index (into `frames`) of the first application frame, or nil.
    func firstApplicationIndex(_ frames: [Frame]) -> Int? {
        frames.firstIndex { isApplication($0) }
    }

    /// Frames as `function (file:line)` strings, innermost first, for evidence.
    func describe(_ frames: [Frame], limit: Int = 32) -> [String] {
        frames.prefix(limit).map { site($0).short }
    }

    /// Index of the first sample type whose type is one of `names` (in preference order).
    static func sampleTypeIndex(_ profile: Profile, _ names: [String]) -> Int? {
        for name in names {
            if let i = profile.sampleTypes.firstIndex(where: { $0.type == name }) { return i }
        }
        return nil
    }
}

extension Sample {
    /// The value at `index` as a Double (0 when missing), so sums can never trap on hostile numbers.
    func value(at index: Int) -> Double {
        values.indices.contains(index) ? Double(values[index]) : 0
    }
}

/// Number formatting for titles and summaries (no Foundation formatters in loops).
enum DiagnoseText {
    /// Bytes with 1024-based units like pprof (`B`, `kB`, `MB`, `GB`, `TB`), one decimal.
    static func bytes(_ value: Double) -> String {
        let sign = value < 0 ? "−" : ""
        var v = abs(value)
        let units = ["B", "kB", "MB", "GB", "TB"]
        var u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return sign + (u == 0 ? decimal(v.rounded()) : decimal(v)) + " " + units[u]
    }

    /// One decimal, trailing `.0` dropped; large values as integers.
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "?" }
        if abs(value) >= 1e15 { return String(value) }  // hostile magnitudes: no Int conversion to trap on
        if abs(value) >= 100 { return String(Int(value.rounded())) }
        let tenths = (value * 10).rounded()
        let text = String(tenths / 10)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// A fraction as a percentage, e.g. `62 %`, `4.5 %`.
    static func percent(_ fraction: Double) -> String {
        let p = fraction * 100
        return (abs(p) >= 10 ? decimal(p.rounded()) : decimal(p)) + " %"
    }

    /// A 0–100 score from any Double (non-finite → 0), never trapping.
    static func score(_ value: Double) -> Int { value.isFinite ? Int(min(100, max(0, value)).rounded()) : 0 }

    /// A count such as `11936`, safe for any Double.
    static func count(_ value: Double) -> String { decimal(value.rounded()) }

    /// `+` for growth.
    static func signedBytes(_ value: Double) -> String { (value >= 0 ? "+" : "") + bytes(value) }

    /// Seconds as `45 s`, `3.5 min`, `2.1 h`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 120 { return decimal(seconds) + " s" }
        if seconds < 7200 { return decimal(seconds / 60) + " min" }
        return decimal(seconds / 3600) + " h"
    }
}
