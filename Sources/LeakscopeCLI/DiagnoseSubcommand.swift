import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeBytes
import LeakscopeCollect
import LeakscopeDiagnose
import LeakscopeFindings
import LeakscopeGoroutines
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeLintReport
import LeakscopePresentation

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

    @Flag(help: "List every info-level finding in text output, not only the first three.")
    var all = false

    @OptionGroup(title: "Capturing from a URL")
    var capture: CaptureOptions

    @Option(name: .customLong("out"),
            help: ArgumentHelp("Keep the capture made from a URL in this directory (it must be empty or new).", valueName: "dir"))
    var captureDirectory: String?

    @Flag(help: "No capture progress on standard error.")
    var quiet = false

    @Option(help: ArgumentHelp("The service's Go source (a module or package directory): lint it and attach each lint finding "
                               + "to the runtime findings in the same function; the rest are listed as static only.", valueName: "dir"))
    var source: String?

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give a URL, a capture directory or input files") }
        if inputs.contains(where: { Self.liveURL($0) != nil }) && inputs.count > 1 {
            throw ValidationError("give either one URL or files and directories, not both")
        }
        guard inputs.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("'-' can be given only once") }
        guard (0...1000).contains(stackDepth) else { throw ValidationError("--stack-depth must be between 0 and 1000") }
    }

    /// Loads the inputs, runs the analyses and writes the HTML report when asked.
    func produceReport(from arguments: [String],
                       linted: LintedSource? = nil) -> Result<DiagnosisReport, OneLineError> {
        do throws(OneLineError) {
            var input = try DiagnoseInputs.load(arguments)
            if let linted {
                input.source = (linted.name, linted.files, linted.findings)
                input.notes += linted.errors.map { "--source: \($0)" }
            }
            let report = Diagnosis.run(input)
            if let htmlPath {
                let title = "leakscope diagnose " + (input.target ?? arguments.joined(separator: " "))
                let html = DiagnosisHTML.render(report, cpuProfile: input.cpuProfiles.last?.profile, title: title)
                try FileBytes.write(Array(html.utf8), to: htmlPath)
            }
            return .success(report)
        } catch {
            return .failure(error)
        }
    }

    /// `http(s)://…` as given; `host:port[/path]` (not an existing file) with `http://` in front.
    static func liveURL(_ argument: String) -> String? {
        if argument.hasPrefix("http://") || argument.hasPrefix("https://") { return argument }
        guard !FileManager.default.fileExists(atPath: argument),
              argument.wholeMatch(of: /[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5}(\/.*)?/) != nil else { return nil }
        return "http://" + argument
    }

    /// Captures the live service into `--out` (or a temporary directory, removed afterwards);
    /// returns the directory to diagnose.
    func captureLive(_ url: String) async -> Result<(directory: String, temporary: Bool), OneLineError> {
        let directory: URL
        var temporary = false
        if let captureDirectory {
            directory = URL(fileURLWithPath: captureDirectory)
            if let problem = CaptureSubcommand.directoryProblem(directory, force: false) {
                return .failure(OneLineError("\(captureDirectory): \(problem)"))
            }
        } else {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("leakscope-diagnose-\(getpid())-\(UInt32.random(in: 0 ... .max))")
            temporary = true
        }
        let capturer: Capturer
        do {
            capturer = Capturer(target: try capture.target(url: url), plan: try capture.plan(directory: directory))
        } catch {
            return .failure(OneLineError(error.description))
        }
        // Ctrl-C ends the capture early; what was fetched by then is still diagnosed.
        let result = await capturer.runStoppingOnInterrupt(
            display: ProgressDisplay(enabled: !quiet, terminal: isatty(STDERR_FILENO) == 1))
        switch result {
        case .failure(let error):
            if temporary { try? FileManager.default.removeItem(at: directory) }
            if Capturer.isInterruption(error) {
                return .failure(OneLineError("\(url): interrupted before anything was fetched", exitCode: 130))
            }
            return .failure(OneLineError("\(error)"))
        case .success(let manifest):
            if manifest.status == .interrupted {
                printError("leakscope: interrupted after \(manifest.snapshots.count) of \(capture.snapshots) snapshots; diagnosing what was fetched")
            }
            return .success((directory.path, temporary))
        }
    }

    /// What `--source` found: lint findings as evidence, and syntax errors as notes.
    struct LintedSource {
        var name: String
        var files: Int
        var findings: [StaticEvidence]
        var errors: [String]
    }

    /// `--source DIR` linted as `lint DIR/...` would (the config is DIR's .leakscope.yaml, else the
    /// current directory's); syntax errors become notes. A missing directory, one without Go files
    /// or a bad config prints one line and exits 2, before any capture starts.
    func lintSource() throws -> LintedSource? {
        guard let source else { return nil }
        func fail(_ message: String) -> ExitCode {
            printError("leakscope: --source \(message)")
            return ExitCode(2)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { throw fail("\(source): no such directory") }
        guard isDirectory.boolValue else { throw fail("\(source): not a directory (give a Go module or package directory)") }
        let root = source.count > 1 && source.hasSuffix("/") ? String(source.dropLast()) : source
        let ownConfig = root + "/" + LintConfigFile.defaultName
        let config: LintConfig
        let configFile: String?
        let checks: [Check]
        do {
            (config, configFile) = try SourceLint.loadConfigFile(nil, defaults: [ownConfig, LintConfigFile.defaultName])
            checks = try config.checks(selection: nil)
        } catch let error as ValidationError {
            throw fail(error.message)
        } catch {
            throw fail("\(error)")
        }
        let linted = SourceLint.run([root == "/" ? "/..." : root + "/..."], context: BuildContext(goos: "linux", goarch: "amd64", tests: false),
                                    config: config, checks: checks, configDirectory: configFile == ownConfig ? root : nil)
        guard linted.fileCount > 0 else { throw fail("\(source): no Go files (give a Go module or package directory)") }
        return LintedSource(name: source, files: linted.fileCount, findings: linted.findings.map(\.staticEvidence), errors: linted.errors)
    }

    func run() async throws {
        capture.redirects.apply()
        let linted = try lintSource()
        var arguments = inputs
        var temporaryCapture: String? = nil
        if let url = inputs.first.flatMap(Self.liveURL) {
            switch await captureLive(url) {
            case .success(let capture):
                arguments = [capture.directory]
                if capture.temporary { temporaryCapture = capture.directory }
            case .failure(let error):
                printError("leakscope: \(error.message)")
                throw ExitCode(error.exitCode)
            }
        }
        let produced = produceReport(from: arguments, linted: linted)
        if let temporaryCapture { try? FileManager.default.removeItem(atPath: temporaryCapture) }
        let report: DiagnosisReport
        switch produced {
        case .success(let made):
            report = made
        case .failure(let error):
            printError("leakscope: \(error.message)")
            throw ExitCode(2)
        }
        switch format {
        case .text:
            let useColor = color == .always || color == .auto && isatty(1) == 1
            try FileBytes.writeToStandardOutput(Array(DiagnosisText.render(report, color: useColor, stackDepth: stackDepth, infoLimit: all ? nil : 3).utf8))
        case .json:
            try FileBytes.writeToStandardOutput([UInt8](DiagnosisJSON.render(report)))
        }
        if let failOn {
            let threshold: Finding.Severity = failOn == .critical ? .critical : .warning
            if report.findings.contains(where: { $0.severity <= threshold }) { throw ExitCode(1) }
        }
    }
}
