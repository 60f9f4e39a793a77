import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeProfileAnalysis
@testable import LeakscopeProfile

/// CPU hot spots and GC pressure on real CPU profiles: a validator that compiles its regexp per
/// call, and a program that mostly sleeps.
@Suite struct DiagnoseCPUTests {
    @Test(arguments: GoToolchain.Kind.allCases)
    func perCallRegexpCompileIsTheTopFinding(_ toolchain: GoToolchain.Kind) async throws {
        let dir = try await DiagnoseFixture.directory("cpu", toolchain)
        let report = CPUAnalysis.analyze(try DiagnoseFixture.load(dir, "cpu.pb.gz"))
        // The fixture profiles one busy goroutine until the process used 1.2 s of CPU (at most 10 s of wall
        // time), so a busy machine stretches the profile instead of thinning it.
        let duration = try #require(report.durationSeconds)
        #expect(duration > 0.6 && duration < 11)
        // The process burns 1.2 s; the profile sees most of it (0.79 s once on a loaded runner).
        #expect(report.cpuSeconds > 0.6, "machine too busy? \(report.cpuSeconds) s CPU in \(duration) s")
        #expect(report.samples >= CPUAnalysis.minimumSamples)
        let cores = try #require(report.coresUsed)
        #expect(cores >= CPUAnalysis.idleCores)

        let top = try #require(report.findings.first, "\(report.notes)")
        #expect(top.kind == .cpuHotspot)
        #expect(top.location?.function == "main.validate", "\(top.title)")
        #expect(top.location?.file.hasSuffix("diagnose/cpu.go") == true)
        #expect(top.location?.line == 15, "the MustCompile line")
        #expect(top.severity <= .warning, "\(top.severity) \(top.score): \(top.evidence.summary)")
        #expect(top.title.hasPrefix("CPU hot spot in main.validate (diagnose/cpu.go:15): "), "\(top.title)")
        #expect(top.title.contains("regexp.MustCompile"), "\(top.title)")
        #expect(top.hint.contains("compile it once at package level"), "\(top.hint)")
        #expect(top.evidence.stack.contains { $0.hasPrefix("main.validate") })
        #expect(top.evidence.stack.first.map { !$0.hasPrefix("main.") } == true, "innermost first: \(top.evidence.stack)")

        let validate = try #require(report.hotFunctions.first)
        #expect(validate.location.function == "main.validate")
        #expect(validate.attributedShare > 0.5, "\(validate.attributedShare)")
        #expect(validate.callees.first?.function == "regexp.MustCompile", "\(validate.callees)")
        #expect((validate.callees.first?.share ?? 0) > 0.6)
        // Cumulative: the caller contains validate.
        let caller = try #require(report.cumulative.first { $0.function == "main.serveValidations" })
        #expect(caller.share >= validate.cumulativeShare)
        #expect(validate.cumulativeShare >= validate.attributedShare)
        // Compiling regexps allocates a lot: allocation shows, and is charged to validate.
        #expect(report.gc.malloc > 0.05, "\(report.gc)")
        #expect(report.gc.total <= 1 && report.unattributedShare < 0.5)
        for finding in report.findings where finding.kind == .gcPressure {
            #expect(finding.location?.function == "main.validate")
            #expect(finding.score < top.score)
        }
        #expect(report.findings.filter { $0.kind == .cpuHotspot }.count == 1, "\(report.findings.map(\.title))")
    }

