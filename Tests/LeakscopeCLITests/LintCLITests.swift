import Foundation
import Testing
import LeakscopeTestSupport

/// `leakscope lint` run as a user runs it: text, JSON and SARIF on the leak kernels, exit codes,
/// syntax errors and bad flags.
@Suite struct LintCLITests {
    static let kernels = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/lint/kernels").path

    @Test func textLikeGoVetAndExitOneOnFindings() async throws {
        let result = try await LeakscopeBinary.run(["lint", Self.kernels])
        #expect(result.exitCode == 1, "\(result.summary)")
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count >= 20)
        #expect(lines.contains { $0.hasPrefix(Self.kernels + "/ls006_lock.go:16:2: s.mu.Lock() is still held at the return on line 18 (LS006)") })
        #expect(lines.allSatisfy { $0.wholeMatch(of: /.+\.go:\d+:\d+: .+ \(LS00\d\)/) != nil })
        // The low-confidence kernels (a discarded timeout cancel, cancels missed on a path, a client
        // with a Timeout, a body read once into a buffer, a range in a type nothing can stop, short
        // time.After timers per message …) are left out, and stderr says so.
        #expect(!lines.contains { $0.hasPrefix(Self.kernels + "/ls003_cancel.go:12:") })
        // As many as the kernels mark `// want "LS00N" low`.
        let marked = try Self.markers { $0.matches(of: /want "LS00\d" low/).count }
        #expect(marked >= 20)
        #expect(result.stderrText == "leakscope lint: \(marked) low-confidence findings not shown (--confidence low shows them)\n")
    }

    /// `--confidence low` (or the config's `confidence: low`) adds the low-confidence shapes, marked
    /// in JSON (`confidence`, `confidence_note`) and SARIF (level `note`, `leakscope/confidence`).
    @Test func lowConfidenceShapesOnRequest() async throws {
        let json = try await LeakscopeBinary.run(["lint", "--format", "json", "--confidence", "low", "--checks", "LS003", Self.kernels])
        #expect(json.exitCode == 1, "\(json.summary)")
        #expect(json.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 15)
        let low = findings.filter { $0["confidence"] as? String == "low" }
        #expect(low.count == 13)
        let discardedTimeout = low.first { ($0["location"] as? [String: Any])?["line"] as? Int == 12 }
        #expect((discardedTimeout?["confidence_note"] as? String)?.contains("deadline") == true)
        #expect(low.filter { ($0["confidence_note"] as? String)?.contains("again and again") == true }.count == 12)
        #expect(findings.filter { $0["confidence"] as? String == "high" }.allSatisfy { $0["confidence_note"] == nil })

        let sarif = try await LeakscopeBinary.run(["lint", "--format", "sarif", "--confidence", "low", "--checks", "LS003",
                                                   "--sarif-root", Self.kernels, Self.kernels])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let notes = results.filter { $0["level"] as? String == "note" }
        #expect(notes.count == 13)
        #expect((notes.first?["properties"] as? [String: Any])?["leakscope/confidence"] as? String == "low")
        #expect(results.filter { $0["level"] as? String != "note" }.allSatisfy { $0["properties"] == nil })

        // The same from the config file; the flag wins over it; a bad level is one line and exit 2.
        let dir = TestPaths.scratch.appendingPathComponent("lint-confidence")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("leakscope.yaml")
        try "lint:\n  confidence: low\n".write(to: config, atomically: true, encoding: .utf8)
        let fromFile = try await LeakscopeBinary.run(["lint", "--checks", "LS003", "--config", config.path, Self.kernels])
        #expect(fromFile.stdoutText.split(separator: "\n").count == 15, "\(fromFile.summary)")
        let overridden = try await LeakscopeBinary.run(["lint", "--checks", "LS003", "--confidence", "high", "--config", config.path, Self.kernels])
        #expect(overridden.stdoutText.split(separator: "\n").count == 2, "\(overridden.summary)")
        try "lint:\n  confidence: maybe\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try await LeakscopeBinary.run(["lint", "--config", config.path, Self.kernels])
        #expect(bad.exitCode == 2)
        #expect(bad.stderrText == "leakscope lint: \(config.path):2: lint.confidence: `maybe` is not high or low\n")
    }

    /// A count over the kernels' text, file by file.
    static func markers(_ count: (String) -> Int) throws -> Int {
        let files = try FileManager.default.contentsOfDirectory(atPath: kernels).filter { $0.hasSuffix(".go") }
        return try files.reduce(0) { $0 + count(try String(contentsOfFile: kernels + "/" + $1, encoding: .utf8)) }
    }

    @Test func jsonCarriesTheFindingContract() async throws {
        let result = try await LeakscopeBinary.run(["lint", "--format", "json", "--checks", "LS003,body-not-closed", Self.kernels])
        #expect(result.exitCode == 1, "\(result.summary)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        // One per LS003 and LS004 kernel not marked low.
        let marked = try Self.markers { $0.matches(of: /want "LS00[34]"(?! low)/).count }
        #expect(marked >= 30)
        #expect(findings.count == marked)
        for finding in findings {
            #expect(finding["confidence"] as? String == "high")
            for key in ["kind", "severity", "score", "title", "location", "evidence", "hint", "check", "column"] {
                #expect(finding[key] != nil, "missing \(key)")
            }
            #expect(["LS003", "LS004"].contains(finding["check"] as? String))
            let location = try #require(finding["location"] as? [String: Any])
            #expect((location["function"] as? String)?.hasPrefix("main.") == true)
        }
        #expect(findings.first?["kind"] as? String == "resource-leak")
        #expect((object["files"] as? Int ?? 0) >= 10)
    }

    @Test func sarifHasWhatCodeScanningRequires() async throws {
        let result = try await LeakscopeBinary.run(["lint", "--format", "sarif", "--sarif-root", Self.kernels, Self.kernels])
        #expect(result.exitCode == 1, "\(result.summary)")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "leakscope")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.count == 9)
        for rule in rules {
            #expect((rule["help"] as? [String: Any])?["markdown"] != nil)
            #expect(((rule["properties"] as? [String: Any])?["precision"]) != nil)
        }
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count >= 20)
        var fingerprints = Set<String>()
        for r in results {
            #expect((r["message"] as? [String: Any])?["text"] is String)
            let location = try #require((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let uri = try #require((location["artifactLocation"] as? [String: Any])?["uri"] as? String)
            #expect(!uri.hasPrefix("/") && uri.hasSuffix(".go"), "\(uri)")
            #expect(((location["region"] as? [String: Any])?["startLine"] as? Int ?? 0) > 0)
            let fingerprint = try #require((r["partialFingerprints"] as? [String: String])?["primaryLocationLineHash"])
            fingerprints.insert(fingerprint)
        }
        #expect(fingerprints.count == results.count)
    }

    /// `--config`: enable/disable, excluded paths and a per-check severity; a bad key exits 2 naming its line.
    @Test func configFileSelectsChecksPathsAndSeverity() async throws {
        let dir = TestPaths.scratch.appendingPathComponent("lint-config")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("leakscope.yaml")
        try """
            lint:
              enable: [LS003, LS004, lock-not-released]
              disable: [LS004]
              exclude: ["**/suppressed.go"]
              checks:
                LS006: {severity: info}
            """.write(to: config, atomically: true, encoding: .utf8)
        let result = try await LeakscopeBinary.run(["lint", "--format", "json", "--config", config.path, Self.kernels])
        #expect(result.exitCode == 1, "\(result.summary)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["check"] as? String }) == ["LS003", "LS006"])
        #expect(findings.filter { $0["check"] as? String == "LS006" }.allSatisfy { $0["severity"] as? String == "info" })
        #expect(!findings.contains { (($0["location"] as? [String: Any])?["file"] as? String)?.hasSuffix("suppressed.go") == true })

        try "lint:\n  checks:\n    LS006: {severity: loud}\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try await LeakscopeBinary.run(["lint", "--config", config.path, Self.kernels])
        #expect(bad.exitCode == 2, "\(bad.summary)")
        #expect(bad.stderrText.contains("leakscope.yaml:3: lint.checks.LS006.severity: `loud` is not critical, warning or info"))
        #expect(bad.stdout.isEmpty)
    }

    @Test func cleanCodeExitsZero() async throws {
        let dir = TestPaths.scratch.appendingPathComponent("lint-clean")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "package clean\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc F() {\n\tmu.Lock()\n\tdefer mu.Unlock()\n}\n"
            .write(to: dir.appendingPathComponent("clean.go"), atomically: true, encoding: .utf8)
        let result = try await LeakscopeBinary.run(["lint", dir.path])
        #expect(result.exitCode == 0, "\(result.summary)")
        #expect(result.stdout.isEmpty)
    }

    @Test func syntaxErrorsAndBadFlagsExitTwo() async throws {
        let dir = TestPaths.scratch.appendingPathComponent("lint-broken")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "package broken\n\nfunc F() {\n\tif x {\n}\n".write(to: dir.appendingPathComponent("broken.go"), atomically: true, encoding: .utf8)
        let broken = try await LeakscopeBinary.run(["lint", dir.path])
        #expect(broken.exitCode == 2, "\(broken.summary)")
        #expect(broken.stderrText.contains("broken.go:6:1: "), "\(broken.stderrText)")

        let unknown = try await LeakscopeBinary.run(["lint", "--checks", "LS999", Self.kernels])
        #expect(unknown.exitCode == 2, "\(unknown.summary)")
        #expect(unknown.stderrText.contains("unknown check LS999"))

        let missing = try await LeakscopeBinary.run(["lint", "/nonexistent/dir/..."])
        #expect(missing.exitCode == 2)
        #expect(missing.stderrText.contains("no such directory"))
    }
}
