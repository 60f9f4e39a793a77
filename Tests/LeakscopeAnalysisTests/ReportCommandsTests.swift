import Testing

/// Every text report command against `go tool pprof`, on real Go profiles and the
/// google/pprof corpus.
@Suite struct ReportCommandsTests {
    static let heapFlagSets: [[String]] = [
        ["-traces"], ["-traces", "-lines"], ["-traces", "-sample_index=alloc_objects"], ["-traces", "-tagfocus=phase=steady"],
        ["-traces", "-tagshow=phase"], ["-traces", "-taghide=user"], ["-traces", "-hide=runtime"],
        ["-tree"], ["-tree", "-cum"], ["-tree", "-lines"], ["-tree", "-nodecount=4"], ["-tree", "-focus=allocLeaf"],
        ["-tree", "-addresses"], ["-tree", "-noinlines"], ["-tree", "-edgefraction=0.2"],
        ["-peek=alloc"], ["-peek=allocMiddle", "-lines"], ["-peek=nosuchfunction"], ["-peek=small", "-cum"],
        ["-tags"], ["-tags", "-sample_index=alloc_space"], ["-tags", "-tagfocus=phase=warm"], ["-tags", "-unit=kb"],
        ["-tags", "-taghide=bytes"], ["-comments"], ["-topproto"], ["-topproto", "-cum", "-lines"],
        ["-proto"], ["-proto", "-focus=allocTop"], ["-proto", "-divide_by=2"],
    ]

    @Test(arguments: heapFlagSets)
    func heapProfile(flags: [String]) async throws {
        try await PprofOracle.expectIdentical(flags, try PprofOracle.fixture("heap_b.pb.gz"))
    }

    static let cpuFlagSets: [[String]] = [
        ["-traces"], ["-traces", "-noinlines"], ["-tree"], ["-tree", "-lines", "-cum"], ["-peek=spin"], ["-tags"],
        ["-tags", "-tagignore=worker=b"], ["-topproto"], ["-proto"],
    ]

    @Test(arguments: cpuFlagSets)
    func cpuProfile(flags: [String]) async throws {
        try await PprofOracle.expectIdentical(flags, try PprofOracle.fixture("cpu.pb.gz"))
    }

    static let corpusFlagSets: [[String]] = [
        ["-traces"], ["-tree"], ["-tree", "-lines", "-nodecount=20"], ["-peek=runtime\\."], ["-tags"], ["-comments"],
        ["-topproto"], ["-proto"],
    ]

    @Test(arguments: corpusFlagSets, ["internal/proftest/testdata/large.cpu", "internal/report/testdata/sample.cpu",
                                      "internal/driver/testdata/cppbench.cpu_no_samples_type",
                                      "internal/driver/testdata/go.nomappings.crash"])
    func corpusProfiles(flags: [String], file: String) async throws {
        try await PprofOracle.expectIdentical(flags, PprofOracle.corpus(file))
    }
}
