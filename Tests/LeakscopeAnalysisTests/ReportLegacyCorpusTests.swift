import Testing

/// Reports on pprof's legacy-format corpus (heap/contention text, CPU binary, Java),
/// whose parsers also set drop_frames, against `go tool pprof`.
@Suite struct ReportLegacyCorpusTests {
    static let files = ["cppbench.heap", "gobench.heap", "cppbench.contention", "cppbench.growth", "java.heap", "java.cpu",
                        "java.contention", "go.crc32.cpu", "gobench.cpu", "cppbench.cpu", "go.godoc.thread", "cppbench.thread"]
    static let flagSets: [[String]] = [["-top"], ["-top", "-addresses", "-nodecount=15"], ["-traces"], ["-tags"],
                                       ["-tree", "-nodecount=10"], ["-top", "-cum", "-lines"], ["-raw"]]

    @Test(arguments: files)
    func legacyCorpus(file: String) async throws {
        for flags in Self.flagSets {
            try await PprofOracle.expectIdentical(flags, PprofOracle.corpus("profile/testdata/" + file))
        }
    }
}
