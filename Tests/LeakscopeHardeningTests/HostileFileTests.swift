import Foundation
import Testing
import LeakscopeTestSupport

/// Hostile files: FIFOs, devices, symbolic links out of a capture, gzip bombs, manifests that
/// repeat themselves, bytes that would drive a terminal. Each must end promptly with one line,
/// exit status 2 and bounded memory.
@Suite struct HostileFileTests {
    /// A FIFO nobody writes to: opening it for reading would block forever.
    @Test(arguments: [["pprof", "-top"], ["diagnose"], ["goroutines"], ["gctrace"]])
    func fifoIsRefusedNotWaitedOn(_ command: [String]) async throws {
        let fifo = try Hardening.fifo("input")
        let run = try await LeakscopeBinary.run(command + [fifo])
        Hardening.expectOneLine(run, exit: 2, mentions: ["named pipe"])
        #expect(run.duration < .seconds(20))
    }

    @Test(arguments: [["pprof", "-top"], ["diagnose"], ["goroutines"], ["gctrace"]])
    func deviceIsRefused(_ command: [String]) async throws {
        let run = try await LeakscopeBinary.run(command + ["/dev/zero"])
        Hardening.expectOneLine(run, exit: 2, mentions: ["/dev/zero", "device"])
    }

    /// Standard input still works, and is capped: endless zeros end at the limit.
    @Test func endlessStandardInputStopsAtTheLimit() async throws {
        let zero = URL(fileURLWithPath: "/dev/zero")
        let log = try await MeasuredRun.leakscope(["gctrace", "-"], environment: ["LEAKSCOPE_LIMITS": "log=64MiB"], stdin: zero)
        Hardening.expectOneLine(log.result, exit: 2, mentions: ["limit", "LEAKSCOPE_LIMITS"])
        let dump = try await MeasuredRun.leakscope(["goroutines", "-"], environment: ["LEAKSCOPE_LIMITS": "input=64MiB"], stdin: zero)
        Hardening.expectOneLine(dump.result, exit: 2, mentions: ["limit"])
        let profile = try await MeasuredRun.leakscope(["diagnose", "-"], environment: ["LEAKSCOPE_LIMITS": "input=64MiB"], stdin: zero)
        Hardening.expectOneLine(profile.result, exit: 2, mentions: ["limit"])
        for run in [log, dump, profile] { #expect(run.peakMiB < 400, "\(run.result.commandLine): \(run.peakMiB) MiB") }
    }

    /// Millions of one-line goroutines cost memory even with one shared stack: their number is capped
    /// (`LEAKSCOPE_LIMITS=goroutines=N`), and the cap names itself and the line it stopped at.
    @Test func goroutineCountIsCapped() async throws {
        var text = ""
        for id in 1...2_000 { text += "goroutine \(id) [select]:\nmain.wait()\n\t/src/app/main.go:9 +0x1d\n\n" }
        let dump = try Hardening.file(Array(text.utf8), name: "many.txt")
        let binary = try LeakscopeBinary.path()
        func run(_ arguments: [String], limit: Int) async throws -> ProcessResult {
            try await ProcessRunner.run(binary, arguments, environment: ["LEAKSCOPE_LIMITS": "goroutines=\(limit)"])
        }
        let capped = try await run(["goroutines", dump], limit: 1_500)
        Hardening.expectOneLine(capped, exit: 2, mentions: ["more than 1500 goroutines", "LEAKSCOPE_LIMITS=goroutines=N", "line 600"])
        let viaDiagnose = try await run(["diagnose", dump], limit: 1_500)
        Hardening.expectOneLine(viaDiagnose, exit: 2, mentions: ["more than 1500 goroutines"])
        let fits = try await run(["goroutines", dump], limit: 2_000)
        #expect(fits.exitCode == 0, "\(fits.summary)")
        #expect(fits.stdoutText.contains("2,000"), "\(fits.stdoutText)")
    }

    /// A capture whose heap file is a symbolic link to /etc/passwd: refused, and nothing of
    /// /etc/passwd reaches the output.
    @Test func symlinkOutOfACaptureIsNotFollowed() async throws {
        let capture = try Hardening.captureCopy("shop-healthy")
        let heap = capture.appendingPathComponent("snap-00/heap.pb.gz")
        try FileManager.default.removeItem(at: heap)
        try FileManager.default.createSymbolicLink(atPath: heap.path, withDestinationPath: "/etc/passwd")
        let run = try await LeakscopeBinary.run(["diagnose", capture.path])
        Hardening.expectOneLine(run, exit: 2, mentions: ["symbolic link"])
        #expect(!run.stderrText.contains("root:") && !run.stdoutText.contains("root:"))
    }

    @Test func symlinkedDirectoryInACaptureIsNotFollowed() async throws {
        let capture = try Hardening.captureCopy("shop-healthy")
        let snapshot = capture.appendingPathComponent("snap-00")
        let moved = try Hardening.directory("elsewhere").appendingPathComponent("snap-00")
        try FileManager.default.moveItem(at: snapshot, to: moved)
        try FileManager.default.createSymbolicLink(atPath: snapshot.path, withDestinationPath: moved.path)
        let run = try await LeakscopeBinary.run(["diagnose", capture.path])
        Hardening.expectOneLine(run, exit: 2, mentions: ["symbolic link"])
    }

    @Test func fifoNamedByAManifestIsRefused() async throws {
        let capture = try Hardening.captureCopy("shop-healthy")
        let heap = capture.appendingPathComponent("snap-00/heap.pb.gz")
        try FileManager.default.removeItem(at: heap)
        #expect(mkfifo(heap.path, 0o600) == 0)
        let run = try await LeakscopeBinary.run(["diagnose", capture.path])
        Hardening.expectOneLine(run, exit: 2, mentions: ["not a regular file"])
    }

    /// Loose files in a plain directory: symbolic links and FIFOs are skipped, not opened.
    @Test func plainDirectorySkipsLinksAndFifos() async throws {
        let directory = try Hardening.directory("loose")
        try FileManager.default.copyItem(at: TestPaths.packageRoot.appendingPathComponent("examples/profiles/heap-1.pb.gz"),
                                         to: directory.appendingPathComponent("heap.pb.gz"))
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("zero").path, withDestinationPath: "/dev/zero")
        #expect(mkfifo(directory.appendingPathComponent("pipe").path, 0o600) == 0)
        let run = try await MeasuredRun.leakscope(["diagnose", directory.path])
        #expect(run.result.exitCode == 0, "\(run.result.summary)")
        #expect(run.peakMiB < 400)
    }

