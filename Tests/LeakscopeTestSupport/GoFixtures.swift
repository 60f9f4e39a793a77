import Foundation

/// Builds and runs the Go fixture programs under `Tests/Fixtures/go/<name>` (stdlib only, each with a `go.mod`).
///
/// A fixture is built once per test process and toolchain, into a cache folder named by a hash of its sources
/// and the toolchain version, and run once per distinct argument list. Every fixture takes `-out DIR` and
/// writes its files there.
///
/// ```swift
/// let dir = try await GoFixtures.output("profiles", toolchain: .current)
/// let heap = dir.appendingPathComponent("heap.pb.gz")
/// ```
public enum GoFixtures {
    /// The folder the fixture `name` wrote its files into when run as `fixture -out DIR arguments…`.
    ///
    /// `exclusive` runs the fixture with at most one other child process beside it (`ChildSlots.Use.timed`):
    /// for fixtures whose output depends on getting the CPU in time.
    public static func output(_ name: String, toolchain kind: GoToolchain.Kind,
                              arguments: [String] = [], exclusive: Bool = false) async throws -> URL {
        let key = OutputKey(name: name, toolchain: kind, arguments: arguments)
        return try await outputs.value(for: key) {
            let binary = try await build(name, toolchain: kind)
            // Outputs live in this process's scratch folder (removed at exit); binaries stay cached.
            let dir = TestPaths.scratch
                .appendingPathComponent("\(name)-\(kind.rawValue)-\(stableHash(arguments.joined(separator: "\u{0}")))")
            try? FileManager.default.removeItem(at: dir)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let result = try await ProcessRunner.run(binary.path, ["-out", dir.path] + arguments,
                                                     environment: GoToolchain.environment, slot: exclusive ? .timed : .one)
            guard result.succeeded else { throw GoFixtureError.runFailed(name, kind, result.summary) }
            return dir
        }
    }

    /// The fixture `name` built with `toolchain`: the path of its executable.
    public static func build(_ name: String, toolchain kind: GoToolchain.Kind) async throws -> URL {
        try await buildProgram(in: TestPaths.goFixtures.appendingPathComponent(name), name: name, toolchain: kind)
    }

    /// Builds the Go main package `package` (relative to the module at `source`, e.g. `./loadgen`)
    /// once per test run into a folder keyed by the sources' hash; returns the executable.
    public static func buildProgram(in source: URL, package: String = ".", name: String,
                                    toolchain kind: GoToolchain.Kind) async throws -> URL {
        try await binaries.value(for: BuildKey(name: source.path + "|" + package, toolchain: kind)) {
            let toolchain = try await GoToolchain.locate(kind)
            let hash = try sourceHash(of: source, salt: toolchain.version + package)
            let dir = FileManager.default.temporaryDirectory
                .appendingPathComponent("leakscope-fixtures/\(name)-\(kind.rawValue)-\(hash)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let binary = dir.appendingPathComponent(name)
            // `go build` is itself cached, so rebuilding an existing hash is cheap and always consistent.
            let result = try await toolchain.go(["build", "-o", binary.path, package], in: source)
            guard result.succeeded else { throw GoFixtureError.buildFailed(name, kind, result.summary) }
            return binary
        }
    }

    /// Hex FNV-1a 64 of every regular file's relative path and bytes under `folder` (sorted), plus `salt`.
    static func sourceHash(of folder: URL, salt: String) throws -> String {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw GoFixtureError.missingSources(folder.path)
        }
        var files: [URL] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url)
        }
        guard !files.isEmpty else { throw GoFixtureError.missingSources(folder.path) }
        var hasher = FNV1a64()
        hasher.add(Array(salt.utf8))
        for file in files.sorted(by: { $0.path < $1.path }) {
            hasher.add(Array(file.path.dropFirst(folder.path.count).utf8))
            hasher.add([UInt8](try Data(contentsOf: file)))
        }
        return hasher.hex
    }

    static func stableHash(_ text: String) -> String {
        var hasher = FNV1a64()
        hasher.add(Array(text.utf8))
        return hasher.hex
    }

    private struct BuildKey: Hashable, Sendable { let name: String; let toolchain: GoToolchain.Kind }
    private struct OutputKey: Hashable, Sendable { let name: String; let toolchain: GoToolchain.Kind; let arguments: [String] }
    private static let binaries = AsyncOnceCache<BuildKey, URL>()
    private static let outputs = AsyncOnceCache<OutputKey, URL>()
}

/// Why a Go fixture could not be produced.
public enum GoFixtureError: Error, CustomStringConvertible {
    case missingSources(String)
    case buildFailed(String, GoToolchain.Kind, String)
    case runFailed(String, GoToolchain.Kind, String)

    public var description: String {
        switch self {
        case let .missingSources(path): return "Go fixture sources not found at \(path)"
        case let .buildFailed(name, kind, detail): return "building Go fixture \(name) with \(kind) failed: \(detail)"
        case let .runFailed(name, kind, detail): return "running Go fixture \(name) built with \(kind) failed: \(detail)"
        }
    }
}

struct FNV1a64 {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        // Separator so ("ab","c") and ("a","bc") differ.
        state = (state ^ 0xff) &* 0x0000_0100_0000_01b3
    }
    var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
