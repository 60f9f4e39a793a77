import Testing

@Suite struct PprofTextReportTests {
    static let flagSets: [[String]] = [
        ["-top"], ["-top", "-cum"], ["-text", "-nodecount=5"], ["-top", "-lines"], ["-top", "-files"],
        ["-top", "-filefunctions"], ["-top", "-addresses"], ["-top", "-noinlines"], ["-top", "-lines", "-noinlines"],
        ["-top", "-nodefraction=0.1"], ["-top", "-nodefraction=0"], ["-top", "-unit=auto"], ["-top", "-unit=MB"],
        ["-top", "-unit=kb"], ["-top", "-sample_index=alloc_space"], ["-top", "-sample_index=0"], ["-top", "-mean"],
        ["-top", "-alloc_objects", "-cum"], ["-top", "-divide_by=3"], ["-top", "-compact_labels"],
        ["-top", "-focus=allocMiddle"], ["-top", "-ignore=allocBig"], ["-top", "-hide=runtime"], ["-top", "-show=main"],
        ["-top", "-show_from=allocTop"], ["-top", "-prune_from=allocMiddle"], ["-top", "-tagfocus=phase=warm"],
        ["-top", "-tagignore=steady"], ["-top", "-tagfocus=1kb:"], ["-top", "-tagfocus=:100"], ["-top", "-tagfocus=bytes=64:512"],
        ["-top", "-focus=allocLeaf", "-relative_percentages"], ["-top", "-trim=false"], ["-top", "-sample_index=nosuch"],
        ["-top", "-sample_index=9"],
    ]

    @Test(arguments: flagSets)
    func heapProfile(flags: [String]) async throws {
        try await PprofOracle.expectIdentical(flags, try PprofOracle.fixture("heap_a.pb.gz"))
    }

    static let cpuFlagSets: [[String]] = [
        ["-top"], ["-top", "-cum"], ["-top", "-lines"], ["-top", "-addresses", "-nodecount=20"], ["-top", "-tagfocus=worker=a"],
        ["-top", "-unit=ms"], ["-top", "-unit=s"], ["-top", "-unit=hrs"], ["-top", "-sample_index=samples"],
        ["-top", "-lines", "-showcolumns"], ["-top", "-noinlines", "-files"],
    ]

    @Test(arguments: cpuFlagSets)
    func cpuProfile(flags: [String]) async throws {
        try await PprofOracle.expectIdentical(flags, try PprofOracle.fixture("cpu.pb.gz"))
    }

    static let corpusFlagSets: [[String]] = [
        ["-top"], ["-top", "-cum"], ["-top", "-lines"], ["-top", "-addresses"], ["-top", "-files"],
        ["-top", "-nodecount=30", "-cum"], ["-top", "-focus=runtime", "-hide=syscall"], ["-top", "-noinlines"],
    ]

    @Test(arguments: corpusFlagSets, ["internal/proftest/testdata/large.cpu", "internal/report/testdata/sample.cpu",
                                      "internal/driver/testdata/cppbench.cpu_no_samples_type",
                                      "internal/driver/testdata/go.nomappings.crash"])
    func corpusProfiles(flags: [String], file: String) async throws {
        try await PprofOracle.expectIdentical(flags, PprofOracle.corpus(file))
    }
}
