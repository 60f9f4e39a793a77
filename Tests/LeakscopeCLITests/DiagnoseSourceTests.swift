import Foundation
import LeakscopeTestSupport
import Testing

/// `diagnose --source DIR` and `lint --capture DIR` on a real leaking Go service
/// (`Tests/Fixtures/go/lintdiag`): its resolver gives up on a timeout before its worker literal
/// sends (LS001 in the source, goroutines piling up on the send at run time); the same pattern in
/// a function never called is static only; goroutines parked on an unreachable channel are a
/// runtime finding no check matches; a fixed worker pool ranging over a channel nothing closes is
/// LS008 (`low`, so only with `--confidence low`) with goroutines waiting at run time but no
/// runtime finding.
@Suite(.serialized) struct DiagnoseSourceTests {
    struct Static: Decodable {
        var check: String; var function: String; var file: String; var line: Int; var column: Int
        var message: String; var fix: String
    }
    struct Runtime: Decodable { var kind: String; var severity: String; var score: Int; var function: String; var title: String; var source: String }
    struct Site: Decodable { var function: String; var file: String; var line: Int }
    struct Finding: Decodable {
        var kind: String
        var severity: String
        var title: String
        var location: Site?
        var staticEvidence: [Static]?
        var runtimeEvidence: [Runtime]?
        var check: String?
    }
    struct Report: Decodable {
        var findings: [Finding]
        var staticOnly: [Static]?
        var notes: [String]?
    }

    static let source = TestPaths.goFixtures.appendingPathComponent("lintdiag").path
    static let lookup = "example.com/lintdiag/resolver.(*Resolver).Lookup.func1"
    static let prefetch = "example.com/lintdiag/resolver.(*Resolver).Prefetch.func1"
    static let pool = "main.(*pool).work"

    /// Runs the service, lets it leak, and captures two goroutine snapshots 2 s apart.
    static func capture(_ toolchain: GoToolchain.Kind) async throws -> URL {
        _ = try await GoFixtures.build("lintdiag", toolchain: toolchain)
        return try await ChildSlots.shared.withSlots(for: .all) {
            let server = try await FixtureServer("lintdiag", toolchain: toolchain)
            defer { server.stop() }
            await pause(seconds: 1)
            let directory = TestPaths.scratch.appendingPathComponent("lintdiag-capture-\(UUID().uuidString)")
            let capture = try await LeakscopeBinary.run(
                ["capture", server.url(""), "--snapshots", "2", "--interval", "2s", "--cpu-seconds", "0", "--out", directory.path, "--quiet"],
                slot: .alreadyHeld)
            guard capture.exitCode == 0 else { throw OracleFailure("capture: \(capture.summary)") }
            return directory
        }
    }

