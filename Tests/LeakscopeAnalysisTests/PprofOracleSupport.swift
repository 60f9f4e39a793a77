import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopePprof
@testable import LeakscopeProfile

/// Runs the real `go tool pprof` and leakscope's report engine on the same input and
/// flags, so tests can compare the two byte for byte.
enum PprofOracle {
    struct Failure: Error, CustomStringConvertible { var description: String }

    struct Run {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    /// Runs `go ARGS` with GOTOOLCHAIN=local GOPROXY=off.
    static func go(_ arguments: [String], in directory: URL? = nil) async throws -> Run {
        let result = try await GoToolchain.locate(.current).go(arguments, in: directory)
        return Run(status: result.exitCode, stdout: result.stdout, stderr: result.stderrText)
    }

    /// Real profiles from `Tests/Fixtures/go/report`, written once per test process.
    static func fixtureDirectory() async throws -> URL {
        try await GoFixtures.output("report", toolchain: .current)
    }

    static func fixture(_ name: String) async throws -> String {
        try await fixtureDirectory().appendingPathComponent(name).path
    }

    static func corpus(_ path: String) -> String {
        TestPaths.pprofCorpus.appendingPathComponent(path).path
    }

    /// pprof's command-line flags, translated into leakscope's options.
    struct Invocation {
        var command: PprofCommand = .top
        var options = PprofOptions()
        var bases: [String] = []
        var diffBase = false
    }

    static func translate(_ flags: [String]) throws -> Invocation {
        var inv = Invocation()
        for flag in flags {
            let body = flag.dropFirst()
            let name: String, value: String?
            if let eq = body.firstIndex(of: "=") {
                name = String(body[..<eq]); value = String(body[body.index(after: eq)...])
            } else { name = String(body); value = nil }
            let v = value ?? ""
            switch name {
            case "top": inv.command = .top
            case "text": inv.command = .text
            case "traces": inv.command = .traces
            case "tree": inv.command = .tree
            case "tags": inv.command = .tags
            case "raw": inv.command = .raw
            case "comments": inv.command = .comments
            case "topproto": inv.command = .topproto
            case "proto": inv.command = .proto
            case "peek": inv.command = .peek(v)
            case "list": inv.command = .list(v)
            case "source_path": inv.options.sourcePath = v
            case "trim_path": inv.options.trimPath = v
            case "cum": inv.options.sortByCum = true
            case "flat": inv.options.sortByCum = false
            case "nodecount": inv.options.nodeCount = Int(v)!
            case "nodefraction": inv.options.nodeFraction = Double(v)!
            case "edgefraction": inv.options.edgeFraction = Double(v)!
            case "trim": inv.options.trim = v != "false"
            case "functions", "filefunctions", "files", "lines", "addresses":
                inv.options.granularity = Granularity(rawValue: name)!
            case "noinlines": inv.options.noInlines = true
            case "showcolumns": inv.options.showColumns = true
            case "focus": inv.options.focus = v
            case "ignore": inv.options.ignore = v
            case "hide": inv.options.hide = v
            case "show": inv.options.show = v
            case "show_from": inv.options.showFrom = v
            case "prune_from": inv.options.pruneFrom = v
            case "tagfocus": inv.options.tagFocus = v
            case "tagignore": inv.options.tagIgnore = v
            case "tagshow": inv.options.tagShow = v
            case "taghide": inv.options.tagHide = v
            case "sample_index": inv.options.sampleIndex = v
            case "inuse_space", "inuse_objects", "alloc_space", "alloc_objects": inv.options.sampleIndex = name
            case "mean": inv.options.mean = true
            case "unit": inv.options.unit = v
            case "divide_by": inv.options.divideBy = Double(v)!
            case "drop_negative": inv.options.dropNegative = true
            case "relative_percentages": inv.options.relativePercentages = true
            case "compact_labels": inv.options.compactLabels = true
            case "normalize": inv.options.normalize = true
            case "base": inv.bases.append(v)
            case "diff_base": inv.bases.append(v); inv.diffBase = true
            default: throw Failure(description: "test flag \(flag) not translated")
            }
        }
        return inv
    }

