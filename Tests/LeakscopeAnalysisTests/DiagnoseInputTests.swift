import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeCapture
@testable import LeakscopeDiagnose

/// `diagnose` decides each input's kind from its content: real profiles written by a Go program.
@Suite struct DiagnoseInputTests {
    static let protoKinds: [(file: String, kind: DiagnosisInputKind)] = [
        ("heap.pb.gz", .heap), ("allocs.pb.gz", .allocs), ("cpu.pb.gz", .cpu), ("goroutine.pb.gz", .goroutineProfile),
        ("mutex.pb.gz", .mutex), ("block.pb.gz", .block), ("threadcreate.pb.gz", .threadcreate),
    ]
    static let textKinds: [(file: String, kind: DiagnosisInputKind)] = [
        ("heap.txt", .heap), ("goroutine.txt", .goroutineProfile), ("mutex.txt", .mutex), ("block.txt", .block),
        ("threadcreate.txt", .threadcreate),
    ]

    @Test(arguments: GoToolchain.Kind.allCases)
    func kindsFromContentNotNames(_ toolchain: GoToolchain.Kind) async throws {
        let dir = try await GoFixtures.output("profiles", toolchain: toolchain)
        var cases = Self.protoKinds + Self.textKinds
        if toolchain == .current { cases += [("goroutineleak.pb.gz", .goroutineLeak), ("goroutineleak.txt", .goroutineLeak)] }
        for (file, kind) in cases {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(file)))
            // A neutral name: the content alone must decide.
            let detected = try #require(InputDetection.detect(bytes, name: "input"), "\(file) under \(toolchain)")
            #expect(detected.kind == kind, "\(file) under \(toolchain)")
        }
    }

    @Test func allocsTextIsToldApartOnlyByName() async throws {
        let dir = try await GoFixtures.output("profiles", toolchain: .current)
        let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent("allocs.txt")))
        #expect(InputDetection.detect(bytes, name: "allocs.txt")?.kind == .allocs)
        #expect(InputDetection.detect(bytes, name: "snapshot-1")?.kind == .heap)
    }

    @Test func goroutineDumpsAndLeakDumpsAreRecognised() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        for url in run.dumps {
            let bytes = [UInt8](try Data(contentsOf: url))
            #expect(InputDetection.detect(bytes)?.kind == .goroutineDump, "\(url.lastPathComponent)")
        }
        for url in run.countProfiles {
            #expect(InputDetection.detect([UInt8](try Data(contentsOf: url)))?.kind == .goroutineProfile)
        }
        for url in run.protoProfiles {
            #expect(InputDetection.detect([UInt8](try Data(contentsOf: url)))?.kind == .goroutineProfile)
        }
        let leak = try #require(run.leakDumps.last)
        // goroutineleak?debug=2 is a full traceback with the leaked goroutines marked; the
        // goroutine writing it gives it away.
        let bytes = [UInt8](try Data(contentsOf: leak))
        #expect(InputDetection.detect(bytes)?.kind == .goroutineLeak)
        var input = DiagnosisInput()
        try input.add(name: "leak", bytes: bytes)
        try input.add(name: "dump", bytes: [UInt8](try Data(contentsOf: run.dumps[2])))
        #expect(input.goroutineLeakProfiles.count == 1)
        #expect(input.goroutineDumps.map(\.name) == ["dump"])
        #expect(input.inputs.map(\.kind) == [.goroutineLeak, .goroutineDump])
    }

    /// A dump cut short (pprof's cap, a copy that stopped) is still read, and the report says where
    /// it ends, as `goroutines` does; an intact dump adds no note.
    @Test func aCutDumpIsReadAndTheReportSaysWhereItEnds() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        let bytes = [UInt8](try Data(contentsOf: run.dumps[2]))
        var intact = DiagnosisInput()
        try intact.add(name: "whole.txt", bytes: bytes)
        #expect(intact.notes.isEmpty, "\(intact.notes)")
        // Cut inside the last goroutine's last line.
        let cut = Array(bytes.prefix(bytes.count - 12))
        var input = DiagnosisInput()
        try input.add(name: "cut.txt", bytes: cut)
        #expect(input.goroutineDumps.count == 1)
        let note = try #require(input.notes.first, "no note for a cut dump")
        #expect(note.hasPrefix("cut.txt: line ") && note.contains("input ends mid-line"), "\(note)")
        #expect(Diagnosis.run(input).notes.contains(note))
    }

    @Test func unknownInputsAreRefusedWithTheirFirstLine() {
        var input = DiagnosisInput()
        #expect(throws: DiagnosisInput.Failure.self) { try input.add(name: "notes.txt", bytes: Array("hello world\n".utf8)) }
        do {
            try input.add(name: "page.html", bytes: Array("\n<!DOCTYPE html><html><body>login</body></html>".utf8))
            Issue.record("an HTML page was accepted")
        } catch {
            #expect(error.description == "page.html: an HTML page, not a profile, goroutine dump or GODEBUG log")
        }
        do {
            try input.add(name: "junk.bin", bytes: [0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe])
            Issue.record("truncated gzip was accepted")
        } catch {
            #expect(error.description.hasPrefix("junk.bin: not a profile"))
            // The decoder's own reading says where it broke.
            #expect(error.description.hasSuffix("(as profile.proto: byte 6: gzip stream is truncated after 6 compressed bytes (0 bytes inflated))"),
                    "\(error.description)")
        }
        do {
            try input.add(name: "notes.txt", bytes: Array("\n  \nsome notes\n".utf8))
            Issue.record("notes were accepted")
        } catch {
            // The first line with text, by its own number.
            #expect(error.description == "notes.txt: not a profile, goroutine dump or GODEBUG log (line 3: \"some notes\")")
        }
        do {
            try input.add(name: "empty", bytes: [])
            Issue.record("an empty file was accepted")
        } catch {
            #expect(error.description == "empty: empty file")
        }
        #expect(input.inputs.isEmpty)
    }

    @Test func snapshotsAreOrderedByEmbeddedTimeElseByArgumentOrder() async throws {
        let dir = try await GoFixtures.output("profiles", toolchain: .current)
        let heap = [UInt8](try Data(contentsOf: dir.appendingPathComponent("heap.pb.gz")))
        let cpu = [UInt8](try Data(contentsOf: dir.appendingPathComponent("cpu.pb.gz")))
        var input = DiagnosisInput()
        // Heap proto carries its own time_nanos; the capture time given is ignored for it.
        try input.add(name: "late", bytes: heap, time: 5)
        try input.add(name: "early", bytes: cpu, kind: .cpu, time: 1)
        #expect(input.heapProfiles.first?.time.map { $0 > 1_000_000_000 } == true)
        // Text dumps have no time: two added without times keep argument order.
        let run = try await GoroutineFixtures.run(.grow, .current)
        try input.add(name: "b", bytes: [UInt8](try Data(contentsOf: run.dumps[1])))
        try input.add(name: "a", bytes: [UInt8](try Data(contentsOf: run.dumps[0])))
        input.orderByTime()
        #expect(input.goroutineDumps.map(\.name) == ["b", "a"])
        // With times they are ordered by them.
        input.goroutineDumps[0].time = 20
        input.goroutineDumps[1].time = 10
        input.orderByTime()
        #expect(input.goroutineDumps.map(\.name) == ["a", "b"])
    }
}
