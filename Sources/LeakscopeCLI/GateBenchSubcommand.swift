import ArgumentParser
import LeakscopeBytes
import LeakscopeFlame
import LeakscopeGate
import LeakscopeGateFormats
import LeakscopeGateViews
import LeakscopePprof
import LeakscopePresentation

/// `leakscope gate bench OLD NEW`: Go benchmark results compared with benchstat's statistics, and a verdict.
struct GateBenchSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Compare two sets of `go test -bench` results; fail on significant regressions beyond a threshold.",
        discussion: """
        OLD and NEW hold `go test -bench . -count 10` output (several packages, -benchmem, custom units; '-' is \
        standard input). Per benchmark and unit: medians with 95% confidence intervals and a two-sided \
        Mann-Whitney U test, as benchstat computes them, Holm-corrected across rows. A row fails only when the \
        change is significant AND worse than --max-regression (per benchmark/unit in --config). Example: \
        leakscope gate bench --max-regression 5% old.txt new.txt
        """)

    @Argument(help: "Benchmark output of the base.")
    var old: String
    @Argument(help: "Benchmark output of the change.")
    var new: String

    @Option(help: "Largest tolerated slowdown (or growth in B/op, allocs/op …), e.g. 5% or 0.05.")
    var maxRegression: String?
    @Option(help: "Significance level of the U test.")
    var alpha: Double?
    @Option(help: "YAML file with per-benchmark and per-unit thresholds (see docs/GATE.md).")
    var config: String?
    @Flag(help: "Judge each row at alpha on its own, like benchstat (no Holm correction across rows).")
    var noCorrection = false
    @Option(help: "CPU profile of the base (go test -cpuprofile): with --cpuprofile-new, the report lists the functions that grew.")
    var cpuprofileOld: String?
    @Option(help: "CPU profile of the change.")
    var cpuprofileNew: String?
    @Option(help: "With both CPU profiles: write a differential flame graph (HTML) of the change against the base here.")
    var flamegraph: String?
    @OptionGroup var functionList: GateFunctionListOptions

    @OptionGroup var output: GateOutputOptions

    func validate() throws {
        if let maxRegression, BenchConfig.parsePercentage(maxRegression) == nil {
            throw ValidationError("--max-regression: `\(maxRegression)` is not a percentage (5% or 0.05)")
        }
        if let alpha, !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be between 0 and 1") }
        if old == "-" && new == "-" { throw ValidationError("only one of OLD and NEW can be standard input") }
        if (cpuprofileOld == nil) != (cpuprofileNew == nil) {
            throw ValidationError("--cpuprofile-old and --cpuprofile-new go together")
        }
        if flamegraph != nil && cpuprofileOld == nil { throw ValidationError("--flamegraph needs --cpuprofile-old and --cpuprofile-new") }
    }

    func run() throws {
        var thresholds = GateThresholds()
        var benchConfig = BenchConfig()
        if let config {
            let input = try readGateInput(config)
            do { benchConfig = try BenchConfig.parse(input.text, source: input.source) } catch {
                throw gateInputFailure(error.description)
            }
        }
        // Flags beat the file.
        if let maxRegression { benchConfig.maxRegression = BenchConfig.parsePercentage(maxRegression) }
        if let alpha { benchConfig.alpha = alpha }
        thresholds.holm = !noCorrection
        let oldInput = try readGateInput(old), newInput = try readGateInput(new)
        let oldFile: BenchmarkFile, newFile: BenchmarkFile
        do {
            oldFile = try BenchmarkFile.parse(oldInput.text, source: oldInput.source)
            newFile = try BenchmarkFile.parse(newInput.text, source: newInput.source)
        } catch {
            throw gateInputFailure(error.description)
        }
        let comparison = BenchComparison(old: oldFile, new: newFile, thresholds: thresholds, config: benchConfig)
        var cpu: FunctionDelta?
        if let cpuprofileOld, let cpuprofileNew {
            let base = try readGateProfile(cpuprofileOld), change = try readGateProfile(cpuprofileNew)
            do {
                cpu = try FunctionDelta(old: base, oldSource: cpuprofileOld, new: change, newSource: cpuprofileNew,
                                        sampleType: nil, preferred: "cpu")
            } catch {
                throw gateInputFailure(error.description)
            }
            if let flamegraph, let index = change.sampleTypes.firstIndex(where: { $0.type == cpu?.sampleType }) {
                let page = FlameGraph.html(change, valueIndex: index, base: base, options: PprofOptions(),
                                           title: "\(cpuprofileNew) against \(cpuprofileOld)")
                do { try FileBytes.write(page, to: flamegraph) } catch { throw gateInputFailure(error.message) }
            }
        }
        try output.finish(gate: "bench", verdict: comparison.verdict, text: { BenchViews.text(comparison, cpu: cpu, top: functionList.top) },
                          markdown: { BenchViews.markdown(comparison, cpu: cpu, top: functionList.top) },
                          results: { BenchViews.results(comparison) }, cases: { GateCaseViews.cases(comparison) },
                          extra: cpu.map { ["cpu": BenchViews.cpuResults($0, top: functionList.top)] } ?? [:])
    }
}