    /// The current Go (with the goroutineleak profile) and go1.19 (growth only; older closure naming).
    @Test(arguments: [GoToolchain.Kind.current, .debian119])
    func staticAndRuntimeEvidenceMeetInTheSameFunction(_ toolchain: GoToolchain.Kind) async throws {
        let directory = try await Self.capture(toolchain)
        defer { try? FileManager.default.removeItem(at: directory) }

        // diagnose --source: the runtime leak in Lookup's literal carries the LS001 found there.
        let html = TestPaths.scratch.appendingPathComponent("lintdiag-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: html) }
        let json = try await LeakscopeBinary.run(["diagnose", directory.path, "--source", Self.source, "--format", "json",
                                                  "--html", html.path])
        #expect(json.exitCode == 0, "\(json.summary)")
        let report = try JSONDecoder().decode(Report.self, from: Data(json.stdout))
        let titles = report.findings.map { "\($0.kind) \($0.location?.function ?? "-")" }
        let leak = try #require(report.findings.first { $0.kind == "goroutine-leak" && $0.location?.function == Self.lookup }, "\(titles)")
        #expect(leak.severity != "info", "\(leak.title)")
        let evidence = try #require(leak.staticEvidence?.first, "\(leak)")
        #expect(evidence.check == "LS001" && evidence.function == Self.lookup, "\(evidence)")
        #expect(evidence.file.hasSuffix("lintdiag/resolver/resolver.go") && evidence.line == 32, "\(evidence)")
        #expect(evidence.fix.contains("buffered"), "\(evidence.fix)")
        #expect(leak.staticEvidence?.contains { $0.function == Self.prefetch } != true, "Prefetch is another function")
        // Negative: goroutines parked in main.parkIdle are a runtime finding no check matches.
        let parked = try #require(report.findings.first { $0.location?.function == "main.parkIdle" }, "\(titles)")
        #expect(parked.staticEvidence == nil, "\(parked)")
        // Negative: Prefetch never ran, so its LS001 is static only.
        let staticOnly = try #require(report.staticOnly)
        #expect(staticOnly.contains { $0.check == "LS001" && $0.function == Self.prefetch }, "\(staticOnly)")
        #expect(!staticOnly.contains { $0.function == Self.lookup }, "\(staticOnly)")
        // The fixed pool: no runtime finding, and its LS008 is `low`, so left out by default.
        #expect(!report.findings.contains { $0.location?.function == Self.pool }, "\(titles)")
        #expect(!staticOnly.contains { $0.check == "LS008" }, "\(staticOnly)")
        #expect((report.notes ?? []).contains { $0.hasPrefix("source \(Self.source): ") && $0.contains("static only") }, "\(report.notes)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<b>Static:</b> <code>LS001</code>") && page.contains("<h2>Static only</h2>"))
        // A capture without an execution trace has no lifecycle section.
        #expect(!json.stdoutText.contains("\"traces\"") && !page.contains("Goroutine lifecycles"))

        // The same as text: one `static:` line under the leak, a static-only section after the findings.
        let text = try await LeakscopeBinary.run(["diagnose", directory.path, "--source", Self.source, "--all", "--color", "never"])
        #expect(text.exitCode == 0, "\(text.summary)")
        let lines = text.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let whereLine = try #require(lines.firstIndex { $0.hasPrefix("   where: \(Self.lookup) ") }, "\(text.stdoutText)")
        #expect(lines[whereLine + 1].hasPrefix("   static: LS001 at resolver/resolver.go:32:\(evidence.column) — "), "\(lines[whereLine + 1])")
        #expect(lines[whereLine + 1].contains("; fix: make the channel buffered"))
        let parkedWhere = try #require(lines.firstIndex { $0.hasPrefix("   where: main.parkIdle ") })
        #expect(!lines[parkedWhere + 1].contains("static:"))
        let section = try #require(lines.firstIndex { $0.hasPrefix("Static only") })
        #expect(section > whereLine)
        #expect(lines.suffix(from: section + 1).contains { $0.contains("(LS001) in \(Self.prefetch)") }, "\(text.stdoutText)")

        // DIR's own .leakscope.yaml is used, its globs relative to DIR.
        if toolchain == .current {
            let copy = try Self.copyOfSource(config: "lint:\n  disable: [LS009]\n  checks:\n    LS008: {exclude: [\"main.go\"]}\n")
            defer { try? FileManager.default.removeItem(at: copy) }
            let configured = try await LeakscopeBinary.run(["diagnose", directory.path, "--source", copy.path, "--format", "json"])
            #expect(configured.exitCode == 0, "\(configured.summary)")
            let only = try #require(try JSONDecoder().decode(Report.self, from: Data(configured.stdout)).staticOnly)
            #expect(only.map(\.check) == ["LS001"] && only.first?.function == Self.prefetch, "\(only)")
        }

        // lint --capture: the LS001 in Lookup's literal names the goroutines leaking there; Prefetch's names nothing.
        // `--confidence low` brings in the pool's LS008.
        let lint = try await LeakscopeBinary.run(["lint", "--capture", directory.path, "--confidence", "low", "--format", "json",
                                                  Self.source + "/..."])
        #expect(lint.exitCode == 1, "\(lint.summary)")
        let linted = try JSONDecoder().decode(Report.self, from: Data(lint.stdout))
        let sent = try #require(linted.findings.first { $0.check == "LS001" && $0.location?.function == Self.lookup }, "\(linted.findings)")
        let runtime = try #require(sent.runtimeEvidence?.first)
        #expect(runtime.kind == "goroutine-leak" && runtime.function == Self.lookup && runtime.source == directory.path, "\(runtime)")
        #expect(runtime.title.contains("goroutines") || runtime.title.contains("Goroutines"), "\(runtime.title)")
        let unused = try #require(linted.findings.first { $0.check == "LS001" && $0.location?.function == Self.prefetch })
        #expect(unused.runtimeEvidence == nil)
        // Without a runtime finding, goroutines waiting in the function are an info-level observation.
        let ranged = try #require(linted.findings.first { $0.check == "LS008" && $0.location?.function == Self.pool }, "\(linted.findings)")
        let observed = try #require(ranged.runtimeEvidence?.first, "\(ranged)")
        #expect(observed.kind == "blocking-wait" && observed.severity == "info" && observed.score == 0, "\(observed)")
        #expect(observed.title.hasPrefix("4 goroutines in main.(*pool).work at the last snapshot (chan receive 4)"), "\(observed.title)")
        let lintText = try await LeakscopeBinary.run(["lint", "--capture", directory.path, Self.source + "/..."])
        #expect(lintText.exitCode == 1)
        #expect(lintText.stdoutText.contains("resolver.go:32:6: ") && lintText.stdoutText.contains("\n\truntime: goroutine-leak ("),
                "\(lintText.stdoutText)")

        // SARIF: the property, a rank above the check's score and level error on the corroborated result only.
        let sarif = try await LeakscopeBinary.run(["lint", "--capture", directory.path, "--confidence", "low", "--format", "sarif",
                                                   Self.source + "/..."])
        #expect(sarif.exitCode == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout)) as? [String: Any])
        let results = try #require(((document["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        func result(line: Int) -> [String: Any]? {
            results.first { result in
                let locations = result["locations"] as? [[String: Any]]
                let region = (locations?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
                return region?["startLine"] as? Int == line && result["ruleId"] as? String == "LS001"
            }
        }
        let hot = try #require(result(line: 32))
        #expect(hot["level"] as? String == "error")
        #expect((hot["rank"] as? Double ?? 0) > 85, "\(hot)")
        #expect(((hot["properties"] as? [String: Any])?["leakscope/runtime"] as? [Any])?.isEmpty == false, "\(hot)")
        let cold = try #require(result(line: 48), "\(results.map { $0["locations"] ?? "" })")
        #expect(cold["rank"] as? Double == 85 && cold["properties"] == nil, "\(cold)")
        // An info-level observation is carried but neither raises the rank nor the level.
        let pooled = try #require(results.first { $0["ruleId"] as? String == "LS008" })
        #expect(pooled["rank"] as? Double == 75 && pooled["level"] as? String == "note", "\(pooled)")
        #expect(((pooled["properties"] as? [String: Any])?["leakscope/runtime"] as? [Any])?.count == 1, "\(pooled)")
    }

