import Foundation
import LeakscopeTestSupport
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
            #expect(buckets.reduce(0) { $0 + $1.count } == group.count, "\(group.function) count")
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
