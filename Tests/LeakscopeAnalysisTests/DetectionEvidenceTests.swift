import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeDiagnose
@testable import LeakscopeGoroutineAnalysis
@testable import LeakscopeGoroutines
import LeakscopeFindings

/// The evidence behind detection, read from dumps of the corpus's real services.
@Suite struct DetectionEvidenceTests {
    func analysis(_ run: DetectionCorpus.Run, dumps indices: [Int]) throws -> GoroutineAnalysis {
        let dumps = try indices.map { i in
            TimedGoroutineDump(name: run.dumps[i].lastPathComponent, dump: try GoroutineDump.read(path: run.dumps[i].path),
                               time: Double(i))
        }
        return GoroutineAnalysis.analyze(dumps)
    }

    /// The kind whose responsible function is `function` (or a closure of it).
    func kind(_ function: String, in analysis: GoroutineAnalysis) throws -> (buckets: [AnalyzedBucket], evidence: KindEvidence) {
        let buckets = analysis.buckets.filter {
            guard let own = $0.responsible?.function else { return false }
            return own == function || own.hasPrefix(function + ".func")
        }
        let key = try #require(buckets.first?.kindKey, "no goroutines of \(function)")
        #expect(buckets.allSatisfy { $0.kindKey == key })
        return (buckets, try #require(analysis.kinds[key]))
    }

    @Test func oneDumpSeesAnOrphanedPileOfOldAndNewGoroutines() async throws {
        let run = try await DetectionCorpus.run("timeout-sender")
        let last = try analysis(run, dumps: [2])
        let (buckets, evidence) = try kind("main.fetchWithTimeout", in: last)
        let parked = buckets.filter { $0.kind == .chanSend }.reduce(0) { $0 + $1.count }
        #expect(evidence.parked == parked && parked >= DetectionThresholds.standard.minimumPile)
        // Every parked send is a call that timed out and returned, except where a dump catches the call
        // woken by its timer but not yet returned (seen once in CI under load): at most one per call
        // still in the function.
        let dump = try GoroutineDump.read(path: run.dumps[2].path)
        let calls = dump.goroutines.filter { goroutine in
            dump.frames(of: goroutine).contains { dump.names[$0.function] == "main.fetchWithTimeout" }
        }.count
        #expect(evidence.parked - evidence.creatorReturned <= calls, "\(calls) calls: \(evidence)")
        #expect(evidence.creatorReturned > 2 * calls && evidence.isOrphaned(.standard), "\(calls) calls: \(evidence)")
        #expect(evidence.creators >= 2)
        #expect((evidence.oldest ?? 0) >= DetectionThresholds.standard.oldIDShare, "\(evidence)")
        #expect((evidence.newest ?? 1) <= DetectionThresholds.standard.recentIDShare, "\(evidence)")
        // The goroutine's own function is the closure; the location reported is that application function.
        #expect(buckets.first?.function?.function == "main.fetchWithTimeout.func1")
        #expect(buckets.first?.suspect?.reason.contains("started by calls that have returned") == true)
    }

    /// Kept-alive connections busy in the same handler again, for a later request: what their
    /// goroutines started in earlier requests is still orphaned.
    @Test func aConnectionBackInTheSameHandlerOrphansWhatEarlierRequestsStarted() async throws {
        let run = try await DetectionCorpus.run("busy-timeout-sender")
        let (_, evidence) = try kind("main.fetchFromSlowReplica", in: try analysis(run, dumps: [2]))
        // A send parks after its call's timer fired, whatever the connection does now. Only the newest
        // child of a connection still in the handler counts as owned: under load the call can still be
        // runnable in its select, woken by the timer but not yet returned, when that child parks.
        let dump = try GoroutineDump.read(path: run.dumps[2].path)
        let busyConnections = dump.goroutines.filter { goroutine in
            dump.frames(of: goroutine).contains { dump.names[$0.function] == "main.fetchFromSlowReplica" }
        }.count
        #expect(evidence.parked >= DetectionThresholds.standard.minimumPile, "\(evidence)")
        #expect(evidence.parked - evidence.creatorReturned <= busyConnections, "\(busyConnections) busy: \(evidence)")
        #expect(evidence.parked > 2 * busyConnections, "\(busyConnections) busy: \(evidence)")
        #expect(evidence.isOrphaned(.standard), "\(evidence)")
    }

    @Test func threeDumpsTrackTheSameGoroutineIDs() async throws {
        let run = try await DetectionCorpus.run("timeout-sender")
        let (_, leak) = try kind("main.fetchWithTimeout", in: try analysis(run, dumps: [0, 1, 2]))
        #expect(leak.dumps == 3 && leak.counts.count == 3)
        #expect(leak.persistedThroughout > 0 && leak.arrivals > 0, "\(leak)")
        #expect((leak.persistence ?? 0) >= DetectionThresholds.standard.persistenceShare, "\(leak)")
        // Sessions with a TTL turn over: none of the first dump's are left.
        let ttl = try await DetectionCorpus.run("healthy-ttl-sessions")
        let (_, sessions) = try kind("main.openSession", in: try analysis(ttl, dumps: [0, 1, 2]))
        #expect((sessions.persistence ?? 1) < 0.5, "\(sessions)")
        #expect((sessions.oldest ?? 1) < DetectionThresholds.standard.oldIDShare, "\(sessions)")
    }

    @Test func workersStartedByALiveDispatcherAreNotOrphans() async throws {
        let run = try await DetectionCorpus.run("healthy-tenant-workers")
        let (_, workers) = try kind("main.tenantWorker", in: try analysis(run, dumps: [2]))
        #expect(workers.parked > 0 && workers.creatorReturned == 0 && workers.creators == 1, "\(workers)")
        #expect(!workers.isOrphaned(.standard))
        // Across dumps the population is saturated: it persists and nothing new arrives.
        let (_, series) = try kind("main.tenantWorker", in: try analysis(run, dumps: [0, 1, 2]))
        #expect(series.arrivals == 0 && series.persistence == 1, "\(series)")
    }

    @Test func aLeakBlockedAtTwoLinesIsOneFindingListingBoth() async throws {
        let run = try await DetectionCorpus.run("split-two-lines")
        let (buckets, _) = try kind("main.lookupAsync", in: try analysis(run, dumps: [0, 1, 2]))
        // A goroutine caught between `go` and its send is runnable at a third line: not blocked, not the leak.
        let blocked = buckets.filter { $0.kind == .chanSend }
        #expect(Set(blocked.compactMap(\.blockingSite?.line)).count == 2,
                "\(buckets.map { "\($0.kind) \($0.blockingSite?.short ?? "-")" })")
        let alarms = DetectionCorpus.alarms(try DetectionCorpus.diagnose(run, dumps: [0, 1, 2]))
        #expect(alarms.count == 1, "\(alarms.map(\.title))")
        let finding = try #require(alarms.first)
        #expect(finding.evidence.summary.contains("blocked at 2 lines"), "\(finding.evidence.summary)")
        #expect(finding.title.contains("chan send"))
    }

