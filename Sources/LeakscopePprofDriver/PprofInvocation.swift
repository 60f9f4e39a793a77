import LeakscopePprof

/// A `leakscope pprof` command line, checked and resolved: what to read, what to report, where to
/// write it. Built from raw arguments by `PprofInvocation.parse`, which follows `go tool pprof`'s
/// rules and error messages.
struct PprofInvocation: Sendable, Equatable {
    var command: PprofCommand
    var options = PprofOptions()
    /// Profile sources (files or URLs), merged before reporting.
    var sources: [String] = []
    /// `-base`/`-diff_base` sources, merged, then subtracted.
    var bases: [String] = []
    var diffBase = false
    /// `-output`, or the file named by `-flame`.
    var outputPath: String? = nil
    /// `-seconds`; -1 when not given (pprof's default).
    var seconds = -1
    /// `-timeout` in seconds; -1 when not given.
    var timeout = -1
    /// `-add_comment`, appended to the merged profile's comments.
    var addComment: String? = nil
    /// `-all_frames`: ignore the profile's drop_frames/keep_frames.
    var allFrames = false
    /// A leading executable argument (`pprof ./server heap.pb.gz`), ignored for reports.
    var binary: String? = nil
    /// Notes for stderr that do not stop the run (pprof prints the same ones).
    var warnings: [String] = []
    /// `-http=HOST:PORT`: serve the web UI instead of writing a report (`command` is then unused).
    var http: String? = nil
    /// `-no_browser`: with `-http`, do not try to open a browser.
    var noBrowser = false
    /// `-svg`, `-png`, `-pdf`, `-gif`, `-ps`: the `-dot` report rendered by Graphviz in this format.
    var graphvizFormat: String? = nil
    /// `-web`: the graph as SVG in a temporary file, opened in a browser.
    var web = false
    /// `-follow_redirects` (leakscope's own): follow a URL source's redirects to another scheme, host
    /// or port; by default only same-origin redirects are followed.
    var followRedirects = false

    /// Why a command line was refused. `description` is the one line printed after `leakscope: `.
    enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// `-h`/`-help`: print the full usage and exit 0.
        case help
        /// A Go-flag parse error; print it and the short usage, exit 2.
        case flag(GoFlagSet.Failure)
        /// A well-formed command line pprof would refuse too, or that asks for something we do not do.
        case usage(String)