    @Test func manifestRepeatingOneFileIsRefusedCheaply() async throws {
        let capture = try Hardening.captureCopy("shop-healthy")
        let manifestURL = capture.appendingPathComponent("manifest.json")
        var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as! [String: Any]
        var snapshots = manifest["snapshots"] as! [[String: Any]]
        let first = snapshots[0]
        snapshots = Array(repeating: first, count: 3000)
        manifest["snapshots"] = snapshots
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        let run = try await MeasuredRun.leakscope(["diagnose", capture.path])
        Hardening.expectOneLine(run.result, exit: 2, mentions: ["twice"])
        #expect(run.peakMiB < 300, "\(run.peakMiB) MiB")
    }

    /// 256 MiB of zeros gzipped (about 260 kB): fails on the inflation ratio, long before the 1 GiB cap.
    @Test func gzipBombFailsEarly() async throws {
        let directory = try Hardening.directory("bomb")
        let bomb = directory.appendingPathComponent("bomb.pb.gz").path
        let made = try await ProcessRunner.run("/bin/sh", ["-c", "head -c 268435456 /dev/zero | gzip -9 > '\(bomb)'"])
        #expect(made.succeeded, "\(made.summary)")
        for command in [["pprof", "-top"], ["diagnose"]] {
            let run = try await MeasuredRun.leakscope(command + [bomb])
            Hardening.expectOneLine(run.result, exit: 2, mentions: ["gzip bomb"])
            #expect(run.peakMiB < 250, "\(command): \(run.peakMiB) MiB")
        }
    }

    /// A packed field that inflates (within the caps) to a huge count: memory stays proportional
    /// to the bytes read.
    @Test func hugePackedFieldCostsItsBytesNotItsCount() async throws {
        // Profile field 2 (sample), holding field 1 (location_id) packed: 48 MiB of one-byte varints.
        let count = 48 << 20
        var sample: [UInt8] = [0x0A] + Self.varint(UInt64(count))
        sample += [UInt8](repeating: 0x01, count: count)
        let message: [UInt8] = [0x12] + Self.varint(UInt64(sample.count)) + sample + [0x32, 0x00]
        let directory = try Hardening.directory("packed")
        let raw = directory.appendingPathComponent("packed.pb")
        try Data(message).write(to: raw)
        let zipped = try await ProcessRunner.run("/bin/sh", ["-c", "gzip -9 -k '\(raw.path)'"])
        #expect(zipped.succeeded)
        let run = try await MeasuredRun.leakscope(["pprof", "-top", raw.path + ".gz"])
        #expect(run.result.exitCode == 2, "\(run.result.summary)")
        #expect(run.result.exitCode < 128)
        #expect(run.peakMiB < 1200, "\(run.peakMiB) MiB")
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }

    /// A function name holding a terminal escape and a carriage return: piped output is
    /// byte-identical to go tool pprof; an error quoting the name escapes it.
    @Test func controlCharactersInNames() async throws {
        let evil = "main.evil\u{1B}]0;pwned\u{07}\r"
        let path = try Hardening.file(Hardening.profile([([0, 1], [1, 10])], names: [evil, "main.b", "main.c"]), name: "evil.pb.gz")
        let expected = try await Hardening.goPprof(["-top", path])
        let actual = try await LeakscopeBinary.run(["pprof", "-top", path])
        #expect(actual.stdoutText == expected.stdoutText)
        // On a terminal (script(1) gives the child one) the escape is shown, not obeyed.
        let shown = try await ProcessRunner.run("/usr/bin/script", ["-qec", "\(try LeakscopeBinary.path()) pprof -top \(path)", "/dev/null"])
        #expect(shown.stdoutText.contains("main.evil\\x1b]0;pwned\\a\\r"), "\(shown.stdoutText)")
        #expect(!shown.stdout.contains(0x07))
        let missing = try await LeakscopeBinary.run(["diagnose", "/nonexistent/\u{1B}[2Jname\rx"])
        Hardening.expectOneLine(missing, exit: 2, mentions: ["\\x1b[2Jname\\rx"])
    }
}
