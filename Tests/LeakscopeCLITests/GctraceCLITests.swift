import Foundation
import Testing
import LeakscopeTestSupport

/// `leakscope gctrace` run as a user runs it, on the committed real captures and on bad input.
@Suite struct GctraceCLITests {
    static let logs = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/logs")
    static let leak = logs.appendingPathComponent("go1.27-leak-gctrace-schedtrace.log").path
    static let healthy = logs.appendingPathComponent("go1.19-healthy-scavtrace-scheddetail.log").path

    @Test func textReportOnALeak() async throws {
        let result = try await LeakscopeBinary.run(["gctrace", Self.leak])
        #expect(result.exitCode == 0, "\(result.summary)")
        let text = result.stdoutText
        #expect(text.hasPrefix("leakscope gctrace: \(Self.leak)\n"))
        #expect(text.contains("[CRITICAL]") || text.contains("[WARNING]"))
        #expect(text.contains("live heap after GC (MB)"))
        #expect(text.contains("Findings:\n  1. [critical] Live heap grows steadily") || text.contains("Findings:\n  1. [warning] Live heap grows steadily"))
        #expect(text.contains("│") && text.contains("└"))
        // Not a terminal: no colour.
        #expect(!text.contains("\u{1B}["))
        #expect(result.stderr.isEmpty)

        let colored = try await LeakscopeBinary.run(["gctrace", "--color", "always", Self.leak])
        #expect(colored.stdoutText.contains("\u{1B}[1;31m[CRITICAL]") || colored.stdoutText.contains("\u{1B}[1;33m[WARNING]"))
    }

    @Test func healthyLogFromStandardInput() async throws {
        let result = try await LeakscopeBinary.run(["gctrace", "-"], stdin: URL(fileURLWithPath: Self.healthy))
        #expect(result.exitCode == 0, "\(result.summary)")
        #expect(result.stdoutText.hasPrefix("leakscope gctrace: <stdin>\n"))
        #expect(result.stdoutText.contains("No findings"))
        #expect(result.stdoutText.contains("goroutines (scheddetail)"))
        #expect(!result.stdoutText.contains("[WARNING]") && !result.stdoutText.contains("[CRITICAL]"))
    }

    @Test func jsonReport() async throws {
        let result = try await LeakscopeBinary.run(["gctrace", "--format", "json", Self.leak])
        #expect(result.exitCode == 0, "\(result.summary)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(object["source"] as? String == Self.leak)
        #expect(["warning", "critical"].contains(object["level"] as? String ?? ""))
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.first?["kind"] as? String == "heap-growth")
        let summary = try #require(object["summary"] as? [String: Any])
        let totals = try #require(summary["gcTotals"] as? [String: Any])
        let gcLines = try String(contentsOfFile: Self.leak, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("gc ") }
        #expect(totals["cycles"] as? Int == gcLines.count)
        let series = try #require(summary["series"] as? [String: Any])
        #expect((series["heapLiveMB"] as? [Any])?.count == gcLines.count)
    }

    @Test func notARuntimeLogIsOneLineAndExit2() async throws {
        let path = TestPaths.scratch.appendingPathComponent("leakscope-gctrace-\(UUID().uuidString).log").path
        try Data("INFO listening on :8080\nINFO ready\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await LeakscopeBinary.run(["gctrace", path])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText == "leakscope: \(path): no GODEBUG gctrace/schedtrace lines found (line 1: INFO listening on :8080)\n")
    }

    /// 10 MB of seeded binary junk with no newline: one short line (the junk's head, made printable), exit 2.
    @Test func binaryJunkIsOneShortLine() async throws {
        let path = TestPaths.scratch.appendingPathComponent("leakscope-junk-\(UUID().uuidString).bin").path
        var state: UInt64 = 7
        let junk = (0..<(10 << 20)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let byte = UInt8(truncatingIfNeeded: state >> 56)
            return byte == 0x0A ? 0x0B : byte
        }
        try Data(junk).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await LeakscopeBinary.run(["gctrace", path])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderrText.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("leakscope: \(path): no GODEBUG gctrace/schedtrace lines found (line 1: ") == true)
        #expect(result.stderrText.utf8.count < 400)
    }

    @Test(arguments: ["missing", "directory"])
    func unreadableInputIsOneLineAndExit2(kind: String) async throws {
        let path = kind == "missing"
            ? TestPaths.scratch.appendingPathComponent("leakscope-none-\(UUID().uuidString).log").path
            : TestPaths.scratch.path
        let result = try await LeakscopeBinary.run(["gctrace", path])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderrText.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("leakscope: \(path): ") == true)
        #expect(!result.stderrText.contains("Usage"))
    }
}
