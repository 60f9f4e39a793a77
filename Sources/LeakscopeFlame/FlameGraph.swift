import LeakscopePprof
import LeakscopeProfile

/// Flame-graph outputs beyond what `go tool pprof` prints: collapsed stacks, speedscope JSON
/// and a self-contained interactive (optionally differential) HTML flame graph.
///
/// All three take a profile that has already been filtered, and the index of the sample
/// value to show. Frames are named per `options.granularity` (functions by default), inlined
/// calls become frames of their own, and `options.noInlines` folds them into their caller.
public enum FlameGraph {
    /// flamegraph.pl / speedscope "collapsed stack" text: one line per distinct stack,
    /// `root;caller;…;leaf value`, root first.
    ///
    /// Lines come in depth-first order of the call tree with siblings sorted by name, so the
    /// output is deterministic. Stacks whose values sum to zero are left out, as are samples
    /// without locations (pprof's `-traces` skips them too). A `-diff_base` profile gives
    /// negative values for stacks that shrank. `;` inside a frame name is
    /// written as `:` and line breaks as spaces, because the format cannot carry them.
    public static func collapsed(_ profile: Profile, valueIndex: Int, options: PprofOptions) -> String {
        let model = FlameModel(profile, valueIndex: valueIndex, options: options)
        return String(decoding: CollapsedWriter.write(model), as: UTF8.self)
    }

    /// A speedscope file (https://www.speedscope.app/file-format-schema.json) holding one
    /// "sampled" profile: one sample per distinct stack (root first) weighted by its value.
    ///
    /// speedscope cannot draw negative weights, so stacks whose value is negative (the base
    /// part of a `-diff_base` profile) are left out.
    public static func speedscope(_ profile: Profile, valueIndex: Int, options: PprofOptions, name: String) -> [UInt8] {
        let model = FlameModel(profile, valueIndex: valueIndex, options: options)
        let unit = valueIndex >= 0 && valueIndex < profile.sampleTypes.count ? profile.sampleTypes[valueIndex].unit : ""
        return SpeedscopeWriter.write(model, unit: unit, name: name)
    }
}
