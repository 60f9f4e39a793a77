import LeakscopeProfile

/// The report `go tool pprof` is asked for (its output command).
public enum PprofCommand: Sendable, Equatable {
    case top
    case text
    case traces
    /// `-peek RE`
    case peek(String)
    /// `-list RE`: annotated source of the functions matching RE.
    case list(String)
    case tree
    case tags
    case raw
    case comments
    case topproto
    case proto
    /// Graphviz source of the call graph (`-dot`; also the input of `-svg`, `-png`, `-pdf`).
    case dot
    // Beyond pprof:
    /// flamegraph.pl / speedscope "collapsed stack" text.
    case collapsed
    /// speedscope JSON file format.
    case speedscope
    /// Self-contained interactive HTML flame graph.
    case flame
}

/// How nodes are keyed in a report (pprof's granularity flags).
public enum Granularity: String, Sendable, Equatable, CaseIterable {
    case functions, filefunctions, files, lines, addresses
}

/// Every `go tool pprof` option that changes a report. Field names follow the flags;
/// defaults are pprof's. The CLI fills this in; `LeakscopeAnalysis` interprets it.
public struct PprofOptions: Sendable, Equatable {
    // Values
    /// `-sample_index`: a sample type name or a number; nil = the profile's default.
    /// Legacy shortcuts (`-inuse_space` …) are mapped to this by the CLI.
    public var sampleIndex: String? = nil
    public var mean = false
    public var divideBy: Double = 1
    /// `-unit`: "minimum" (default), "auto", or a unit name such as "ms" or "MB".
    public var unit = "minimum"
    public var normalize = false
    public var relativePercentages = false
    public var dropNegative = false

    // Filtering (nil = flag not given)
    public var focus: String? = nil
    public var ignore: String? = nil
    public var hide: String? = nil
    public var show: String? = nil
    public var showFrom: String? = nil
    public var pruneFrom: String? = nil
    public var tagFocus: String? = nil
    public var tagIgnore: String? = nil
    public var tagShow: String? = nil
    public var tagHide: String? = nil

    // Granularity
    public var granularity: Granularity = .functions
    public var noInlines = false
    public var showColumns = false

    // Trimming; nodeCount -1 means pprof's per-command default.
    public var nodeCount = -1
    public var nodeFraction = 0.005
    public var edgeFraction = 0.001
    public var trim = true

    // Sort and display
    /// `-cum` (false = `-flat`, the default).
    public var sortByCum = false
    public var callTree = false
    public var compactLabels = false
    /// `-source_path` and `-trim_path` ("" = not given).
    public var sourcePath = ""
    public var trimPath = ""

    public init() {}
}
