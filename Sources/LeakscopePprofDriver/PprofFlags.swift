import LeakscopePprof
import LeakscopeProfile

/// The flags `leakscope pprof` accepts: every flag `go tool pprof` defines (so a pprof command
/// line never fails to parse here), plus `-collapsed`, `-speedscope` and `-flame`.
enum PprofFlags {
    /// Report commands we produce, in the order usage lists them. `peek` and `flame` take a value.
    static let supportedCommands: [(name: String, valueName: String, usage: String)] = [
        ("top", "", "Outputs top entries in text form"),
        ("text", "", "Outputs top entries in text form"),
        ("traces", "", "Outputs all profile samples in text form"),
        ("peek", "regexp", "Outputs callers/callees of functions matching regexp"),
        ("list", "regexp", "Output annotated source for functions matching regexp"),
        ("tree", "", "Outputs a text rendering of call graph"),
        ("tags", "", "Outputs all tags in the profile"),
        ("raw", "", "Outputs a text representation of the raw profile"),
        ("comments", "", "Outputs all profile comments"),
        ("topproto", "", "Outputs top entries in compressed protobuf format"),
        ("proto", "", "Outputs the profile in compressed protobuf format"),
        ("dot", "", "Outputs a graph in DOT format"),
        ("svg", "", "Outputs a graph in SVG format (runs Graphviz's dot)"),
        ("png", "", "Outputs a graph image in PNG format (runs Graphviz's dot)"),
        ("pdf", "", "Outputs a graph in PDF format (runs Graphviz's dot)"),
        ("gif", "", "Outputs a graph image in GIF format (runs Graphviz's dot)"),
        ("ps", "", "Outputs a graph in PS format (runs Graphviz's dot)"),
        ("web", "", "Writes the graph as SVG to a temporary file and opens it in a browser"),
        ("collapsed", "", "Outputs collapsed stacks (flamegraph.pl and speedscope input)"),
        ("speedscope", "", "Outputs speedscope JSON"),
        ("flame", "file.html", "Writes a self-contained interactive flame graph to file.html"),
    ]

    /// `go tool pprof` commands we parse but do not produce (viewers, callgrind, source and disassembly views).
    static let unsupportedCommands: [(name: String, takesValue: Bool)] = [
        ("callgrind", false), ("eog", false), ("evince", false),
        ("gv", false), ("kcachegrind", false),
        ("disasm", true), ("weblist", true),
    ]

    /// Legacy sample-index shortcuts, in the order pprof applies them, with the sample type each names.
    static let legacySampleIndex: [(flag: String, sampleType: String)] = [
        ("total_delay", "delay"), ("mean_delay", "delay"), ("contentions", "contentions"),
        ("inuse_space", "inuse_space"), ("inuse_objects", "inuse_objects"),
        ("alloc_space", "alloc_space"), ("alloc_objects", "alloc_objects"),
    ]

    static let granularityFlags = ["functions", "filefunctions", "files", "lines", "addresses"]

    private typealias Def = GoFlagSet.Definition

    private static func bool(_ name: String, _ usage: String) -> Def {
        Def(name: name, kind: .bool, valueName: "", usage: usage)
    }
    private static func string(_ name: String, _ valueName: String, _ usage: String) -> Def {
        Def(name: name, kind: .string, valueName: valueName, usage: usage)
    }
    private static func int(_ name: String, _ usage: String) -> Def {
        Def(name: name, kind: .int, valueName: "n", usage: usage)
    }
    private static func float(_ name: String, _ usage: String) -> Def {
        Def(name: name, kind: .float, valueName: "f", usage: usage)
    }

