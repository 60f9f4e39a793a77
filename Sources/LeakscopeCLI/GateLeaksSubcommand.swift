import ArgumentParser
import Foundation
import LeakscopeBytes
import LeakscopeGate
import LeakscopeGateViews
import LeakscopeGoroutines

/// `leakscope gate leaks -- go test ./...` and `leakscope gate leaks PROFILE…`: goroutines left behind by tests.
struct GateLeaksSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaks",
        abstract: "Fail when tests leave goroutines behind: run `go test` with a leak check added, or read dumps.",
        discussion: """
        With `-- go test ARGS…`, runs the tests with `-overlay`, which adds to every tested package a TestMain \
        that waits for goroutines to finish after the tests, then writes a goroutine dump and (Go 1.26+) the \
        goroutineleak profile. No test file changes. Packages with their own TestMain are reported as not checked. \
        Leaks name the package, the test (from GODEBUG=tracebackancestors), where they wait and who created them. \
        With PROFILE files (goroutine dumps or profiles taken after tests), checks those instead. Example: \
        leakscope gate leaks -- go test ./...
        """)

    // One positional list holds both forms (ArgumentParser allows no second list after an array):
    // `PROFILE…`, or `-- go test ARGS…`.
    @Argument(parsing: .captureForPassthrough, help: "Goroutine dumps taken after tests, or `-- go test ARGS…`.")
    var arguments: [String] = []

    @Option(help: "Milliseconds the injected TestMain waits for goroutines to exit before it takes the dump.")
    var settle: Int?

    @Option(name: .customLong("ignore-top"), help: "Ignore goroutines whose innermost function is this one, fully qualified (goleak.IgnoreTopFunction; repeatable).")
    var ignoreTop: [String] = []

    @Option(name: .customLong("ignore-any"), help: "Ignore goroutines with this function anywhere on the stack (goleak.IgnoreAnyFunction; repeatable).")
    var ignoreAny: [String] = []

    @Option(name: .customLong("ignore-created-by"), help: "Ignore goroutines started by this function (goleak.IgnoreCreatedBy; repeatable).")
    var ignoreCreatedBy: [String] = []

    @Flag(name: .customLong("ignore-current"), help: "With `-- go test`: ignore goroutines already running before the tests started, i.e. started by init functions (goleak.IgnoreCurrent).")
    var ignoreCurrent = false

    @OptionGroup var output: GateOutputOptions

    /// The dump files (the arguments before any `--`).
    var profiles: [String] { Array(arguments.prefix(while: { $0 != "--" })) }
    /// The command after `--`.
    var command: [String] { arguments.firstIndex(of: "--").map { Array(arguments[(arguments.index(after: $0))...]) } ?? [] }

    func validate() throws {
        if profiles.isEmpty == command.isEmpty {
            throw ValidationError("give either PROFILE files or `-- go test ARGS…`")
        }
        if !command.isEmpty {
            guard command.count >= 2, URL(fileURLWithPath: command[0]).lastPathComponent == "go", command[1] == "test" else {
                throw ValidationError("the command after -- must be `go test …` (got `\(command.joined(separator: " "))`)")
            }
            if command.contains(where: { $0 == "-overlay" || $0.hasPrefix("-overlay=") }) {
                throw ValidationError("the go test command already has -overlay; gate leaks needs its own")
            }
        }
        if ignoreCurrent && command.isEmpty {
            throw ValidationError("--ignore-current needs `-- go test …` (a dump alone does not say what ran before the tests)")
        }
        for name in ignoreTop + ignoreAny + ignoreCreatedBy where name.isEmpty || name.contains(where: \.isWhitespace) {
            throw ValidationError("--ignore-top/--ignore-any/--ignore-created-by take a fully qualified function name (got `\(name)`)")
        }
        if let settle, !(0...600_000).contains(settle) { throw ValidationError("--settle must be 0…600000 milliseconds") }
    }

    func run() throws {
        var inputs: [LeakCheck.Input] = []
        var notes: [String] = []
        var verdicts: [GateVerdict] = []
        if command.isEmpty {
            for path in profiles {
                let bytes: [UInt8]
                do { bytes = try FileBytes.read(path) } catch { throw gateInputFailure(error.message) }
                do {
                    inputs.append(LeakCheck.Input(source: path, dump: try GoroutineDump.parse(bytes)))
                } catch {
                    throw gateInputFailure("\(path): \(error)")
                }
            }
        } else {
            var thresholds = GateThresholds()
            if let settle { thresholds.leakSettleMilliseconds = settle }
            let run = try GoTestLeakRun(command: command, settleMilliseconds: thresholds.leakSettleMilliseconds,
                                        testOutputToStandardError: output.format != .text)
            inputs = run.inputs
            notes = run.notes
            if run.exitStatus != 0 {
                notes.append("`\(command.joined(separator: " "))` exited \(run.exitStatus)")
                verdicts.append(.fail)
            }
            if !run.unchecked.isEmpty { verdicts.append(.inconclusive) }
        }
        let ignores = LeakCheck.Ignores(topFunctions: Set(ignoreTop), anyFunctions: Set(ignoreAny),
                                        creators: Set(ignoreCreatedBy), preexisting: ignoreCurrent)
        let check = LeakCheck(inputs, ignoring: ignores)
        let verdict = GateVerdict.combine(verdicts + [check.verdict])
        try output.finish(gate: "leaks", verdict: verdict, text: { LeakViews.text(check, notes: notes) },
                          markdown: { LeakViews.markdown(check) }, results: { LeakViews.results(check) },
                          cases: { GateCaseViews.cases(findings: check.findings, gate: "leaks") },
                          findings: check.findings)
    }
}
