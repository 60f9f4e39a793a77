import ArgumentParser
import Foundation
import LeakscopeBytes
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeLintReport

/// `leakscope lint`: static leak checks over Go source (no Go toolchain needed).
struct LintSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Find goroutine, lock and resource leak patterns in Go source.",
        discussion: """
        Parses Go packages itself (build constraints for --goos/--goarch) and runs the checks LS001–LS009 \
        (see docs/LINT.md, or --list-checks). Patterns are like the go command's: ./..., DIR/..., a directory, \
        or .go files; testdata, vendor and nested modules are skipped. Suppress one finding with a comment \
        on its line or the line above: //leakscope:ignore LS003 reason. Exit status: 0 clean, 1 findings, \
        2 syntax or input errors. Example: leakscope lint --format sarif ./... > leakscope.sarif
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }

    @Argument(help: "Packages: ./..., DIR/..., directories or .go files (default ./...).")
    var patterns: [String] = []

    @Option(help: "Output format: text (go vet style), json or sarif (SARIF 2.1.0 for code scanning).")
    var format: Format = .text

    @Option(help: "Comma-separated check IDs or names to run (default: all).")
    var checks: String?

    @Option(help: ArgumentHelp("Lowest confidence reported: high (default) or low, which adds the shapes that were mostly "
                               + "false on code never tuned on (docs/LINT.md, Confidence). Overrides the config's `confidence`.",
                               valueName: "level"))
    var confidence: Confidence?

    @Flag(help: "Include _test.go files.")
    var tests = false

    @Option(help: "Target operating system for build constraints.")
    var goos = "linux"

    @Option(help: "Target architecture for build constraints.")
    var goarch = "amd64"

    @Flag(help: "Only parse: report syntax errors, run no checks.")
    var syntaxOnly = false

    @Flag(help: "Text output: add each finding's fix and related lines.")
    var explain = false

    @Flag(help: "List the checks and exit.")
    var listChecks = false

    @Option(help: "Config file with a `lint` section (default: .leakscope.yaml in the current directory, if any).")
    var config: String?

    @Option(help: "Directory SARIF URIs are relative to (default: the current directory).")
    var sarifRoot: String?

    @Option(help: ArgumentHelp("A capture directory (from `leakscope capture` or `diagnose --out`) or one profile or dump file: "
                               + "each finding whose function has runtime findings there says so (docs/LINT.md).", valueName: "dir"))
    var capture: String?

    func selectedChecks() throws -> [Check]? {
        guard let checks else { return nil }
        var selected: [Check] = []
        for key in checks.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !key.isEmpty {
            guard let check = Checks.named(key) else {
                throw ValidationError("unknown check \(key); known: \(Checks.all.map(\.id).joined(separator: ", "))")
            }
            selected.append(check)
        }
        return selected
    }

    /// The config file's lint section and the checks to run (`--checks` wins over the file's
    /// `enable`), or exit 2 with one line (the lint contract: 2 for usage and input errors).
    func checkedOptions() throws -> (LintConfig, [Check]) {
        do {
            guard BuildContext.knownOS.contains(goos) else { throw ValidationError("unknown --goos \(goos)") }
            guard BuildContext.knownArch.contains(goarch) else { throw ValidationError("unknown --goarch \(goarch)") }
            let config = try loadConfig()
            do {
                return (config, try config.checks(selection: try selectedChecks()))
            } catch let error as LintConfig.UnknownCheck {
                throw ValidationError("unknown check \(error.key); known: \(Checks.all.map(\.id).joined(separator: ", "))")
            }
        } catch let error as ValidationError {
            printError("leakscope lint: \(error.message)")
            throw ExitCode(2)
        } catch let error as LintConfigError {
            printError("leakscope lint: \(error)")
            throw ExitCode(2)
        }
    }

    func loadConfig() throws -> LintConfig {
        var loaded = try SourceLint.loadConfig(config)
        if let confidence { loaded.confidence = confidence }
        return loaded
    }

    func run() throws {
        let (lintConfig, checks) = try checkedOptions()
        if listChecks {
            var out = ""
            for check in checks { out += "\(check.id) \(check.name): \(check.summary)\n\tfix: \(check.fix)\n" }
            try write(Array(out.utf8))
            return
        }
        let context = BuildContext(goos: goos, goarch: goarch, tests: tests)
        let patterns = patterns.isEmpty ? ["./..."] : patterns
        let linted = SourceLint.run(patterns, context: context, config: lintConfig, checks: checks, syntaxOnly: syntaxOnly)
        var findings = linted.findings
        let errors = linted.errors
        let loaded = (fileCount: linted.fileCount, lineCount: linted.lineCount)
        if let capture {
            findings = try LintCapture.annotate(findings, capture: capture)
        }
        let output: [UInt8]
        switch format {
        case .text: output = Array(LintText.render(findings, explain: explain).utf8)
        case .json: output = Array(LintJSON.render(findings, files: loaded.fileCount, lines: loaded.lineCount, errors: errors))
        case .sarif:
            output = Array(LintSARIF.render(findings, checks: checks, root: sarifRoot ?? FileManager.default.currentDirectoryPath,
                                            version: "0.5.0", errors: errors, capture: capture != nil))
        }
        try write(output)
        if linted.hiddenLowConfidence > 0 && format == .text {
            let count = linted.hiddenLowConfidence
            printError("leakscope lint: \(count) low-confidence finding\(count == 1 ? "" : "s") not shown (--confidence low shows \(count == 1 ? "it" : "them"))")
        }
        for error in errors { printError("leakscope: \(error)") }
        if !errors.isEmpty { throw ExitCode(2) }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    func write(_ bytes: [UInt8]) throws {
        do {
            try FileBytes.writeToStandardOutput(bytes)
        } catch {
            if error.printed { printError("leakscope: \(error.message)") }
            throw ExitCode(error.exitCode)
        }
    }
}

extension Confidence: ExpressibleByArgument {}
