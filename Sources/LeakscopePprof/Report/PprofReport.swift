import LeakscopeFormat
import LeakscopeProfile

/// A profile made ready for one report: filtered like `go tool pprof` filters it,
/// with the chosen sample value and everything the report header needs.
public struct PreparedProfile: Sendable {
    /// The profile after drop_frames, focus/ignore/hide/show/show_from/prune_from and
    /// tag filters (and, for raw/proto with `-noinlines`, aggregation).
    public var profile: Profile
    /// Index of the sample value the report adds up.
    public var valueIndex: Int
    /// With `-mean`: the value index that divides (0); nil otherwise.
    public var meanDivisorIndex: Int?
    /// Sample type name shown as `Type:` (prefixed `mean_` with `-mean`).
    public var sampleType: String
    /// Unit of the chosen sample value, as the profile spells it.
    public var sampleUnit: String
    /// The report total (pprof's `computeTotal`; base total with `-diff_base`).
    public var total: Int64
    /// `key=value` lines for the `Active filters:` header.
    public var activeFilters: [String]
    /// What pprof would print on stderr (no-match warnings, range notes).
    public var warnings: [String]
    /// Unit per numeric label key.
    public var numLabelUnits: [String: String]
    /// Effective settings after pprof's per-command overrides.
    public var granularity: Granularity
    public var noInlines: Bool
    public var showColumns: Bool
    public var nodeCount: Int
    public var nodeFraction: Double
    public var edgeFraction: Double
    /// `1 / -divide_by`.
    public var ratio: Double
    public var compactLabels: Bool
    /// `-source_path`/`-trim_path`: how file names are trimmed and source files found.
    public var sourcePaths = SourcePaths()
}

/// `go tool pprof`'s report pipeline: combine, prepare, render.
public enum PprofReport {
    /// Applies pprof's command overrides, sample selection and filters.
    public static func applyOptions(_ profile: Profile, command: PprofCommand, options: PprofOptions) throws -> PreparedProfile {
        var p = profile
        // `combine` appends -diff_base samples; merging them is a no-op for
        // additive reports, so it happens only here, for the others.
        if needsMergedSamples(command, options) && p.samples.contains(where: isDiffBase) {
            p = try Profile.merge([p])
        }
        try SampleFilters.removeUninteresting(&p)
        let units = TagFilters.numLabelUnits(p)

        // applyCommandOverrides
        var trim = options.trim
        var granularity = options.granularity
        var nodeCount = options.nodeCount
        var nodeFraction = options.nodeFraction, edgeFraction = options.edgeFraction
        switch command {
        case .peek: trim = false
        case .list: trim = false; granularity = .lines
        case .text, .top, .topproto: if nodeCount == -1 { nodeCount = 0 }
        default: if nodeCount == -1 { nodeCount = 80 }
        }
        if command == .raw || command == .proto {
            trim = false
            granularity = .addresses
        }
        if !trim { nodeCount = 0; nodeFraction = 0; edgeFraction = 0 }

        var warnings: [String] = []
        if options.relativePercentages { try applyFocus(&p, options, units, &warnings) }
        if p.sampleTypes.isEmpty { throw PprofReportError("profile has no samples") }
        let index = try SampleIndex.resolve(options.sampleIndex, in: p)
        if options.divideBy == 0 { throw PprofReportError("zero divisor specified") }
        let values = ValueSelector(index: index, meanDivisorIndex: options.mean ? 0 : nil)
        let total = computeTotal(p, values)
        if !options.relativePercentages { try applyFocus(&p, options, units, &warnings) }

        var filters: [String] = []
        func add(_ key: String, _ value: String?) { if let value, !value.isEmpty { filters.append(key + "=" + value) } }
        add("focus", options.focus); add("ignore", options.ignore); add("hide", options.hide)
        add("show", options.show); add("show_from", options.showFrom); add("tagfocus", options.tagFocus)
        add("tagignore", options.tagIgnore); add("tagshow", options.tagShow); add("taghide", options.tagHide)

        if (command == .raw || command == .proto) && options.noInlines {
            aggregateWithoutInlines(&p, showColumns: options.showColumns)
        }
        let type = p.sampleTypes[index]
        var prepared = PreparedProfile(
            profile: p, valueIndex: index, meanDivisorIndex: values.meanDivisorIndex,
            sampleType: options.mean ? "mean_" + type.type : type.type, sampleUnit: type.unit,
            total: total, activeFilters: filters, warnings: warnings, numLabelUnits: units,
            granularity: granularity, noInlines: options.noInlines, showColumns: options.showColumns,
            nodeCount: nodeCount, nodeFraction: nodeFraction, edgeFraction: edgeFraction,
            ratio: 1 / options.divideBy, compactLabels: options.compactLabels)
        prepared.sourcePaths = SourcePaths(searchPath: options.sourcePath, trimPath: options.trimPath)
        return prepared
    }

