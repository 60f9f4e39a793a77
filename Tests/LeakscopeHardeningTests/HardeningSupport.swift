import Foundation
import Testing
import LeakscopeProfile
import LeakscopeTestSupport

/// Shared pieces of the hostile-input suite: hand-made profiles, scratch files, the oracle, and the
/// checks every hostile run must pass (one line, the right exit code, no crash, bounded memory).
enum Hardening {
    /// A CPU-shaped profile of three functions whose samples carry `values` (two per sample:
    /// samples/count and cpu/nanoseconds), each sample on the stack given beside it.
    static func profile(_ samples: [(stack: [Int], values: [Int64])], names: [String] = ["main.a", "main.b", "main.c"]) -> [UInt8] {
        var profile = Profile()
        profile.sampleTypes = [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")]
        profile.periodType = ValueType(type: "cpu", unit: "nanoseconds")
        profile.period = 10_000_000
        for (index, name) in names.enumerated() {
            profile.functions.append(Function(id: UInt64(index + 1), name: name, systemName: name, filename: "main.go"))
            profile.locations.append(Location(id: UInt64(index + 1), address: UInt64(0x1000 * (index + 1)),
                                              lines: [Line(function: index, line: Int64(10 * (index + 1)))]))
        }
        profile.samples = samples.map { Sample(locations: $0.stack, values: $0.values) }
        return profile.encodeGzipped()
    }

    /// Writes `bytes` to a fresh scratch file and returns its path.
    static func file(_ bytes: [UInt8], name: String) throws -> String {
        let directory = TestPaths.scratch.appendingPathComponent("hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func directory(_ name: String) throws -> URL {
        let url = TestPaths.scratch.appendingPathComponent("hardening-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `go tool pprof ARGS` (the oracle).
    static func goPprof(_ arguments: [String]) async throws -> ProcessResult {
        let toolchain = try await GoToolchain.locate(.current)
        return try await toolchain.go(["tool", "pprof"] + arguments)
    }

    /// The checks every failing hostile run must pass: the exit status, exactly one line on stderr
    /// starting `leakscope: ` and containing each of `mentions`, no control characters in it, and
    /// no crash (a trap exits 132/133/134/139).
    static func expectOneLine(_ run: ProcessResult, exit status: Int32, mentions: [String] = [],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.exitCode == status, "\(run.summary)", sourceLocation: sourceLocation)
        // `pprof URL` first says where it fetches from, as go tool pprof does.
        let text = run.stderrText.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Fetching profile over HTTP from ") }.joined(separator: "\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "not one line: \(run.stderrText)", sourceLocation: sourceLocation)
        #expect(text.hasPrefix("leakscope: "), "\(run.stderrText)", sourceLocation: sourceLocation)
        #expect(!text.utf8.dropLast().contains { $0 < 0x20 && $0 != 0x09 }, "control characters in: \(run.stderrText)",
                sourceLocation: sourceLocation)
        for mention in mentions {
            #expect(run.stderrText.contains(mention), "\(run.stderrText) does not mention \(mention)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Makes a FIFO at a fresh path.
    static func fifo(_ name: String) throws -> String {
        let path = try directory("fifo").appendingPathComponent(name).path
        guard mkfifo(path, 0o600) == 0 else { throw FixtureServerError(description: "mkfifo \(path) failed") }
        return path
    }

    /// A copy of the committed capture `examples/captures/NAME` in scratch space.
    static func captureCopy(_ name: String) throws -> URL {
        let target = try directory("capture").appendingPathComponent(name)
        try FileManager.default.copyItem(at: TestPaths.packageRoot.appendingPathComponent("examples/captures/\(name)"), to: target)
        return target
    }
}
