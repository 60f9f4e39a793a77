import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// Real `debug=1` profiles written by `Tests/Fixtures/go/legacy` under go1.27 and go1.19.
/// The fixture knows what it did (37 labelled goroutines parked in `main.waitOn`, 1000
/// retained 4 KiB blocks, 10 blocking receives…) and writes those numbers to
/// `expected.txt`; the source lines are found in the fixture's `main.go`.
@Suite struct LegacyGoFixtureTests {
    static let toolchains = GoToolchain.Kind.allCases

    struct Fixture {
        let dir: URL
        let expected: [String: Int64]

        init(_ kind: GoToolchain.Kind) async throws {
            dir = try await GoFixtures.output("legacy", toolchain: kind)
            let text = try String(contentsOf: dir.appendingPathComponent("expected.txt"), encoding: .utf8)
            var values: [String: Int64] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=")
                if parts.count == 2, let v = Int64(parts[1]) { values[String(parts[0])] = v }
            }
            expected = values
        }

        func number(_ key: String) throws -> Int64 {
            try #require(expected[key], "expected.txt lacks \(key)")
        }

        func text(_ file: String) throws -> String {
            try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        }

        func profile(_ file: String) throws -> Profile {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(file)))
            return try LegacyProfileParser.parse(bytes)
        }
    }

    static let fixtureSource = TestPaths.goFixtures.appendingPathComponent("legacy/main.go")

    /// 1-based line of the fixture source containing `marker`.
    static func sourceLine(_ marker: String) throws -> Int64 {
        let lines = try String(contentsOf: fixtureSource, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.contains(marker) }, "fixture source lacks `\(marker)`")
        return Int64(index + 1)
    }

    /// The `N` of a `<name> profile: total N` header.
    static func headerTotal(_ text: String) throws -> Int64 {
        let first = try #require(text.split(separator: "\n").first)
        let total = try #require(first.split(separator: " ").last.flatMap { Int64($0) })
        return total
    }

    /// Names of every frame of the sample, innermost first.
    static func functionNames(_ p: Profile, _ s: Sample) -> [String] {
        s.locations.flatMap { p.locations[$0].lines.compactMap { $0.function.map { p.functions[$0].name } } }
    }

    /// The innermost frame outside the runtime (the allocation or blocking site).
    static func firstFrame(_ p: Profile, _ s: Sample) -> (name: String, file: String, line: Int64)? {
        for index in s.locations {
            for line in p.locations[index].lines {
                guard let f = line.function, !p.functions[f].name.hasPrefix("runtime.") else { continue }
                return (p.functions[f].name, p.functions[f].filename, line.line)
            }
        }
        return nil
    }

    @Test(arguments: toolchains)
    func goroutineProfileKeepsNamesFilesAndLabels(_ kind: GoToolchain.Kind) async throws {
        let fixture = try await Fixture(kind)
        let p = try fixture.profile("goroutine.txt")
        #expect(p.sampleTypes == [ValueType(type: "goroutine", unit: "count")])
        #expect(p.samples.reduce(0) { $0 + $1.values[0] } == (try Self.headerTotal(fixture.text("goroutine.txt"))))

        let workers = p.samples.filter { Self.functionNames(p, $0).contains("main.blockedWorker") }
        #expect(workers.reduce(0) { $0 + $1.values[0] } == (try fixture.number("labeledWorkers")))
        #expect(!workers.isEmpty)
        for s in workers {
            #expect(s.labels == [.string("worker", "7")])
            let top = try #require(Self.firstFrame(p, s))
            #expect(top.name == "main.waitOn")
            #expect(top.file.hasSuffix("Tests/Fixtures/go/legacy/main.go"))
            #expect(top.line == (try Self.sourceLine("waitOn blocks here")))
            // waitOn was inlined into blockedWorker: both frames are present, in order.
            let names = Self.functionNames(p, s)
            let waitOn = try #require(names.firstIndex(of: "main.waitOn"))
            #expect(names[waitOn + 1] == "main.blockedWorker")
        }

        let sleepers = p.samples.filter { Self.functionNames(p, $0).contains("main.idleSleeper") }
        #expect(sleepers.reduce(0) { $0 + $1.values[0] } == (try fixture.number("plainSleepers")))
        #expect(sleepers.allSatisfy { $0.labels.isEmpty })
    }

    @Test(arguments: toolchains)
    func heapProfileHasExactUnsampledCounts(_ kind: GoToolchain.Kind) async throws {
        let fixture = try await Fixture(kind)
        for file in ["heap.txt", "allocs.txt"] {
            let p = try fixture.profile(file)
            #expect(p.sampleTypes.map(\.type) == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
            // MemProfileRate=1: `@ heap/2`, period 1, no scaling.
            #expect(p.period == 1)
            let retainedLine = try Self.sourceLine("the retained allocation site")
            // The runtime's own allocations made while serving `make` share the site; the
            // block size label tells the fixture's blocks apart.
            let objects = try fixture.number("retainedObjects"), size = try fixture.number("retainedSize")
            let retained = p.samples.filter {
                guard let f = Self.firstFrame(p, $0) else { return false }
                return f.name == "main.allocRetained" && f.line == retainedLine && $0.labels == [.number("bytes", size)]
            }
            #expect(retained.reduce(0) { $0 + $1.values[2] } == objects, "\(file)")
            #expect(retained.reduce(0) { $0 + $1.values[3] } == objects * size, "\(file)")

            let garbageLine = try Self.sourceLine("the garbage allocation site")
            let count = try fixture.number("garbageObjects"), bytes = try fixture.number("garbageSize")
            let garbage = p.samples.filter {
                guard let f = Self.firstFrame(p, $0) else { return false }
                return f.name == "main.allocGarbage" && f.line == garbageLine && $0.labels == [.number("bytes", bytes)]
            }
            #expect(garbage.reduce(0) { $0 + $1.values[0] } == count, "\(file)")
            #expect(garbage.reduce(0) { $0 + $1.values[1] } == count * bytes, "\(file)")
            #expect(garbage.reduce(0) { $0 + $1.values[2] } == 0, "\(file)")
            #expect(p.dropFrames.contains(#"runtime\..*"#))
        }
    }

    @Test(arguments: toolchains)
    func blockAndMutexProfilesCountEvents(_ kind: GoToolchain.Kind) async throws {
        let fixture = try await Fixture(kind)
        let block = try fixture.profile("block.txt")
        #expect(block.sampleTypes.map(\.type) == ["contentions", "delay"])
        let receives = block.samples.filter { Self.functionNames(block, $0).contains("main.blockOnChannel") }
        #expect(receives.reduce(0) { $0 + $1.values[0] } == (try fixture.number("blockingReceives")))
        #expect(receives.allSatisfy { $0.values[1] > 0 })

        let mutex = try fixture.profile("mutex.txt")
        // The contended unlocks of the sync.Mutex. Go 1.22+ also records contention on the runtime's
        // own locks (a channel's, the scheduler's) with the stack that held them, so under load a
        // `runtime.unlock` sample can carry main.holdMutex too: not a handoff.
        let handoffs = mutex.samples.filter {
            let names = Self.functionNames(mutex, $0)
            return names.contains("main.holdMutex") && names.contains("sync.(*Mutex).Unlock")
        }
        #expect(handoffs.reduce(0) { $0 + $1.values[0] } == (try fixture.number("mutexHandoffs")))
        #expect(handoffs.allSatisfy { $0.values[1] > 0 })
        #expect(mutex.dropFrames.hasPrefix("RecordLockProfileData|"))
    }

    @Test(arguments: toolchains)
    func customAndThreadcreateProfiles(_ kind: GoToolchain.Kind) async throws {
        let fixture = try await Fixture(kind)
        let custom = try fixture.profile("custom.txt")
        #expect(custom.sampleTypes == [ValueType(type: "leakscope.custom", unit: "count")])
        #expect(custom.periodType == ValueType(type: "leakscope.custom", unit: "count"))
        let adds = custom.samples.filter { Self.functionNames(custom, $0).contains("main.customAdder") }
        #expect(adds.reduce(0) { $0 + $1.values[0] } == (try fixture.number("customAdds")))

        let threads = try fixture.profile("threadcreate.txt")
        #expect(threads.sampleTypes == [ValueType(type: "threadcreate", unit: "count")])
        #expect(threads.samples.reduce(0) { $0 + $1.values[0] } == (try Self.headerTotal(fixture.text("threadcreate.txt"))))
    }

    /// Go 1.27's leak-detecting profile.
    @Test func goroutineLeakProfile() async throws {
        let fixture = try await Fixture(.current)
        let p = try fixture.profile("goroutineleak.txt")
        #expect(p.sampleTypes == [ValueType(type: "goroutineleak", unit: "count")])
        let leaked = p.samples.filter { Self.functionNames(p, $0).contains("main.leakyReceiver") }
        #expect(leaked.reduce(0) { $0 + $1.values[0] } == (try fixture.number("leakedReceivers")))
    }

    /// Every (toolchain, file) pair except go1.19's threadcreate profile, whose `5 @` rows
    /// (no stack) `go tool pprof` rejects as malformed; we read them as empty stacks.
    static let oracleCases: [(GoToolchain.Kind, String)] = toolchains.flatMap { kind in
        ["goroutine.txt", "heap.txt", "allocs.txt", "block.txt", "mutex.txt", "custom.txt", "threadcreate.txt"]
            .filter { !(kind == .debian119 && $0 == "threadcreate.txt") }
            .map { (kind, $0) }
    }

    /// `go tool pprof -raw <binary> <file>` symbolizes the same file with the binary. Its
    /// samples (values and numeric labels), locations (numbering, addresses, mappings) must
    /// equal ours, and where Go printed a frame, its file and line must equal what pprof
    /// finds in the binary. pprof drops frames matching drop_frames from the samples, and
    /// has no string labels (it ignores `# labels:`), so those are left out.
    @Test(arguments: oracleCases)
    func samplesMatchGoToolPprof(_ kind: GoToolchain.Kind, _ file: String) async throws {
        let fixture = try await Fixture(kind)
        let binary = try await GoFixtures.build("legacy", toolchain: kind)
        let result = try await GoPprof.run(["-raw", binary.path, fixture.dir.appendingPathComponent(file).path])
        #expect(result.succeeded, "\(result.summary)")
        let theirs = RawDump(result.stdoutText)
        let p = try fixture.profile(file)
        var withoutStringLabels = p
        for i in withoutStringLabels.samples.indices {
            withoutStringLabels.samples[i].labels.removeAll {
                if case .string = $0.value { return true } else { return false }
            }
        }
        let ours = RawDump(withoutStringLabels.pprofString)
        #expect(theirs.samples.count > 1)
        #expect(ours.header == theirs.header)
        #expect(ours.samples.map(RawDump.withoutLocations) == theirs.samples.map(RawDump.withoutLocations))
        #expect(ours.locationHeads == theirs.locationHeads)
        var compared = 0
        for location in p.locations {
            guard let line = location.lines.first, let f = line.function else { continue }
            let theirLine = try #require(theirs.firstLine[location.id], "pprof has no symbol for location \(location.id)")
            #expect(theirLine.hasSuffix(" \(p.functions[f].filename):\(line.line):0 s=0"),
                    "location \(location.id): ours \(p.functions[f].name) \(p.functions[f].filename):\(line.line), pprof \(theirLine)")
            compared += 1
        }
        if file != "threadcreate.txt" { #expect(compared > 0) }
    }

    /// Without its `#` comments (which pprof ignores and we turn into symbols and labels),
    /// a real debug=1 file must print exactly as `go tool pprof -raw` prints it.
    @Test(arguments: oracleCases)
    func withoutCommentsIdenticalToPprof(_ kind: GoToolchain.Kind, _ file: String) async throws {
        let fixture = try await Fixture(kind)
        let bytes = [UInt8](try Data(contentsOf: fixture.dir.appendingPathComponent(file)))
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        let stripped = Array(lines.filter { $0.first != UInt8(ascii: "#") }.joined(separator: [10]))
        #expect(stripped.count < bytes.count)
        try await LegacyOracle.expectSameAsPprof(stripped)
    }

    /// No location repeats a frame: recursion (the same return PC several times in a row,
    /// each printed with the same frames) yields one location with one set of lines.
    @Test(arguments: toolchains)
    func recursionDoesNotRepeatFrames(_ kind: GoToolchain.Kind) async throws {
        let fixture = try await Fixture(kind)
        for file in ["heap.txt", "allocs.txt", "goroutine.txt", "block.txt", "mutex.txt"] {
            let p = try fixture.profile(file)
            for location in p.locations where location.lines.count > 1 {
                #expect(zip(location.lines, location.lines.dropFirst()).allSatisfy { $0 != $1 }, "\(file): \(location)")
            }
        }
    }

    /// The parts of a `Profile.String()` dump the oracle test compares.
    struct RawDump {
        /// A sample line without its `: 1 2 3` location list.
        static func withoutLocations(_ line: String) -> String {
            guard !line.hasPrefix("                "), let colon = line.lastIndex(of: ":") else { return line }
            return String(line[..<colon])
        }

        var header: [String] = []
        var samples: [String] = []
        /// `     7: 0x4e8bd4 M=1` for each location.
        var locationHeads: [String] = []
        /// The text after the head of each location's first line, by ID.
        var firstLine: [UInt64: String] = [:]

        init(_ text: String) {
            var section = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                switch line {
                case "Samples:": section = 1; continue
                case "Locations": section = 2; continue
                case "Mappings": section = 3; continue
                default: break
                }
                switch section {
                case 0: header.append(line)
                case 1: samples.append(line)
                case 2:
                    guard !line.hasPrefix("             "), let colon = line.firstIndex(of: ":") else { continue }
                    let id = UInt64(line[..<colon].trimmingCharacters(in: .whitespaces)) ?? 0
                    let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                    // "ID:", "0xADDR", "M=k", rest…
                    let head = parts.prefix(3).joined(separator: " ")
                    locationHeads.append(head)
                    firstLine[id] = parts.dropFirst(3).joined(separator: " ")
                default: break
                }
            }
        }
    }
}
