import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// `ui/source?f=RE`: the annotated source pprof's `-list RE -focus RE` prints, with the same
/// numbers; `-source_path`/`-trim_path` honoured; and no file outside the profile's own sources
/// readable, whatever the URL or the profile says.
@Suite(.serialized) struct SourceViewTests {
    static func profiles() async throws -> URL {
        try await GoFixtures.output("profiles", toolchain: .current)
    }

    /// The page's source lines, printed back in `-list`'s `%10s %10s %6d:%s` form.
    static func lines(_ html: String) -> [String] {
        var rows: [String] = []
        for match in html.matches(of: /<tr(?: class="[^"]*")? id="L\d+">(.*?)<\/tr>/) {
            let cells = String(match.output.1).matches(of: /<td[^>]*>(.*?)<\/td>/).map { TopPage.unescape(String($0.output.1)) }
            guard cells.count == 4 else { continue }
            func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
            rows.append(pad(cells[0], 10) + " " + pad(cells[1], 10) + " " + pad(cells[2], 6) + ":" + cells[3])
        }
        return rows
    }

    @Test func sourceViewHasPprofsListNumbers() async throws {
        let heap = try await Self.profiles().appendingPathComponent("allocs.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", heap])
        defer { Task { await server.stop() } }
        for (query, pattern, flags) in [("f=main%5C.&si=alloc_space", "main\\.", ["-sample_index=alloc_space"]),
                                        ("f=main%5C.allocate&si=inuse_objects", "main\\.allocate", ["-sample_index=inuse_objects"])] {
            let answer = try await HTTP.get(server.base + "/ui/source?" + query)
            #expect(answer.status == 200, "\(answer.text.prefix(300))")
            let pprof = try await GoPprof.run(["-list=" + pattern, "-focus=" + pattern] + flags + [heap])
            try #require(pprof.succeeded, "\(pprof.summary)")
            let expected = pprof.stdoutText.split(separator: "\n").map(String.init)
                .filter { !$0.hasPrefix("ROUTINE") && !$0.hasPrefix("Total:") && !$0.contains("(flat, cum)") }
            #expect(!expected.isEmpty)
            #expect(Self.lines(answer.text) == expected, "\(query)")
            #expect(answer.text.contains("class=\"hot h"), "hot lines are shaded")
        }
        // The top view links each row to its source, and peek links to the source of what it shows.
        let top = try await HTTP.get(server.base + "/ui/top?si=alloc_space")
        #expect(top.text.contains("<a class=\"src\" href=\"/ui/source?"))
        let peek = try await HTTP.get(server.base + "/ui/peek?f=main&si=alloc_space")
        #expect(peek.text.contains("id=\"ls-source\" href=\"/ui/source?"))
        let bad = try await HTTP.get(server.base + "/ui/source?f=nosuchfunction")
        #expect(bad.status == 400 && bad.text.contains("no matches found for regexp: nosuchfunction"))
        await server.stop()
    }

    /// Paths in parameters are only regexps: nothing is read from them.
    @Test func parametersNeverNameFiles() async throws {
        let heap = try await Self.profiles().appendingPathComponent("allocs.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", heap])
        defer { Task { await server.stop() } }
        for query in ["f=..%2F..%2F..%2F..%2Fetc%2Fpasswd", "f=%2Fetc%2Fpasswd", "f=.&file=%2Fetc%2Fpasswd",
                      "f=main&source_path=%2Fetc", "f=main&trim_path=%2F"] {
            let answer = try await HTTP.get(server.base + "/ui/source?" + query)
            #expect(answer.status == 200 || answer.status == 400, "\(query)")
            #expect(!answer.text.contains("root:x:0:0"), "\(query)")
        }
        await server.stop()
    }

    /// A profile naming files outside its sources (absolute, `../`, not source files): the page
    /// says it could not read them instead of showing them.
    @Test func profileNamedFilesOutsideTheSourcesAreNotRead() async throws {
        var profile = Profile()
        profile.sampleTypes = [ValueType(type: "samples", unit: "count")]
        let names = ["/etc/passwd", "../../../../../../../../etc/passwd", "etc/passwd", "../../../../../../etc/hostname.go"]
        for (i, file) in names.enumerated() {
            profile.functions.append(Function(id: UInt64(i + 1), name: "main.f\(i)", filename: file, startLine: 1))
            profile.locations.append(Location(id: UInt64(i + 1), lines: [Line(function: i, line: 1)]))
            profile.samples.append(Sample(locations: [i], values: [Int64(10 + i)]))
        }
        let file = TestPaths.scratch.appendingPathComponent("outside-\(UUID().uuidString).pb.gz")
        try Data(profile.encodeGzipped()).write(to: file)
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", file.path])
        defer { Task { await server.stop() } }
        let answer = try await HTTP.get(server.base + "/ui/source?f=main")
        await server.stop()
        #expect(answer.status == 200, "\(answer.text.prefix(300))")
        #expect(!answer.text.contains("root:x:0:0"))
        #expect(answer.text.components(separatedBy: "class=\"error\"").count - 1 == names.count, "\(answer.text)")
        // The command line, like pprof, reads what the profile names.
        let cli = try await LeakscopeBinary.run(["pprof", "-list=main.f0", file.path])
        #expect(cli.stdoutText.contains("root:x:0:0"))
    }

    /// `-source_path`/`-trim_path` on the command line apply to the view; a `-trimpath` build's
    /// module-relative names are found through the module's `go.mod`.
    @Test func sourcePathAndGoModuleLayout() async throws {
        let source = TestPaths.goFixtures.appendingPathComponent("profiles")
        let scratch = TestPaths.scratch.appendingPathComponent("trimpath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let binary = scratch.appendingPathComponent("profiles")
        let build = try await GoToolchain.locate(.current).go(["build", "-trimpath", "-o", binary.path, "."], in: source)
        try #require(build.succeeded, "\(build.summary)")
        let run = try await ProcessRunner.run(binary.path, ["-out", scratch.path], environment: GoToolchain.environment)
        try #require(run.succeeded, "\(run.summary)")
        let heap = scratch.appendingPathComponent("allocs.pb.gz").path
        for flags in [["-source_path=\(source.path)"], ["-trim_path=/nowhere", "-source_path=/nonexistent:\(source.path)"]] {
            let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser"] + flags + [heap])
            let answer = try await HTTP.get(server.base + "/ui/source?f=main%5C.allocate&si=alloc_space")
            await server.stop()
            #expect(answer.status == 200)
            #expect(Self.lines(answer.text).contains { $0.contains("func allocate") }, "\(flags): \(answer.text.suffix(2000))")
        }
    }
}

/// The source view in headless Chromium (`Tests/Fixtures/web/source_browser.py`): reached from a
/// top row and from peek, lines and shading shown, search and `/`, no console error.
@Suite(.serialized) struct SourceViewBrowserTests {
    @Test func sourceViewWorksInChromium() async throws {
        let allocs = try await GoFixtures.output("profiles", toolchain: .current).appendingPathComponent("allocs.pb.gz").path
        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", allocs])
        defer { Task { await server.stop() } }
        let result = try await BrowserScript.run("source_browser.py", against: server)
        await server.stop()
        #expect(result.succeeded, "\(result.stdoutText)\n\(result.stderrText.suffix(3000))")
        #expect(result.stdoutText.contains("all checks passed"))
        #expect(FileManager.default.fileExists(atPath: BrowserScript.shots + "/source.png"))
    }
}
