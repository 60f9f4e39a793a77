import Testing
import Foundation
@testable import LeakscopeGoroutines

/// Cut, chunked, mutated and foreign inputs.
@Suite struct RobustnessTests {
    static func stackBytes() async throws -> [UInt8] {
        try await Dumpgen.run(Dumpgen.go127, "ancestors").bytes("stack.txt")
    }

    @Test func chunkBoundariesDoNotChangeTheResult() async throws {
        let bytes = try await RobustnessTests.stackBytes()
        let whole = try GoroutineDump.parse(bytes)
        var rng = SeededRandom(seed: 7)
        for sizes in [[1], [2], [3], [7], [64], [4096], [1, 1000, 13, 65536]] {
            var parser = GoroutineDumpParser()
            var at = 0, k = 0
            while at < bytes.count {
                let n = min(sizes[k % sizes.count] + (sizes.count > 1 ? Int(rng.next() % 5) : 0), bytes.count - at)
                try parser.feed(Array(bytes[at..<(at + n)]))
                at += n
                k += 1
            }
            let chunked = try parser.finish()
            #expect(chunked.goroutines == whole.goroutines)
            #expect(chunked.frames == whole.frames && chunked.ancestors == whole.ancestors)
            #expect(chunked.names.count == whole.names.count && chunked.byteCount == bytes.count)
        }
    }

    @Test func streamsFromAPipe() async throws {
        let bytes = try await RobustnessTests.stackBytes()
        let pipe = Pipe()
        let writer = pipe.fileHandleForWriting
        // Several copies, written from another thread while the parser reads the other end.
        let copies = 8
        let thread = Thread {
            for _ in 0..<copies { writer.write(Data(bytes)) }
            try? writer.close()
        }
        thread.start()
        let dump = try GoroutineDump.read(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, source: "<pipe>")
        let once = try GoroutineDump.parse(bytes)
        #expect(dump.goroutines.count == copies * once.goroutines.count)
        #expect(dump.byteCount == copies * bytes.count && dump.stacks.count == once.stacks.count)
        #expect(dump.warnings.isEmpty)
    }

    @Test func aDumpCutMidLineKeepsEverythingBeforeTheCut() async throws {
        let bytes = try await RobustnessTests.stackBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        let whole = try GoroutineDump.parse(bytes)
        var rng = SeededRandom(seed: 11)
        for _ in 0..<40 {
            var cut = Int(rng.next() % UInt64(bytes.count - 200)) + 100
            while bytes[cut - 1] == 10 { cut += 1 }  // really mid-line
            let dump = try GoroutineDump.parse(Array(bytes[0..<cut]))
            let prefix = String(decoding: bytes[0..<cut], as: UTF8.self)
            // Headers wholly inside the prefix (a header cut before its newline does not count).
            let complete = naiveHeaders(String(prefix[..<(prefix.lastIndex(of: "\n") ?? prefix.startIndex)])).count
            #expect(dump.goroutines.count == complete)
            #expect(dump.warnings.contains { $0.kind == .truncated })
            // Every goroutine but the last is exactly as in the whole dump.
            for (a, b) in zip(dump.goroutines.dropLast(), whole.goroutines) {
                #expect(a.id == b.id && dump.frames(of: a).count == whole.frames(of: b).count)
            }
            #expect(dump.goroutines.last?.flags.contains(.truncated) == true)
        }
        _ = text
    }

    @Test func aDumpCutAtAGoroutineBoundaryReadsCleanly() async throws {
        let bytes = try await RobustnessTests.stackBytes()
        let whole = try GoroutineDump.parse(bytes)
        // Cut after the blank line ending the 10th goroutine.
        var blanks = 0, cut = 0
        for i in 1..<bytes.count where bytes[i] == 10 && bytes[i - 1] == 10 {
            blanks += 1
            if blanks == 10 { cut = i + 1; break }
        }
        let dump = try GoroutineDump.parse(Array(bytes[0..<cut]))
        #expect(dump.goroutines.count == 10)
        #expect(Array(dump.goroutines) == Array(whole.goroutines.prefix(10)))
        #expect(dump.warnings.isEmpty)
    }

    @Test func aDumpOfExactly64MiBIsReportedAsCut() throws {
        let unit = Array("goroutine 1 [running]:\nmain.main()\n\t/x/main.go:5 +0x1d\n\n".utf8)
        var parser = GoroutineDumpParser()
        try parser.feed(unit)
        // Then one line of noise too long to keep, which brings the input to exactly 64 MiB.
        let size = 64 << 20
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        var fed = unit.count
        while fed + chunk.count < size {
            try parser.feed(chunk)
            fed += chunk.count
        }
        try parser.feed([UInt8](repeating: UInt8(ascii: "x"), count: size - fed - 1) + [10])
        let dump = try parser.finish()
        #expect(dump.byteCount == size && dump.goroutines.count == 1)
        #expect(dump.warnings.contains { $0.kind == .lineTooLong })
        #expect(dump.warnings.contains { $0.kind == .truncated && $0.message.contains("64 MiB") })
    }

