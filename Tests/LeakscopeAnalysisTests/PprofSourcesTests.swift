import Testing
@testable import LeakscopePprof
@testable import LeakscopeProfile

/// `-base`, `-diff_base` and `-normalize` (pprof's source combination) against
/// `go tool pprof`, on two real heap snapshots of one process.
@Suite struct PprofSourcesTests {
    static func flagSets() async throws -> [[String]] {
        let a = try await PprofOracle.fixture("heap_a.pb.gz")
        return [
            ["-top", "-base=\(a)"], ["-top", "-diff_base=\(a)"], ["-top", "-diff_base=\(a)", "-cum"],
            ["-top", "-base=\(a)", "-normalize"], ["-top", "-diff_base=\(a)", "-normalize"],
            ["-top", "-base=\(a)", "-drop_negative"], ["-top", "-diff_base=\(a)", "-sample_index=alloc_space"],
            ["-tree", "-diff_base=\(a)"], ["-traces", "-diff_base=\(a)"], ["-tags", "-diff_base=\(a)"],
            ["-raw", "-base=\(a)"], ["-raw", "-diff_base=\(a)"], ["-peek=alloc", "-base=\(a)"],
            ["-top", "-diff_base=\(a)", "-focus=allocTop"], ["-top", "-base=\(a)", "-unit=B"],
            ["-top", "-diff_base=\(a)", "-addresses"], ["-topproto", "-diff_base=\(a)"], ["-proto", "-diff_base=\(a)"],
        ]
    }

    @Test func baseAndDiffBase() async throws {
        let b = try await PprofOracle.fixture("heap_b.pb.gz")
        for flags in try await Self.flagSets() {
            try await PprofOracle.expectIdentical(flags, b)
        }
    }

    /// With `-diff_base`, `combine` appends the base samples instead of merging them;
    /// additive reports must not tell the difference.
    @Test(arguments: [PprofCommand.top, .tree, .tags, .peek("alloc"), .comments])
    func appendedDiffBaseMatchesMerged(command: PprofCommand) async throws {
        let a = try await PprofOracle.read(try PprofOracle.fixture("heap_a.pb.gz"))
        let b = try await PprofOracle.read(try PprofOracle.fixture("heap_b.pb.gz"))
        var options = PprofOptions()
        options.granularity = .lines
        let appended = try PprofReport.combine(sources: [b], bases: [a], diffBase: true, normalize: false)
        let merged = try Profile.merge([appended])
        #expect(appended.samples.count > merged.samples.count)
        let viaMerge = try PprofReport.render(try PprofReport.applyOptions(merged, command: command, options: options),
                                              command: command, options: options)
        let viaAppend = try PprofReport.render(try PprofReport.applyOptions(appended, command: command, options: options),
                                               command: command, options: options)
        #expect(viaMerge == viaAppend)
    }

    /// Several sources are merged, as `go tool pprof -top a b` merges them.
    @Test(arguments: [["-top"], ["-traces"], ["-raw"], ["-tags"], ["-tree", "-cum"]])
    func mergedSources(flags: [String]) async throws {
        let a = try await await PprofOracle.fixture("heap_a.pb.gz"), b = try await PprofOracle.fixture("heap_b.pb.gz")
        let theirs = try await PprofOracle.go(["tool", "pprof", "-symbolize=none"] + flags + [a, b])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let inv = try PprofOracle.translate(flags)
        let combined = try PprofReport.combine(sources: [try PprofOracle.read(a), try PprofOracle.read(b)], bases: [],
                                               diffBase: false, normalize: false)
        let ours = try PprofReport.render(try PprofReport.applyOptions(combined, command: inv.command, options: inv.options),
                                          command: inv.command, options: inv.options)
        #expect(ours == theirs.stdout, "\(flags): \(PprofOracle.firstDifference(ours, theirs.stdout))")
    }

    @Test func corpusDiffAgainstItself() async throws {
        let file = PprofOracle.corpus("internal/report/testdata/sample.cpu")
        try await PprofOracle.expectIdentical(["-top", "-diff_base=\(file)"], file)
        try await PprofOracle.expectIdentical(["-top", "-base=\(file)"], file)
    }

    @Test(arguments: [["-raw"], ["-raw", "-noinlines"], ["-raw", "-focus=allocMiddle"], ["-raw", "-hide=runtime"],
                      ["-raw", "-show_from=allocTop"], ["-raw", "-tagfocus=phase=late"]])
    func raw(flags: [String]) async throws {
        try await PprofOracle.expectIdentical(flags, try PprofOracle.fixture("heap_b.pb.gz"))
    }
}