    @Test func allocationHeavyFunctionCarriesTheGCPressure() async throws {
        let dir = try await DiagnoseFixture.directory("cpu-alloc")
        let report = CPUAnalysis.analyze(try DiagnoseFixture.load(dir, "cpu.pb.gz"))
        #expect(report.gc.total >= CPUAnalysis.gcPressureShare, "\(report.gc)")
        #expect(report.gc.malloc > 0.1, "\(report.gc)")
        // A resident 200,000-node list gives every GC cycle objects to scan.
        #expect(report.gc.scanning > 0.05 && report.gc.scanning <= report.gc.gc + 1e-9, "\(report.gc)")
        let pressure = try #require(report.findings.first { $0.kind == .gcPressure }, "\(report.findings.map(\.title))")
        #expect(pressure.location?.function == "main.buildIndex")
        #expect(pressure.location?.line == 56, "the allocating line: \(pressure.title)")
        #expect(pressure.title.hasPrefix("GC and allocation take "))
        #expect(pressure.title.hasSuffix("most allocation CPU is in main.buildIndex (diagnose/cpu.go:56)"), "\(pressure.title)")
        #expect(pressure.hint.contains("GOGC") && pressure.hint.contains("reuse buffers"))
        #expect(pressure.severity <= .warning, "\(pressure.score): \(pressure.evidence.summary)")
        // The function itself is hot, and the reason given is allocation.
        let hot = try #require(report.findings.first { $0.kind == .cpuHotspot })
        #expect(hot.location?.function == "main.buildIndex")
        #expect(hot.hint.hasPrefix("Allocation-heavy"), "\(hot.hint)")
    }

    @Test func severalProfilesAreMergedAndReportsEncode() async throws {
        let dir = try await DiagnoseFixture.directory("cpu")
        let one = try DiagnoseFixture.load(dir, "cpu.pb.gz")
        let single = CPUAnalysis.analyze(one)
        let merged = CPUAnalysis.analyze([one, one])
        #expect(abs(merged.cpuSeconds - 2 * single.cpuSeconds) < 1e-9)
        #expect(merged.durationSeconds.map { abs($0 - 2 * (single.durationSeconds ?? 0)) < 1e-6 } == true)
        #expect(merged.findings.first?.location == single.findings.first?.location)
        #expect(merged.notes.first == "2 CPU profiles merged")
        // Different sample types cannot merge: the last profile is analysed alone.
        let heap = try await DiagnoseFixture.load(try DiagnoseFixture.directory("heap"), "heap-1.pb.gz")
        let mixed = CPUAnalysis.analyze([heap, one])
        #expect(mixed.cpuSeconds == single.cpuSeconds)
        #expect(mixed.notes.first?.hasPrefix("CPU profiles could not be merged") == true)
        // Every report encodes as JSON (no NaN or infinity anywhere).
        let encoder = JSONEncoder()
        let json = try encoder.encode(merged)
        #expect(String(decoding: json, as: UTF8.self).contains("\"hotFunctions\""))
        #expect(!String(decoding: json, as: UTF8.self).contains("causeShares"))
        _ = try await encoder.encode(HeapGrowthAnalysis.analyze(try DiagnoseFixture.series(try DiagnoseFixture.directory("heap"), "heap", "pb.gz",
                                                                                      count: DiagnoseFixture.heapSnapshots)))
        let contention = try await DiagnoseFixture.directory("contention")
        _ = try encoder.encode(ContentionAnalysis.analyze(mutex: try DiagnoseFixture.series(contention, "mutex", "pb.gz", count: 2),
                                                          block: try DiagnoseFixture.series(contention, "block", "pb.gz", count: 2)))
    }

    @Test func idleProgramRaisesNothing() async throws {
        let dir = try await DiagnoseFixture.directory("cpu-idle")
        let report = CPUAnalysis.analyze(try DiagnoseFixture.load(dir, "cpu.pb.gz"))
        #expect(report.durationSeconds.map { $0 > 1.4 } == true)
        #expect(report.coresUsed.map { $0 < CPUAnalysis.idleCores } == true, "\(report.coresUsed ?? -1)")
        // Not even an info "hot spot": an idle process has no CPU problem.
        #expect(report.findings.isEmpty, "\(report.findings.map(\.title))")
    }

