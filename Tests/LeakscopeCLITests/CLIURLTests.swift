import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopePprofDriver

/// URLs as profile sources, as `go tool pprof` takes them.
@Suite struct CLIURLTests {
    // MARK: Which arguments are URLs, and how they are adjusted (pprof's adjustURL).

    private func locate(_ argument: String, seconds: Int = -1, timeout: Int = -1) -> ProfileSource {
        ProfileSource.locate(argument, seconds: seconds, timeout: timeout, fileExists: { _ in false })
    }

    @Test func hostAndPortAloneMeansTheCPUProfile() {
        #expect(locate("localhost:6060") == .url("http://localhost:6060/debug/pprof/profile", timeout: .seconds(60) + ProfileSource.slack))
        #expect(locate("http://127.0.0.1:6060/") == .url("http://127.0.0.1:6060/debug/pprof/profile", timeout: .seconds(60) + ProfileSource.slack))
        #expect(locate("[::1]:6060") == .url("http://[::1]:6060/debug/pprof/profile", timeout: .seconds(60) + ProfileSource.slack))
    }

    @Test func pathsAndSchemesAreKept() {
        #expect(locate("localhost:6060/debug/pprof/heap") == .url("http://localhost:6060/debug/pprof/heap", timeout: .seconds(60) + ProfileSource.slack))
        #expect(locate("https://example.test/debug/pprof/heap") == .url("https://example.test/debug/pprof/heap", timeout: .seconds(60) + ProfileSource.slack))
        #expect(locate("https+insecure://h:1/x") == .url("https+insecure://h:1/x", timeout: .seconds(60) + ProfileSource.slack))
    }

