import Foundation
import LeakscopeTestSupport

/// Go programs and outputs the gate tests share, each produced once per test process.
enum GateFixtures {
    static let benchModule = TestPaths.goFixtures.appendingPathComponent("gatebench")
    static let leaksModule = TestPaths.goFixtures.appendingPathComponent("gateleaks")

    /// `go test -c` of the benchmark suite (built once).
    static func benchBinary() async throws -> URL {
        try await binaries.value(for: "gatebench") {
            let toolchain = try await GoToolchain.locate(.current)
            let dir = TestPaths.scratch.appendingPathComponent("gatebench-bin")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let binary = dir.appendingPathComponent("gatebench.test")
            let result = try await toolchain.go(["test", "-c", "-o", binary.path, "."], in: benchModule)
            guard result.succeeded else { throw GateFixtureError(description: result.summary) }
            return binary
        }
    }

    /// Runs the suite `runs` times per side, alternating base and change (A B A B …, the interleaving
    /// docs/GATE.md recommends), and writes the two outputs to files. `change` is the extra
    /// environment of the changed side (`GATEBENCH_SLOWDOWN`, `GATEBENCH_EXTRA_ALLOC`).
    static func interleaved(_ name: String, runs: Int, bench: String, change: [String: String],
                            benchtime: String = "20ms") async throws -> (old: URL, new: URL) {
        let binary = try await benchBinary()
        var base = GoToolchain.environment
        base["GATEBENCH_SLOWDOWN"] = nil
        base["GATEBENCH_EXTRA_ALLOC"] = nil
        let changed = base.merging(change) { $1 }
        var old = "", new = ""
        let arguments = ["-test.run", "^$", "-test.bench", bench, "-test.benchmem", "-test.count", "1",
                         "-test.benchtime", benchtime]
        for _ in 0..<runs {
            for (environment, isNew) in [(base, false), (changed, true)] {
                let result = try await ProcessRunner.run(binary.path, arguments, environment: environment,
                                                         directory: benchModule, slot: .timed)
                guard result.succeeded else { throw GateFixtureError(description: result.summary) }
                if isNew { new += result.stdoutText } else { old += result.stdoutText }
            }
        }
        let dir = TestPaths.scratch.appendingPathComponent("gatebench-\(name)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let oldURL = dir.appendingPathComponent("old.txt"), newURL = dir.appendingPathComponent("new.txt")
        try old.write(to: oldURL, atomically: true, encoding: .utf8)
        try new.write(to: newURL, atomically: true, encoding: .utf8)
        return (oldURL, newURL)
    }

    /// Writes `text` to a scratch file and returns its path.
    static func file(_ name: String, _ text: String) throws -> String {
        let url = TestPaths.scratch.appendingPathComponent("gate-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private static let binaries = AsyncOnceCache<String, URL>()
}

struct GateFixtureError: Error, CustomStringConvertible { var description: String }
