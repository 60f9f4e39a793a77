import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile
@testable import LeakscopeWeb

/// `leakscope pprof -http` against the real server: every number a view shows equals
/// `go tool pprof`'s for the same settings, pprof's URLs and parameters work, bad parameters are
/// a 400 with a one-line reason, and a server bound beyond loopback needs its token.
@Suite(.serialized) struct WebServerTests {
    static func profiles() async throws -> URL {
        try await GoFixtures.output("profiles", toolchain: .current)
    }

    /// URL parameters of the top view, and the `go tool pprof` flags meaning the same.
    static let topCases: [(query: String, flags: [String])] = [
        ("", []),
        ("si=alloc_space", ["-sample_index=alloc_space"]),
        ("si=inuse_objects&sort=cum", ["-sample_index=inuse_objects", "-cum"]),
        ("f=main%5C.&si=alloc_space", ["-focus=main\\.", "-sample_index=alloc_space"]),
        ("i=runtime&h=fmt&si=alloc_objects", ["-ignore=runtime", "-hide=fmt", "-sample_index=alloc_objects"]),
        ("g=lines&si=alloc_space&n=20", ["-lines", "-sample_index=alloc_space", "-nodecount=20"]),
        ("sf=main%5C.allocate&si=alloc_space", ["-show_from=main\\.allocate", "-sample_index=alloc_space"]),
        ("s=main&si=alloc_space&unit=kB", ["-show=main", "-sample_index=alloc_space", "-unit=kB"]),
        ("noinlines=true&si=alloc_space&g=filefunctions", ["-noinlines", "-sample_index=alloc_space", "-filefunctions"]),
    ]

