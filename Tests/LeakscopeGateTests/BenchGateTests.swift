import Foundation
import Testing
import LeakscopeGateFormats
import LeakscopeTestSupport

/// `leakscope gate bench` on real `go test -bench` output of Tests/Fixtures/go/gatebench, run
/// interleaved (base, change, base, change …) as CI should.
@Suite struct BenchGateTests {
    @Test func parsesRealBenchmarkOutput() async throws {
        let binary = try await GateFixtures.benchBinary()
        let run = try await ProcessRunner.run(binary.path, ["-test.run", "^$", "-test.bench", ".", "-test.benchmem",
                                                            "-test.count", "2", "-test.benchtime", "5ms"],
                                              environment: GoToolchain.environment, directory: GateFixtures.benchModule)
        #expect(run.succeeded, "\(run.summary)")
        let file = try BenchmarkFile.parse(run.stdoutText, source: "run")
        #expect(file.configuration["pkg"] == "example.com/gatebench")
        #expect(file.configuration["goos"] == "linux")
        // Every result line gives one sample per unit it lists.
        let lines = run.stdoutText.split(separator: "\n").filter { $0.hasPrefix("Benchmark") }
        let mixLines = lines.filter { $0.hasPrefix("BenchmarkMix-") || $0.hasPrefix("BenchmarkMix ") }
        let mix = try #require(file.order.first { $0.name.hasPrefix("Mix") && !$0.name.contains("/") && $0.unit == "sec/op" })
        #expect(file.samples[mix]?.count == mixLines.count)
        let firstNs = try #require(Double(String(mixLines[0].split(whereSeparator: { $0 == " " || $0 == "\t" })[2])))
        #expect(file.samples[mix]?.first == firstNs / 1e9)
        #expect(file.order.contains { $0.name.hasPrefix("MixSizes/rounds=50") && $0.unit == "B/s" })
        #expect(file.order.contains { $0.name.hasPrefix("Join") && $0.unit == "allocs/op" })
        #expect(file.better("B/s") == .higher && file.better("sec/op") == .lower)
    }

