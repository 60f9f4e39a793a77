import ArgumentParser
import Foundation
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeLintReport

/// One lint run over Go source, as `lint PATTERN…` does it and `diagnose --source DIR` reuses it:
/// the config file's `lint` section, package loading with build constraints, the checks, the
/// config's filters. Memory stays bounded by the largest package (trees are dropped once checked).
struct SourceLint {
    /// Findings after the config's filters, in file and line order.
    var findings: [LintFinding]
    var fileCount: Int
    var lineCount: Int
    /// Unreadable paths, patterns matching nothing, files with syntax errors.
    var errors: [String]
    /// Findings left out only for being below the config's confidence.
    var hiddenLowConfidence = 0

    /// `configDirectory`: the directory of the config file when it is not the current directory
    /// (`diagnose --source DIR` with DIR's own .leakscope.yaml): its globs are relative to it.
    static func run(_ patterns: [String], context: BuildContext, config: LintConfig, checks: [Check],
                    syntaxOnly: Bool = false, configDirectory: String? = nil) -> SourceLint {
        // The checks walk syntax trees recursively; see `DeepStack`.
        DeepStack.run {
            lint(patterns, context: context, config: config, checks: checks, syntaxOnly: syntaxOnly, configDirectory: configDirectory)
        }
    }

    private static func lint(_ patterns: [String], context: BuildContext, config: LintConfig, checks: [Check],
                             syntaxOnly: Bool, configDirectory: String?) -> SourceLint {
        var session = LintSession(Linter(checks: checks))
        let relative: (String) -> String = { path in
            guard let base = configDirectory, path.hasPrefix(base + "/") else { return path }
            return String(path.dropFirst(base.count + 1))
        }
        let skip: ((String) -> Bool)? = config.exclude.isEmpty ? nil : { config.excludes(path: relative($0)) }
        let loaded = PackageLoader.forEachPackage(patterns, context: context, skip: skip) { package in
            if !syntaxOnly { session.add(package) }
        }
        let findings = session.finish()
        var errors = loaded.problems
        errors += loaded.failures.compactMap { $0.errorDescription.map { "\($0) (syntax error)" } }
        if loaded.fileCount == 0 && loaded.problems.isEmpty {
            errors.append("\(patterns.joined(separator: " ")): matched no Go files")
        }
        var everything = config
        everything.confidence = .low
        var hidden = 0
        let kept = findings.filter { finding in
            var moved = finding
            moved.file = relative(finding.file)
            if !config.filter([moved]).isEmpty { return true }
            if !everything.filter([moved]).isEmpty { hidden += 1 }
            return false
        }
        return SourceLint(findings: kept.sorted(by: LintFinding.ordered), fileCount: loaded.fileCount,
                          lineCount: loaded.lineCount, errors: errors, hiddenLowConfidence: hidden)
    }

    /// The `lint` section of the config file at `path`; when `path` is nil, of the first of
    /// `defaults` that exists (none: the default config). Unreadable or invalid files throw.
    static func loadConfig(_ path: String?, defaults: [String] = [LintConfigFile.defaultName]) throws -> LintConfig {
        try loadConfigFile(path, defaults: defaults).config
    }

    /// `loadConfig`, and the file it read (nil: none).
    static func loadConfigFile(_ path: String?, defaults: [String]) throws -> (config: LintConfig, file: String?) {
        guard let file = path ?? defaults.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return (LintConfig(), nil) }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("\(file): cannot read config file")
        }
        return (try LintConfigFile.parse(String(decoding: data, as: UTF8.self), source: file), file)
    }
}
