import Foundation
import Testing
import LeakscopeTestSupport

/// `leakscope gate heap` on real heap profiles (checked against `go tool pprof -diff_base`) and
/// `leakscope gate leaks` on a real test suite that leaks (Tests/Fixtures/go/gateleaks).
@Suite struct HeapAndLeakGateTests {
    @Test func heapGrowthFailsWithTheFunctionPprofShows() async throws {
        let dir = try await GoFixtures.output("gateheap", toolchain: .current)
        let before = dir.appendingPathComponent("before.pb.gz").path, after = dir.appendingPathComponent("after.pb.gz").path
        let result = try await LeakscopeBinary.run(["gate", "heap", "--format", "json", before, after])
        #expect(result.exitCode == 1, "\(result.summary)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let rows = try #require(object["results"] as? [[String: Any]])
        let top = try #require(rows.first)
        #expect(top["function"] as? String == "main.(*cache).fill")
        #expect(top["failed"] as? Bool == true)
        // The pool grew 64 kB: under the 1 MB limit.
        let pool = try #require(rows.first { $0["function"] as? String == "main.(*pool).grow" })
        #expect(pool["failed"] as? Bool == false)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        #expect((findings.first?["location"] as? [String: Any])?["function"] as? String == "main.(*cache).fill")

        // Growth per function equals pprof's flat column of the difference, to its printed precision.
        let pprof = try await GoPprof.run(["-top", "-diff_base", before, after])
        #expect(pprof.succeeded, "\(pprof.summary)")
        for row in rows.prefix(2) {
            let function = try #require(row["function"] as? String)
            let line = try #require(pprof.stdoutText.split(separator: "\n").first { $0.hasSuffix(" " + function) })
            let flat = String(line.split(separator: " ")[0])
            let kB = try #require(Double(flat.replacingOccurrences(of: "kB", with: "").replacingOccurrences(of: "MB", with: "")))
            let pprofBytes = flat.hasSuffix("MB") ? kB * 1_048_576 : kB * 1024
            let ours = try #require(row["growth"] as? Double)
            #expect(abs(ours - pprofBytes) <= (flat.hasSuffix("MB") ? 5243 : 6), "\(function): ours \(ours), pprof \(flat)")
        }

        let text = try await LeakscopeBinary.run(["gate", "heap", before, after])
        #expect(text.stdoutText.contains("GROWTH beyond limit"))
        #expect(text.stdoutText.contains("verdict: FAIL: 1 function grew beyond 1.0 MB and 20% per function"))
        let relaxed = try await LeakscopeBinary.run(["gate", "heap", "--max-growth", "16MB", before, after])
        #expect(relaxed.exitCode == 0)
        // Shrinking (after → before) passes.
        let reversed = try await LeakscopeBinary.run(["gate", "heap", after, before])
        #expect(reversed.exitCode == 0)
        let badIndex = try await LeakscopeBinary.run(["gate", "heap", "--sample-index", "nosuch", before, after])
        #expect(badIndex.exitCode == 2)
        #expect(badIndex.stderrText.hasPrefix("leakscope: \(before): no sample type nosuch (has alloc_objects, alloc_space, inuse_objects, inuse_space)"))
    }

