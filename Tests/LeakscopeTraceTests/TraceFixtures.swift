import Foundation
import LeakscopeTestSupport

/// Traces written by `Tests/Fixtures/go/trace` (real Go programs calling runtime/trace.Start), and
/// Go's own reader (`go tool trace -d=wire|parsed`) as the oracle.
enum TraceFixtures {
    /// The trace of `shape` (leak, healthy, storm, busy) run for `duration`, written by `toolchain`.
    static func trace(_ shape: String, duration: String = "1200ms", toolchain: GoToolchain.Kind = .current) async throws -> URL {
        let dir = try await GoFixtures.output("trace", toolchain: toolchain, arguments: ["-shape", shape, "-duration", duration])
        return dir.appendingPathComponent("\(shape).trace")
    }

    /// `go tool trace -d=MODE FILE`'s standard output.
    static func goToolTrace(_ mode: String, _ file: URL) async throws -> String {
        let go = try await GoToolchain.locate(.current)
        let result = try await go.go(["tool", "trace", "-d=\(mode)", file.path])
        guard result.succeeded else { throw OracleError(message: "go tool trace -d=\(mode) failed: \(result.summary)") }
        return result.stdoutText
    }

    /// Events per name in `-d=wire` output: every line that starts with a name (frames and string data
    /// are indented).
    static func wireCounts(_ text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("\t") && !line.hasPrefix(" ") {
            let name = line.prefix { $0 != " " }
            counts[String(name), default: 0] += 1
        }
        return counts
    }

    /// Each goroutine's state transitions in `-d=parsed` output, in order: `From->To reason`.
    static func parsedTransitions(_ text: String) -> [UInt64: [String]] {
        var transitions: [UInt64: [String]] = [:]
        for line in text.split(separator: "\n") where line.contains(" StateTransition ") {
            guard let goRange = line.range(of: " GoID=") else { continue }
            let rest = line[goRange.upperBound...]
            let parts = rest.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let id = UInt64(parts[0]) else { continue }
            var reason = String(parts[2])
            if reason.hasPrefix("Reason=\"") && reason.hasSuffix("\"") { reason = String(reason.dropFirst(8).dropLast()) }
            transitions[id, default: []].append("\(parts[1]) \(reason)")
        }
        return transitions
    }
}

struct OracleError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