    @Test func aLeakInsideAHelperNamesTheCallerAndTheHelper() async throws {
        let run = try await DetectionCorpus.run("slow-helper")
        let (buckets, _) = try kind("main.publishAudit", in: try analysis(run, dumps: [2]))
        // Every blocked one waits in the helper; one caught before its first line runs is not blocked yet.
        let blocked = buckets.filter { $0.kind != .running }
        #expect(!blocked.isEmpty && blocked.allSatisfy { $0.blockingSite?.function == "leakscope.test/detect/internal/queue.(*Queue).Push" },
                "\(buckets.map { "\($0.kind) \($0.blockingSite?.short ?? "-")" })")
        let finding = try #require(DetectionCorpus.alarms(try DetectionCorpus.diagnose(run, dumps: [2])).first)
        #expect(finding.location?.function == "main.publishAudit")
        #expect(finding.evidence.summary.contains("a helper called by main.publishAudit"), "\(finding.evidence.summary)")
    }

    @Test func unclosedResponseBodiesAreOneFindingWithTheirHeapAsSymptom() async throws {
        let run = try await DetectionCorpus.run("unclosed-body")
        // Goroutine dumps alone: the client goroutines never show who made the request.
        let dumpsOnly = DetectionCorpus.alarms(try DetectionCorpus.diagnose(run, dumps: [0, 1, 2]))
        let finding = try #require(dumpsOnly.first)
        #expect(finding.title.hasPrefix("HTTP response bodies are never closed"), "\(dumpsOnly.map(\.title))")
        #expect(finding.hint.contains("resp.Body"))
        #expect(dumpsOnly.count == 1, "\(dumpsOnly.map(\.title))")
        // With the heap profiles a capture holds: the caller is named from the retained requests,
        // and the connections' buffers are folded in instead of being findings of their own.
        let report = try DetectionCorpus.diagnose(run, dumps: [0, 1, 2], heaps: true)
        let alarms = report.findings.filter { $0.severity != .info }
        let capture = try #require(alarms.first)
        #expect(capture.kind == .goroutineLeak && capture.location?.function == "main.callBackend", "\(alarms.map(\.title))")
        #expect(capture.evidence.summary.contains("Symptom folded in: heap held by buffers of the leaked connections"))
        #expect(!alarms.contains { $0.kind == .heapGrowth && $0.evidence.stack.contains { $0.hasPrefix("bufio.New") } },
                "\(alarms.map(\.title))")
    }

    @Test func goLeakProfileConfirmsTheFinding() async throws {
        let run = try await DetectionCorpus.run("producer-no-consumer")
        let report = try DetectionCorpus.diagnose(run, dumps: [0, 1, 2], leakProfile: true)
        let finding = try #require(DetectionCorpus.alarms(report).first)
        #expect(DetectionCorpus.names(finding, "main.produceBatch"))
        #expect(finding.severity == .critical)
        #expect(finding.evidence.summary.contains("goroutineleak"), "\(finding.evidence.summary)")
    }
}

