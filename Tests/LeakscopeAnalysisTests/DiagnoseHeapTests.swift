import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeGoSymbols
@testable import LeakscopeProfileAnalysis
@testable import LeakscopeProfile

/// Loads the profiles the `diagnose` Go fixture wrote (see `Tests/Fixtures/go/diagnose`).
enum DiagnoseFixture {
    /// The fixture's output in `mode`; run nearly alone (`.timed`), since its CPU, contention and growth figures depend
    /// on getting the CPU in time.
    static func directory(_ mode: String, _ toolchain: GoToolchain.Kind = .current) async throws -> URL {
        try await GoFixtures.output("diagnose", toolchain: toolchain, arguments: ["-mode", mode], exclusive: true)
    }

    static func load(_ dir: URL, _ file: String) throws -> TimedProfile {
        let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(file)))
        return TimedProfile(name: file, profile: try Profile.parse(bytes))
    }

    /// `prefix-1.ext` … `prefix-count.ext`.
    static func series(_ dir: URL, _ prefix: String, _ ext: String, count: Int) throws -> [TimedProfile] {
        try (1...count).map { try load(dir, "\(prefix)-\($0).\(ext)") }
    }

    static let heapSnapshots = 6
}

/// Heap growth on real heap profiles of a leaking cache, a one-off load and churn.
@Suite struct DiagnoseHeapTests {
    /// What the fixture's heap mode guarantees, whatever the toolchain and format.
    func expectLeakFound(_ report: HeapGrowthReport, timesKnown: Bool, _ context: String) throws {
        let top = try #require(report.findings.first, "\(context): no findings; notes \(report.notes)")
        #expect(top.kind == .heapGrowth)
        #expect(top.location?.function == "main.(*ResponseCache).Put", "\(context): \(top.title)")
        #expect(top.location?.line == 23 && top.location?.file.hasSuffix("diagnose/heap.go") == true, "\(context)")
        #expect(top.severity <= .warning, "\(context): \(top.severity) \(top.score)")
        #expect(top.title.hasPrefix("Heap grows at main.(*ResponseCache).Put (diagnose/heap.go:23): +"), "\(top.title)")
        #expect(top.hint.contains("cache") && top.hint.contains("LRU"), "\(top.hint)")
        // Proto profiles hide the runtime's allocator frames; debug=1 text keeps runtime.mallocgc at the leaf.
        let firstApp = top.evidence.stack.first { ApplicationCode.isApplication(String($0.prefix { $0 != " " })) }
        #expect(firstApp?.hasPrefix("main.(*ResponseCache).Put") == true, "\(context): \(top.evidence.stack)")
        #expect(top.evidence.stack.contains { $0.hasPrefix("main.heapMode") })
        // 512 × 4 KiB per interval, recorded exactly (MemProfileRate = 1); now and then go1.19 charges one small
        // runtime allocation made during Put (96 B) to the same line.
        let series = try #require(top.evidence.series)
        #expect(series.count == DiagnoseFixture.heapSnapshots)
        let perInterval = zip(series, series.dropFirst()).map { $1 - $0 }
        #expect(perInterval.allSatisfy { $0 >= 512 * 4096 && $0 < 512 * 4096 + 1024 }, "\(context): \(series)")
        #expect(top.evidence.sources.count == DiagnoseFixture.heapSnapshots)
        if timesKnown {
            let perMinute = try #require(top.evidence.perMinute)
            #expect(perMinute > 2 * 1_048_576)
            #expect(top.title.contains("/min"))
        } else {
            #expect(top.evidence.perMinute == nil)
            #expect(report.notes.contains { $0.contains("times unknown") })
        }

        let leak = try #require(report.sites.first { $0.location.function == "main.(*ResponseCache).Put" && $0.location.line == 23 })
        #expect(leak.trend.shape == .steadyGrowth)
        #expect(leak.deltaObjects >= 5 * 512 && leak.deltaObjects <= 5 * 512 + 5, "\(leak.inuseObjects)")

        // The one-off 8 MiB table: a step, at most info.
        let table = try #require(report.sites.first { $0.location.function == "main.loadTable" })
        #expect(table.location.line == 33)
        #expect(table.trend.shape == .step, "\(context): \(table.inuseBytes)")
        #expect(table.deltaBytes == 8 * 1_048_576)
        for finding in report.findings where finding.location?.function == "main.loadTable" {
            #expect(finding.severity == .info, "\(context): \(finding.title)")
        }
        // Churn is collected: no finding, and nothing of it in use at the end.
        #expect(!report.findings.contains { $0.location?.function == "main.handleRequest" })
        let churn = report.sites.first { $0.location.function == "main.handleRequest" }
        #expect((churn?.inuseBytes.last ?? 0) < 256 * 1024)
        // Nothing but the leak is warning or worse.
        let alarming = report.findings.filter { $0.severity <= .warning }
        #expect(alarming.count == 1, "\(context): \(alarming.map(\.title))")

        #expect(report.snapshots.count == DiagnoseFixture.heapSnapshots)
        let totals = report.snapshots.map(\.inuseBytes)
        #expect(totals.last! - totals.first! >= 18 * 1_048_576, "\(totals)")
        #expect(report.snapshots.allSatisfy { $0.inuseObjects > 0 })
        #expect(report.snapshots.allSatisfy { ($0.time != nil) == timesKnown })
    }

