import LeakscopeFlame
import LeakscopePprof
import LeakscopeProfile

extension FlameGraph {
    /// A self-contained HTML page with an interactive flame graph: click to zoom, search with
    /// the matched share, pivot on a function to see its callers, tooltips with value, share
    /// and self value. `header` is markup placed above the page's own (a server's menus). The call tree is embedded deflate-compressed, so the page stays small.
    ///
    /// With `base`, the page is a differential flame graph: widths from `profile`, colour from
    /// the change since `base` (red grew, blue shrank). A profile holding negative values (the
    /// output of `-diff_base`) is shown the same way, its negative samples taken as the base.
    public static func html(_ profile: Profile, valueIndex: Int, base: Profile? = nil, options: PprofOptions,
                            title: String, header: String = "") -> [UInt8] {
        let model = FlameModel(profile, valueIndex: valueIndex, base: base, options: options, splitNegatives: true)
        let sampleType = valueIndex >= 0 && valueIndex < profile.sampleTypes.count
            ? profile.sampleTypes[valueIndex] : ValueType(type: "value", unit: "count")
        return FlameHTML.page(model, sampleType: sampleType, outputUnit: options.unit, title: title,
                              header: header, normalized: options.normalize && base != nil)
    }
}
