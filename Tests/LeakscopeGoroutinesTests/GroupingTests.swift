import Testing
import Foundation
@testable import LeakscopeGoroutines

@Suite struct GroupingTests {
    /// dumpgen's shapes whose goroutines share one stack and one creation site each.
    static let uniformShapes = ["main.blockRecv", "main.blockSend", "main.blockMutex", "main.blockSleep", "main.blockNil",
                                "main.blockWaitGroup", "main.blockLocked", "main.spawnedChild", "main.labelledWorker",
                                "main.blockSelect", "main.deep", "main.spawner"]

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119], GroupingKey.allCases)
    func bucketsHoldWhatTheProgramCreated(toolchain: String, key: GroupingKey) async throws {
        let run = try await Dumpgen.run(toolchain, "stack")
        let dump = try GoroutineDump.read(path: run.file("stack.txt").path)
        let buckets = dump.buckets(by: key)
        #expect(buckets.reduce(Int64(0)) { $0 + $1.count } == dump.totalGoroutines)
        #expect(Set(buckets.flatMap(\.members)).count == dump.goroutines.count)
        for name in GroupingTests.uniformShapes {
            let id = try #require(dump.names.id(of: name))
            let holding = buckets.filter { b in dump.frames(of: b.stack).contains { $0.function == id } }
            if key == .creationSite && name != "main.spawnedChild" && name != "main.spawner" && name != "main.labelledWorker" {
                // Everything started through main.start shares its `go f()` line.
                continue
            }
            #expect(holding.count == 1, "\(name) by \(key)")
            #expect(holding.first?.count == Int64(run.count(name)), "\(name) by \(key)")
            if key == .blockingSite, name != "main.labelledWorker", name != "main.deep", name != "main.blockSelect" {
                // The blocking site skips sync/time/runtime plumbing down to the function itself.
                #expect(holding.first?.blockingSite.map { dump.names[$0.function] } == name)
            }
        }
        if key == .creationSite {
            let viaStart = ["main.blockRecv", "main.blockSend", "main.blockSelect", "main.blockMutex", "main.blockSleep",
                            "main.blockNil", "main.blockWaitGroup", "main.blockLocked", "main.deep"].map { run.count($0) }.reduce(0, +)
            let startBucket = buckets.first { b in b.createdBy.map { dump.names[$0.function] } == "main.start" }
            #expect(startBucket?.count == Int64(viaStart))
        }
        let labelled = try #require(buckets.first { b in dump.frames(of: b.stack).contains { dump.names[$0.function] == "main.labelledWorker" } })
        if toolchain == Dumpgen.go127 {
            #expect(labelled.labelled == Int64(run.count("main.labelledWorker")) && labelled.distinctLabelSets == 3)
        } else {
            #expect(labelled.labelled == 0 && labelled.distinctLabelSets == 1)
        }
        if key != .creationSite {
            let sleepers = try #require(buckets.first { $0.states.first.map { dump.names[$0.state] } == "sleep" })
            #expect(sleepers.states.count == 1 && sleepers.exampleIDs.count == min(GoroutineBucket.exampleLimit, Int(sleepers.count)))
        } else {
            // main.start's bucket mixes the states of everything it started, most frequent first.
            let start = try #require(buckets.first { b in b.createdBy.map { dump.names[$0.function] } == "main.start" })
            #expect(start.states.count >= 6 && dump.names[start.states[0].state] == "chan receive")
            #expect(zip(start.states, start.states.dropFirst()).allSatisfy { $0.count >= $1.count })
        }
    }

    @Test func stackBucketsMatchANaiveGrouping() async throws {
        let run = try await Dumpgen.run(Dumpgen.go127, "panic-crash")
        let dump = try GoroutineDump.read(path: run.file("stderr.txt").path)
        var naive: [String: Set<Int32>] = [:]
        for (i, g) in dump.goroutines.enumerated() {
            let text = dump.frames(of: g).map { "\(dump.names[$0.function]) \(dump.names[$0.file]):\($0.line) +\($0.pcOffset)" }
                .joined(separator: "|") + "<-" + (dump.creator(of: g).map { "\(dump.names[$0.function]):\($0.line)" } ?? "")
            naive[text, default: []].insert(Int32(i))
        }
        let buckets = dump.buckets(by: .stack)
        #expect(Set(buckets.map { Set($0.members) }) == Set(naive.values))
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.count >= $1.count })
    }

    @Test func medianIsTheLowerMiddleValue() {
        var rng = SeededRandom(seed: 5)
        for n in [1, 2, 3, 10, 101, 1000] {
            var values = (0..<n).map { _ in Int32(rng.next() % 50) }
            let sorted = values.sorted()
            let age = GoroutineDump.waitAge(&values)
            #expect(age.min == sorted.first && age.max == sorted.last && age.median == sorted[(n - 1) / 2])
        }
    }

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func creationTreeFollowsParents(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "stack")
        let dump = try GoroutineDump.read(path: run.file("stack.txt").path)
        let tree = CreationTree(dump)
        #expect(tree.nodes.reduce(Int64(0)) { $0 + $1.count } == dump.totalGoroutines)
        #expect(tree.roots.reduce(Int64(0)) { $0 + tree.nodes[Int($1)].total } == dump.totalGoroutines)
        let children = dump.goroutines.indices.filter { dump.frames(of: dump.goroutines[$0]).contains { dump.names[$0.function] == "main.spawnedChild" } }
        let childNode = tree.nodes[Int(tree.nodeOf[children[0]])]
        #expect(childNode.count == Int64(run.count("main.spawnedChild")))
        #expect(Set(children.map { tree.nodeOf[$0] }).count == 1)
        if toolchain == Dumpgen.go127 {
            let spawnerNode = tree.nodes[Int(childNode.parent)]
            #expect(spawnerNode.count == Int64(run.count("main.spawner")))
            #expect(spawnerNode.total == Int64(run.count("main.spawner") + run.count("main.spawnedChild")))
            for c in children {
                let parent = dump.goroutines[Int(tree.parentIndex[c])]
                #expect(dump.frames(of: parent).contains { dump.names[$0.function] == "main.spawner" })
            }
            // Everything dumpgen started descends from the main goroutine's node.
            let mainIndex = try #require(dump.goroutines.firstIndex { $0.id == 1 })
            let mainNode = tree.nodes[Int(tree.nodeOf[mainIndex])]
            #expect(mainNode.total >= Int64(dumpgenFunctions.filter { $0 != "main.spawnedChild" }.map { run.count($0) }.reduce(0, +)))
        } else {
            #expect(childNode.parent == -1 && tree.parentIndex.allSatisfy { $0 == -1 })
        }
    }
}
