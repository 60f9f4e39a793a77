import Foundation
import LeakscopeTestSupport
@testable import LeakscopeGoSymbols
@testable import LeakscopeProfileAnalysis
import Testing

/// Every blocking kind the fixture program creates, classified from its real dumps.
@Suite struct GoroutineClassificationTests {
    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func everyBlockingKindIsClassifiedAndCounted(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.leak, toolchain)
        let analysis = try GoroutineFixtureDumps.analyze(run)
        let kinds = Set(run.manifest.groups.map(\.kind))
        // The program covers every kind a user goroutine can block in.
        #expect(kinds.isSuperset(of: ["chanSend", "chanReceive", "select", "nilChannel", "emptySelect", "mutex",
                                      "rwMutex", "waitGroup", "cond", "ioWait", "sleep", "syscall", "running"]))
        for group in run.manifest.groups {
            let buckets = GoroutineFixtureDumps.buckets(at: group.function, in: analysis)
            let found = buckets.reduce(0) { $0 + $1.count }
            #expect(GoroutineFixtureDumps.countMatches(found, group, toolchain), "\(group.function) count \(found)")
            for bucket in buckets {
                #expect(bucket.kind.rawValue == group.kind, "\(group.function) kind")
                // A spinning goroutine shows as running or runnable depending on the moment.
                if group.kind != "running" { #expect(bucket.state == group.state, "\(group.function) state") }
            }
        }
    }

    @Test func labelsAreCountedPerBucket() async throws {
        let run = try await GoroutineFixtures.run(.leak, .current)
        let analysis = try GoroutineFixtureDumps.analyze(run)
        #expect(run.manifest.labelled > 0)
        #expect(analysis.labelled == run.manifest.labelled)
        for group in run.manifest.groups {
            let buckets = GoroutineFixtureDumps.buckets(at: group.function, in: analysis)
            let labelled = buckets.reduce(0) { $0 + $1.labelled }
            #expect(labelled == (group.labels == nil ? 0 : group.count), "\(group.function)")
            if let expected = group.labels {
                for bucket in buckets {
                    let sets = bucket.labelSets.map { Dictionary(uniqueKeysWithValues: $0.labels.map { ($0.key, $0.value) }) }
                    #expect(sets == [expected], "\(group.function) labels")
                }
            }
        }
    }

    @Test func go119PrintsNoLabelsInHeaders() async throws {
        let analysis = try await GoroutineFixtureDumps.analyze(try GoroutineFixtures.run(.leak, .go119))
        #expect(analysis.labelled == 0)
        // go1.19 reports every sync wait but Cond as "semacquire"; frames still tell them apart.
        #expect(analysis.byState.contains { $0.state == "semacquire" })
    }

    @Test func knownHealthyStdlibShapesAreNamed() async throws {
        let analysis = try await GoroutineFixtureDumps.analyze(try GoroutineFixtures.run(.healthy, .current))
        let shapes = Set(analysis.buckets.compactMap { $0.healthyShape?.name })
        #expect(shapes.isSuperset(of: ["HTTP server accept loop", "HTTP server connection",
                                       "HTTP client keep-alive connection", "signal watcher", "main goroutine"]))
        // User code is never declared healthy from its stack alone.
        for bucket in analysis.buckets where bucket.blockingSite?.function.hasPrefix("main.(*service)") == true {
            #expect(bucket.healthyShape == nil)
        }
    }
}

/// One classifier of sync frames for dumps, block profiles and CPU profiles.
@Suite struct SyncPrimitiveTests {
    @Test func outermostPrimitiveInTheLibraryRunWins() {
        // An RWMutex writer waits inside the Mutex it embeds (Go 1.24+: in internal/sync).
        #expect(SyncPrimitive.waitedOn(["sync.runtime_SemacquireMutex", "internal/sync.(*Mutex).lockSlow",
                                        "internal/sync.(*Mutex).Lock", "sync.(*Mutex).Lock", "sync.(*RWMutex).Lock",
                                        "main.(*store).put"]) == .rwMutex)
        // Cond.Wait re-locks its Mutex on the way out.
        #expect(SyncPrimitive.waitedOn(["sync.(*Mutex).Lock", "sync.(*Cond).Wait", "main.consume"]) == .cond)
        #expect(SyncPrimitive.waitedOn(["sync.runtime_Semacquire", "sync.(*WaitGroup).Wait", "main.run"]) == .waitGroup)
        // A primitive above the first application frame is not what this goroutine waits on.
        #expect(SyncPrimitive.waitedOn(["sync.(*Mutex).Lock", "main.helper", "sync.(*WaitGroup).Wait"]) == .mutex)
        #expect(SyncPrimitive.waitedOn(["runtime.gopark", "runtime.chanrecv1", "main.loop"]) == nil)
        #expect(SyncPrimitive.of("sync.(*Once).Do") == nil)
    }

    @Test func goroutineAndBlockProfileClassifiersAgree() {
        let stacks: [[String]] = [
            ["sync.runtime_SemacquireMutex", "internal/sync.(*Mutex).Lock", "sync.(*Mutex).Lock", "sync.(*RWMutex).Lock", "main.a"],
            ["sync.runtime_SemacquireRWMutexR", "sync.(*RWMutex).RLock", "main.b"],
            ["sync.runtime_notifyListWait", "sync.(*Cond).Wait", "main.c"],
            ["sync.runtime_SemacquireWaitGroup", "sync.(*WaitGroup).Wait", "main.d"],
            ["sync.runtime_SemacquireMutex", "sync.(*Mutex).lockSlow", "sync.(*Mutex).Lock", "main.e"],
        ]
        for stack in stacks {
            let goroutine = BlockingKind.syncKind(functions: stack)
            let block = ContentionAnalysis.waitKind(stack)
            #expect(goroutine.rawValue.lowercased().replacingOccurrences(of: "-", with: "")
                        == block.rawValue.lowercased().replacingOccurrences(of: "-", with: ""), "\(stack)")
        }
    }
}