    @Test func detectsAnInjectedSlowdownAndAnExtraAllocation() async throws {
        let (old, new) = try await GateFixtures.interleaved("regression", runs: 6, bench: "^Benchmark(Mix|Join)$",
                                                           change: ["GATEBENCH_SLOWDOWN": "9", "GATEBENCH_EXTRA_ALLOC": "1"])
        let result = try await LeakscopeBinary.run(["gate", "bench", "--format", "json", old.path, new.path])
        #expect(result.exitCode == 1, "\(result.summary)\n\(result.stdoutText)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(object["verdict"] as? String == "fail")
        let rows = try #require(object["results"] as? [[String: Any]])
        func row(_ name: String, _ unit: String) -> [String: Any]? {
            rows.first { ($0["benchmark"] as? String)?.hasPrefix(name + "-") == true && $0["unit"] as? String == unit }
                ?? rows.first { $0["benchmark"] as? String == name && $0["unit"] as? String == unit }
        }
        let allocs = try #require(row("Join", "allocs/op"))
        #expect(allocs["outcome"] as? String == "regression")
        #expect(abs((allocs["change"] as? Double ?? 0) - 0.5) < 1e-9)  // 2 → 3 allocations
        #expect(row("Join", "B/op")?["outcome"] as? String == "regression")
        let mix = try #require(row("Mix", "sec/op"))
        #expect(mix["outcome"] as? String == "regression", "\(mix)")
        // Ten times the work. On a shared 2-core machine at load 20 one run can take 4× another
        // with no change at all, so only a large slowdown is certain to show in six runs per side.
        #expect((mix["change"] as? Double ?? 0) > 1)
        // 0 allocations on both sides: nothing to compare, and not a failure.
        #expect(row("Mix", "allocs/op")?["outcome"] as? String == "same")

        let text = try await LeakscopeBinary.run(["gate", "bench", old.path, new.path])
        #expect(text.exitCode == 1)
        #expect(text.stdoutText.contains("pkg: example.com/gatebench"))
        #expect(text.stdoutText.contains("REGRESSION (worse by more than 5.0%)"))
        #expect(text.stdoutText.contains("verdict: FAIL"))
        #expect(text.stdoutText.contains("+50.00%"))

        let markdown = try await LeakscopeBinary.run(["gate", "bench", "--format", "markdown", old.path, new.path])
        #expect(markdown.stdoutText.hasPrefix("### leakscope gate bench: ❌ regression"))
        #expect(markdown.stdoutText.contains("| `example.com/gatebench.Join"))

        let junit = try await LeakscopeBinary.run(["gate", "bench", "--format", "junit", old.path, new.path])
        #expect(junit.exitCode == 1)
        #expect(junit.stdoutText.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"leakscope gate bench\" tests=\"\(rows.count)\""))
        #expect(junit.stdoutText.contains("<failure message=\"+50.00% (p="))
        let github = try await LeakscopeBinary.run(["gate", "bench", "--format", "github", old.path, new.path])
        #expect(github.exitCode == 1)
        let annotations = github.stdoutText.split(separator: "\n")
        #expect(annotations.allSatisfy { $0.hasPrefix("::error title=leakscope gate bench%3A example.com/gatebench.") }, "\(github.stdoutText)")
        // `%` is escaped as `%25` in workflow commands.
        #expect(annotations.contains { $0.contains("Join-") && $0.contains(" allocs/op::+50.00%25 (p=") })

        // A config that tolerates the slowdown and ignores Join lets it pass.
        let config = try GateFixtures.file("bench.yaml", """
            max-regression: 5%
            thresholds:
              - unit: sec/op
                max-regression: 100000%
              - benchmark: Join
                ignore: true
            """)
        let relaxed = try await LeakscopeBinary.run(["gate", "bench", "--config", config, old.path, new.path])
        #expect(relaxed.exitCode == 0, "\(relaxed.stdoutText)")
        #expect(relaxed.stdoutText.contains("ignored"))
    }

