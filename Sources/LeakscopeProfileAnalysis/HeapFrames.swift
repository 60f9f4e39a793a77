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