    /// Options grouped as pprof's usage groups them.
    static let optionGroups: [(title: String, flags: [GoFlagSet.Definition])] = [
        ("Output", [
            string("output", "file", "Write the report to file instead of stdout"),
        ]),
        ("Values", [
            string("sample_index", "name|n", "Sample value to report (name or 0-based index)"),
            bool("mean", "Average sample value over first value (count)"),
            float("divide_by", "Ratio to divide all samples before visualization"),
            string("unit", "unit", "Measurement units to display (minimum, auto, or a unit like ms, MB)"),
            bool("normalize", "Scales profile based on the base profile"),
            bool("relative_percentages", "Show percentages relative to focused subgraph"),
            bool("drop_negative", "Ignore negative differences"),
        ]),
        ("Filtering", [
            string("focus", "regexp", "Restricts to samples going through a node matching regexp"),
            string("ignore", "regexp", "Skips paths going through any nodes matching regexp"),
            string("hide", "regexp", "Skips nodes matching regexp"),
            string("show", "regexp", "Only show nodes matching regexp"),
            string("show_from", "regexp", "Drops functions above the highest matched frame"),
            string("prune_from", "regexp", "Drops any functions below the matched frame"),
            string("tagfocus", "regexp|range", "Restricts to samples with tags in range or matched by regexp"),
            string("tagignore", "regexp|range", "Discard samples with tags in range or matched by regexp"),
            string("tagshow", "regexp", "Only consider tags matching this regexp"),
            string("taghide", "regexp", "Skip tags matching this regexp"),
            string("tagroot", "keys", "Adds pseudo stack frames for labels key/value pairs at the callstack root (not supported)"),
            string("tagleaf", "keys", "Adds pseudo stack frames for labels key/value pairs at the callstack leaf (not supported)"),
        ]),
        ("Granularity", [
            bool("functions", "Aggregate at the function level (default)"),
            bool("filefunctions", "Aggregate at the function level, keeping file names"),
            bool("files", "Aggregate at the file level"),
            bool("lines", "Aggregate at the source code line level"),
            bool("addresses", "Aggregate at the address level"),
            bool("noinlines", "Ignore inlines"),
            bool("showcolumns", "Show column numbers at the source code line level"),
        ]),
        ("Trimming", [
            int("nodecount", "Max number of nodes to show"),
            float("nodefraction", "Hide nodes below <f>*total"),
            float("edgefraction", "Hide edges below <f>*total"),
            bool("trim", "Honor nodefraction/edgefraction/nodecount defaults (default true)"),
        ]),
        ("Sort and display", [
            bool("flat", "Sort entries based on own weight (default)"),
            bool("cum", "Sort entries based on cumulative weight"),
            bool("call_tree", "Create a context-sensitive call tree"),
            bool("compact_labels", "Show minimal headers"),
            string("source_path", "path", "Search path for source files"),
            string("trim_path", "path", "Path to trim from source paths before search"),
            bool("intel_syntax", "Show assembly in Intel syntax (ignored: no disassembly)"),
        ]),
        ("Sources", [
            string("base", "source", "Source of base profile for profile subtraction (repeatable)"),
            string("diff_base", "source", "Source of base profile for comparison (repeatable)"),
            int("seconds", "Duration for time-based profile collection"),
            int("timeout", "Timeout in seconds for profile collection"),
            string("add_comment", "text", "Free-form annotation to add to the profile"),
            bool("all_frames", "Ignore drop_frames and keep_frames regexps in the profile"),
            string("symbolize", "mode", "Symbolization mode (ignored: profiles are reported as symbolized)"),
            string("buildid", "id", "Override build id for main binary (ignored)"),
            string("tools", "path", "Search path for object tools (ignored)"),
            string("http", "host:port", "Serve the web UI on host:port (flame graph, top, peek, download)"),
            bool("no_browser", "Skip opening a browser for the web UI"),
            bool("follow_redirects", "Follow a URL's redirects to another host or port (default: same origin only)"),
        ]),
        ("Legacy convenience options", [
            bool("inuse_space", "Same as -sample_index=inuse_space"),
            bool("inuse_objects", "Same as -sample_index=inuse_objects"),
            bool("alloc_space", "Same as -sample_index=alloc_space"),
            bool("alloc_objects", "Same as -sample_index=alloc_objects"),
            bool("total_delay", "Same as -sample_index=delay"),
            bool("contentions", "Same as -sample_index=contentions"),
            bool("mean_delay", "Same as -mean -sample_index=delay"),
        ]),
    ]

    /// The full flag set.
    static let flagSet: GoFlagSet = {
        var definitions: [GoFlagSet.Definition] = []
        for command in supportedCommands {
            definitions.append(command.valueName.isEmpty
                ? bool(command.name, command.usage)
                : string(command.name, command.valueName, command.usage))
        }
        for command in unsupportedCommands {
            let usage = "go tool pprof's \(command.name) view (not supported)"
            definitions.append(command.takesValue ? string(command.name, "regexp", usage) : bool(command.name, usage))
        }
        for group in optionGroups { definitions.append(contentsOf: group.flags) }
        return GoFlagSet(definitions)
    }()

    /// The short usage printed after a command-line error.
    static let shortUsage = """
        usage: leakscope pprof <format> [options] [binary] <source> ...
        Run 'leakscope pprof -help' for the formats and options.
        """

    /// The full usage printed for `-h`/`-help`.
    static var fullUsage: String {
        var out = """
            usage: leakscope pprof <format> [options] [binary] <source> ...

            Reports on pprof profiles. Flags are go tool pprof's, so `alias pprof='leakscope pprof'`
            works for reports. A source is a profile file (gzipped or plain profile.proto, or a legacy
            text format) or a URL (http://host:port/debug/pprof/heap; host:port alone means the CPU
            profile). Several sources are merged.

              Output formats (choose one):

            """
        func line(_ flag: String, _ usage: String) {
            let left = "    -" + flag
            out += left + String(repeating: " ", count: max(1, 28 - left.count)) + usage + "\n"
        }
        for command in supportedCommands {
            line(command.valueName.isEmpty ? command.name : "\(command.name) \(command.valueName)", command.usage)
        }
        for group in optionGroups {
            out += "\n  \(group.title):\n"
            for flag in group.flags {
                line(flag.valueName.isEmpty ? flag.name : "\(flag.name) \(flag.valueName)", flag.usage)
            }
        }
        out += "\n  Not supported (use go tool pprof): "
        out += unsupportedCommands.map { "-" + $0.name }.joined(separator: " ") + ", the interactive shell.\n"
        return out
    }
}
