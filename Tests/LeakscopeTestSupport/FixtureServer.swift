import Foundation

/// A Go fixture server (`Tests/Fixtures/go/<name>`) running on 127.0.0.1: started with
/// `-addr-file FILE -lifetime 3h`, it writes its space-separated listening addresses to FILE
/// once it listens. Stopped by `stop()`; it also exits by itself when the test process that started
/// it exits, so a server shared by a whole suite outlives any test run and no test run outlives it.
public final class FixtureServer: Sendable {
    /// The addresses the server wrote, first the main one (`host:port`).
    public let addresses: [String]
    private let process: ChildProcess

    public init(_ name: String, toolchain: GoToolchain.Kind = .current) async throws {
        let binary = try await GoFixtures.build(name, toolchain: toolchain)
        let addressFile = TestPaths.scratch.appendingPathComponent("leakscope-\(name)-\(getpid())-\(UUID().uuidString).addr")
        defer { try? FileManager.default.removeItem(at: addressFile) }
        process = try ChildProcess(binary.path, ["-addr-file", addressFile.path, "-lifetime", "3h"])
        let deadline = ContinuousClock.now + .seconds(20)
        var text: String? = nil
        while ContinuousClock.now < deadline, !process.hasExited {
            if let read = try? String(contentsOf: addressFile, encoding: .utf8), !read.isEmpty {
                text = read
                break
            }
            await pause(seconds: 0.02)
        }
        guard let text else {
            process.signal()
            throw FixtureServerError(description: "\(name) did not start listening within 20 s")
        }
        addresses = text.split(separator: " ").map(String.init)
    }

    /// `http://ADDRESS/path` on the main listener.
    public func url(_ path: String) -> String { "http://\(addresses[0])\(path)" }

    /// SIGTERM now; the child is reaped in the background.
    public func stop() { process.signal() }

    deinit { stop() }
}

public struct FixtureServerError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// A `leakscope` run measured by GNU time: its result (time's report removed from stderr) and its
/// peak resident memory.
public struct MeasuredRun: Sendable {
    public let result: ProcessResult
    /// Peak RSS in MiB, from `/usr/bin/time -v`.
    public let peakMiB: Int

    /// Runs `leakscope <arguments>` under `/usr/bin/time -v`.
    public static func leakscope(_ arguments: [String], environment extra: [String: String] = [:],
                                 stdin: URL? = nil) async throws -> MeasuredRun {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        let raw = try await ProcessRunner.run("/usr/bin/time", ["-v", try LeakscopeBinary.path()] + arguments,
                                              environment: environment, stdin: stdin)
        let text = raw.stderrText
        // GNU time appends "Command exited with non-zero status N" (on failure), then its report.
        let markers = ["Command exited with non-zero status", "Command terminated by signal", "\tCommand being timed:"]
        let cut = markers.compactMap { text.range(of: $0)?.lowerBound }.min()
        let own = cut.map { String(text[..<$0]) } ?? text
        var peak = -1
        for line in text.split(separator: "\n") where line.contains("Maximum resident set size (kbytes):") {
            peak = (Int(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1) / 1024
        }
        let result = ProcessResult(commandLine: raw.commandLine, stdout: raw.stdout, stderr: Array(own.utf8),
                                   exitCode: raw.exitCode, duration: raw.duration)
        return MeasuredRun(result: result, peakMiB: peak)
    }
}