    /// Renders a prepared profile as `go tool pprof -<command>` prints it.
    public static func render(_ prepared: PreparedProfile, command: PprofCommand, options: PprofOptions) throws -> [UInt8] {
        switch command {
        case .top, .text: return TextReport.render(prepared, options: options)
        case .tree: return try TreeReport.render(prepared, options: options, symbol: nil)
        case .peek(let pattern): return try TreeReport.render(prepared, options: options, symbol: pattern)
        case .list(let pattern): return try ListReport.render(prepared, pattern: pattern, options: options)
        case .traces: return TracesReport.render(prepared, outputUnit: options.unit)
        case .tags: return TagsReport.render(prepared, outputUnit: options.unit)
        case .comments:
            var out = TextOutput()
            for c in prepared.profile.comments { out.line(c) }
            return out.bytes
        case .raw: return Array(prepared.profile.pprofString.utf8)
        case .topproto: return try ProtoReports.topProto(prepared, options: options)
        case .proto: return try ProtoReports.proto(prepared)
        case .dot: return try DotReport.render(prepared, options: options)
        case .collapsed, .speedscope, .flame:
            throw PprofReportError("\(command) is not a pprof text report; render it with the flame graph code")
        }
    }

    /// pprof's `computeTotal`: sum of absolute values (the base part alone with
    /// `-diff_base`), divided by the mean divisor's sum with `-mean`.
    static func computeTotal(_ p: Profile, _ values: ValueSelector) -> Int64 {
        var total: Int64 = 0, div: Int64 = 0, diffTotal: Int64 = 0, diffDiv: Int64 = 0
        for s in p.samples {
            var v = values.value(s.values)
            let d = values.divisor(s.values)
            if v < 0 { v = 0 &- v }
            total &+= v
            div &+= d
            if isDiffBase(s) { diffTotal &+= v; diffDiv &+= d }
        }
        if diffTotal > 0 { total = diffTotal; div = diffDiv }
        return div != 0 ? total / div : total
    }

    static func isDiffBase(_ s: Sample) -> Bool {
        if s.labels.isEmpty { return false }
        for l in s.labels where l.key.utf8.count == 11 && l.key == "pprof::base" {
            if case .string("true") = l.value { return true }
        }
        return false
    }

    /// pprof's `applyFocus`, in its order.
    static func applyFocus(_ p: inout Profile, _ o: PprofOptions, _ units: [String: String], _ warnings: inout [String]) throws {
        func rx(_ name: String, _ v: String?) throws -> CachedRegex? {
            guard let v, !v.isEmpty else { return nil }
            return try CachedRegex(v, option: name)
        }
        func tag(_ name: String, _ v: String?) throws -> TagFilter? {
            guard let v, !v.isEmpty else { return nil }
            let f = try TagFilter(name, v, numLabelUnits: units)
            if f.isRange {
                let value = v.firstIndex(of: "=").map { String(v[v.index(after: $0)...]) } ?? v
                warnings.append("\(name):Interpreted '\(value)' as range, not regexp")
            }
            return f
        }
        let focus = try rx("focus", o.focus), ignore = try rx("ignore", o.ignore)
        let hide = try rx("hide", o.hide), show = try rx("show", o.show)
        let showFrom = try rx("show_from", o.showFrom)
        let tagFocus = try tag("tagfocus", o.tagFocus), tagIgnore = try tag("tagignore", o.tagIgnore)
        let pruneFrom = try rx("prune_from", o.pruneFrom)
        func warn(_ ok: Bool, _ what: String) { if !ok { warnings.append(what + " expression matched no samples") } }

        let (fm, im, hm, sm) = SampleFilters.byName(&p, focus: focus, ignore: ignore, hide: hide, show: show)
        warn(focus == nil || fm, "Focus"); warn(ignore == nil || im, "Ignore")
        warn(hide == nil || hm, "Hide"); warn(show == nil || sm, "Show")
        if let showFrom { warn(SampleFilters.showFrom(&p, showFrom), "ShowFrom") }
        let (tfm, tim) = TagFilters.bySampleTags(&p, focus: tagFocus, ignore: tagIgnore)
        warn(tagFocus == nil || tfm, "TagFocus"); warn(tagIgnore == nil || tim, "TagIgnore")
        let tagShow = try rx("tagshow", o.tagShow), tagHide = try rx("taghide", o.tagHide)
        let (tsm, thm) = TagFilters.byTagNames(&p, show: tagShow, hide: tagHide)
        warn(tagShow == nil || tsm, "TagShow"); warn(tagHide == nil || thm, "TagHide")
        if let pruneFrom { SampleFilters.pruneFrom(&p, pruneFrom) }
    }

    /// pprof's `Aggregate` at address granularity without inlines: keeps each
    /// location's outermost line and drops columns unless asked for.
    static func aggregateWithoutInlines(_ p: inout Profile, showColumns: Bool) {
        for i in p.mappings.indices { p.mappings[i].hasInlineFrames = false }
        for i in p.locations.indices {
            if p.locations[i].lines.count > 1 { p.locations[i].lines = [p.locations[i].lines.last!] }
            if !showColumns { for j in p.locations[i].lines.indices { p.locations[i].lines[j].column = 0 } }
        }
    }
}
