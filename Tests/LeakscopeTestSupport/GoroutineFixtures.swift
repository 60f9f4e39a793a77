import Foundation

/// Builds and runs `Tests/Fixtures/go/goroutines` (a Go program that creates goroutines of every
/// blocking kind and dumps itself through net/http/pprof), once per toolchain and mode per test
/// process, into a temporary directory.
public enum GoroutineFixtures {
    public enum Toolchain: String, Sendable, CaseIterable {
        /// `go` on PATH (go1.27).
        case current
        /// Debian's go1.19.
        case go119

        var kind: GoToolchain.Kind {
            switch self {
            case .current: .current
            case .go119: .debian119
            }
        }
    }

    public enum Mode: String, Sendable {
        case leak, healthy, grow
        /// The leak mode dumped after 61 s, so headers carry `1 minutes` wait ages.
        case aged
        /// 20,000 goroutines over 16 stacks, a fifth labelled; one dump.
        case large
    }

    /// What the program says it created (`manifest.json`).
    public struct Manifest: Decodable, Sendable {
        public struct Group: Decodable, Sendable {
            public var function: String
            public var kind: String
            public var state: String
            public var count: Int
            public var leak: Bool
            public var labels: [String: String]?
            public var counts: [Int]?
        }
        public struct Dump: Decodable, Sendable {
            public var goroutine: String
            public var countProfile: String
            public var protoProfile: String
            public var goroutineLeak: String?
        }
        public var goVersion: String
        public var mode: String
        public var groups: [Group]
        public var dumps: [Dump]
        public var labelled: Int
    }

    public struct Run: Sendable {
        public var directory: URL
        public var manifest: Manifest
        /// The `goroutine?debug=2` dumps, oldest first.
        public var dumps: [URL] { manifest.dumps.map { directory.appendingPathComponent($0.goroutine) } }
        /// `goroutine?debug=1` count profiles taken right after each dump.
        public var countProfiles: [URL] { manifest.dumps.map { directory.appendingPathComponent($0.countProfile) } }
        /// `goroutine?debug=0` proto profiles taken right after each count profile.
        public var protoProfiles: [URL] { manifest.dumps.map { directory.appendingPathComponent($0.protoProfile) } }
        /// The runtime's SIGQUIT dump (GOTRACEBACK=system, so with runtime goroutines) that ends
        /// the healthy run; nil for other modes.
        public var crashDump: URL? {
            let url = directory.appendingPathComponent("sigquit.txt")
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        /// The `goroutineleak?debug=2` dumps taken right after each dump (Go 1.26+ only).
        public var leakDumps: [URL] { manifest.dumps.compactMap { $0.goroutineLeak.map(directory.appendingPathComponent) } }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The run of `mode` under `toolchain`, made on first use and shared afterwards. Different
    /// runs proceed in parallel; callers of the same run await it.
    public static func run(_ mode: Mode, _ toolchain: Toolchain) async throws -> Run {
        try await runs.value(for: "\(toolchain.rawValue)-\(mode.rawValue)") { try await makeRun(mode, toolchain) }
    }

    private static let runs = AsyncOnceCache<String, Run>()
    static var scratch: URL { TestPaths.scratch.appendingPathComponent("goroutine-fixtures") }

    static func makeRun(_ mode: Mode, _ toolchain: Toolchain) async throws -> Run {
        let program = try await GoFixtures.build("goroutines", toolchain: toolchain.kind)
        let directory = scratch.appendingPathComponent("\(toolchain.rawValue)-\(mode.rawValue)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var arguments = ["-mode", mode == .aged ? "leak" : mode.rawValue, "-out", directory.path]
        var environment = GoToolchain.environment
        switch mode {
        case .leak: break
        case .aged: arguments += ["-age", "61s"]
        case .healthy:
            arguments += ["-dumps", "3", "-interval", "300ms", "-sigquit"]
            environment["GOTRACEBACK"] = "system"  // gp= m= headers, and runtime goroutines in the SIGQUIT dump
        case .grow:
            arguments += ["-dumps", "3", "-interval", "300ms"]
        case .large:
            arguments += ["-n", "20000"]
        }
        let result = try await ProcessRunner.run(program.path, arguments, environment: environment, directory: scratch)
        // The healthy run ends by sending itself SIGQUIT: the runtime's dump, exit status 2.
        guard result.exitCode == (mode == .healthy ? 2 : 0) else {
            throw Failure(description: "\(result.summary)")
        }
        if mode == .healthy { try Data(result.stderr).write(to: directory.appendingPathComponent("sigquit.txt")) }
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return Run(directory: directory, manifest: try JSONDecoder().decode(Manifest.self, from: data))
    }
}
