import Foundation
import Testing
import LeakscopeFindings
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeLintReport
import LeakscopeTestSupport

/// The `lint` section of `.leakscope.yaml`, the path globs, and package-by-package loading.
@Suite struct LintConfigTests {
    static let kernels = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/lint/kernels").path

    @Test func parsesEverySectionKey() throws {
        let config = try LintConfigFile.parse("""
            watch:
              interval: 5s
            lint:
              enable: [LS001, lost-cancel, LS006]
              disable: LS001
              exclude: ["gen", "**/*_mock.go"]
              checks:
                lock-not-released: {severity: info, exclude: ["cmd/**"]}
            """, source: "c.yaml")
        #expect(config.enable == ["LS001", "lost-cancel", "LS006"])
        #expect(config.disable == ["LS001"])
        #expect(config.exclude == ["gen", "**/*_mock.go"])
        #expect(config.options["LS006"] == LintConfig.CheckOptions(severity: .info, exclude: ["cmd/**"]))
        let checks = try config.checks()
        #expect(checks.map(\.id) == ["LS003", "LS006"])
        #expect(checks.last?.severity == .info)
        // --checks replaces enable; disable and options still apply.
        #expect(try config.checks(selection: [Checks.abandonedSend, Checks.lockNotReleased]).map(\.id) == ["LS006"])
        #expect(try LintConfigFile.parse("watch: {}\n", source: "c.yaml") == LintConfig())
    }

    @Test func errorsNameTheLineAndKey() {
        func problem(_ text: String) -> String {
            do { _ = try LintConfigFile.parse(text, source: "c.yaml"); return "" } catch { return error.description }
        }
        #expect(problem("lint:\n  enabel: [LS001]\n") == "c.yaml:2: lint.enabel: unknown key (use enable, disable, exclude, confidence, checks)")
        #expect(problem("lint:\n  disable: [LS042]\n").hasPrefix("c.yaml:2: lint.disable: unknown check LS042; known: LS001"))
        #expect(problem("lint:\n  checks:\n    LS003: {severity: loud}\n")
            == "c.yaml:3: lint.checks.LS003.severity: `loud` is not critical, warning or info")
        #expect(problem("lint: [1, 2]\n") == "c.yaml:1: lint: expected a mapping")
        #expect(problem("lint:\n  exclude: {a: b}\n") == "c.yaml:2: lint.exclude: expected a list of strings")
        #expect(problem("lint: [\n").hasPrefix("c.yaml:"))
    }

    @Test func globsMatchElementsAndDirectories() {
        #expect(Glob.matches("gen", "gen/a.go"))
        #expect(!Glob.matches("gen", "x/gen/a.go"))
        #expect(Glob.matches("**/gen", "x/y/gen/a.go"))
        #expect(Glob.matches("*_mock.go", "a_mock.go"))
        #expect(!Glob.matches("*_mock.go", "x/a_mock.go"))
        #expect(Glob.matches("**/*_mock.go", "x/a_mock.go"))
        #expect(Glob.matches("cmd/**", "./cmd/tool/main.go"))
        #expect(Glob.matches("a?c.go", "abc.go"))
        #expect(!Glob.matches("a?c.go", "ac.go"))
        #expect(Glob.matches("**/ls006_lock.go", "/abs/path/ls006_lock.go"))
        #expect(!Glob.matches("", "a.go"))
    }

    @Test func perCheckExcludeDropsOnlyThatCheck() throws {
        let loaded = PackageLoader.load([Self.kernels], context: BuildContext())
        let findings = Linter().run(loaded.packages)
        var config = LintConfig(options: ["LS006": .init(exclude: ["**/ls006_lock.go"])])
        config.confidence = .low
        let kept = config.filter(findings)
        #expect(kept.count < findings.count)
        #expect(!kept.contains { $0.check.id == "LS006" && $0.file.hasSuffix("ls006_lock.go") })
        #expect(kept.filter { $0.check.id != "LS006" }.count == findings.filter { $0.check.id != "LS006" }.count)
    }

    /// The default config leaves out exactly the low-confidence findings; `confidence: low` keeps them.
    @Test func confidenceFilter() throws {
        let loaded = PackageLoader.load([Self.kernels], context: BuildContext())
        let findings = Linter().run(loaded.packages)
        let low = findings.filter { $0.confidence == .low }
        #expect(!low.isEmpty)
        #expect(LintConfig().filter(findings).count == findings.count - low.count)
        #expect(!LintConfig().filter(findings).contains { $0.confidence == .low })
        #expect(LintConfig(confidence: .low).filter(findings).count == findings.count)
        #expect(try LintConfigFile.parse("lint:\n  confidence: low\n", source: "c.yaml").confidence == .low)
        #expect(try LintConfigFile.parse("lint:\n  disable: [LS009]\n", source: "c.yaml").confidence == .high)
    }

    /// Package by package gives the same packages, files and findings as loading everything,
    /// and skipped files are never read.
    @Test func streamingMatchesWholeLoad() throws {
        let patterns = [TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures").path + "/...", Self.kernels]
        let context = BuildContext(tests: true)
        let whole = PackageLoader.load(patterns, context: context)
        var names: [String] = []
        var session = LintSession(Linter())
        let result = PackageLoader.forEachPackage(patterns, context: context) { package in
            names.append(package.directory + ":" + package.name)
            session.add(package)
        }
        let streamed = session.finish()
        #expect(whole.packages.count > 1)
        #expect(names == whole.packages.map { $0.directory + ":" + $0.name })
        #expect(result.fileCount == whole.fileCount && result.lineCount == whole.lineCount)
        #expect(result.failures.map(\.errorDescription) == whole.failures.map(\.errorDescription))
        #expect(Set(streamed) == Set(Linter().run(whole.packages)))
        #expect(!streamed.isEmpty)
        var skipped = 0
        let partial = PackageLoader.forEachPackage(patterns, context: context, skip: { path in
            let skip = path.hasSuffix("ls006_lock.go")
            if skip { skipped += 1 }
            return skip
        }) { _ in }
        #expect(skipped == 1)
        #expect(partial.fileCount == whole.fileCount - 1)
    }
}