    @Test func leakingTestSuiteFailsNamingTheTestAndTheSites() async throws {
        let toolchain = try await GoToolchain.locate(.current)
        let binary = try LeakscopeBinary.path()
        let result = try await ProcessRunner.run(binary, ["gate", "leaks", "--format", "json", "--", toolchain.goExecutable, "test", "./..."],
                                                 environment: GoToolchain.environment, directory: GateFixtures.leaksModule)
        #expect(result.exitCode == 1, "\(result.summary)\n\(result.stdoutText)")
        // go test's own output went to stderr, leaving stdout to the JSON.
        #expect(result.stderrText.contains("ok  \texample.com/gateleaks/clean"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(object["verdict"] as? String == "fail")
        let leaks = try #require(object["results"] as? [[String: Any]])
        #expect(leaks.allSatisfy { $0["package"] as? String == "example.com/gateleaks/worker" }, "\(leaks)")
        let pool = try #require(leaks.first { $0["test"] as? String == "TestPoolForgotten" }, "\(leaks)")
        #expect(pool["count"] as? Int == 1)
        #expect(pool["state"] as? String == "chan receive")
        #expect((pool["waitSite"] as? [String: Any])?["function"] as? String == "example.com/gateleaks/worker.(*Pool).loop")
        #expect((pool["creator"] as? [String: Any])?["function"] as? String == "example.com/gateleaks/worker.Start")
        // Go 1.27's goroutineleak profile proves the pool goroutine unreachable; the sleeping poller is only alive.
        #expect(pool["provenByGC"] as? Bool == true)
        let watch = try #require(leaks.first { $0["test"] as? String == "TestWatch" }, "\(leaks)")
        #expect(watch["state"] as? String == "sleep")
        #expect(watch["provenByGC"] as? Bool == false)
        #expect(leaks.count == 2, "\(leaks)")
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0["kind"] as? String == "goroutine-leak" })

        // Text: the package with its own TestMain is named as not checked.
        let text = try await ProcessRunner.run(binary, ["gate", "leaks", "--", toolchain.goExecutable, "test", "./..."],
                                               environment: GoToolchain.environment, directory: GateFixtures.leaksModule)
        #expect(text.exitCode == 1)
        #expect(text.stdoutText.contains("note: example.com/gateleaks/ownmain: not checked, it has its own TestMain"))
        #expect(text.stdoutText.contains("test:    TestPoolForgotten"))
        #expect(text.stdoutText.contains("created: example.com/gateleaks/worker.Start (worker/worker.go:16)"))

        // GitHub annotations point at the wait site's file and line.
        let github = try await ProcessRunner.run(binary, ["gate", "leaks", "--format", "github", "--", toolchain.goExecutable, "test", "./worker"],
                                                 environment: GoToolchain.environment, directory: GateFixtures.leaksModule)
        #expect(github.exitCode == 1)
        let workerFile = GateFixtures.leaksModule.appendingPathComponent("worker/worker.go").path
        #expect(github.stdoutText.contains("::error file=\(workerFile),line=22,title=leakscope gate leaks%3A 1 goroutine leaked in TestPoolForgotten"),
                "\(github.stdoutText)")
    }

    @Test func cleanPackagesPassAndDumpsCanBeCheckedDirectly() async throws {
        let toolchain = try await GoToolchain.locate(.current)
        let binary = try LeakscopeBinary.path()
        let clean = try await ProcessRunner.run(binary, ["gate", "leaks", "--", toolchain.goExecutable, "test", "./clean"],
                                                environment: GoToolchain.environment, directory: GateFixtures.leaksModule)
        #expect(clean.exitCode == 0, "\(clean.summary)\n\(clean.stdoutText)")
        #expect(clean.stdoutText.contains("no leaked goroutines"))
        #expect(clean.stdoutText.contains("verdict: PASS"))

        // The same check over a dump a test binary wrote itself (goroutine?debug=2 text).
        let dump = try GateFixtures.file("dump.txt", """
            goroutine 1 [running]:
            main.main()
            \t/src/app/main.go:10 +0x1d

            goroutine 7 [chan send, 3 minutes]:
            example.com/app.(*Publisher).publish(0xc000010000)
            \t/src/app/publish.go:42 +0x65
            created by example.com/app.NewPublisher in goroutine 1
            \t/src/app/publish.go:20 +0x9a

            goroutine 9 [syscall]:
            os/signal.signal_recv()
            \t/usr/lib/go/src/runtime/sigqueue.go:152 +0x29
            os/signal.loop()
            \t/usr/lib/go/src/os/signal/signal_unix.go:23 +0x13
            created by os/signal.Notify.func1.1 in goroutine 1
            \t/usr/lib/go/src/os/signal/signal.go:151 +0x1f

            """)
        let result = try await LeakscopeBinary.run(["gate", "leaks", dump])
        #expect(result.exitCode == 1, "\(result.summary)")
        #expect(result.stdoutText.contains("LEAK 1 goroutine [chan send]"))
        #expect(result.stdoutText.contains("waits:   example.com/app.(*Publisher).publish (app/publish.go:42)"))
        #expect(!result.stdoutText.contains("signal_recv"))

        let usage = try await LeakscopeBinary.run(["gate", "leaks", "--", "make", "test"])
        #expect(usage.exitCode == 2)
        #expect(usage.stderrText.contains("must be `go test …`"))
        let neither = try await LeakscopeBinary.run(["gate", "leaks"])
        #expect(neither.exitCode == 2)
    }
}
