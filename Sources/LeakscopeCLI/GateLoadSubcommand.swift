import ArgumentParser
import LeakscopeGate
import LeakscopeGateFormats
import LeakscopeGateViews

/// `leakscope gate load RESULT… --contract FILE`: load-test results against a performance contract.
struct GateLoadSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Check load-test results (wrk, hey, vegeta, k6, CSV) against a latency/error/throughput contract.",
        discussion: """
        RESULT files are wrk's or hey's text output, vegeta's `report -type=json`, k6's --summary-export JSON, or \
        a CSV of per-request latencies (hey -o csv). Runs of the same endpoint are combined (median of each \
        percentile). The contract is YAML (p50/p90/p95/p99, error-rate, throughput; per endpoint under \
        `endpoints:`) or an OpenAPI document with x-perf-slo extensions. Example: \
        wrk --latency -d 10s http://127.0.0.1:8080/items > wrk.txt; leakscope gate load wrk.txt --contract perf.yaml
        """)

    @Argument(help: "Load-test result files ('-' for standard input).")
    var results: [String]

    @Option(help: "The contract: YAML limits or an OpenAPI document with x-perf-slo.")
    var contract: String

    @Option(help: "Endpoint for results that do not name one (hey and CSV output do not carry the URL).")
    var endpoint: String?

    @OptionGroup var output: GateOutputOptions

    func validate() throws {
        if results.isEmpty { throw ValidationError("give at least one RESULT file") }
        if results.filter({ $0 == "-" }).count > 1 { throw ValidationError("only one RESULT can be standard input") }
    }

    func run() throws {
        let contractInput = try readGateInput(contract)
        let parsedContract: LoadContract
        do { parsedContract = try LoadContract.parse(contractInput.text, source: contractInput.source) } catch {
            throw gateInputFailure(error.description)
        }
        var loaded: [LoadResult] = []
        for path in results {
            let input = try readGateInput(path)
            do {
                for var result in try LoadResult.parse(input.text, source: input.source) {
                    if result.endpoint == nil { result.endpoint = endpoint }
                    loaded.append(result)
                }
            } catch {
                throw gateInputFailure(error.description)
            }
        }
        let check = LoadCheck(results: loaded, contract: parsedContract)
        try output.finish(gate: "load", verdict: check.verdict, text: { LoadViews.text(check) },
                          markdown: { LoadViews.markdown(check) }, results: { LoadViews.results(check) }, cases: { GateCaseViews.cases(check) })
    }
}