    @Test(arguments: GoToolchain.Kind.allCases)
    func leakingCacheIsTheTopFinding(_ toolchain: GoToolchain.Kind) async throws {
        let dir = try await DiagnoseFixture.directory("heap", toolchain)
        let heaps = try DiagnoseFixture.series(dir, "heap", "pb.gz", count: DiagnoseFixture.heapSnapshots)
        let report = HeapGrowthAnalysis.analyze(heaps)
        try expectLeakFound(report, timesKnown: true, "\(toolchain) heap")
        #expect(report.elapsedSeconds.map { $0 > 0.5 && $0 < 60 } == true)
        #expect(report.totalTrend.isGrowing || report.totalTrend.shape == .step, "\(report.totalTrend)")
    }

    @Test func siteBytesAgreeWithPprofLines() async throws {
        // In Go's profiles the runtime's allocator frames are hidden, so an application leaf line's flat
        // inuse_space in `go tool pprof -lines` is exactly what we charge to that site.
        let dir = try await DiagnoseFixture.directory("heap")
        let report = HeapGrowthAnalysis.analyze(try DiagnoseFixture.series(dir, "heap", "pb.gz", count: DiagnoseFixture.heapSnapshots))
        let oracle = try await GoPprof.run(["-symbolize=none", "-sample_index=inuse_space", "-unit=B", "-top", "-lines", "-nodecount=6",
                                      dir.appendingPathComponent("heap-6.pb.gz").path])
        #expect(oracle.succeeded, "\(oracle.summary)")
        for (function, line) in [("main.(*ResponseCache).Put", 23), ("main.loadTable", 33)] {
            let row = try #require(oracle.stdoutText.split(separator: "\n").first { $0.hasSuffix("diagnose/heap.go:\(line)") },
                                   "\(oracle.stdoutText)")
            let flat = try #require(Double(row.split(separator: " ").first?.dropLast() ?? ""), "\(row)")
            let site = try #require(report.sites.first { $0.location.function == function && $0.location.line == line })
            #expect(site.inuseBytes.last == flat, "\(function): \(site.inuseBytes) vs pprof \(row)")
        }
    }

    @Test func growthWithinFourSamplingPeriodsIsNotReported() async throws {
        // The fixture records every allocation (period 1). Pretend the same profiles were sampled
        // coarsely: the 10 MiB leak is reported above 4 × 2 MiB and not below 4 × 3 MiB.
        let dir = try await DiagnoseFixture.directory("heap")
        let heaps = try DiagnoseFixture.series(dir, "heap", "pb.gz", count: DiagnoseFixture.heapSnapshots)
        #expect(heaps.allSatisfy { $0.profile.period == 1 && $0.profile.periodType?.type == "space" })
        func resampled(_ period: Int64) -> HeapGrowthReport {
            HeapGrowthAnalysis.analyze(heaps.map { var timed = $0; timed.profile.period = period; return timed })
        }
        let fine = resampled(2 << 20)
        #expect(fine.findings.first?.location?.function == "main.(*ResponseCache).Put")
        #expect(fine.notes.contains { $0.contains("growth under 8.0 MB (four sampling periods) is not reported") }, "\(fine.notes)")
        let coarse = resampled(3 << 20)
        #expect(!coarse.findings.contains { $0.location?.function == "main.(*ResponseCache).Put" })
        #expect(coarse.findings.isEmpty, "\(coarse.findings.map(\.title))")
        #expect(!HeapGrowthAnalysis.analyze(heaps).notes.contains { $0.contains("sampling periods") })
    }

    @Test func allocsProfilesGiveTheSameAnswer() async throws {
        let dir = try await DiagnoseFixture.directory("heap")
        let allocs = try DiagnoseFixture.series(dir, "allocs", "pb.gz", count: DiagnoseFixture.heapSnapshots)
        #expect(allocs[0].profile.defaultSampleType == "alloc_space")
        try expectLeakFound(HeapGrowthAnalysis.analyze(allocs), timesKnown: true, "allocs")
    }

    @Test func legacyTextHeapProfilesWork() async throws {
        let dir = try await DiagnoseFixture.directory("heap")
        let texts = try DiagnoseFixture.series(dir, "heap", "txt", count: DiagnoseFixture.heapSnapshots)
        try expectLeakFound(HeapGrowthAnalysis.analyze(texts), timesKnown: false, "debug=1 text")
    }

    @Test func twoSnapshotsSayGrewAtMostWarning() async throws {
        let dir = try await DiagnoseFixture.directory("heap")
        let pair = [try DiagnoseFixture.load(dir, "heap-1.pb.gz"), try DiagnoseFixture.load(dir, "heap-6.pb.gz")]
        let report = HeapGrowthAnalysis.analyze(pair)
        let top = try #require(report.findings.first)
        #expect(top.location?.function == "main.(*ResponseCache).Put")
        #expect(top.severity == .warning)
        #expect(report.sites.first { $0.location.function == "main.(*ResponseCache).Put" }?.trend.shape == .grew)
        #expect(report.notes.contains { $0.contains("2 heap snapshots") })
        // With two points the one-off table looks like growth too, but never above warning.
        #expect(report.findings.allSatisfy { $0.severity >= .warning })
    }

    @Test func oneSnapshotHasNoFindings() async throws {
        let dir = try await DiagnoseFixture.directory("heap")
        let report = HeapGrowthAnalysis.analyze([try DiagnoseFixture.load(dir, "heap-6.pb.gz")])
        #expect(report.findings.isEmpty)
        #expect(report.snapshots.count == 1 && report.snapshots[0].inuseBytes > 18 * 1_048_576)
        #expect(report.notes.contains { $0.contains("needs at least 2") })
    }

    @Test func leakedGoroutineDescriptorsPointAtTheGoroutineLeak() async throws {
        // Go's heap profile cuts the stack of a goroutine's descriptor at systemstack: no application
        // frame, so the site is runtime.malg (not runtime.mallocgc) and the hint says what it is.
        let dir = try await DiagnoseFixture.directory("heap-goroutines")
        let report = HeapGrowthAnalysis.analyze(try DiagnoseFixture.series(dir, "heap", "pb.gz", count: 3))
        let descriptors = try #require(report.findings.first { $0.title.contains("runtime.malg") }, "\(report.findings.map(\.title))")
        #expect(descriptors.location == nil)
        #expect(descriptors.title.hasSuffix("(no application frame in the stack)"))
        #expect(descriptors.hint.contains("goroutine leak"), "\(descriptors.hint)")
        #expect(descriptors.evidence.stack.first?.hasPrefix("runtime.mallocgc") == true)
        let site = try #require(report.sites.first { $0.location.function == "runtime.malg" })
        #expect(site.trend.shape == .steadyGrowth)
        // 2,000 goroutines per interval, one descriptor each (give or take an object the runtime
        // allocates on the way, which the profile charges to the same stack now and then).
        #expect(site.deltaObjects >= 4000 && site.deltaObjects <= 4005, "\(site.inuseObjects)")
        // The channel each leaked goroutine waits on is charged to the code that made it.
        let channels = try #require(report.sites.first { $0.location.function == "main.subscribe" })
        #expect(channels.location.line == 16 && channels.deltaObjects >= 4000 && channels.deltaObjects <= 4005, "\(channels.inuseObjects) \(channels.inuseBytes)")
    }

    @Test(arguments: [
        ("main.recordAudit", 21, "bytes.Buffer or strings.Builder is kept alive"),
        ("main.armDeadline", 31, "Timers created per iteration"),
        ("main.holdScratch", 40, "taken from a sync.Pool are kept"),
        ("main.readFrame", 49, "copy them"),
    ])
    func hintFollowsTheShapeOfTheLeak(_ function: String, _ line: Int, _ hint: String) async throws {
        let dir = try await DiagnoseFixture.directory("heap-shapes")
        let report = HeapGrowthAnalysis.analyze(try DiagnoseFixture.series(dir, "heap", "pb.gz", count: 3))
        let finding = try #require(report.findings.first { $0.location?.function == function },
                                   "\(report.findings.map(\.title))")
        #expect(finding.location?.line == line && finding.location?.file.hasSuffix("diagnose/heapshapes.go") == true,
                "\(finding.title)")
        #expect(finding.hint.contains(hint), "\(finding.hint)")
        #expect(finding.severity <= .warning, "\(finding.title): \(finding.score)")
    }

    @Test func poolObjectsAreChargedToTheCodeThatKeepsThem() async throws {
        let dir = try await DiagnoseFixture.directory("heap-shapes")
        let report = HeapGrowthAnalysis.analyze(try DiagnoseFixture.series(dir, "heap", "pb.gz", count: 3))
        // The Pool's New function (main.init.func1) made the buffers; holdScratch keeps them.
        #expect(!report.sites.contains { $0.location.function.hasPrefix("main.init") && $0.deltaBytes > 0 })
        let site = try #require(report.sites.first { $0.location.function == "main.holdScratch" })
        #expect(site.allocator == "sync.(*Pool).Get")
        // 48 buffers of 64 KiB, plus the Pool's own small bookkeeping allocated under Get.
        #expect(site.deltaBytes >= 2 * 24 * 65536 && site.deltaBytes < 2 * 24 * 65536 + 4096, "\(site.inuseBytes)")
        #expect(site.stack.first?.hasPrefix("main.init.func1") == true, "\(site.stack)")
    }

    @Test func growthSpreadOverManySitesIsReportedAsAWhole() async throws {
        let dir = try await DiagnoseFixture.directory("heap-spread")
        let report = HeapGrowthAnalysis.analyze(try DiagnoseFixture.series(dir, "heap", "pb.gz", count: 4))
        // Each of the twenty sites grows 128 KiB per interval: none is material on its own.
        let sites = report.sites.filter { $0.location.function == "main.allocateFor" }
        #expect(sites.count == 20)
        #expect(sites.allSatisfy { $0.trend.shape == .steadyGrowth && $0.deltaBytes >= 3 * 128 * 1024 })
        #expect(!report.findings.contains { $0.location?.function == "main.allocateFor" })
        let whole = try #require(report.findings.first, "\(report.notes)")
        #expect(whole.kind == .heapGrowth && whole.location == nil)
        #expect(whole.title.hasPrefix("Heap grows overall: +"), "\(whole.title)")
        #expect(whole.title.hasSuffix("spread over 17 allocation sites") || whole.title.hasSuffix("spread over 16 allocation sites"),
                "\(whole.title)")
        #expect(whole.severity == .warning, "\(whole.score)")
        #expect(whole.evidence.summary.contains("main.allocateFor (diagnose/heapspread.go:"))
        #expect(whole.evidence.series?.count == 4)
    }

    @Test func hostileProfilesDoNotCrash() throws {
        // Empty input, an empty profile, missing types, negative and huge values, dangling indices.
        #expect(HeapGrowthAnalysis.analyze([]).findings.isEmpty)
        var empty = Profile()
        empty.timeNanos = 1
        var noTypes = Profile()
        noTypes.samples = [Sample(locations: [0, 7, -1], values: [5])]
        var dangling = Profile()
        dangling.sampleTypes = [ValueType(type: "inuse_objects", unit: "count"), ValueType(type: "inuse_space", unit: "bytes")]
        dangling.functions = [Function(id: 1, name: "main.leak", filename: "x.go")]
        dangling.locations = [Location(id: 1, lines: [Line(function: 5, line: 3), Line(function: 0, line: Int64.max)])]
        dangling.samples = [Sample(locations: [0, 99, -3], values: [Int64.max, Int64.max]),
                            Sample(locations: [], values: [-1]),
                            Sample(locations: [0], values: [Int64.min, Int64.min])]
        let report = HeapGrowthAnalysis.analyze([
            TimedProfile(name: "empty", profile: empty), TimedProfile(name: "notypes", profile: noTypes),
            TimedProfile(name: "dangling", profile: dangling), TimedProfile(name: "dangling2", profile: dangling, time: -5),
        ])
        #expect(report.snapshots.count == 4)
        #expect(report.notes.contains { $0.contains("notypes: no inuse_space") })
        #expect(report.sites.contains { $0.location.function == "main.leak" })
        #expect(report.findings.allSatisfy { $0.score >= 0 && $0.score <= 100 })

        // Enormous but valid numbers make a finding whose text must still format.
        var small = dangling, huge = dangling
        small.samples = [Sample(locations: [0], values: [1, 1])]
        huge.samples = [Sample(locations: [0], values: [Int64.max, Int64.max]), Sample(locations: [0], values: [Int64.max, Int64.max])]
        let extreme = HeapGrowthAnalysis.analyze([TimedProfile(name: "1", profile: small, time: 1),
                                                  TimedProfile(name: "2", profile: huge, time: 1.000_000_001)])
        #expect(extreme.findings.first?.location?.function == "main.leak")
        #expect(extreme.findings.first?.title.contains(" TB") == true, "\(extreme.findings.map(\.title))")
    }
}