    @Test func secondsGoIntoTheQueryAndStretchTheTimeout() {
        #expect(locate("localhost:6060", seconds: 30) == .url("http://localhost:6060/debug/pprof/profile?seconds=30", timeout: .milliseconds(45_000) + ProfileSource.slack))
        #expect(locate("h:1/debug/pprof/profile?seconds=5&x=1", seconds: 10)
            == .url("http://h:1/debug/pprof/profile?seconds=10&x=1", timeout: .seconds(15) + ProfileSource.slack))
        // Seconds already in the URL set the timeout when -seconds is not given.
        #expect(locate("h:1/debug/pprof/profile?seconds=20") == .url("http://h:1/debug/pprof/profile?seconds=20", timeout: .seconds(30) + ProfileSource.slack))
        #expect(locate("h:1/debug/pprof/heap", seconds: 30, timeout: 7)
            == .url("http://h:1/debug/pprof/heap?seconds=30", timeout: .seconds(7) + ProfileSource.slack))
    }

    @Test func filesStayFiles() {
        #expect(locate("heap.pb.gz") == .file("heap.pb.gz"))
        #expect(locate("profiles/heap.pb.gz") == .file("profiles/heap.pb.gz"))
        #expect(locate("file:///tmp/heap.pb.gz") == .file("file:///tmp/heap.pb.gz"))
        // An existing file wins even when its name looks like host:port.
        #expect(ProfileSource.locate("a:1", seconds: -1, timeout: -1, fileExists: { $0 == "a:1" }) == .file("a:1"))
    }

    // MARK: The binary against a real net/http/pprof server.

    /// Runs leakscope with `PPROF_TMPDIR` set to a fresh folder (where fetched profiles are saved).
    private func runFetching(_ arguments: [String]) async throws -> (result: ProcessResult, saveDirectory: URL) {
        let directory = TestPaths.scratch
            .appendingPathComponent("leakscope-saved-\(getpid())-\(UUID().uuidString)")
        var environment = ProcessInfo.processInfo.environment
        environment["PPROF_TMPDIR"] = directory.path
        let result = try await ProcessRunner.run(try LeakscopeBinary.path(), arguments, environment: environment)
        return (result, directory)
    }

    /// The `Saved profile in …` line's path, checked to be in `directory`.
    private func savedPath(_ stderr: String, in directory: URL) -> String? {
        let prefix = "Saved profile in "
        guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        let path = String(line.dropFirst(prefix.count))
        return path.hasPrefix(directory.path + "/") ? path : nil
    }

    @Test func profileOverHTTPReportsLikeTheSameFile() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = server.url("/file/examples/profiles/heap-2.pb.gz")
        let (overHTTP, directory) = try await runFetching(["pprof", "-top", url])
        defer { try? FileManager.default.removeItem(at: directory) }
        let fromFile = try await LeakscopeBinary.run(["pprof", "-top", CLIEndToEndTests.heap2])
        #expect(overHTTP.exitCode == 0)
        #expect(overHTTP.stdout == fromFile.stdout)
        #expect(!overHTTP.stdout.isEmpty)
        // Like pprof: the fetched profile is kept, named after the binary and sample types.
        let saved = try #require(savedPath(overHTTP.stderrText, in: directory), "\(overHTTP.stderrText)")
        #expect(overHTTP.stderrText == "Fetching profile over HTTP from \(url)\nSaved profile in \(saved)\n")
        #expect(saved.hasSuffix("/pprof.generate.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz"))
        let fromSaved = try await LeakscopeBinary.run(["pprof", "-top", saved])
        #expect(fromSaved.stdout == fromFile.stdout)
        // A second fetch never overwrites the first save.
        let again = try await ProcessRunner.run(try LeakscopeBinary.path(), ["pprof", "-top", url],
                                          environment: ProcessInfo.processInfo.environment.merging(
                                              ["PPROF_TMPDIR": directory.path]) { $1 })
        #expect(savedPath(again.stderrText, in: directory)?.hasSuffix(".002.pb.gz") == true)
    }

    @Test func baseOverHTTP() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let base = server.url("/file/examples/profiles/heap-1.pb.gz")
        let (overHTTP, directory) = try await runFetching(["pprof", "-top", "-diff_base", base, CLIEndToEndTests.heap2])
        defer { try? FileManager.default.removeItem(at: directory) }
        let fromFiles = try await LeakscopeBinary.run(["pprof", "-top", "-diff_base", CLIEndToEndTests.heap1, CLIEndToEndTests.heap2])
        #expect(overHTTP.exitCode == 0)
        #expect(overHTTP.stdout == fromFiles.stdout)
    }

    @Test func liveCPUProfileFromHostAndPort() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let (result, directory) = try await runFetching(["pprof", "-top", "-seconds", "1", server.address])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.exitCode == 0, "\(result.stderrText)")
        let saved = savedPath(result.stderrText, in: directory) ?? "(none)"
        #expect(result.stderrText == """
            Fetching profile over HTTP from http://\(server.address)/debug/pprof/profile?seconds=1
            Please wait... (1s)
            Saved profile in \(saved)

            """)
        #expect(result.stdoutText.contains("Type: cpu\n"))
    }

    @Test func liveHeapProfile() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let (result, directory) = try await runFetching(["pprof", "-top", "-sample_index=inuse_space", server.url("/debug/pprof/heap")])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.exitCode == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("main.allocate"))
    }

    @Test func fetchFailuresAreOneLine() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let missing = server.url("/debug/nothing")
        let notFound = try await LeakscopeBinary.run(["pprof", "-top", missing])
        #expect(notFound.exitCode == 2)
        #expect(notFound.stdout.isEmpty)
        #expect(notFound.stderrText == """
            Fetching profile over HTTP from \(missing)
            leakscope: \(missing): server response: 404 Not Found (net/http/pprof not registered at this path?)

            """)

        let stalled = server.url("/stall-body")
        let timedOut = try await LeakscopeBinary.run(["pprof", "-top", "-timeout=1", stalled])
        #expect(timedOut.duration < .seconds(15))
        #expect(timedOut.exitCode == 2)
        // pprof's client allows -timeout plus 5 s; so do we.
        #expect(timedOut.stderrText.hasSuffix(
            "leakscope: \(stalled): response body stalled after 100 bytes; gave up after 6s (-timeout to wait longer)\n"))

        let port = try closedLoopbackPort()
        let refused = try await LeakscopeBinary.run(["pprof", "-top", "127.0.0.1:\(port)/debug/pprof/heap"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderrText.hasSuffix(
            "leakscope: http://127.0.0.1:\(port)/debug/pprof/heap: connection refused (is the program running, and is net/http/pprof serving on this port?)\n"))
    }
}

extension CLIURLTests {
    @Test func queryParametersComeOutSortedLikeGo() {
        #expect(locate("h:1/debug/pprof/heap?gc=1&debug=0") == .url("http://h:1/debug/pprof/heap?debug=0&gc=1", timeout: .seconds(60) + ProfileSource.slack))
    }
}

extension CLIURLTests {
    @Test func absurdDurationsAreClamped() {
        #expect(locate("h:1", seconds: Int.max) == .url("http://h:1/debug/pprof/profile?seconds=\(Int.max)",
                                                       timeout: .milliseconds(ProfileSource.maxSeconds * 1500) + ProfileSource.slack))
        #expect(locate("h:1/x", timeout: Int.max) == .url("http://h:1/x", timeout: .seconds(ProfileSource.maxSeconds) + ProfileSource.slack))
    }
}

extension CLIURLTests {
    @Test func httpsInsecureLikePprof() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = "https+insecure://\(server.tlsAddress)/file/examples/profiles/heap-2.pb.gz"
        let (result, directory) = try await runFetching(["pprof", "-top", url])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.exitCode == 0, "\(result.stderrText)")
        #expect(result.stderrText.hasPrefix("Fetching profile over HTTP from \(url)\n"))
        let fromFile = try await LeakscopeBinary.run(["pprof", "-top", CLIEndToEndTests.heap2])
        #expect(result.stdout == fromFile.stdout)
    }
}
