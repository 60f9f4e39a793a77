import LeakscopeFormat
import LeakscopeProfile

/// Annotated source for the functions matching a regexp: what `go tool pprof -list RE` prints,
/// as values (the web UI's source view shows the same). Values are pprof's: flat and cum summed
/// per source line at line granularity, over the whole (untrimmed) graph.
public struct SourceListing: Sendable {
    /// One printed source line.
    public struct Line: Sendable {
        public var number: Int
        /// The line's bytes as the file has them (no newline).
        public var text: [UInt8]
        public var flat: Int64
        public var cum: Int64
        /// `flat`/`cum` as pprof prints them: `.` for zero.
        public var flatLabel: String
        public var cumLabel: String
    }

    /// A function in one file (pprof's `ROUTINE` block).
    public struct Routine: Sendable {
        public var function: String
        /// The file name as the profile records it, after `-trim_path`/`-source_path` trimming.
        public var file: String
        public var flat: Int64
        public var cum: Int64
        public var flatLabel: String
        public var cumLabel: String
        /// `cum` as a share of the total (`88.45%`).
        public var percent: String
        /// The lines from the function's start (or 5 before the first sampled line) to 5 after the
        /// last sampled one.
        public var lines: [Line]
        /// Why the file could not be read (pprof's message), or nil.
        public var error: String?
    }

    /// A matched function and what is known of its source.
    public enum Entry: Sendable {
        /// No sample of the function has a file name.
        case noSource(function: String)
        case routine(Routine)
    }

    public var total: Int64
    public var totalLabel: String
    /// Functions by name, each function's files by name.
    public var entries: [Entry]
}

extension PprofReport {
    /// `-list pattern` on a profile prepared for `.list`: every function whose name matches,
    /// with its source read through `reader`.
    public static func sourceListing(_ prepared: PreparedProfile, pattern: String, options: PprofOptions,
                                     reader: SourceReader) throws -> SourceListing {
        let rx = try CachedRegex(pattern, option: "argument")
        var table = NodeTable(
            profile: prepared.profile,
            granularity: NodeGranularity(.lines, noInlines: prepared.noInlines, showColumns: prepared.showColumns),
            objectNames: true, trimBuildPaths: true, sourcePaths: prepared.sourcePaths)
        let weights = NodeWeights.accumulate(prepared.profile, table: table, values: prepared.valueSelector())
        // Nodes of each matching function, in table order.
        var byFunction: [String: [Int]] = [:]
        for n in 0..<table.count {
            if weights.cum[n] == 0 && weights.flat[n] == 0 { continue }
            if options.dropNegative && ReportGraph.isNegative(weights, n) { continue }
            let name = table.string(table.infos[n].name)
            if !rx.matches(name) { continue }
            byFunction[name, default: []].append(n)
        }
        if byFunction.isEmpty { throw PprofReportError("no matches found for regexp: \(pattern)") }
        let unit = options.unit
        func label(_ v: Int64) -> String { prepared.formatValue(v, outputUnit: unit) }
        func labelOrDot(_ v: Int64) -> String { v == 0 ? "." : label(v) }

        var entries: [SourceListing.Entry] = []
        for function in byFunction.keys.sorted(by: goLess) {
            var byFile: [String: [Int]] = [:]
            for n in byFunction[function]! {
                let file = table.string(table.infos[n].file)
                if !file.isEmpty { byFile[file, default: []].append(n) }
            }
            if byFile.isEmpty {
                entries.append(.noSource(function: function))
                continue
            }
            for file in byFile.keys.sorted(by: goLess) {
                let nodes = byFile[file]!
                var flat: Int64 = 0, cum: Int64 = 0
                for n in nodes { flat &+= weights.flat[n]; cum &+= weights.cum[n] }
                var routine = SourceListing.Routine(
                    function: function, file: file, flat: flat, cum: cum, flatLabel: label(flat), cumLabel: label(cum),
                    percent: MeasurementFormat.percentage(cum, of: prepared.total), lines: [], error: nil)
                switch reader.lines(file) {
                case .failure(let error):
                    routine.error = error.message
                case .success(let lines):
                    routine.lines = annotated(nodes, table: &table, weights: weights, lines: lines, labelOrDot: labelOrDot)
                }
                entries.append(.routine(routine))
            }
        }
        return SourceListing(total: prepared.total, totalLabel: label(prepared.total), entries: entries)
    }

    /// pprof's `getSourceFromFile`: the range is the function's start line (or 5 lines before the
    /// first sampled line) to 5 lines after the last sampled line, cut at the end of the file.
    private static func annotated(_ nodes: [Int], table: inout NodeTable, weights: NodeWeights,
                                  lines: [ArraySlice<UInt8>], labelOrDot: (Int64) -> String) -> [SourceListing.Line] {
        let margin: Int64 = 5
        let first = table.infos[nodes[0]]
        var start = first.startLine != 0 ? first.startLine : first.line - margin
        var end = first.line + margin
        var perLine: [Int64: (flat: Int64, cum: Int64)] = [:]
        for n in nodes {
            let info = table.infos[n]
            let nodeStart = info.startLine != 0 ? info.startLine : info.line - margin
            let nodeEnd = info.line + margin
            // pprof's `else if`: a node extends the range at one end only.
            if nodeStart < start {
                start = nodeStart
            } else if nodeEnd > end {
                end = nodeEnd
            }
            var sums = perLine[info.line] ?? (0, 0)
            sums.flat &+= weights.flat[n]
            sums.cum &+= weights.cum[n]
            perLine[info.line] = sums
        }
        if start < 1 { start = 1 }
        var out: [SourceListing.Line] = []
        var number = start
        while number <= end && number <= Int64(lines.count) {
            let sums = perLine[number] ?? (0, 0)
            out.append(SourceListing.Line(number: Int(number), text: Array(lines[Int(number) - 1]), flat: sums.flat,
                                          cum: sums.cum, flatLabel: labelOrDot(sums.flat), cumLabel: labelOrDot(sums.cum)))
            number += 1
        }
        return out
    }
}

/// `-list RE`.
enum ListReport {
    static func render(_ prepared: PreparedProfile, pattern: String, options: PprofOptions) throws -> [UInt8] {
        let reader = SourceReader(paths: prepared.sourcePaths)
        let listing = try PprofReport.sourceListing(prepared, pattern: pattern, options: options, reader: reader)
        var out = TextOutput()
        out.line("Total: " + listing.totalLabel)
        for entry in listing.entries {
            switch entry {
            case .noSource(let function):
                out.line("No source information for " + function)
            case .routine(let routine):
                out.line("ROUTINE ======================== \(routine.function) in \(routine.file)")
                out.padLeft(routine.flatLabel, 10)
                out.write(" ")
                out.padLeft(routine.cumLabel, 10)
                out.line(" (flat, cum) \(routine.percent) of Total")
                if let error = routine.error {
                    out.line(" Error: " + error)
                    continue
                }
                for line in routine.lines {
                    out.padLeft(line.flatLabel, 10)
                    out.write(" ")
                    out.padLeft(line.cumLabel, 10)
                    out.write(" ")
                    out.padLeft(String(line.number), 6)
                    out.write(":")
                    out.write(line.text)
                    out.newline()
                }
            }
        }
        return out.bytes
    }
}
