import Foundation
import LeakscopeTestSupport
@testable import LeakscopeGoroutines

/// Builds `Tests/Fixtures/go/dumps/dumpgen` with a Go toolchain once per test process and
/// runs it in every mode, keeping the dumps it writes and what it says it created.
struct DumpgenRun: Sendable {
    let toolchain: String
    let dir: URL
    /// What the program created: function name → goroutine count, plus "labelled" etc.
    let manifest: [String: Int]

    func file(_ name: String) -> URL { dir.appendingPathComponent(name) }
    func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: file(name))) }
    func count(_ key: String) -> Int { manifest[key] ?? -1 }

    /// The labels dumpgen put on its one `main.oddLabelled` goroutine (hex in the manifest), sorted by key.
    var oddLabels: [String] {
        manifest.keys.filter { $0.hasPrefix("oddlabel:") }.map { entry -> String in
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            func unhex(_ s: Substring) -> String {
                var bytes: [UInt8] = []
                var i = s.startIndex
                while i < s.endIndex, let j = s.index(i, offsetBy: 2, limitedBy: s.endIndex) {
                    bytes.append(UInt8(s[i..<j], radix: 16) ?? 0)
                    i = j
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            return unhex(parts[1]) + "=" + unhex(parts[2])
        }.sorted()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

enum Dumpgen {
    static let go127 = "go"
    static let go119 = "/usr/lib/go-1.19/bin/go"

    /// Modes and their environment; each writes into its own directory.
    static let runs: [(name: String, mode: String, env: [String: String])] = [
        ("stack", "stack", [:]),
        ("ancestors", "stack", ["GODEBUG": "tracebackancestors=5"]),
        ("http", "http", [:]),
        ("panic-all", "panic", ["GOTRACEBACK": "all"]),
        ("panic-system", "panic", ["GOTRACEBACK": "system"]),
        ("panic-crash", "panic", ["GOTRACEBACK": "crash"]),
        ("sigquit", "sigquit", [:]),
    ]

    private static let cache = AsyncOnceCache<String, [String: DumpgenRun]>()

    /// All runs for a toolchain (`go127` or `go119`), keyed by run name. Built once per process.
    static func runs(_ toolchain: String) async throws -> [String: DumpgenRun] {
        try await cache.value(for: toolchain) { try await build(toolchain) }
    }

    static func run(_ toolchain: String, _ name: String) async throws -> DumpgenRun {
        guard let r = try await runs(toolchain)[name] else { throw FixtureError(description: "no run \(name)") }
        return r
    }

    private static func build(_ toolchain: String) async throws -> [String: DumpgenRun] {
        let tag = toolchain == go127 ? "go127" : "go119"
        let root = TestPaths.scratch
            .appendingPathComponent("leakscope-dumpgen-\(getpid())-\(tag)")
        try? FileManager.default.removeItem(at: root)
        let src = root.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        let program = TestPaths.goFixtures.appendingPathComponent("dumps/dumpgen/main.go")
        try FileManager.default.copyItem(at: program, to: src.appendingPathComponent("main.go"))
        let goLine = toolchain == go127 ? "go 1.27" : "go 1.19"
        try "module dumpgen\n\n\(goLine)\n".write(to: src.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
        let binary = root.appendingPathComponent("dumpgen").path
        let (status, _, err) = try await shell("cd '\(src.path)' && '\(toolchain)' build -o '\(binary)' .", env: [:])
        guard status == 0 else { throw FixtureError(description: "\(toolchain) build failed: \(err)") }

        var result: [String: DumpgenRun] = [:]
        for r in runs {
            let dir = root.appendingPathComponent(r.name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let (code, _, stderr) = try await shell("ulimit -c 0; exec '\(binary)' \(r.mode) '\(dir.path)'", env: r.env)
            try Data(stderr.utf8).write(to: dir.appendingPathComponent("stderr.txt"))
            if r.mode == "stack" || r.mode == "http" {
                guard code == 0 else { throw FixtureError(description: "dumpgen \(r.mode) exited \(code): \(stderr.prefix(2000))") }
            } else {
                guard code != 0 else { throw FixtureError(description: "dumpgen \(r.mode) did not crash") }
            }
            var manifest: [String: Int] = [:]
            let text = try String(contentsOf: dir.appendingPathComponent("manifest.txt"), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let n = Int(parts[1]) { manifest[String(parts[0])] = n }
            }
            result[r.name] = DumpgenRun(toolchain: toolchain, dir: dir, manifest: manifest)
        }
        return result
    }

    /// Runs `/bin/sh -c command` with Go's module fetching disabled; returns (status, stdout, stderr).
    static func shell(_ command: String, env: [String: String]) async throws -> (Int32, String, String) {
        var environment = GoToolchain.environment
        environment["GOFLAGS"] = "-mod=mod"
        for (k, v) in env { environment[k] = v }
        let result = try await ProcessRunner.run("/bin/sh", ["-c", command], environment: environment)
        return (result.exitCode, result.stdoutText, result.stderrText)
    }
}

extension GoroutineDump {
    /// Goroutines (weighted by count) whose stack holds a frame of `function`.
    func count(withFrame function: String) -> Int64 {
        guard let id = names.id(of: function) else { return 0 }
        var n: Int64 = 0
        for g in goroutines where frames(of: g).contains(where: { $0.function == id }) { n += g.count }
        return n
    }

    /// The goroutines whose stack holds a frame of `function`.
    func goroutines(withFrame function: String) -> [Goroutine] {
        guard let id = names.id(of: function) else { return [] }
        return goroutines.filter { g in frames(of: g).contains(where: { $0.function == id }) }
    }
}

/// The header lines of a traceback, split naively (an independent reading to compare with).
func naiveHeaders(_ text: String) -> [(id: Int64, bracket: String)] {
    var result: [(Int64, String)] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("goroutine ") && line.hasSuffix(":") {
        let words = line.split(separator: " ")
        guard words.count >= 3, let id = Int64(words[1]), let open = line.firstIndex(of: "["),
              let close = line.firstIndex(of: "]") else { continue }
        result.append((id, String(line[line.index(after: open)..<close])))
    }
    return result
}

/// The functions dumpgen starts goroutines in and counts in its manifest.
let dumpgenFunctions = ["main.blockRecv", "main.blockSend", "main.blockSelect", "main.blockMutex", "main.blockSleep",
                        "main.blockNil", "main.blockWaitGroup", "main.blockLocked", "main.deep", "main.labelledWorker",
                        "main.spawner", "main.spawnedChild", "main.oddLabelled"]

extension GoroutineDump {
    /// The labels of the goroutine running `main.oddLabelled`, as "key=value", sorted.
    func oddLabels() -> [String] {
        guard let g = goroutines(withFrame: "main.oddLabelled").first else { return [] }
        return labels(of: g).map { "\($0.key)=\($0.value)" }.sorted()
    }
}
