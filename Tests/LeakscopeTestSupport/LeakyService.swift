import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `examples/leaky-service` and its load driver, built from the repository and run on loopback.
///
/// Everything here awaits instead of blocking: starting waits for the service's first line with
/// short async pauses, and `stop()` awaits the children's exit.
public final class LeakyService: Sendable {
    /// `http://127.0.0.1:PORT`, as the service printed it.
    public let url: String
    /// The service's standard error: its log, with GODEBUG output when asked for.
    public let logFile: URL
    private let service: ChildProcess
    private let scratch: URL
    private let load = LoadSlot()

    public static var source: URL { TestPaths.packageRoot.appendingPathComponent("examples/leaky-service") }

    /// Builds the service and its load driver (cached for the run). Call it before taking every
    /// `ChildSlots` slot: a build is a child process too, and would wait for the slots forever.
    public static func build(toolchain: GoToolchain.Kind = .current) async throws {
        _ = try await GoFixtures.buildProgram(in: source, name: "leaky-service", toolchain: toolchain)
        _ = try await GoFixtures.buildProgram(in: source, package: "./loadgen", name: "loadgen", toolchain: toolchain)
    }

    /// Builds (once per run) and starts the service with `faults` (empty = healthy) and extra
    /// arguments; returns once it has printed its address. `godebug` sets `GODEBUG`.
    public init(faults: [String], arguments: [String] = [], godebug: String? = nil,
                toolchain: GoToolchain.Kind = .current) async throws {
        let binary = try await GoFixtures.buildProgram(in: Self.source, name: "leaky-service", toolchain: toolchain)
        scratch = TestPaths.scratch.appendingPathComponent("leaky-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let stdout = scratch.appendingPathComponent("stdout.txt")
        var environment = GoToolchain.environment
        if let godebug { environment["GODEBUG"] = godebug }
        service = try ChildProcess(binary.path, ["-addr", "127.0.0.1:0",
                                                 "-faults", faults.isEmpty ? "none" : faults.joined(separator: ",")] + arguments,
                                   environment: environment, stdout: stdout)
        logFile = URL(fileURLWithPath: service.stderrPath)
        // The first stdout line is `listening on http://127.0.0.1:PORT`.
        var line = ""
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, !service.hasExited {
            let text = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
            if let end = text.firstIndex(of: "\n") {
                line = String(text[..<end])
                break
            }
            await pause(seconds: 0.02)
        }
        guard line.hasPrefix("listening on http://") else {
            service.signal()
            let log = (try? String(contentsOf: URL(fileURLWithPath: service.stderrPath), encoding: .utf8)) ?? ""
            throw LeakyServiceError(message: "leaky-service did not start (stdout: \"\(line)\", log: \(log.suffix(500)))")
        }
        url = String(line.dropFirst("listening on ".count))
    }

    /// Starts the load driver against the service for `seconds`; runs in the background.
    public func startLoad(rps: Int = 100, seconds: Int = 120, concurrency: Int = 16,
                          toolchain: GoToolchain.Kind = .current) async throws {
        let binary = try await GoFixtures.buildProgram(in: Self.source, package: "./loadgen", name: "loadgen", toolchain: toolchain)
        let process = try ChildProcess(binary.path, ["-target", url, "-rps", String(rps), "-duration", "\(seconds)s",
                                                     "-concurrency", String(concurrency)],
                                       environment: GoToolchain.environment)
        load.set(process)
    }

    /// Stops the load driver and the service: SIGTERM now, reaped in the background, so a `defer`
    /// can call it without blocking; removes the scratch folder.
    public func stop() {
        load.take()?.signal()
        service.signal()
        try? FileManager.default.removeItem(at: scratch)
        unlink(service.stderrPath)
    }

    deinit { stop() }

    /// The load driver, set once after start.
    private final class LoadSlot: @unchecked Sendable {
        private let lock = NSLock()
        private var process: ChildProcess?
        func set(_ value: ChildProcess) { lock.withLock { process = value } }
        func take() -> ChildProcess? { lock.withLock { defer { process = nil }; return process } }
    }
}

public struct LeakyServiceError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
