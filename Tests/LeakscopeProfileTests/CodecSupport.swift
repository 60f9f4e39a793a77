import Foundation
import Testing
import LeakscopeTestSupport

/// Helpers for the codec tests: running the real Go toolchain and reading corpus files.
enum CodecSupport {
    struct ToolError: Error, CustomStringConvertible {
        var description: String
    }

    /// The proto profiles in the google/pprof corpus.
    static let corpusProtos = [
        "internal/proftest/testdata/large.cpu",
        "internal/report/testdata/sample.cpu",
        "internal/driver/testdata/cppbench.cpu_no_samples_type",
        "internal/driver/testdata/go.nomappings.crash",
    ]

    static func corpusFile(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.pprofCorpus.appendingPathComponent(path)))
    }

    static func temporaryDirectory() throws -> URL {
        let url = TestPaths.scratch.appendingPathComponent("leakscope-codec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `go` with `arguments` (GOTOOLCHAIN=local GOPROXY=off) and returns stdout;
    /// a non-zero exit throws with stderr.
    static func go(_ arguments: [String], in directory: URL? = nil, toolchain: String = "go") async throws -> Data {
        guard let executable = ProcessRunner.which(toolchain) else {
            throw ToolError(description: "\(toolchain): Go toolchain not found")
        }
        let result = try await ProcessRunner.run(executable, arguments, environment: GoToolchain.environment, directory: directory)
        guard result.succeeded else {
            throw ToolError(description: "go \(arguments.joined(separator: " ")) exited \(result.exitCode): \(result.stderrText)")
        }
        return Data(result.stdout)
    }

    /// `go tool pprof -raw` on a file.
    static func pprofRaw(_ file: URL) async throws -> String {
        String(decoding: try await go(["tool", "pprof", "-raw", file.path]), as: UTF8.self)
    }

    /// Builds and runs the codec's Go fixture, which writes real runtime/pprof
    /// profiles into `directory`; returns their paths.
    /// Debian's Go 1.19, whose runtime writes profiles a little differently.
    static let go119 = "/usr/lib/go-1.19/bin/go"

    static func goFixtureProfiles(toolchain: String = "go") async throws -> [URL] {
        let directory = try await GoFixtures.output("codec", toolchain: toolchain == go119 ? .debian119 : .current)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "pb" }
            .sorted { $0.path < $1.path }
    }
}
