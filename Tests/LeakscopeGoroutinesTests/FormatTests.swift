import Testing
import Foundation
@testable import LeakscopeGoroutines

/// The same goroutines read through every form net/http/pprof serves them in.
@Suite struct FormatTests {
    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func debug2OverHTTP(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "http")
        let dump = try GoroutineDump.read(path: run.file("debug2.txt").path)
        #expect(dump.format == .traceback && dump.warnings.isEmpty)
        for name in dumpgenFunctions {
            #expect(dump.count(withFrame: name) == Int64(run.count(name)), "\(name)")
        }
    }

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func debug1CountProfile(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "http")
        let dump = try GoroutineDump.read(path: run.file("debug1.txt").path)
        #expect(dump.format == .countProfile && dump.profileName == "goroutine")
        #expect(dump.warnings.isEmpty, "\(dump.warnings)")
        #expect(dump.declaredTotal == dump.totalGoroutines)
        #expect(dump.goroutines.allSatisfy { $0.id == -1 && $0.state == .empty })
        for name in dumpgenFunctions where name != "main.deep" {
            #expect(dump.count(withFrame: name) == Int64(run.count(name)), "\(name)")
        }
        // debug=1 keeps labels on both versions ("# labels:" lines).
        var labelled: Int64 = 0, w0: Int64 = 0
        #expect(dump.oddLabels() == run.oddLabels)
        for g in dump.goroutines where g.labelSet != .none {
            labelled += g.count
            let labels = dump.labels(of: g)
            if labels.contains(where: { $0.key == "plain" }) { continue }  // the odd one
            #expect(labels.first?.key == "tenant" && labels.first?.value == "a \"b\": c")
            if labels.contains(where: { $0.key == "worker" && $0.value == "w0" }) { w0 += g.count }
        }
        #expect(labelled == Int64(run.count("labelled")))
        #expect(w0 == Int64(run.count("labels.worker=w0")))
    }

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func debug0ProtoProfile(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "http")
        let dump = try GoroutineDump.read(path: run.file("debug0.pb.gz").path)
        #expect(dump.format == .protoProfile && dump.profileName == "goroutine")
        for name in dumpgenFunctions where name != "main.deep" {
            #expect(dump.count(withFrame: name) == Int64(run.count(name)), "\(name)")
        }
        let labelled = dump.goroutines.filter { $0.labelSet != .none }.reduce(Int64(0)) { $0 + $1.count }
        #expect(labelled == Int64(run.count("labelled")))
        // The proto encoding cannot hold a label whose value is "" (all its fields are 0, and
        // decoders, pprof's included, drop it); the others arrive intact.
        #expect(dump.oddLabels() == run.oddLabels.filter { !$0.hasSuffix("=") })
        // The text and proto profiles were taken moments apart from the same process.
        let text = try GoroutineDump.read(path: run.file("debug1.txt").path)
        #expect(abs(text.totalGoroutines - dump.totalGoroutines) <= 2)
    }

    @Test func goroutineleakDebug2MarksNilChannelWaiters() async throws {
        let run = try await Dumpgen.run(Dumpgen.go127, "http")
        let dump = try GoroutineDump.read(path: run.file("leak2.txt").path)
        let nilWaiters = dump.goroutines(withFrame: "main.blockNil")
        #expect(nilWaiters.count == run.count("main.blockNil"))
        // A nil-channel receive can never proceed, so the detector always flags it; the mark is
        // a flag, not part of the state.
        #expect(nilWaiters.allSatisfy { $0.isLeaked && dump.state(of: $0) == "chan receive (nil chan)" })
        let text = try String(contentsOf: run.file("leak2.txt"), encoding: .utf8)
        let marked = naiveHeaders(text).filter { $0.bracket.contains("(leaked)") }.count
        #expect(dump.goroutines.filter(\.isLeaked).count == marked)
        #expect(!dump.goroutines.contains { dump.state(of: $0).contains("leaked") })
    }

    @Test func goroutineleakDebug1() async throws {
        let run = try await Dumpgen.run(Dumpgen.go127, "http")
        let dump = try GoroutineDump.read(path: run.file("leak1.txt").path)
        #expect(dump.format == .countProfile && dump.profileName == "goroutineleak")
        #expect(dump.declaredTotal == dump.totalGoroutines)
    }
}

/// Crash output: panics, fatal signals and SIGQUIT inside log noise.
@Suite struct CrashDumpTests {
    static let crashRuns = ["panic-all", "panic-system", "panic-crash", "sigquit"]

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119], crashRuns)
    func crashDumpsReadWholeInsideLogNoise(toolchain: String, runName: String) async throws {
        let run = try await Dumpgen.run(toolchain, runName)
        let text = try String(contentsOf: run.file("stderr.txt"), encoding: .utf8)
        let dump = try GoroutineDump.parse(text)
        #expect(dump.skippedLines >= 3)  // the log lines and "panic:"/"SIGQUIT:" before the dump
        let headers = naiveHeaders(text)
        #expect(dump.goroutines.count == headers.count)
        for name in dumpgenFunctions where name != "main.deep" || runName != "panic-crash" {
            #expect(dump.count(withFrame: name) == Int64(run.count(name)), "\(name) in \(runName)")
        }
        if runName != "panic-all" {
            // GOTRACEBACK=system and above shows runtime goroutines and gp=/m= in every header.
            #expect(dump.goroutines.contains { $0.flags.contains(.system) })
            let withMachine = text.split(separator: "\n").filter { $0.hasPrefix("goroutine ") && $0.contains(" gp=") }.count
            #expect(dump.goroutines.filter { $0.flags.contains(.hasMachineInfo) }.count == withMachine)
            if toolchain == Dumpgen.go127 { #expect(withMachine == headers.count) }  // go1.19 has no gp=
        } else {
            #expect(!dump.goroutines.contains { $0.flags.contains(.system) })
        }
        if runName.hasPrefix("panic") {
            let panicking = dump.goroutines(withFrame: "main.main.func1")
            #expect(panicking.count == 1 && panicking.first.map { dump.state(of: $0) } == "running")
        }
    }

    @Test(arguments: [Dumpgen.go127, Dumpgen.go119])
    func logLinesBetweenGoroutinesArePassedOver(toolchain: String) async throws {
        let run = try await Dumpgen.run(toolchain, "panic-all")
        let text = try String(contentsOf: run.file("stderr.txt"), encoding: .utf8)
        let clean = try GoroutineDump.parse(text)
        var noisy = ""
        var inserted = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            noisy += line + "\n"
            if line.isEmpty {
                noisy += "2026/11/27 10:00:0\(inserted % 10) worker: goroutine pool resized (main.go:12)\n"
                inserted += 1
            }
        }
        noisy += "exit status 2\n"
        let dump = try GoroutineDump.parse(noisy)
        #expect(inserted > 10)
        let withoutLines = { (d: GoroutineDump) -> [Goroutine] in d.goroutines.map { var g = $0; g.line = 0; return g } }
        #expect(withoutLines(dump) == withoutLines(clean))
        #expect(dump.warnings.isEmpty, "\(dump.warnings)")
        #expect(dump.skippedLines == clean.skippedLines + inserted + 1)
    }
}
