import Foundation
import LeakscopeTestSupport
@testable import LeakscopeGodebug

/// Real GODEBUG logs for the runtime-log tests: the committed captures under `Tests/Fixtures/logs`
/// and fresh runs of `Tests/Fixtures/go/godebug` under both Go toolchains.
enum RuntimeLogs {
    static let folder = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/logs")

    /// The committed capture `name` (produced by the godebug fixture; see docs/GCTRACE.md).
    static func committed(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static let committedNames = [
        "go1.27-leak-gctrace-schedtrace.log", "go1.19-leak-gctrace-schedtrace.log",
        "go1.27-healthy-scavtrace-scheddetail.log", "go1.19-healthy-scavtrace-scheddetail.log",
    ]

    struct RunKey: Hashable, Sendable {
        var toolchain: GoToolchain.Kind
        var godebug: String
        var gomaxprocs: Int
        var arguments: [String]
    }

    /// Runs the fixture with `GODEBUG=godebug GOMAXPROCS=gomaxprocs` and returns its stderr (once per key
    /// per test process).
    static func run(_ toolchain: GoToolchain.Kind, godebug: String, gomaxprocs: Int = 2,
                    _ arguments: [String]) async throws -> [UInt8] {
        let key = RunKey(toolchain: toolchain, godebug: godebug, gomaxprocs: gomaxprocs, arguments: arguments)
        return try await runs.value(for: key) {
            let binary = try await GoFixtures.build("godebug", toolchain: toolchain)
            var environment = GoToolchain.environment
            environment["GODEBUG"] = godebug
            environment["GOMAXPROCS"] = String(gomaxprocs)
            // Nearly alone: the trace counts GC cycles and heap growth within a fixed run time.
            let result = try await ProcessRunner.run(binary.path, arguments, environment: environment, slot: .timed)
            guard result.succeeded else { throw GoFixtureError.runFailed("godebug", toolchain, result.summary) }
            return result.stderr
        }
    }

    private static let runs = AsyncOnceCache<RunKey, [UInt8]>()
}

/// An independent reading of the same lines with regular expressions: what the byte parser must agree with.
enum RegexOracle {
    struct GCLine: Equatable {
        var number: Int, start: Int, end: Int, live: Int, procs: Int, forced: Bool
    }

    static func matches(_ pattern: String, in text: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            (0..<match.numberOfRanges).map { index in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : ns.substring(with: range)
            }
        }
    }

    /// Whole gctrace lines (anything may follow the `N P`: another thread's write can land before the newline).
    static func gcLines(_ text: String) -> [GCLine] {
        matches(#"gc (\d+) @[0-9.]+s \d+%( \([^)]*\))*: [0-9.+]+ ms clock, [0-9.+/]+ ms cpu, (\d+)->(\d+)->(\d+) MB, \d+ MB goal(, \d+ MB stacks, \d+ MB globals)?, (\d+) P( \(forced\))?"#, in: text)
            .map { GCLine(number: Int($0[1])!, start: Int($0[3])!, end: Int($0[4])!, live: Int($0[5])!,
                          procs: Int($0[7])!, forced: !$0[8].isEmpty) }
    }

    /// `(gomaxprocs, threads, runqueue)` of whole SCHED lines.
    static func schedLines(_ text: String) -> [(gomaxprocs: Int, threads: Int, runqueue: Int)] {
        matches(#"SCHED \d+ms: gomaxprocs=(\d+) idleprocs=\d+ threads=(\d+) .*runqueue=(\d+)( \[[ 0-9]*\]| gcwaiting=)"#, in: text)
            .map { (Int($0[1])!, Int($0[2])!, Int($0[3])!) }
    }

    static func count(_ pattern: String, in text: String) -> Int { matches(pattern, in: text).count }
}

extension RuntimeTrace {
    /// The kept cycles as the oracle sees them.
    var oracleGCLines: [RegexOracle.GCLine] {
        gcCycles.map { .init(number: $0.number, start: $0.heapStartMB, end: $0.heapEndMB, live: $0.heapLiveMB,
                             procs: $0.procs, forced: $0.forced) }
    }
}
