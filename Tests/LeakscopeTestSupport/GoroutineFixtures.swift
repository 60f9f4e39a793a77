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

        var goCommand: [String] {
            switch self {
            case .current: ["/usr/bin/env", "go"]
            case .go119: ["/usr/lib/go-1.19/bin/go"]
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
    /// runs proceed in parallel; callers of the same run wait for it.
    public static func run(_ mode: Mode, _ toolchain: Toolchain) throws -> Run {
        let key = "\(toolchain.rawValue)-\(mode.rawValue)"
        let slot = lock.withLock {
            if let known = slots[key] { return known }
            let made = Slot<Run>()
            slots[key] = made
            return made
        }
        return try slot.value { try makeRun(mode, toolchain) }
    }

    /// A value computed once, under its own lock.
    final class Slot<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<Value, Error>?
        func value(_ make: () throws -> Value) throws -> Value {
            lock.lock()
            defer { lock.unlock() }
            if let result { return try result.get() }
            let made = Result { try make() }
            result = made
            return try made.get()
        }
    }

    nonisolated(unsafe) static var slots: [String: Slot<Run>] = [:]
    nonisolated(unsafe) static var binarySlots: [Toolchain: Slot<URL>] = [:]
    static let lock = NSLock()
    static let scratchPrefix = "leakscope-goroutine-fixtures-"
    static let scratch: URL = {
        let files = FileManager.default
        let temporary = files.temporaryDirectory
        // Remove what earlier test processes left behind, once they have exited.
        for name in (try? files.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(scratchPrefix) {
            let pid = name.dropFirst(scratchPrefix.count)
            if !files.fileExists(atPath: "/proc/\(pid)") { try? files.removeItem(at: temporary.appendingPathComponent(name)) }
        }
        let url = temporary.appendingPathComponent(scratchPrefix + "\(ProcessInfo.processInfo.processIdentifier)")
        try? files.removeItem(at: url)
        try? files.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func binary(_ toolchain: Toolchain) throws -> URL {
        let slot = lock.withLock {
            if let known = binarySlots[toolchain] { return known }
            let made = Slot<URL>()
            binarySlots[toolchain] = made
            return made
        }
        return try slot.value {
            let output = scratch.appendingPathComponent("goroutines-\(toolchain.rawValue)")
            let source = TestPaths.goFixtures.appendingPathComponent("goroutines")
            try execute(toolchain.goCommand + ["build", "-o", output.path, "."], in: source, environment: [:])
            return output
        }
    }

    static func makeRun(_ mode: Mode, _ toolchain: Toolchain) throws -> Run {
        let program = try binary(toolchain)
        let directory = scratch.appendingPathComponent("\(toolchain.rawValue)-\(mode.rawValue)")
        var arguments = [program.path, "-mode", mode == .aged ? "leak" : mode.rawValue, "-out", directory.path]
        var environment: [String: String] = [:]
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
        let stderr = try execute(arguments, in: scratch, environment: environment, expectedStatus: mode == .healthy ? 2 : 0)
        if mode == .healthy { try stderr.write(to: directory.appendingPathComponent("sigquit.txt")) }
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return Run(directory: directory, manifest: try JSONDecoder().decode(Manifest.self, from: data))
    }

    /// Runs a command and returns its standard error; any other exit status than `expectedStatus` fails.
    @discardableResult
    static func execute(_ arguments: [String], in directory: URL, environment extra: [String: String],
                        expectedStatus: Int32 = 0) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["GOTOOLCHAIN"] = "local"
        environment["GOPROXY"] = "off"
        environment["GOFLAGS"] = "-mod=mod"
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == expectedStatus else {
            throw Failure(description: "\(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): "
                + String(decoding: message.suffix(4000), as: UTF8.self))
        }
        return message
    }
}