/// Folding symptom findings into their cause, on findings as the analyses word them.
@Suite struct SymptomFoldingTests {
    func finding(_ kind: Finding.Kind, _ severity: Finding.Severity, score: Int, title: String, stack: [String]) -> Finding {
        Finding(kind: kind, severity: severity, score: score, title: title,
                location: SourceSite(function: "main.f", file: "main.go", line: 1),
                evidence: Finding.Evidence(summary: title + ".", stack: stack, sources: [title]), hint: "")
    }

    @Test func goroutineStacksJoinTheStrongestGoroutineLeak() {
        let leak = finding(.goroutineLeak, .critical, score: 90, title: "Goroutines leak in main.f", stack: ["main.f (main.go:1)"])
        let weaker = finding(.goroutineLeak, .warning, score: 50, title: "Goroutines leak in main.g", stack: ["main.g (main.go:2)"])
        let stacks = finding(.heapGrowth, .warning, score: 60, title: "Heap grows at runtime.malg",
                             stack: ["runtime.malg (runtime/proc.go:5000)", "runtime.newproc1 (runtime/proc.go:5100)"])
        let other = finding(.heapGrowth, .warning, score: 55, title: "Heap grows at main.cache",
                            stack: ["main.cache (main.go:9)"])
        let folded = SymptomFolding.fold([leak, weaker, stacks, other])
        #expect(folded.map(\.title) == [leak.title, weaker.title, other.title])
        #expect(folded[0].evidence.summary.hasSuffix("Symptom folded in: heap held by goroutine stacks (runtime.malg) — Heap grows at runtime.malg."))
        #expect(folded[0].evidence.sources == [leak.title, stacks.title])
        // With no goroutine leak to explain them, heap findings stay as they are.
        #expect(SymptomFolding.fold([stacks, other]) == [stacks, other])
    }
}
