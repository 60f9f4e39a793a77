import ArgumentParser
import Foundation
import LeakscopeAnalysis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `leakscope diagnose`: the leak hunt in one command — goroutines across snapshots, heap
/// growth per allocation site, CPU hot paths and GC pressure, lock contention and GODEBUG logs —
/// ranked into findings that name the responsible code and the fix.
struct DiagnoseSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Find goroutine leaks, heap growth, CPU hot spots and contention, and name the code responsible.",
        discussion: """
        Give it a running service (a URL such as http://127.0.0.1:6060: it captures --snapshots \
        snapshots --interval apart plus a CPU profile), a directory written by `leakscope capture`, \
        or files of any supported kind in any order: heap/allocs/CPU/mutex/block/goroutine profiles \
        (proto or debug=1 text), goroutine dumps (debug=2, runtime.Stack, panics) and GODEBUG \
        gctrace/schedtrace logs. Each file's kind is read from its content; snapshots are ordered \
        by their embedded time, else by the order given.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum ColorMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }
    enum Level: String, ExpressibleByArgument, CaseIterable { case warning, critical }

    @Argument(help: "A URL, a capture directory, or profile/dump/log files ('-' reads standard input).")
    var inputs: [String]

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("html"), help: "Also write a self-contained HTML report to this file.")
    var htmlPath: String?

    @Option(help: "Colour in text output: auto (on a terminal), always or never.")
    var color: ColorMode = .auto

    @Option(name: .customLong("fail-on"), help: "Exit 3 when a finding reaches this severity: warning or critical.")
    var failOn: Level?

    @Option(help: "Stack frames printed per finding in text output.")
    var stackDepth = 6

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give a URL, a capture directory or input files") }
        guard inputs.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("'-' can be given only once") }
        guard stackDepth >= 0 else { throw ValidationError("--stack-depth must not be negative") }
    }

    /// Loads the inputs, runs the analyses and writes the HTML report when asked.
    func produceReport() -> Result<DiagnosisReport, CLIError> {
        do throws(CLIError) {
            let input = try DiagnoseInputs.load(inputs)
            let report = Diagnosis.run(input)
            if let htmlPath {
                let title = "leakscope diagnose " + (input.target ?? inputs.joined(separator: " "))
                let html = DiagnosisHTML.render(report, cpuProfile: input.cpuProfiles.last?.profile, title: title)
                try FileBytes.write(Array(html.utf8), to: htmlPath)
            }
            return .success(report)
        } catch {
            return .failure(error)
        }
    }

    func run() async throws {
        let report: DiagnosisReport
        switch produceReport() {
        case .success(let produced):
            report = produced
        case .failure(let error):
            FileHandle.standardError.write(Data("leakscope: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        switch format {
        case .text:
            let useColor = color == .always || color == .auto && isatty(1) == 1
            FileHandle.standardOutput.write(Data(DiagnosisText.render(report, color: useColor, stackDepth: stackDepth).utf8))
        case .json:
            FileHandle.standardOutput.write(DiagnosisJSON.render(report))
        }
        if let failOn {
            let threshold: Finding.Severity = failOn == .critical ? .critical : .warning
            if report.findings.contains(where: { $0.severity <= threshold }) { throw ExitCode(3) }
        }
    }
}