    @Test func largeRealProfileAgreesWithPprof() async throws {
        // google/pprof's large.cpu (240 s, 20k samples): totals and cumulative share from `go tool pprof`.
        let url = TestPaths.pprofCorpus.appendingPathComponent("internal/proftest/testdata/large.cpu")
        let oracle = try await GoPprof.run(["-symbolize=none", "-top", "-cum", "-nodecount=10", url.path])
        #expect(oracle.succeeded, "\(oracle.summary)")
        let text = oracle.stdoutText
        func number(after marker: String) -> Double? {
            guard let range = text.range(of: marker) else { return nil }
            return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        let total = try #require(number(after: "Total samples = "), "\(text)")
        let duration = try #require(number(after: "Duration: "))
        let nextLine = try #require(text.split(separator: "\n").first { $0.hasSuffix(" main.next") }, "\(text)")
        let cumPercent = try #require(nextLine.split(separator: " ").dropLast().last.flatMap { Double($0.dropLast()) })

        let report = CPUAnalysis.analyze(TimedProfile(name: "large.cpu", profile: try Profile.parse([UInt8](try Data(contentsOf: url)))))
        #expect(abs(report.cpuSeconds - total) < 0.005, "\(report.cpuSeconds) vs \(total)")
        #expect(abs((report.durationSeconds ?? 0) - duration) < 0.005)
        let next = try #require(report.cumulative.first { $0.function == "main.next" })
        #expect(abs(next.share * 100 - cumPercent) < 0.005, "\(next.share) vs \(cumPercent) %")
        let top = try #require(report.findings.first)
        #expect(top.kind == .cpuHotspot && top.location?.function == "main.next")
        #expect(report.hotFunctions.first?.callees.first?.function == "time.Now")
    }

    @Test func legacyBinaryProfileWithoutSymbolsIsMeasuredNotBlamed() throws {
        // google/pprof's go.crc32.cpu: legacy binary, no symbols. `go tool pprof -top` says "2.11s total".
        let url = TestPaths.pprofCorpus.appendingPathComponent("profile/testdata/go.crc32.cpu")
        let profile = try Profile.parse([UInt8](try Data(contentsOf: url)))
        let report = CPUAnalysis.analyze(TimedProfile(name: "go.crc32.cpu", profile: profile))
        #expect(abs(report.cpuSeconds - 2.11) < 0.005, "\(report.cpuSeconds)")
        #expect(report.hotFunctions.isEmpty)
        #expect(report.unattributedShare == 1)
        #expect(!report.findings.contains { $0.kind == .cpuHotspot })
    }

    @Test func hostileProfilesDoNotCrash() {
        var noTypes = Profile()
        noTypes.samples = [Sample(locations: [3], values: [1])]
        var dangling = Profile()
        dangling.sampleTypes = [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")]
        dangling.durationNanos = -5
        dangling.functions = [Function(id: 1, name: "main.hot", filename: "x.go"), Function(id: 2, name: "main.hot", filename: "x.go")]
        dangling.locations = [Location(id: 1, lines: [Line(function: 9), Line(function: 0, line: -1)]),
                              Location(id: 2, lines: [Line(function: 1, line: Int64.min)])]
        dangling.samples = [Sample(locations: [0, 1, 42, -1], values: [Int64.max, Int64.max]),
                            Sample(locations: [1, 0], values: [1, Int64.max]),
                            Sample(locations: [0], values: [-7, -7]),
                            Sample(locations: [], values: [])]
        for profile in [Profile(), noTypes, dangling] {
            let report = CPUAnalysis.analyze(TimedProfile(name: "hostile", profile: profile))
            #expect(report.findings.allSatisfy { (0...100).contains($0.score) })
            #expect(report.cpuSeconds >= 0)
        }
        let report = CPUAnalysis.analyze(TimedProfile(name: "dangling", profile: dangling))
        #expect(report.hotFunctions.count == 1, "duplicate function entries add up: \(report.hotFunctions.map(\.location))")
        #expect(report.notes.contains { $0.contains("negative") })
        #expect(report.durationSeconds == nil)

        // Enormous but valid numbers make a finding whose text must still format.
        var huge = dangling
        huge.durationNanos = 1
        huge.samples = [Sample(locations: [1], values: [Int64.max, Int64.max]), Sample(locations: [1], values: [Int64.max, Int64.max])]
        let extreme = CPUAnalysis.analyze(TimedProfile(name: "huge", profile: huge))
        #expect(extreme.findings.first?.kind == .cpuHotspot && extreme.findings.first?.score == 100)
        #expect(extreme.findings.first?.title.contains("e+") == true, "\(extreme.findings.map(\.title))")
    }
}