    @Test func cpuProfilesNameTheFunctionsThatGrew() async throws {
        let binary = try await GateFixtures.benchBinary()
        let dir = TestPaths.scratch.appendingPathComponent("gate-cpu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var outputs: [String] = []
        for (name, slowdown) in [("old", "0"), ("new", "1.0")] {
            var environment = GoToolchain.environment
            environment["GATEBENCH_SLOWDOWN"] = slowdown
            // A fixed iteration count, so twice the work per op is twice the CPU time in the profile.
            let run = try await ProcessRunner.run(binary.path, ["-test.run", "^$", "-test.bench", "^BenchmarkMix$", "-test.benchtime", "20000x",
                                                                "-test.cpuprofile", dir.appendingPathComponent("\(name).pprof").path],
                                                  environment: environment, directory: GateFixtures.benchModule, slot: .timed)
            #expect(run.succeeded, "\(run.summary)")
            outputs.append(try GateFixtures.file("\(name).txt", run.stdoutText))
        }
        let flame = dir.appendingPathComponent("diff.html").path
        let result = try await LeakscopeBinary.run(["gate", "bench", "--cpuprofile-old", dir.appendingPathComponent("old.pprof").path,
                                                    "--cpuprofile-new", dir.appendingPathComponent("new.pprof").path,
                                                    "--flamegraph", flame, outputs[0], outputs[1]])
        // One run per side: the rows are inconclusive, and the CPU profiles still say where the time went.
        #expect(result.exitCode == 0, "\(result.summary)")
        let text = result.stdoutText
        let section = try #require(text.range(of: "CPU profile (cpu): ").map { String(text[$0.lowerBound...]) }, "\(text)")
        let firstRow = try #require(section.split(separator: "\n").dropFirst(2).first, "\(section)")
        #expect(firstRow.hasSuffix("example.com/gatebench.Mix"), "\(section)")
        let page = try String(contentsOfFile: flame, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        let json = try await LeakscopeBinary.run(["gate", "bench", "--format", "json", "--cpuprofile-old", dir.appendingPathComponent("old.pprof").path,
                                                  "--cpuprofile-new", dir.appendingPathComponent("new.pprof").path, outputs[0], outputs[1]])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let cpu = try #require(object["cpu"] as? [String: Any])
        #expect((cpu["functions"] as? [[String: Any]])?.first?["function"] as? String == "example.com/gatebench.Mix")
    }

    @Test func sameResultsPass() async throws {
        let (old, _) = try await GateFixtures.interleaved("same", runs: 4, bench: "^BenchmarkJoin$", change: [:])
        let result = try await LeakscopeBinary.run(["gate", "bench", old.path, old.path])
        #expect(result.exitCode == 0, "\(result.summary)")
        #expect(result.stdoutText.contains("verdict: PASS"))
        #expect(!result.stdoutText.contains("REGRESSION"))
    }

    @Test func tooFewRunsAreInconclusiveAndSayHowManyAreNeeded() async throws {
        let old = try GateFixtures.file("old.txt", "pkg: p\nBenchmarkA-2 100 10 ns/op\nBenchmarkA-2 100 11 ns/op\nBenchmarkA-2 100 12 ns/op\n")
        let new = try GateFixtures.file("new.txt", "pkg: p\nBenchmarkA-2 100 20 ns/op\nBenchmarkA-2 100 21 ns/op\nBenchmarkA-2 100 22 ns/op\n")
        let result = try await LeakscopeBinary.run(["gate", "bench", old, new])
        #expect(result.exitCode == 0)
        #expect(result.stdoutText.contains("inconclusive: need ≥ 4 runs per side to test at α=0.05, have 3 and 3"))
        #expect(result.stdoutText.contains("verdict: INCONCLUSIVE"))
        let strict = try await LeakscopeBinary.run(["gate", "bench", "--fail-on-inconclusive", old, new])
        #expect(strict.exitCode == 3)
    }

    @Test func badInputIsOneLineAndExit2() async throws {
        let good = try GateFixtures.file("good.txt", "BenchmarkA 100 10 ns/op\n")
        let odd = try GateFixtures.file("odd.txt", "goos: linux\nBenchmarkA 100 10 ns/op 5\n")
        let result = try await LeakscopeBinary.run(["gate", "bench", good, odd])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText == "leakscope: \(odd):2: result line needs value-unit pairs after the iteration count (got 5 fields)\n")

        let notANumber = try GateFixtures.file("nan.txt", "BenchmarkA 100 fast ns/op\n")
        let bad = try await LeakscopeBinary.run(["gate", "bench", good, notANumber])
        #expect(bad.stderrText == "leakscope: \(notANumber):1: ns/op: `fast` is not a number\n")

        let empty = try GateFixtures.file("empty.txt", "PASS\nok  \texample.com/x\t0.1s\n")
        let none = try await LeakscopeBinary.run(["gate", "bench", good, empty])
        #expect(none.exitCode == 2)
        #expect(none.stderrText.hasPrefix("leakscope: \(empty): no benchmark results"))

        let missing = try await LeakscopeBinary.run(["gate", "bench", good, "/nonexistent/new.txt"])
        #expect(missing.exitCode == 2)
        #expect(missing.stderrText.hasPrefix("leakscope: /nonexistent/new.txt: open:"))

        let usage = try await LeakscopeBinary.run(["gate", "bench", "--max-regression", "lots", good, good])
        #expect(usage.exitCode == 2)
        #expect(usage.stderrText.contains("--max-regression: `lots` is not a percentage"))

        let config = try GateFixtures.file("bad.yaml", "max-regression: 5%\nthresholds:\n  - unit: sec/op\n    maxregression: 3%\n")
        let badConfig = try await LeakscopeBinary.run(["gate", "bench", "--config", config, good, good])
        #expect(badConfig.exitCode == 2)
        #expect(badConfig.stderrText == "leakscope: \(config):4: thresholds[0].maxregression: unknown key (use benchmark, unit, max-regression, ignore)\n")
    }
}