    static func read(_ path: String) throws -> Profile {
        try Profile.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// leakscope's output for `flags` on `file`.
    static func leakscope(_ flags: [String], _ file: String) throws -> [UInt8] {
        let inv = try translate(flags)
        let profile = try PprofReport.combine(sources: [try read(file)], bases: try inv.bases.map(read),
                                              diffBase: inv.diffBase, normalize: inv.options.normalize)
        let prepared = try PprofReport.applyOptions(profile, command: inv.command, options: inv.options)
        return try PprofReport.render(prepared, command: inv.command, options: inv.options)
    }

    /// `go tool pprof -symbolize=none FLAGS FILE`.
    static func pprof(_ flags: [String], _ file: String) async throws -> Run {
        try await go(["tool", "pprof", "-symbolize=none"] + flags + [file])
    }

    /// Lines in sorted order, with the running `sum%` column (which depends on row
    /// order) removed from report rows.
    static func sortedLines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { line -> String in
            var tokens = line.split(separator: " ").map(String.init)
            if tokens.count >= 6 && tokens[1].hasSuffix("%") && tokens[2].hasSuffix("%") { tokens.remove(at: 2) }
            return tokens.joined(separator: " ")
        }.sorted()
    }

    /// The first differing line of two outputs, for a readable failure.
    static func firstDifference(_ ours: [UInt8], _ theirs: [UInt8]) -> String {
        let a = String(decoding: ours, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: theirs, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? String(a[i]) : "<end>", y = i < b.count ? String(b[i]) : "<end>"
            if x != y { return "line \(i + 1):\n ours:  \(x)\n pprof: \(y)" }
        }
        return "identical"
    }

    /// Expects leakscope to print exactly what `go tool pprof` prints (or to fail
    /// when it fails).
    static func expectIdentical(_ flags: [String], _ file: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let theirs = try await pprof(flags, file)
        // Only these test inputs are meant to make pprof fail.
        let meantToFail = flags.contains { $0.hasPrefix("-sample_index=nosuch") || $0.hasPrefix("-sample_index=9") || $0.hasPrefix("-peek=nosuch") || $0.hasPrefix("-list=nosuch") }
            || (flags.contains { $0.hasPrefix("-peek=") } && theirs.stderr.contains("no matches found for regexp"))
        #expect((theirs.status != 0) == meantToFail, "pprof exit \(theirs.status): \(theirs.stderr)", sourceLocation: sourceLocation)
        if theirs.status != 0 {
            #expect(throws: (any Error).self, "pprof failed (\(theirs.stderr)); leakscope must too", sourceLocation: sourceLocation) {
                _ = try leakscope(flags, file)
            }
            return
        }
        let ours = try leakscope(flags, file)
        var expected = theirs.stdout
        var actual = ours
        if flags.contains("-proto") || flags.contains("-topproto") {
            expected = try Gzip.decompress(expected)
            actual = try Gzip.decompress(actual)
        }
        var same = actual == expected
        var note = ""
        if !same && !flags.contains("-proto") && !flags.contains("-topproto") {
            // pprof orders nodes it considers equal (same weight, same printed name) by Go's
            // randomised map order. Run it again, up to four times: our order may be one it prints;
            // if its own runs disagree, any order of the same lines is one pprof could print.
            for _ in 0..<4 where !same {
                let again = try await pprof(flags, file)
                if again.stdout == actual {
                    same = true
                } else if again.stdout != theirs.stdout && sortedLines(actual) == sortedLines(expected) {
                    same = true
                    note = " (pprof itself is nondeterministic here)"
                }
            }
        }
        #expect(same, "\(flags.joined(separator: " ")) \(URL(fileURLWithPath: file).lastPathComponent)\(note): \(firstDifference(actual, expected))",
                sourceLocation: sourceLocation)
    }
}
