import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopePprof

/// `-list RE` with `-source_path` and `-trim_path`, byte for byte against `go tool pprof`, on real
/// CPU and heap profiles of the report fixture: built normally (absolute file names), built with
/// `-trimpath` (module-relative names: `leakscope/fixtures/report/main.go`, `runtime/malloc.go`),
/// and with its sources moved away (pprof's messages for a missing file).
@Suite struct PprofListTests {
    static var fixtureSource: URL { TestPaths.goFixtures.appendingPathComponent("report") }
    static var goRootSource: String {
        get async throws {
            let result = try await PprofOracle.go(["env", "GOROOT"])
            return String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) + "/src"
        }
    }

    /// The report fixture built with `go build -trimpath` (or from a copy of its sources in a
    /// scratch folder that is then renamed, with `moveSourcesAway`), run once: its output folder.
    static func profiles(trimpath: Bool, moveSourcesAway: Bool = false) async throws -> URL {
        let key = "\(trimpath)-\(moveSourcesAway)"
        return try await cache.value(for: key) {
            let base = TestPaths.scratch.appendingPathComponent("list-\(key)")
            try? FileManager.default.removeItem(at: base)
            let source = base.appendingPathComponent("src")
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: fixtureSource, to: source)
            let binary = base.appendingPathComponent("report")
            let toolchain = try await GoToolchain.locate(.current)
            let build = try await toolchain.go(["build"] + (trimpath ? ["-trimpath"] : []) + ["-o", binary.path, "."],
                                               in: source)
            guard build.succeeded else { throw PprofOracle.Failure(description: build.summary) }
            let out = base.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let run = try await ProcessRunner.run(binary.path, ["-out", out.path], environment: GoToolchain.environment)
            guard run.succeeded else { throw PprofOracle.Failure(description: run.summary) }
            if moveSourcesAway {
                try FileManager.default.moveItem(at: source, to: base.appendingPathComponent("moved"))
            }
            return out
        }
    }
    private static let cache = AsyncOnceCache<String, URL>()

    static let inPlaceCases: [(file: String, flags: [[String]])] = [
        ("cpu.pb.gz", [["-list=main\\."], ["-list=."], ["-list=main", "-cum"], ["-list=spin|hashStep", "-noinlines"],
                       ["-list=main", "-unit=ms"], ["-list=burn", "-focus=burnB"], ["-list=main", "-hide=burnA"],
                       ["-list=nosuch"]]),
        ("heap_b.pb.gz", [["-list=main\\."], ["-list=main.alloc"], ["-list=main", "-focus=allocTop"],
                          ["-list=main", "-sample_index=0"], ["-list=main", "-hide=allocLeaf"], ["-list=alloc", "-mean"],
                          ["-list=main", "-unit=kB", "-inuse_objects"], ["-list=nosuch"]]),
    ]

    @Test func listWithSourcesInPlace() async throws {
        for (file, flagSets) in Self.inPlaceCases {
            let profile = try await PprofOracle.fixture(file)
            for flags in flagSets { try await PprofOracle.expectIdentical(flags, profile) }
        }
    }

    @Test(arguments: ["cpu.pb.gz", "heap_b.pb.gz"])
    func listOfTrimpathBuild(file: String) async throws {
        let profile = try await Self.profiles(trimpath: true).appendingPathComponent(file).path
        let source = Self.fixtureSource.path
        let goSource = try await Self.goRootSource
        let parent = Self.fixtureSource.deletingLastPathComponent().path
        for flags in [
            // Not found: pprof's "could not find file … on path <cwd>".
            ["-list=main\\.|runtime.mallocgc$"],
            // The search path's last element found in the recorded name.
            ["-list=main\\.", "-source_path=\(source)"],
            // Several directories; the standard library under GOROOT/src.
            ["-list=main\\.|runtime\\.(mallocgc|goexit)$", "-source_path=\(source):\(goSource)"],
            // An explicit prefix to trim, then the search path.
            ["-list=main\\.", "-trim_path=leakscope/fixtures", "-source_path=\(parent)"],
            ["-list=main\\.", "-trim_path=/nowhere:leakscope/fixtures/", "-source_path=\(parent)"],
            // Other reports show the trimmed names too.
            ["-top", "-lines", "-source_path=\(source)"], ["-peek=allocTop", "-lines", "-trim_path=leakscope"],
        ] {
            try await PprofOracle.expectIdentical(flags, profile)
        }
    }

    @Test func listWithSourcesMissing() async throws {
        let heap = try await Self.profiles(trimpath: false, moveSourcesAway: true).appendingPathComponent("heap_b.pb.gz").path
        // Absolute names that no longer exist: pprof's "open …: no such file or directory".
        try await PprofOracle.expectIdentical(["-list=main\\.alloc"], heap)
        try await PprofOracle.expectIdentical(["-list=main\\.alloc", "-source_path=/nonexistent"], heap)
        let output = String(decoding: try PprofOracle.leakscope(["-list=main\\.allocTop"], heap), as: UTF8.self)
        #expect(output.contains(" Error: open ") && output.contains("main.go: no such file or directory"), "\(output)")
    }

    /// The lines of a file as Go's `bufio.Scanner` splits them.
    @Test func linesSplitLikeGo() {
        let split = SourceReader.splitLines(Array("a\r\nb\n\nc".utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(split == ["a", "b", "", "c"])
        let long = SourceReader.splitLines(Array(("x\n" + String(repeating: "y", count: 70_000) + "\nz").utf8))
        #expect(long.count == 1)
        #expect(SourceReader.splitLines([]).isEmpty)
    }

    @Test func trimPathRules() {
        let heuristic = SourcePaths(searchPath: "/home/me/proj:/other", trimPath: "")
        #expect(heuristic.trim("/ci/build/proj/pkg/x.go") == "pkg/x.go")
        #expect(heuristic.trim("/ci/build/x.go") == "/ci/build/x.go")
        let explicit = SourcePaths(searchPath: "/home/me/proj", trimPath: "/ci/build")
        #expect(explicit.trim("/ci/build/proj/x.go") == "proj/x.go")
        #expect(SourcePaths().trim("/proc/self/cwd/./a/b.go") == "a/b.go")
        #expect(SourcePaths().trim("/proc/self/cwd/a/b.go") == "a/b.go")
    }
}