    @Test func topViewMatchesGoToolPprofForEverySetting() async throws {
        let heap = try await Self.profiles().appendingPathComponent("allocs.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", heap])
        defer { Task { await server.stop() } }
        for (query, flags) in Self.topCases {
            let answer = try await HTTP.get(server.base + "/ui/top" + (query.isEmpty ? "" : "?" + query))
            #expect(answer.status == 200, "\(query): \(answer.text.prefix(300))")
            let ours = TopPage.lines(answer.text)
            let pprof = try await GoPprof.run(["-top", "-nodecount=" + (flags.contains { $0.hasPrefix("-nodecount") } ? "20" : "500")]
                                              + flags.filter { !$0.hasPrefix("-nodecount") } + [heap])
            try #require(pprof.succeeded, "\(pprof.summary)")
            let lines = pprof.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let header = lines.firstIndex(of: "      flat  flat%   sum%        cum   cum%") else {
                Issue.record("no table in pprof's output: \(pprof.stdoutText)")
                continue
            }
            #expect(ours.legend == Array(lines[..<header]), "legend for \(query)")
            #expect(ours.rows == Array(lines[(header + 1)...].filter { !$0.isEmpty }), "rows for \(query)")
            #expect(!ours.rows.isEmpty)
        }
        await server.stop()
    }

    @Test func peekViewIsPprofsPeekAtLineGranularity() async throws {
        let heap = try await Self.profiles().appendingPathComponent("allocs.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", heap])
        let answer = try await HTTP.get(server.base + "/ui/peek?f=main%5C.allocate&si=alloc_space")
        await server.stop()
        #expect(answer.status == 200)
        let pre = try #require(answer.text.firstMatch(of: /<pre class="report">(.*?)<\/pre>/.dotMatchesNewlines()))
        let pprof = try await GoPprof.run(["-peek=main\\.allocate", "-focus=main\\.allocate", "-lines",
                                           "-sample_index=alloc_space", heap])
        try #require(pprof.succeeded, "\(pprof.summary)")
        #expect(TopPage.unescape(String(pre.output.1)) == pprof.stdoutText)
    }

    @Test func pprofsURLLayoutAndDownload() async throws {
        let dir = try await Self.profiles()
        let cpu = dir.appendingPathComponent("cpu.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", cpu])
        defer { Task { await server.stop() } }
        #expect(server.printedURL == server.base + "/", "loopback needs no token")

        let root = try await HTTP.get(server.base + "/")
        #expect(root.status == 302 && root.headers["location"] == "/ui/")
        let ui = try await HTTP.get(server.base + "/ui/?f=main")
        #expect(ui.status == 302 && ui.headers["location"] == "/ui/flamegraph?f=main")
        let old = try await HTTP.get(server.base + "/ui/flamegraph2")
        #expect(old.status == 302 && old.headers["location"] == "/ui/flamegraph")

        let flame = try await HTTP.get(server.base + "/ui/flamegraph?f=main%5C.")
        #expect(flame.status == 200)
        #expect(flame.text.contains("id=\"flame-data\""))
        #expect(flame.text.contains("<summary>Refine</summary>"))
        #expect(flame.text.contains("class=\"ls-chip\">focus=main\\."), "the active filter is shown")
        #expect(flame.text.contains("id=\"ls-shown\">shows "), "with the totals it changed")
        #expect(flame.body.count < 200_000, "the page is small: \(flame.body.count) bytes")

        let download = try await HTTP.get(server.base + "/ui/download?f=main%5C.hashLoop")
        #expect(download.status == 200)
        #expect(download.headers["content-disposition"] == "attachment;filename=profile.pb.gz")
        let downloaded = try Profile.parse(download.body)
        // The download is the focused profile: every sample passes through main.hashLoop.
        let stacks = downloaded.samples.map { sample in
            sample.locations.flatMap { downloaded.locations[$0].lines.compactMap { $0.function.map { downloaded.functions[$0].name } } }
        }
        #expect(!stacks.isEmpty)
        #expect(stacks.allSatisfy { $0.contains("main.hashLoop") })
        await server.stop()
    }

    @Test func badParametersAreA400SayingWhich() async throws {
        let heap = try await Self.profiles().appendingPathComponent("heap.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", heap])
        defer { Task { await server.stop() } }
        let badRegexp = try await HTTP.get(server.base + "/ui/top?f=%28unclosed")
        #expect(badRegexp.status == 400)
        #expect(TopPage.unescape(badRegexp.text).contains("parameter f: bad regexp \"(unclosed\": "))
        let badIndex = try await HTTP.get(server.base + "/ui/flamegraph?si=nosuchtype")
        #expect(badIndex.status == 400)
        #expect(badIndex.text.contains("nosuchtype"))
        let badBool = try await HTTP.get(server.base + "/ui/top?noinlines=maybe")
        #expect(badBool.status == 400 && badBool.text.contains("parameter noinlines"))
        let badView = try await HTTP.get(server.base + "/ui/nosuchview")
        #expect(badView.status == 404)
        let huge = try await HTTP.get(server.base + "/ui/top?f=" + String(repeating: "a", count: 20_000))
        #expect(huge.status == 414)
        // The server is still answering after all that.
        #expect(try await HTTP.get(server.base + "/ui/top").status == 200)
        await server.stop()
    }

    /// Pages are cached by URL and a request that arrives while its page is being rendered waits for
    /// that rendering (the default flame graph starts rendering with the server): concurrent requests
    /// for one URL get one body, different URLs different bodies, a bad one the same 400 every time.
    @Test func concurrentRequestsShareOneRendering() async throws {
        let heap = try await Self.profiles().appendingPathComponent("allocs.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", heap])
        defer { Task { await server.stop() } }
        let urls = ["/ui/flamegraph", "/ui/flamegraph?si=alloc_space", "/ui/top?si=alloc_space", "/ui/flamegraph?f=%28bad"]
        let answers = try await withThrowingTaskGroup(of: (Int, HTTPAnswer).self) { group in
            for _ in 0..<4 {
                for (index, url) in urls.enumerated() {
                    group.addTask { (index, try await HTTP.get(server.base + url)) }
                }
            }
            var answers: [Int: [HTTPAnswer]] = [:]
            for try await (index, answer) in group { answers[index, default: []].append(answer) }
            return answers
        }
        for (index, url) in urls.enumerated() {
            let got = try #require(answers[index])
            #expect(got.count == 4, "\(url)")
            #expect(Set(got.map(\.status)) == [url.contains("bad") ? 400 : 200], "\(url)")
            #expect(Set(got.map(\.body)).count == 1, "\(url): bodies differ between concurrent requests")
        }
        #expect(answers[0]?.first?.body != answers[1]?.first?.body, "another sample index, another page")
        #expect(answers[3]?.first.map { TopPage.unescape($0.text).contains("parameter f: bad regexp") } == true)
        // A cached page is the page: the same bytes after the rendering is long done.
        #expect(try await HTTP.get(server.base + urls[1]).body == answers[1]?.first?.body)
        await server.stop()
    }

    @Test func anyOtherAddressNeedsTheToken() async throws {
        let heap = try await Self.profiles().appendingPathComponent("heap.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=0.0.0.0:0", "-no_browser", heap])
        defer { Task { await server.stop() } }
        let port = server.base.split(separator: ":").last.map(String.init) ?? ""
        let base = "http://127.0.0.1:" + port
        let token = try #require(server.printedURL.split(separator: "=").last.map(String.init))
        #expect(server.printedURL.contains("?token="))
        #expect(try await HTTP.get(base + "/ui/top").status == 403)
        #expect(try await HTTP.get(base + "/ui/top?token=wrong").status == 403)
        let once = try await HTTP.get(base + "/ui/top?token=" + token)
        #expect(once.status == 303)
        #expect(once.headers["location"] == "/ui/top")
        let cookie = try #require(once.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(try await HTTP.get(base + "/ui/top", headers: ["Cookie: " + cookie]).status == 200)
        #expect(try await HTTP.get(base + "/ui/top", headers: ["X-Leakscope-Token: " + token]).status == 200)
        await server.stop()
    }

    @Test func baseTopAndDiffBaseFlameGraph() async throws {
        let dir = try await Self.profiles()
        let heap = dir.appendingPathComponent("heap.pb.gz").path, allocs = dir.appendingPathComponent("allocs.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", "-base", heap, allocs])
        defer { Task { await server.stop() } }
        let top = try await HTTP.get(server.base + "/ui/top?si=alloc_space")
        let pprof = try await GoPprof.run(["-top", "-nodecount=500", "-sample_index=alloc_space", "-base", heap, allocs])
        try #require(pprof.succeeded)
        let lines = pprof.stdoutText.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex(of: "      flat  flat%   sum%        cum   cum%"))
        #expect(TopPage.lines(top.text).rows == Array(lines[(header + 1)...]))
        await server.stop()
        let diffServer = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", "-diff_base", heap, allocs])
        defer { Task { await diffServer.stop() } }
        let flame = try await HTTP.get(diffServer.base + "/ui/flamegraph?si=alloc_space")
        #expect(flame.status == 200)
        #expect(flame.text.contains("\"diff\":true"))
        await diffServer.stop()
    }

    @Test func commandLineErrorsAreOneLine() async throws {
        let heap = try await Self.profiles().appendingPathComponent("heap.pb.gz").path
        let badPort = try await LeakscopeBinary.run(["pprof", "-http=127.0.0.1:notaport", "-no_browser", heap])
        #expect(badPort.exitCode == 2)
        #expect(badPort.stderrText == "leakscope: invalid port number: notaport\n")
        let missing = try await LeakscopeBinary.run(["pprof", "-http=127.0.0.1:0", "-no_browser", "/nonexistent.pb.gz"])
        #expect(missing.exitCode == 2)
        #expect(missing.stderrText.split(separator: "\n").count == 1)
    }

    @Test func listenAddressesParseLikePprof() throws {
        #expect(try ListenAddress(parsing: ":8080") == ListenAddress(host: "localhost", port: 8080))
        #expect(try ListenAddress(parsing: "localhost:") == ListenAddress(host: "localhost", port: 0))
        #expect(try ListenAddress(parsing: "[::1]:7000").host == "::1")
        #expect(try ListenAddress(parsing: "[::1]:7000").isLoopback)
        #expect(try !ListenAddress(parsing: "0.0.0.0:80").isLoopback)
        #expect(throws: WebSetupError.self) { try ListenAddress(parsing: "8080") }
    }

    @Test func queryStringsReadLikeGo() {
        let query = WebQuery("f=a+b%2Fc&f=second&empty=&x")
        #expect(query["f"] == "a b/c")
        #expect(query["empty"] == nil)
        #expect(query.setting("f", "^main\\.x$").string == "?empty=&x=&f=%5Emain%5C.x%24")
    }
}

extension ListenAddress {
    init(host: String, port: Int) {
        self = try! ListenAddress(parsing: "\(host):\(port)")
    }
}
