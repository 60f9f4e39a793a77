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
        let path = config ?? LintConfigFile.defaultName
        guard config != nil || FileManager.default.fileExists(atPath: path) else { return LintConfig() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot read config file")
        }
        return try LintConfigFile.parse(String(decoding: data, as: UTF8.self), source: path)
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
        // Package by package: each package's trees are dropped once it is checked, so memory stays
        // bounded by the largest package rather than the tree.
        let linter = Linter(checks: checks)
        var findings: [LintFinding] = []
        let skip: ((String) -> Bool)? = lintConfig.exclude.isEmpty ? nil : { lintConfig.excludes(path: $0) }
        let loaded = PackageLoader.forEachPackage(patterns.isEmpty ? ["./..."] : patterns, context: context, skip: skip) { package in
            if !syntaxOnly { findings += linter.run(package) }
        }
        findings = lintConfig.filter(findings).sorted(by: LintFinding.ordered)
        var errors = loaded.problems
        errors += loaded.failures.compactMap { $0.errorDescription.map { "\($0) (syntax error)" } }
        if loaded.fileCount == 0 && loaded.problems.isEmpty {
            errors.append("\((patterns.isEmpty ? ["./..."] : patterns).joined(separator: " ")): matched no Go files")
        }
        let output: [UInt8]
        switch format {
        case .text: output = Array(LintText.render(findings, explain: explain).utf8)
        case .json: output = Array(LintJSON.render(findings, files: loaded.fileCount, lines: loaded.lineCount, errors: errors))
        case .sarif:
            output = Array(LintSARIF.render(findings, checks: checks, root: sarifRoot ?? FileManager.default.currentDirectoryPath,
                                            version: "0.5.0", errors: errors))
        }
        try write(output)
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