        var description: String {
            switch self {
            case .help: return "help requested"
            case .flag(let failure): return failure.description
            case .usage(let message): return message
            }
        }
    }

    /// Parses `arguments` (everything after `pprof`). `isExecutable` decides whether the first of
    /// several positional arguments is a binary, as pprof does by trying to open it as one.
    static func parse(_ arguments: [String], isExecutable: (String) -> Bool = { _ in false })
        throws(Failure) -> PprofInvocation
    {
        let parsed: GoFlagSet.Result
        do {
            parsed = try PprofFlags.flagSet.parse(arguments)
        } catch .helpRequested {
            throw .help
        } catch {
            throw .flag(error)
        }
        return try resolve(parsed, isExecutable: isExecutable)
    }

    private static func resolve(_ parsed: GoFlagSet.Result, isExecutable: (String) -> Bool)
        throws(Failure) -> PprofInvocation
    {
        // Last setting wins, as with Go's flag package; -base and -diff_base accumulate.
        var bools: [String: Bool] = [:]
        var ints: [String: Int] = [:]
        var floats: [String: Double] = [:]
        var strings: [String: String] = [:]
        var bases: [String] = []
        var diffBases: [String] = []
        for setting in parsed.settings {
            switch setting.value {
            case .bool(let value): bools[setting.name] = value
            case .int(let value): ints[setting.name] = value
            case .float(let value): floats[setting.name] = value
            case .string(let value):
                strings[setting.name] = value
                if setting.name == "base", !value.isEmpty { bases.append(value) }
                if setting.name == "diff_base", !value.isEmpty { diffBases.append(value) }
            }
        }
        func flag(_ name: String) -> Bool { bools[name] ?? false }
        func text(_ name: String) -> String? {
            guard let value = strings[name], !value.isEmpty else { return nil }
            return value
        }

        var sources = parsed.positionals
        if sources.isEmpty { throw .usage("no profile source specified") }
        var binary: String? = nil
        if sources.count > 1, isExecutable(sources[0]) {
            binary = sources.removeFirst()
        }

        // Choice groups: more than one of -cum/-flat or of the granularities is an error.
        let sortChoice = try choice(among: ["cum", "flat"], bools)
        let granularityChoice = try choice(among: PprofFlags.granularityFlags, bools)

        // Output format: exactly pprof's "at most one" rule, then our own refusals.
        var chosen: [(name: String, value: String?)] = []
        for command in PprofFlags.supportedCommands {
            if command.valueName.isEmpty {
                if flag(command.name) { chosen.append((command.name, nil)) }
            } else if let value = text(command.name) {
                chosen.append((command.name, value))
            }
        }
        for command in PprofFlags.unsupportedCommands {
            if command.takesValue ? text(command.name) != nil : flag(command.name) {
                chosen.append((command.name, text(command.name)))
            }
        }
        if chosen.count > 1 { throw .usage("must set at most one output format") }
        let http = text("http")
        if http != nil && !chosen.isEmpty {
            throw .usage("-http is not compatible with an output format on the command line")
        }
        if flag("no_browser") && http == nil { throw .usage("-no_browser only makes sense with -http") }
        var choice = chosen.first
        if choice == nil && http != nil { choice = (name: "top", value: nil) }  // -http: the command is unused
        guard let selected = choice else {
            throw .usage("no output format given (e.g. -top or -http=:8080); the interactive shell is not supported, see 'leakscope pprof -help'")
        }
        if PprofFlags.unsupportedCommands.contains(where: { $0.name == selected.name }) {
            throw .usage("-\(selected.name) is not supported: disassembly views, viewers and callgrind need go tool pprof; leakscope pprof produces " + PprofFlags.supportedCommands.map { "-" + $0.name }.joined(separator: " "))
        }
        for unsupported in ["tagroot", "tagleaf"] where text(unsupported) != nil {
            throw .usage("-\(unsupported) is not supported yet")
        }

        var invocation = PprofInvocation(command: command(named: selected.name, value: selected.value))
        invocation.sources = sources
        invocation.binary = binary
        invocation.http = http
        invocation.noBrowser = flag("no_browser")
        invocation.followRedirects = flag("follow_redirects")
        if ["svg", "png", "pdf", "gif", "ps"].contains(selected.name) { invocation.graphvizFormat = selected.name }
        if selected.name == "web" {
            invocation.graphvizFormat = "svg"
            invocation.web = true
        }
        if binary != nil {
            invocation.warnings.append("ignoring binary \(binary!): reports use the symbols the profile carries")
        }
        if !bases.isEmpty && !diffBases.isEmpty {
            throw .usage("-base and -diff_base flags cannot both be specified")
        }
        invocation.bases = diffBases.isEmpty ? bases : diffBases
        invocation.diffBase = !diffBases.isEmpty

        var options = PprofOptions()
        options.sampleIndex = text("sample_index")
        for legacy in PprofFlags.legacySampleIndex where flag(legacy.flag) {
            if options.sampleIndex == nil {
                options.sampleIndex = legacy.sampleType
            } else {
                invocation.warnings.append("Multiple value selections, ignoring -\(legacy.flag)")
            }
        }
        options.mean = flag("mean") || flag("mean_delay")
        if let divideBy = floats["divide_by"] { options.divideBy = divideBy }
        if let unit = strings["unit"] { options.unit = unit }
        options.normalize = flag("normalize")
        options.relativePercentages = flag("relative_percentages")
        options.dropNegative = flag("drop_negative")
        options.focus = text("focus")
        options.ignore = text("ignore")
        options.hide = text("hide")
        options.show = text("show")
        options.showFrom = text("show_from")
        options.pruneFrom = text("prune_from")
        options.tagFocus = text("tagfocus")
        options.tagIgnore = text("tagignore")
        options.tagShow = text("tagshow")
        options.tagHide = text("taghide")
        if let granularityChoice { options.granularity = Granularity(rawValue: granularityChoice) ?? .functions }
        options.noInlines = flag("noinlines")
        options.showColumns = flag("showcolumns")
        if let nodeCount = ints["nodecount"] { options.nodeCount = nodeCount }
        if let nodeFraction = floats["nodefraction"] { options.nodeFraction = nodeFraction }
        if let edgeFraction = floats["edgefraction"] { options.edgeFraction = edgeFraction }
        if let trim = bools["trim"] { options.trim = trim }
        options.sortByCum = sortChoice == "cum"
        options.callTree = flag("call_tree")
        options.compactLabels = flag("compact_labels")
        options.sourcePath = strings["source_path"] ?? ""
        options.trimPath = strings["trim_path"] ?? ""
        if options.normalize && invocation.bases.isEmpty {
            throw .usage("must have base profile to normalize by")
        }
        invocation.options = options

        if case .flame = invocation.command {
            if text("output") != nil { throw .usage("-flame names its own output file; do not combine it with -output") }
            invocation.outputPath = selected.value
        } else {
            invocation.outputPath = text("output")
        }
        invocation.seconds = ints["seconds"] ?? -1
        invocation.timeout = ints["timeout"] ?? -1
        invocation.addComment = text("add_comment")
        invocation.allFrames = flag("all_frames")
        return invocation
    }

    /// The one flag of a choice group that is set, nil if none; pprof's error if several are.
    private static func choice(among names: [String], _ bools: [String: Bool]) throws(Failure) -> String? {
        let set = names.filter { bools[$0] ?? false }
        if set.count > 1 { throw .usage("conflicting options set: [\(set.sorted().joined(separator: " "))]") }
        return set.first
    }

    private static func command(named name: String, value: String?) -> PprofCommand {
        switch name {
        case "top": return .top
        case "text": return .text
        case "traces": return .traces
        case "peek": return .peek(value ?? "")
        case "list": return .list(value ?? "")
        case "tree": return .tree
        case "tags": return .tags
        case "raw": return .raw
        case "comments": return .comments
        case "topproto": return .topproto
        case "proto": return .proto
        case "collapsed": return .collapsed
        case "speedscope": return .speedscope
        case "dot", "svg", "png", "pdf", "gif", "ps", "web": return .dot
        default: return .flame
        }
    }
}
