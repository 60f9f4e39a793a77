import Testing

/// pprof's sample and frame filters, alone and combined, against `go tool pprof`.
@Suite struct FilterOracleTests {
    static let heapFlagSets: [[String]] = [
        ["-top", "-focus=allocMiddle", "-ignore=func2"], ["-top", "-focus=main\\.small"], ["-top", "-hide=small", "-lines"],
        ["-top", "-show=alloc", "-cum"], ["-top", "-show=main\\.", "-hide=allocLeaf"], ["-tree", "-show_from=allocMiddle"],
        ["-top", "-prune_from=allocLeaf", "-cum"], ["-top", "-focus=report/main\\.go"], ["-top", "-ignore=runtime/pprof"],
        ["-traces", "-focus=allocBig", "-tagshow=phase"], ["-top", "-tagfocus=phase=warm,steady"], ["-top", "-tagfocus=user:alice"],
        ["-top", "-tagfocus=phase:late", "-tagignore=1mb"], ["-top", "-tagfocus=bytes=1kb:2mb"], ["-top", "-tagfocus=64"],
        ["-top", "-tagfocus=4kb"], ["-top", "-tagignore=:128"], ["-top", "-tagfocus=2mb:"], ["-tags", "-tagfocus=phase=late"],
        ["-tags", "-taghide=phase", "-tagshow=p"], ["-top", "-focus=nomatchanywhere"], ["-top", "-tagfocus=nomatch=x"],
        ["-tree", "-focus=allocLeaf", "-relative_percentages"], ["-top", "-mean", "-sample_index=alloc_space"],
        ["-top", "-show_from=main\\.main$", "-files"], ["-top", "-hide=.", "-show=."],
    ]

    @Test(arguments: heapFlagSets)
    func heapFilters(flags: [String]) async throws {
        try await PprofOracle.expectIdentical(flags, try PprofOracle.fixture("heap_b.pb.gz"))
    }

    static let cpuFlagSets: [[String]] = [
        ["-top", "-lines", "-hide=hashStep"], ["-top", "-show=spin", "-lines"], ["-traces", "-hide=runtime\\."],
        ["-top", "-focus=burnB", "-ignore=burnA"], ["-top", "-show_from=burnA"], ["-top", "-prune_from=spin"],
        ["-tree", "-tagfocus=worker=b", "-lines"], ["-top", "-tagignore=worker=a"], ["-peek=hashStep", "-lines"],
    ]

    @Test(arguments: cpuFlagSets)
    func cpuFilters(flags: [String]) async throws {
        try await PprofOracle.expectIdentical(flags, try PprofOracle.fixture("cpu.pb.gz"))
    }

    static let largeFlagSets: [[String]] = [
        ["-top", "-focus=runtime\\.mallocgc", "-lines", "-nodecount=25"], ["-top", "-hide=runtime", "-cum", "-nodecount=20"],
        ["-top", "-show_from=main", "-nodecount=20"], ["-tree", "-ignore=time\\.", "-nodecount=15"],
        ["-top", "-prune_from=runtime\\.", "-nodecount=20"], ["-top", "-noinlines", "-lines", "-nodecount=30"],
    ]

    @Test(arguments: largeFlagSets)
    func largeCPUFilters(flags: [String]) async throws {
        try await PprofOracle.expectIdentical(flags, PprofOracle.corpus("internal/proftest/testdata/large.cpu"))
    }
}
