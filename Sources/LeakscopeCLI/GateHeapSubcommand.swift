import ArgumentParser
import LeakscopeBytes
import LeakscopeGate
import LeakscopeGateFormats
import LeakscopeGateViews
import LeakscopeProfile

/// `leakscope gate heap OLD NEW`: two heap profiles, per-function growth limits.
struct GateHeapSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heap",
        abstract: "Compare two heap profiles; fail when a function's memory grew beyond the limits.",
        discussion: """
        OLD and NEW are heap profiles (pprof format, e.g. from /debug/pprof/heap or go test -memprofile). A \
        function fails when its bytes (flat, in --sample-index) grew by more than --max-growth AND by more \
        than --max-growth-ratio of its old size. Example: leakscope gate heap --max-growth 4MB before.pb.gz after.pb.gz
        """)

    @Argument(help: "Heap profile of the base.")
    var old: String
    @Argument(help: "Heap profile of the change.")
    var new: String

    @Option(help: "Sample type: inuse_space (default), alloc_space, inuse_objects or alloc_objects.")
    var sampleIndex: String?
    @Option(help: "Growth a function may have, in bytes (suffixes kB, MB, GB; default 1MB).")
    var maxGrowth: String?
    @Option(help: "…and as a share of its old size (default 20%).")
    var maxGrowthRatio: String?
    @OptionGroup var functionList: GateFunctionListOptions

    @OptionGroup var output: GateOutputOptions

    func validate() throws {
        if let maxGrowth, ByteSize.parse(maxGrowth) == nil {
            throw ValidationError("--max-growth: `\(maxGrowth)` is not a size (512kB, 4MB)")
        }
        if let maxGrowthRatio, BenchConfig.parsePercentage(maxGrowthRatio) == nil {
            throw ValidationError("--max-growth-ratio: `\(maxGrowthRatio)` is not a percentage")
        }
    }

    func run() throws {
        var thresholds = GateThresholds()
        if let maxGrowth, let bytes = ByteSize.parse(maxGrowth) { thresholds.heapMaxGrowthBytes = bytes }
        if let maxGrowthRatio, let ratio = BenchConfig.parsePercentage(maxGrowthRatio) { thresholds.heapMaxGrowthRatio = ratio }
        let oldProfile = try readGateProfile(old), newProfile = try readGateProfile(new)
        let comparison: HeapComparison
        do {
            comparison = try HeapComparison(old: oldProfile, oldSource: old, new: newProfile, newSource: new,
                                            sampleType: sampleIndex, thresholds: thresholds)
        } catch {
            throw gateInputFailure(error.description)
        }
        try output.finish(gate: "heap", verdict: comparison.verdict, text: { HeapViews.text(comparison, top: functionList.top) },
                          markdown: { HeapViews.markdown(comparison, top: functionList.top) }, results: { HeapViews.results(comparison) },
                          cases: { GateCaseViews.cases(findings: comparison.findings, gate: "heap") },
                          findings: comparison.findings)
    }
}

/// Sizes on the command line: `1048576`, `512kB`, `4MB`, `1GB` (1024-based, like every size leakscope prints).
enum ByteSize {
    static func parse(_ text: String) -> Double? {
        let units: [(String, Double)] = [("GB", 1_073_741_824), ("MB", 1_048_576), ("kB", 1024), ("KB", 1024), ("B", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0, value.isFinite else { return nil }
            return value * scale
        }
        guard let value = Double(text), value >= 0, value.isFinite else { return nil }
        return value
    }
}
