import Testing
import Foundation
@testable import LeakscopeGoroutines

@Suite struct TracebackTests {
    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func stackDumpCountsMatchWhatTheProgramCreated(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "stack")
        let text = try String(contentsOf: run.file("stack.txt"), encoding: .utf8)
        let dump = try GoroutineDump.parse(text)
        #expect(dump.format == .traceback)
        #expect(dump.warnings.isEmpty, "\(dump.warnings)")
        let headers = naiveHeaders(text)
        #expect(dump.goroutines.count == headers.count)
        for name in dumpgenFunctions {
            #expect(dump.count(withFrame: name) == Int64(run.count(name)), "\(name) on \(toolchain)")
        }
        // Every state is the bracket text up to its first ", ", as printed.
        for (g, h) in zip(dump.goroutines, headers) {
            #expect(g.id == h.id)
            let printed = h.bracket.components(separatedBy: ", ")[0]
            #expect(dump.state(of: g) == printed)
        }
        let stateOf = { (f: String) in Set(dump.goroutines(withFrame: f).map { dump.state(of: $0) }) }
        #expect(stateOf("main.blockRecv") == ["chan receive"])
        #expect(stateOf("main.blockSend") == ["chan send"])
        #expect(stateOf("main.blockSelect") == ["select"])
        #expect(stateOf("main.blockSleep") == ["sleep"])
        #expect(stateOf("main.blockNil") == ["chan receive (nil chan)"])
        let locked = dump.goroutines(withFrame: "main.blockLocked")
        #expect(locked.count == run.count("main.blockLocked") && locked.allSatisfy { $0.isLocked })
        #expect(dump.goroutines.filter(\.isLocked).count == locked.count)
    }

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func deepStacksRecordTheElision(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "stack")
        let dump = try GoroutineDump.read(path: run.file("stack.txt").path)
        let deep = dump.goroutines(withFrame: "main.deep")
        #expect(deep.count == run.count("main.deep"))
        for g in deep {
            let elision = dump.stacks[Int(g.stack.rawValue)].elision
            let printed = dump.frames(of: g).count
            if toolchain == Dumpgen.go127 {
                // Go 1.21+: the first 50 and the last 50 frames, and how many were left out.
                let elision = try #require(elision)
                let count = try #require(elision.count)
                #expect(elision.afterFrame == 50 && printed == 100)
                let deepFrames = dump.frames(of: g).filter { dump.names[$0.function] == "main.deep" }.count
                // All deepDepth+1 calls of main.deep are either printed or counted as elided.
                #expect(deepFrames + Int(count) == run.count("deepDepth") + 1)
            } else {
                // Go 1.19 stops after 100 frames (hidden runtime ones included) with no marker.
                #expect(elision == nil && printed < run.count("deepDepth"))
            }
        }
    }

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func creatorsAndParents(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "stack")
        let dump = try GoroutineDump.read(path: run.file("stack.txt").path)
        let spawners = Set(dump.goroutines(withFrame: "main.spawner").map(\.id))
        let children = dump.goroutines(withFrame: "main.spawnedChild")
        #expect(children.count == run.count("main.spawnedChild"))
        for child in children {
            let creator = try #require(dump.creator(of: child))
            #expect(dump.names[creator.function] == "main.spawner")
            #expect(creator.line > 0 && creator.flags.contains(.hasPCOffset))
            if toolchain == Dumpgen.go127 {
                #expect(spawners.contains(child.parentID))
            } else {
                #expect(child.parentID == 0)  // "in goroutine N" arrived in Go 1.21
            }
        }
    }

    @Test func labelsFromGo127Tracebacks() async throws {
        let run = try await Dumpgen.run(Dumpgen.go127, "stack")
        let dump = try GoroutineDump.read(path: run.file("stack.txt").path)
        let labelled = dump.goroutines.filter { $0.labelSet != .none }
        #expect(labelled.count == run.count("labelled"))
        #expect(Set(labelled.map(\.id)) == Set((dump.goroutines(withFrame: "main.labelledWorker")
            + dump.goroutines(withFrame: "main.oddLabelled")).map(\.id)))
        // Quoted keys and values with escapes (\", \u00e9, \x01, \t) and separators inside quotes.
        #expect(run.oddLabels.count == 3 && dump.oddLabels() == run.oddLabels)
        var workers: [String: Int] = [:]
        for g in dump.goroutines(withFrame: "main.labelledWorker") {
            let labels = dump.labels(of: g)
            #expect(labels.map(\.key) == ["tenant", "worker"])
            #expect(labels.first?.value == "a \"b\": c")
            workers[labels[1].value, default: 0] += 1
        }
        #expect(workers["w0"] == run.count("labels.worker=w0"))
        #expect(dump.state(of: labelled[0]) == "chan receive")
    }

    @Test func go119TracebacksCarryNoLabels() async throws {
        let run = try await Dumpgen.run(Dumpgen.go119, "stack")
        let dump = try GoroutineDump.read(path: run.file("stack.txt").path)
        #expect(dump.goroutines.allSatisfy { $0.labelSet == .none })
        #expect(dump.count(withFrame: "main.labelledWorker") == Int64(run.count("main.labelledWorker")))
    }

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func ancestorsFromTracebackancestors(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "ancestors")
        let dump = try GoroutineDump.read(path: run.file("stack.txt").path)
        #expect(dump.warnings.isEmpty, "\(dump.warnings)")
        let children = dump.goroutines(withFrame: "main.spawnedChild")
        #expect(children.count == run.count("main.spawnedChild"))
        let spawners = Set(dump.goroutines(withFrame: "main.spawner").map(\.id))
        for child in children {
            let ancestors = dump.ancestors(of: child)
            let first = try #require(ancestors.first)
            #expect(spawners.contains(first.id))
            #expect(dump.frames(of: first.stack).contains { dump.names[$0.function] == "main.spawner" })
            // The next ancestor up is main, which created the spawner.
            if ancestors.count > 1 { #expect(ancestors[ancestors.startIndex + 1].id == 1) }
        }
    }
}
