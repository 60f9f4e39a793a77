import ArgumentParser
import LeakscopeBytes
import LeakscopeFindings
import LeakscopeGate
import LeakscopeGateFormats
import LeakscopeGateViews
import LeakscopeProfile

/// `leakscope gate`: CI gates with exit codes that mean what they say.
struct GateSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Fail CI on benchmark regressions, broken load-test contracts, heap growth or leaked goroutines.",
        discussion: """
        Exit status: 0 pass, 1 regression or leak, 2 usage or input error, 3 inconclusive (only with \
        --fail-on-inconclusive; otherwise inconclusive exits 0 and says why). docs/GATE.md explains the statistics.
        """,
        subcommands: [GateBenchSubcommand.self, GateLoadSubcommand.self, GateLeaksSubcommand.self, GateHeapSubcommand.self])
}

/// Options every gate shares.
struct GateOutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown, junit, github }

    @Option(help: "Output format: text, json ({verdict, results, findings}), markdown (a pull-request comment), junit (XML) or github (workflow annotations).")
    var format: Format = .text

    @Flag(help: "Exit 3 when the gate cannot decide (too few samples, a limit the results do not measure).")
    var failOnInconclusive = false

    /// Prints `text` for the chosen format and turns the verdict into the exit status.
    func finish(gate: String, verdict: GateVerdict, text: () -> String, markdown: () -> String,
                results: () -> [[String: Any]], cases: () -> [GateCase], findings: [Finding] = [],
                extra: [String: Any] = [:]) throws {
        let bytes: [UInt8]
        switch format {
        case .text: bytes = Array(text().utf8)
        case .markdown: bytes = Array(markdown().utf8)
        case .junit: bytes = Array(GateCaseViews.junit(gate: gate, cases()).utf8)
        case .github: bytes = Array(GateCaseViews.github(gate: gate, cases()).utf8)
        case .json: bytes = GateJSON.render(gate: gate, verdict: verdict, results: results(), findings: findings, extra: extra)
        }
        do { try FileBytes.writeToStandardOutput(bytes) } catch {
            if error.printed { printError("leakscope: \(error.message)") }
            throw ExitCode(error.exitCode)
        }
        let code = verdict.exitCode(failOnInconclusive: failOnInconclusive)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `--top`, shared by the gates that list functions (bench's CPU profiles, heap growth).
struct GateFunctionListOptions: ParsableArguments {
    @Option(help: "Functions listed in text and Markdown (at least 1).")
    var top = 10

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }
}

/// Reads a whole input file (or standard input for `-`) as text, or fails with one line and exit 2.
func readGateInput(_ path: String) throws -> (text: String, source: String) {
    do {
        let bytes = path == "-" ? try FileBytes.readStandardInput() : try FileBytes.read(path)
        return (String(decoding: bytes, as: UTF8.self), path == "-" ? "<stdin>" : path)
    } catch {
        throw gateInputFailure(error.message)
    }
}

/// Prints `leakscope: message` and returns the exit-2 error to throw.
func gateInputFailure(_ message: String) -> ExitCode {
    printError("leakscope: \(message)")
    return ExitCode(2)
}

/// Reads a pprof profile for a gate, or fails with one line and exit 2.
func readGateProfile(_ path: String) throws -> Profile {
    do {
        return try Profile.parse(try FileBytes.read(path))
    } catch let error as OneLineError {
        throw gateInputFailure(error.message)
    } catch {
        throw gateInputFailure("\(path): \(error)")
    }
}
