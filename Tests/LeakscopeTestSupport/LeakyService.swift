import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `examples/leaky-service` and its load driver, built from the repository and run on loopback.
public final class LeakyService: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`, as the service printed it.
    public let url: String
    /// The service's standard error: its log, with GODEBUG output when asked for.
    public let logFile: URL
    private let process: Process
    private var load: Process?

    public static var source: URL { TestPaths.packageRoot.appendingPathComponent("examples/leaky-service") }

    /// Builds (once per run) and starts the service with `faults` (empty = healthy) and extra
    /// arguments; returns once it has printed its address. `godebug` sets `GODEBUG`.
    public init(faults: [String], arguments: [String] = [], godebug: String? = nil,
                toolchain: GoToolchain.Kind = .current) throws {
        let binary = try GoFixtures.buildProgram(in: Self.source, name: "leaky-service", toolchain: toolchain)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("leaky-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        logFile = scratch.appendingPathComponent("service.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["-addr", "127.0.0.1:0", "-faults", faults.isEmpty ? "none" : faults.joined(separator: ",")] + arguments
        var environment = GoToolchain.environment
        if let godebug { environment["GODEBUG"] = godebug }
        process.environment = environment
        let stdout = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        self.process = process
        // The first stdout line is `listening on http://127.0.0.1:PORT`.
        var buffer = [UInt8]()
        let deadline = Date().addingTimeInterval(15)
        let reader = stdout.fileHandleForReading
        while Date() < deadline, !buffer.contains(0x0A), process.isRunning {
            var pollfd = Glibc.pollfd(fd: reader.fileDescriptor, events: Int16(POLLIN), revents: 0)
            if poll(&pollfd, 1, 100) > 0 {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer += chunk
            }
        }
        let line = String(decoding: buffer.prefix { $0 != 0x0A }, as: UTF8.self)
        guard line.hasPrefix("listening on http://") else {
            process.terminate()
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw LeakyServiceError(message: "leaky-service did not start (stdout: \"\(line)\", log: \(log.suffix(500)))")
        }
        url = String(line.dropFirst("listening on ".count))
    }

    /// Starts the load driver against the service for `seconds`; runs in the background.
    public func startLoad(rps: Int = 100, seconds: Int = 120, concurrency: Int = 16,
                          toolchain: GoToolchain.Kind = .current) throws {
        let binary = try GoFixtures.buildProgram(in: Self.source, package: "./loadgen", name: "loadgen", toolchain: toolchain)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["-target", url, "-rps", String(rps), "-duration", "\(seconds)s", "-concurrency", String(concurrency)]
        process.environment = GoToolchain.environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        load = process
    }

    public func stop() {
        for process in [load, process].compactMap({ $0 }) where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

public struct LeakyServiceError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
