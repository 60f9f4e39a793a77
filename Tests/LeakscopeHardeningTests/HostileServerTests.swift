import Foundation
import Testing
import LeakscopeCapture
import LeakscopeTestSupport

/// Servers that refuse, stall, trickle, bomb, redirect elsewhere, reset, or do not speak HTTP
/// (`Tests/Fixtures/go/hostileserver`), against `pprof`, `capture` and `diagnose`.
@Suite(.serialized) struct HostileServerTests {
    static let server = AsyncOnceCache<Int, FixtureServer>()

    func hostile() async throws -> FixtureServer {
        try await Self.server.value(for: 0) { try await FixtureServer("hostileserver") }
    }

    @Test func refusedConnection() async throws {
        let url = "http://127.0.0.1:\(try closedPort())"
        for arguments in [["pprof", "-top", url + "/debug/pprof/heap"], ["diagnose", url],
                          ["capture", url, "--retries", "0", "--out", try Hardening.directory("refused").appendingPathComponent("c").path]] {
            let run = try await LeakscopeBinary.run(arguments)
            #expect(run.exitCode == 2, "\(arguments): \(run.summary)")
            #expect(run.stderrText.contains("connection refused"), "\(run.stderrText)")
        }
    }

    @Test(arguments: ["http://127.0.0.1:99999/debug/pprof/heap", "http://127.0.0.1:65536", "http://[::1]:123456/x",
                      "http://127.0.0.1:-1/", "http://127.0.0.1:8x/"])
    func portOutOfRangeIsAUsageError(_ url: String) async throws {
        for arguments in [["pprof", "-top", url], ["diagnose", url], ["capture", url, "--out", try Hardening.directory("port").path + "/c"]] {
            let run = try await LeakscopeBinary.run(arguments)
            #expect(run.exitCode == 2, "\(arguments): \(run.summary)")
            #expect(run.stderrText.contains("port"), "\(run.stderrText)")
            #expect(!run.stderrText.contains("Fatal error"), "\(run.stderrText)")
        }
    }

    @Test func stallAndTrickleEndAtTheTimeout() async throws {
        let server = try await hostile()
        for path in ["/stall", "/trickle"] {
            let run = try await LeakscopeBinary.run(["pprof", "-timeout=2", "-top", server.url(path)])
            Hardening.expectOneLine(run, exit: 2, mentions: [server.url(path)])
            #expect(run.duration < .seconds(30), "\(path) took \(run.duration)")
        }
    }

    @Test func gzipBombOverHTTPFailsEarly() async throws {
        let server = try await hostile()
        let run = try await MeasuredRun.leakscope(["pprof", "-top", server.url("/bomb")])
        Hardening.expectOneLine(run.result, exit: 2, mentions: ["gzip bomb"])
        #expect(run.peakMiB < 300, "\(run.peakMiB) MiB")
    }

    @Test func redirectToAnotherPortIsRefusedUnlessAllowed() async throws {
        let server = try await hostile()
        let url = server.url("/redirect-elsewhere")
        let refused = try await LeakscopeBinary.run(["pprof", "-top", url])
        Hardening.expectOneLine(refused, exit: 2, mentions: [url, "another host or port", server.addresses[1], "--follow-redirects"])
        let allowed = try await ProcessRunner.run(try LeakscopeBinary.path(), ["pprof", "-top", url],
                                                  environment: ProcessInfo.processInfo.environment.merging(["LEAKSCOPE_REDIRECTS": "any"]) { $1 })
        #expect(allowed.exitCode == 0, "\(allowed.summary)")
        #expect(allowed.stdoutText.contains("Type: inuse_space"))
        let flagged = try await LeakscopeBinary.run(["pprof", "-top", "-follow_redirects", url])
        #expect(flagged.exitCode == 0, "\(flagged.summary)")
        #expect(flagged.stdoutText == allowed.stdoutText)
        let same = try await LeakscopeBinary.run(["pprof", "-top", server.url("/redirect-same")])
        #expect(same.exitCode == 0, "\(same.summary)")
        let badPort = try await LeakscopeBinary.run(["pprof", "-top", server.url("/redirect-bad-port")])
        Hardening.expectOneLine(badPort, exit: 2, mentions: ["99999"])
    }

    @Test func resetAndGarbageAreOneLineNamingTheURL() async throws {
        let server = try await hostile()
        let reset = try await LeakscopeBinary.run(["pprof", "-top", server.url("/reset")])
        Hardening.expectOneLine(reset, exit: 2, mentions: [server.url("/reset")])
        #expect(!reset.stderrText.contains("errno"), "\(reset.stderrText)")
        let garbage = try await LeakscopeBinary.run(["pprof", "-top", server.url("/garbage")])
        Hardening.expectOneLine(garbage, exit: 2, mentions: [server.url("/garbage"), "not HTTP"])
    }

    /// The target's heap profile is a gzip bomb and its goroutine dumps are garbage with terminal
    /// escapes: capture records both as failed, with the reason, and keeps no file for them.
    @Test func captureValidatesBodies() async throws {
        let server = try await hostile()
        let directory = try Hardening.directory("badcap").appendingPathComponent("c")
        let run = try await MeasuredRun.leakscope(["capture", server.url("/bad/debug/pprof/"), "--snapshots", "1",
                                                   "--cpu-seconds", "0", "--retries", "0", "--quiet", "--out", directory.path])
        #expect(run.result.exitCode == 0, "\(run.result.summary)")
        #expect(run.peakMiB < 400, "\(run.peakMiB) MiB")
        let manifest = try CaptureManifest.load(directory: directory)
        let heap = try #require(manifest.snapshots.first?.entry(.heap))
        #expect(heap.status == .failed && heap.file == nil)
        #expect(heap.error?.contains("gzip bomb") == true, "\(heap.error ?? "")")
        let stacks = try #require(manifest.snapshots.first?.entry(.goroutineStacks))
        #expect(stacks.status == .failed && stacks.error?.contains("invalid body") == true, "\(stacks.error ?? "")")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("snap-00/heap.pb.gz").path))
        // The real goroutine profile was fine.
        #expect(manifest.snapshots.first?.entry(.goroutine)?.status == .fetched)
    }

    /// Ctrl-C while the first request hangs: exit 130, one line, no CancellationError.
    @Test func interruptDuringTheFirstRequest() async throws {
        let server = try await hostile()
        let directory = try Hardening.directory("interrupt").appendingPathComponent("c")
        for arguments in [["capture", server.url("/stall/"), "--out", directory.path], ["diagnose", server.url("/stall/")]] {
            let child = try ChildProcess(try LeakscopeBinary.path(), arguments)
            await pause(seconds: 1.5)
            child.signal(SIGINT)
            let result = await child.result()
            #expect(result.exitCode == 130, "\(arguments): \(result.summary)")
            #expect(!result.stderrText.contains("CancellationError"), "\(result.stderrText)")
            #expect(result.stderrText.contains("interrupted"), "\(result.stderrText)")
        }
    }

    func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