    @Test func randomMutationsNeverCrash() async throws {
        let bytes = try await RobustnessTests.stackBytes()
        let debug1 = try await Dumpgen.run(Dumpgen.go127, "http").bytes("debug1.txt")
        var rng = SeededRandom(seed: 2026)
        var parsed = 0, rejected = 0
        for round in 0..<2000 {
            var input = round % 4 == 3 ? debug1 : bytes
            let edits = 1 + Int(rng.next() % 8)
            for _ in 0..<edits {
                let at = Int(rng.next() % UInt64(input.count))
                switch rng.next() % 6 {
                case 0: input[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: input.insert(contentsOf: [UInt8(ascii: "("), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "\""), 10, 9].shuffled(using: &rng), at: at)
                case 2: input.removeSubrange(at..<min(input.count, at + Int(rng.next() % 300)))
                case 3: input.insert(contentsOf: Array("99999999999999999999999 +0xffffffffffffffffff".utf8), at: at)
                case 4: input = Array(input[0..<max(1, at)])
                default: input.insert(contentsOf: Array(input[at..<min(input.count, at + 200)]), at: Int(rng.next() % UInt64(input.count)))
                }
                if input.isEmpty { input = [10] }
            }
            do {
                let dump = try GoroutineDump.parse(input)
                // Whatever was read is internally consistent.
                for g in dump.goroutines {
                    #expect(Int(g.stack.rawValue) < dump.stacks.count && Int(g.labelSet.rawValue) < dump.labelSets.count)
                    #expect(g.createdBy < Int32(dump.creationSites.count) && Int(g.ancestors.upperBound) <= dump.ancestors.count)
                }
                parsed += 1
            } catch {
                #expect(!error.message.isEmpty)
                rejected += 1
            }
        }
        #expect(parsed + rejected == 2000 && parsed > 1000)
    }

    @Test func garbageSaysWhatAndWhere() throws {
        do {
            _ = try GoroutineDump.parse("<!DOCTYPE html>\n<html><body>404 page not found</body></html>\n")
            Issue.record("an HTML page parsed")
        } catch {
            #expect(error.kind == .unrecognized && error.line == 1)
            #expect(error.description.contains("<!DOCTYPE html>") && error.description.contains("2 lines"))
        }
        do {
            _ = try GoroutineDump.parse([UInt8]())
            Issue.record("empty input parsed")
        } catch {
            #expect(error.kind == .truncated)
        }
        let source = "/no/such/dump.txt"
        do {
            _ = try GoroutineDump.read(path: source)
            Issue.record("a missing file parsed")
        } catch {
            #expect(error.source == source)
        }
    }

    @Test func headersWithEveryMarkFromTheRuntimeGrammar() throws {
        // Composed from runtime.goroutineheader's and traceback2's print calls (traceback.go), in
        // their order, for marks no fixture can produce on demand: N minutes needs a minute of
        // waiting, (scan) a GC caught mid-scan, non-Go frames a cgo symbolizer miss.
        let text = """
        goroutine 9 gp=0xc000102a80 m=nil [sleep (durable), 12 minutes, locked to thread, synctest bubble 3] {"a b": "\\u00e9\\x01", k: }:
        time.Sleep(0x3b9aca00)
        \tC:/Program Files/Go/src/runtime/time.go:300 +0x14f
        created by main.main in goroutine 1
        \t/app/main.go:7 +0x25

        goroutine 10 [chan send (durable) (scan)]:
        goroutine running on other thread; stack unavailable

        goroutine 11 [select (no cases) (leaked)]:
        main.f(...)
        \t/app/main.go:9
        non-Go function at pc=0x7f3a2b1c4d5e
        main.main()
        \t/app/main.go:12 +0x1d

        """
        let dump = try GoroutineDump.parse(text)
        #expect(dump.warnings.isEmpty, "\(dump.warnings)")
        let g = try #require(dump.goroutines.first)
        #expect(dump.state(of: g) == "sleep" && g.waitMinutes == 12 && g.synctestBubble == 3)
        #expect(g.flags.isSuperset(of: [.durable, .lockedToThread, .hasMachineInfo]))
        #expect(dump.labels(of: g).map { "\($0.key)=\($0.value)" } == ["a b=é\u{01}", "k="])
        #expect(dump.names[dump.frames(of: g).first!.file] == "C:/Program Files/Go/src/runtime/time.go")
        let second = dump.goroutines[1]
        #expect(dump.state(of: second) == "chan send (durable)" && second.flags.isSuperset(of: [.durable, .scan, .stackUnavailable]))
        let third = dump.goroutines[2]
        #expect(dump.state(of: third) == "select (no cases)" && third.isLeaked)
        #expect(dump.frames(of: third).first?.isInlined == true)
        #expect(dump.frames(of: third).map { dump.names[$0.function] } == ["main.f", "non-Go function", "main.main"])
    }
}

/// splitmix64: reproducible randomness for mutation tests.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