    /// A copy of the fixture's source in scratch, with `config` as its .leakscope.yaml.
    static func copyOfSource(config: String) throws -> URL {
        let copy = TestPaths.scratch.appendingPathComponent("lintdiag-source-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: source), to: copy)
        try Data(config.utf8).write(to: copy.appendingPathComponent(".leakscope.yaml"))
        return copy
    }

    /// A missing directory, a file, or a directory without Go files: one line on stderr, exit 2,
    /// before any input is read.
    @Test func badSourceIsOneLineAndExitTwo() async throws {
        let notGo = TestPaths.scratch.appendingPathComponent("not-go-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: notGo, withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: notGo.appendingPathComponent("README.txt"))
        defer { try? FileManager.default.removeItem(at: notGo) }
        let cases = [
            (notGo.appendingPathComponent("missing").path, "no such directory"),
            (notGo.appendingPathComponent("README.txt").path, "not a directory"),
            (notGo.path, "no Go files"),
        ]
        for (source, message) in cases {
            let run = try await LeakscopeBinary.run(["diagnose", "/nonexistent-capture", "--source", source])
            #expect(run.exitCode == 2, "\(run.summary)")
            #expect(run.stderrText == "leakscope: --source \(source): \(message) (give a Go module or package directory)\n"
                    || run.stderrText == "leakscope: --source \(source): \(message)\n", "\(run.stderrText)")
            #expect(run.stdout.isEmpty)
        }
        // A bad config in DIR: one line naming the file, line and key.
        let copy = try Self.copyOfSource(config: "lint:\n  disable: [LS999]\n")
        defer { try? FileManager.default.removeItem(at: copy) }
        let configured = try await LeakscopeBinary.run(["diagnose", "/nonexistent-capture", "--source", copy.path])
        #expect(configured.exitCode == 2, "\(configured.summary)")
        #expect(configured.stderrText.hasPrefix("leakscope: --source \(copy.path)/.leakscope.yaml:2: lint.disable: unknown check LS999"),
                "\(configured.stderrText)")
        #expect(configured.stderrText.split(separator: "\n").count == 1)
        let lint = try await LeakscopeBinary.run(["lint", "--capture", notGo.appendingPathComponent("missing").path, Self.source + "/..."])
        #expect(lint.exitCode == 2, "\(lint.summary)")
        #expect(lint.stderrText.hasPrefix("leakscope lint: --capture ") && lint.stderrText.split(separator: "\n").count == 1,
                "\(lint.stderrText)")
    }
}
